"""Emergency and helpline contacts: one table, so a network can change them."""

from __future__ import annotations

from dataclasses import dataclass

from core.categories import N_

__all__ = ["EMERGENCY_CONTACTS", "EmergencyContact", "MAX_CONTACTS", "contacts_for"]

# A crisis reply must arrive as one text (three SMS segments, 201 characters in UCS-2):
# 999 and Samaritans always, then the two that fit the client best, in table order.
MAX_CONTACTS = 4


@dataclass(frozen=True)
class EmergencyContact:
    name: str  # msgid, translated where shown
    number: str
    always: bool = False  # shown in every crisis reply
    categories: tuple[str, ...] = ()  # shown when the client has one of these issues
    languages: tuple[str, ...] = ()  # shown when the client uses one of these languages


EMERGENCY_CONTACTS: tuple[EmergencyContact, ...] = (
    EmergencyContact(N_("Police, ambulance (danger now)"), "999", always=True),
    EmergencyContact(N_("Samaritans, any time"), "116 123", always=True),
    EmergencyContact(N_("National Domestic Abuse Helpline"), "0808 2000 247", categories=("domestic_abuse", "family")),
    EmergencyContact(N_("Live Fear Free (Wales)"), "0808 80 10 800", languages=("cy",)),
    EmergencyContact(N_("Shelter, housing emergency"), "0808 800 4444", categories=("housing",)),
    EmergencyContact(N_("Childline"), "0800 1111", categories=("education",)),
)


def contacts_for(categories: list[str], language: str) -> list[EmergencyContact]:
    """The contacts to give in a crisis: the always-ones plus those fitting the client.

    With no known issue yet, the domestic-abuse helpline is included: most crisis
    messages to an advice line are about violence at home.
    """
    wanted = set(categories) or {"domestic_abuse"}
    always = [c for c in EMERGENCY_CONTACTS if c.always]
    fitting = [c for c in EMERGENCY_CONTACTS
               if not c.always and (wanted.intersection(c.categories) or language in c.languages)]
    return always + fitting[:MAX_CONTACTS - len(always)]
