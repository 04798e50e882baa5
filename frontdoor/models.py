"""Import every table module so ``Base.metadata`` knows the whole schema."""

from bot import conversation, inbound, outbox
from directory import models as directory_models
from frontdoor.db import Base
from referrals import models as referral_models

__all__ = ["Base", "conversation", "directory_models", "inbound", "outbox", "referral_models"]
