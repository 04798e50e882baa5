"""Conversation rows: one per client (channel + address), holding the engine's state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, JSONType

__all__ = ["Conversation"]


class Conversation(Base):
    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    state: Mapped[dict[str, Any]] = mapped_column(JSONType)
    step: Mapped[str] = mapped_column(String(40), index=True)  # copy of state["step"], for reports
    # A web-simulator client: its referrals are marked simulated and never reach a partner's queue.
    simulated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # two messages at once: the second one retries
