"""Every table of every domain, for schema checks and ``alembic revision --autogenerate``.

The ground floor (``core.db``) owns ``Base`` but cannot import the domains; this shell
module imports each table module so ``Base.metadata`` knows the whole schema.
"""

from sqlalchemy import MetaData

from bot import conversation, handoff_store, inbound, outbox
from core.db import Base
from directory import history_models as directory_history_models
from directory import models as directory_models
from referrals import mail_outbox
from referrals import models as referral_models
from staff import models as staff_models

__all__ = ["Base", "conversation", "directory_history_models", "directory_models", "handoff_store", "inbound",
           "mail_outbox", "metadata", "outbox",
           "referral_models", "staff_models"]


def metadata() -> MetaData:
    """The whole schema (pass as ``target_metadata`` to Alembic)."""
    return Base.metadata
