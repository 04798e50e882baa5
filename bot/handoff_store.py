"""Where a client stands with their advisers, between messages: one row per client (channel + address).

Why a table of its own: the engine's state is the bot's journey and another
engineer's; a handoff is about referrals already sent. The row says since when
the client chose the bot (MENU) and holds at most one open question the
handoff router asked: "which organisation is this for?" or, after a partner
declined, "may we send your details to this other organisation?".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, JSONType

__all__ = ["ClientHandoff", "handoff_row"]


class ClientHandoff(Base):
    __tablename__ = "client_handoff"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(String(200), primary_key=True)
    # MENU: messages go to the bot until an adviser writes again after this moment.
    menu_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # {"kind": "choose", ...} or {"kind": "reroute", ...}; {} when nothing is asked.
    pending: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def handoff_row(session: Session, channel: str, address: str, now: dt.datetime) -> ClientHandoff:
    """The client's row, made on first use."""
    row = session.get(ClientHandoff, (channel, address), with_for_update=True)
    if row is None:
        row = ClientHandoff(channel=channel, address=address, menu_at=None, pending={}, updated_at=now)
        session.add(row)
    return row
