"""Phone numbers a client types: stored as E.164, shown back in the national format.

Channel addresses are already E.164 ("+447700900123"); a number typed as
"07700 900123" or "447700900123" is read with phonenumbers (UK by default) so
both spell the same number the same way. A number is accepted when phonenumbers
knows it as valid, or when it is in one of Ofcom's ranges kept for drama and
testing (never a real person's number; the demo and tests use them).
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher

__all__ = ["DEFAULT_REGION", "display_phone", "normalise_phone"]

DEFAULT_REGION = "GB"

# Ofcom's numbers reserved for TV, radio and testing, as E.164 prefixes of 13-character numbers.
_DRAMA_PREFIXES = (
    "+447700900", "+441632960", "+442079460", "+44113496", "+44114496", "+44115496", "+44116496",
    "+44117496", "+44118496", "+44121496", "+44131496", "+44141496", "+44151496", "+44161496",
    "+44191498", "+44292018", "+44306999", "+44808157", "+44909879",
)


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _acceptable(number: PhoneNumber) -> bool:
    if phonenumbers.is_valid_number(number):
        return True
    e164 = _e164(number)
    return len(e164) == 13 and e164.startswith(_DRAMA_PREFIXES)


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    """The first acceptable phone number in ``text`` ("my number is 07700 900123") as E.164; None if none."""
    for match in PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if _acceptable(match.number):
            return _e164(match.number)
    return None


def display_phone(stored: str, region: str = DEFAULT_REGION) -> str:
    """A stored number for people: national format at home ("07700 900123"), international abroad."""
    try:
        number = phonenumbers.parse(stored, region)
    except phonenumbers.NumberParseException:
        return stored
    home = phonenumbers.region_code_for_number(number) == region or (
        number.country_code == phonenumbers.country_code_for_region(region))
    style = PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
