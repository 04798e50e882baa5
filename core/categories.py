"""The issue categories: one place for their ids, labels and external mappings.

Ids are stable (used in code, data and evaluation). Labels go through gettext;
``N_`` only marks them for extraction, translation happens where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "CATEGORY_IDS", "Category", "N_", "get_category"]


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


@dataclass(frozen=True)
class Category:
    id: str
    label: str  # short, for menus ("Housing")
    hint: str  # a few plain words said back to the client ("leaving your home, repairs")
    lsc_list_codes: tuple[str, ...]  # Legal Services Corporation LIST taxonomy codes
    legal_aid: tuple[str, ...]  # UK civil legal aid categories (LAA category of law)


CATEGORIES: tuple[Category, ...] = (
    Category("benefits", N_("Benefits"), N_("Universal Credit, PIP, other benefits"),
             ("IN-00-00-00-00",), ("Welfare benefits",)),
    Category("debt", N_("Debt"), N_("bills, council tax, bailiffs, loans"),
             ("MO-00-00-00-00",), ("Debt",)),
    Category("housing", N_("Housing"), N_("your home, landlord, eviction, repairs"),
             ("HO-00-00-00-00",), ("Housing", "Housing loss prevention advice service")),
    Category("employment", N_("Work"), N_("job, pay, dismissal"),
             ("WO-00-00-00-00",), ("Discrimination",)),
    Category("immigration", N_("Immigration"), N_("visa, status, asylum"),
             ("IM-00-00-00-00",), ("Immigration and asylum",)),
    Category("family", N_("Family"), N_("separation, children, divorce"),
             ("FA-00-00-00-00",), ("Family",)),
    Category("domestic_abuse", N_("Domestic abuse"), N_("someone at home hurting or controlling you"),
             ("FA-07-00-00-00",), ("Family", "Domestic abuse")),
    Category("consumer", N_("Consumer"), N_("things you bought, contracts, scams"),
             ("CO-00-00-00-00",), ()),
    Category("discrimination", N_("Discrimination"), N_("treated unfairly for who you are"),
             ("CR-00-00-00-00",), ("Discrimination",)),
    Category("education", N_("Education"), N_("school, exclusion, special needs"),
             ("ED-00-00-00-00",), ("Education",)),
    Category("health_social_care", N_("Health and care"), N_("NHS, care services, mental health"),
             ("HE-00-00-00-00",), ("Community care", "Mental health")),
    Category("other", N_("Something else"), N_("any other problem"),
             (), ()),
)

CATEGORY_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)
_BY_ID = {c.id: c for c in CATEGORIES}


def get_category(category_id: str) -> Category:
    """Return the category for ``category_id`` (KeyError for an unknown id)."""
    return _BY_ID[category_id]
