"""Helpers for directory admin tests: read a page's form the way a browser would submit it, restore the demo."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from core.db import transaction
from directory.demo import load_demo
from directory.models import Service
from frontdoor.web.staff.directory_view import organization_values, service_values


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


def service_form(record: dict[str, Any]) -> dict[str, list[str]]:
    """The fields the edit page would post for ``record`` (as directory_view fills them)."""
    v = service_values(record)
    form: dict[str, list[str]] = {}
    for key in ("name", "description", "status", "url", "email", "interpretation_services",
                "eligibility_description", "fees_description", "minimum_age", "maximum_age", "accepts_referrals",
                "capacity_per_week", "response_days", "languages_other", "postcode_districts", "local_authorities",
                "national"):
        form[key] = [str(v[key])]
    for key in ("contact_methods", "categories", "languages", "locations"):
        form[key] = sorted(v[key])
    for prefix in ("schedules", "phones", "contacts", "cost_options"):
        for i, row in enumerate(v[prefix]):
            for key, value in row.items():
                form[f"{prefix}-{i}-{key}"] = [value]
    for code, fields in v["translations"].items():
        for key, value in fields.items():
            form[f"tr-{code}-{key}"] = [value]
    return form


def org_form(record: dict[str, Any]) -> dict[str, list[str]]:
    v = organization_values(record)
    form = {key: [str(v[key])] for key in ("name", "alternate_name", "description", "email", "website")}
    for prefix in ("phones", "locations"):
        for i, row in enumerate(v[prefix]):
            for key, value in row.items():
                form[f"{prefix}-{i}-{key}"] = [value or ""]
    return form
