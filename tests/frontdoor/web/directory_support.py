"""Helpers for directory admin tests: read a page's form the way a browser would submit it, restore the demo."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from core.db import transaction
from directory.demo import load_demo
from directory.models import Service


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.textarea: list[str] | None = None
        self.select: str | None = None
        self.selected = ""
        self.inside = False

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "dir-form" in a.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "on"))
            else:
                self.add(a["name"], a.get("value", ""))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select, self.selected = a["name"], ""
        elif tag == "option" and self.select and "selected" in a:
            self.selected = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            text = self.textarea[1]
            self.add(self.textarea[0], text[1:] if text.startswith("\n") else text)
            self.textarea = None
        elif tag == "select" and self.select is not None:
            self.add(self.select, self.selected)
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str) -> dict[str, list[str]]:
    """What submitting the page's directory form unchanged would send."""
    parser = _Form()
    parser.feed(html)
    return parser.fields


def restore_demo(sessions: sessionmaker[Session]) -> None:
    """Put the demo directory back as imported (the PostgreSQL test database is shared by the whole run)."""
    with transaction(sessions) as session:
        load_demo(session)
        session.execute(update(Service).values(last_verified_at=None, last_verified_by=None))
