""""Delete my data", everywhere the bot keeps something about a client, in the turn's transaction.

Why one place: the probe found a deletion that redacted referrals but left
queued messages (with the client's name and reference) to be sent afterwards,
and the phone number in outbox rows whose exact times matched the redacted
referral. Here every table that can hold a client's address or words is
cleared together; what remains are counts, statuses and the day of each event.
The confirmation of the deletion is queued afterwards with ``forget_address``,
so its row forgets the address once it has gone out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.handoff_store import ClientHandoff
from bot.outbox import ChannelContact, forget_recipient
from referrals import actions

__all__ = ["erase_client"]


def erase_client(session: Session, *, channel: str, address: str, at: dt.datetime) -> None:
    """Withdraw and redact referrals (and their message threads) and consents, cancel and clear outbox rows,
    drop the contact and handoff rows."""
    actions.withdraw_client_data(session, channel=channel, address=address, at=at)
    forget_recipient(session, channel=channel, address=address, day=actions.erased_time)
    contact = session.get(ChannelContact, (channel, address))
    if contact is not None:  # they wrote to us, so they were neither opted out nor blocking the bot
        session.delete(contact)
    handoff = session.get(ClientHandoff, (channel, address))
    if handoff is not None:  # a pending re-route question names an organisation and the old referral
        session.delete(handoff)
