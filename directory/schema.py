"""The records of a directory file, as pydantic v2 models: Frontdoor's profile of HSDS 3.0.

Field names follow HSDS 3.0 so an export validates against the official schemas;
Frontdoor's additions sit under ``x_frontdoor`` (HSDS allows extra fields) and
``categories``. Every string has a length cap (the column's, or ``MAX_TEXT``)
so an oversized field is refused with its name instead of reaching the database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Annotated, Literal, Self, get_args

from babel.numbers import list_currencies
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from core.categories import CATEGORY_IDS

__all__ = [
    "ADDRESS_TYPES", "CONTACT_METHODS", "DEMO_NOTICE", "EXTENT_TYPES", "HSDS_VERSION", "MAX_TEXT", "PHONE_TYPES",
    "PROFILE", "SERVICE_STATUSES", "TRANSLATABLE", "AddressRecord", "ContactRecord", "CostOptionRecord",
    "LanguageRecord", "LocationRecord", "OrganizationExtension", "OrganizationRecord", "PhoneRecord",
    "ScheduleRecord", "ServiceAreaRecord", "ServiceAtLocationRecord", "ServiceExtension", "ServiceRecord",
]

HSDS_VERSION = "3.0"
PROFILE = "frontdoor"
# The notice is not stored: it describes the is_demo flag, so exports of demo data always carry this text.
DEMO_NOTICE = (
    "Demonstration data only: these organisations, services, people, phone numbers and addresses are "
    "fictional. Do not use them to seek advice or make referrals."
)
MAX_TEXT = 20_000  # characters in a free-text field (descriptions): a page of text, never megabytes
ExtentType = Literal["local_authority", "postcode_district", "national"]
ContactMethod = Literal["sms", "phone", "telegram", "email", "letter", "in_person"]  # how a service reaches clients
ServiceStatus = Literal["active", "inactive", "defunct", "temporarily closed"]
OrganizationStatus = Literal["active", "inactive"]  # inactive: kept for referrals' sake, never matched
AddressType = Literal["physical", "postal", "virtual"]
PhoneType = Literal["text", "voice", "fax", "cell", "video", "pager", "textphone"]
Translatable = Literal["name", "alternate_name", "description", "eligibility_description", "fees_description",
                       "application_process", "wait_time"]
EXTENT_TYPES: tuple[str, ...] = get_args(ExtentType)
CONTACT_METHODS: tuple[str, ...] = get_args(ContactMethod)
SERVICE_STATUSES: tuple[str, ...] = get_args(ServiceStatus)
ADDRESS_TYPES: tuple[str, ...] = get_args(AddressType)
PHONE_TYPES: tuple[str, ...] = get_args(PhoneType)
TRANSLATABLE: tuple[str, ...] = get_args(Translatable)
_CURRENCIES = frozenset(list_currencies())


def _matches(pattern: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return check


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _filled(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _phone_number(value: str) -> str:
    digits = sum(ch.isdigit() for ch in value)
    if not (re.fullmatch(r"\+?[0-9 ()\-.]+", value) and 3 <= digits <= 15):
        raise ValueError(f"{value!r} is not a phone number")
    return value


def _currency(value: str) -> str:
    if value not in _CURRENCIES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code like 'GBP'")
    return value


def _country(value: str) -> str:
    if value == "UK":
        raise ValueError("'UK' is not an ISO 3166 country code; use 'GB'")
    return _matches(r"[A-Z]{2}", "a two-letter country code like 'GB'")(value)


def _category(value: str) -> str:
    if value not in CATEGORY_IDS:
        close = difflib.get_close_matches(value, CATEGORY_IDS, n=1)
        raise ValueError(f"unknown category {value!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return value


def _no_repeats(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(value)
    return values


_DAY = r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)"
Id = Annotated[str, Field(max_length=100), AfterValidator(_clean), AfterValidator(_filled)]
Name = Annotated[str, Field(max_length=300), AfterValidator(_clean), AfterValidator(_filled)]
Short = Annotated[str, Field(max_length=300), AfterValidator(_clean)]
Long = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_clean)]
Email = Annotated[str, Field(max_length=300), AfterValidator(_clean),
                  AfterValidator(_matches(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address"))]
Url = Annotated[str, Field(max_length=500), AfterValidator(_clean),
                AfterValidator(_matches(r"https?://[^\s/?#]+[^\s]*", "an http(s) address"))]
LanguageCode = Annotated[str, Field(max_length=10),
                         AfterValidator(_matches(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*",
                                                 "a language code like 'en' or 'pt-BR'"))]
Time = Annotated[str, AfterValidator(_matches(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?", "a time like '09:30'"))]
ByDay = Annotated[str, Field(max_length=40),
                  AfterValidator(_matches(rf"{_DAY}(,{_DAY})*", "a list of days like 'MO,TU'"))]
District = _matches(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]?", "a postcode district like 'LU2'")


class _Record(BaseModel):
    """Strict: no coercion ("5" is not 5, true is not 1), no unknown fields, no NaN."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class PhoneRecord(_Record):
    id: Id
    number: Annotated[str, Field(max_length=40), AfterValidator(_phone_number)]
    type: PhoneType | None = None
    description: Long | None = None


class AddressRecord(_Record):
    id: Id
    address_1: Name
    address_2: Short | None = None
    city: Annotated[str, Field(max_length=100), AfterValidator(_clean), AfterValidator(_filled)]
    state_province: Annotated[str, Field(max_length=100), AfterValidator(_clean)] | None = None
    postal_code: Annotated[str, Field(max_length=20), AfterValidator(_clean), AfterValidator(_filled)]
    country: Annotated[str, AfterValidator(_country)] = "GB"
    address_type: AddressType = "physical"


class LocationRecord(_Record):
    id: Id
    location_type: AddressType = "physical"
    name: Short | None = None
    description: Long | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    addresses: list[AddressRecord] = []

    @model_validator(mode="after")
    def _both_coordinates(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude must be given together")
        return self


class OrganizationExtension(_Record):
    network: Annotated[str, Field(max_length=50),
                       AfterValidator(_matches(r"[a-z0-9][a-z0-9_-]*",
                                               "a lower-case network id like 'luton'"))] | None = None
    is_demo: bool = False
    status: OrganizationStatus = "active"


class OrganizationRecord(_Record):
    id: Id
    name: Name
    alternate_name: Short | None = None
    description: Long = ""
    email: Email | None = None
    website: Url | None = None
    phones: list[PhoneRecord] = []
    locations: list[LocationRecord] = []
    x_frontdoor: OrganizationExtension = OrganizationExtension()


class ScheduleRecord(_Record):
    id: Id
    byday: ByDay | None = None
    opens_at: Time | None = None
    closes_at: Time | None = None
    description: Long | None = None


class ServiceAreaRecord(_Record):
    id: Id
    name: Short | None = None
    extent_type: ExtentType
    extent: Name

    @model_validator(mode="after")
    def _district(self) -> Self:
        if self.extent_type == "postcode_district":
            District(self.extent)
        return self


class ServiceAtLocationRecord(_Record):
    id: Id
    location_id: Id


class LanguageRecord(_Record):
    id: Id
    code: LanguageCode
    name: Annotated[str, Field(max_length=100), AfterValidator(_clean)] | None = None
    note: Long | None = None


class CostOptionRecord(_Record):
    id: Id
    option: Short | None = None
    amount: Annotated[float, Field(ge=0, le=1e9)] | None = None
    currency: Annotated[str, AfterValidator(_currency)] | None = None
    amount_description: Long | None = None

    @model_validator(mode="after")
    def _currency_for_a_charge(self) -> Self:
        if self.amount and self.currency is None:
            raise ValueError("currency is required when amount is above zero")
        return self


class ContactRecord(_Record):
    id: Id
    name: Short | None = None
    title: Short | None = None
    email: Email | None = None
    phones: list[PhoneRecord] = []


Translation = dict[Translatable,
                   Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_clean), AfterValidator(_filled)]]


class ServiceExtension(_Record):
    accepts_referrals: bool = False
    capacity_per_week: Annotated[int, Field(ge=0, le=100_000)] | None = None
    response_days: Annotated[int, Field(ge=0, le=365)] | None = None
    contact_methods: Annotated[list[ContactMethod],
                               AfterValidator(_no_repeats)] = []
    translations: dict[LanguageCode, Translation] = {}


class ServiceRecord(_Record):
    id: Id
    organization_id: Id
    name: Name
    alternate_name: Short | None = None
    description: Long = ""
    url: Url | None = None
    email: Email | None = None
    status: ServiceStatus = "active"
    interpretation_services: Long | None = None
    application_process: Long | None = None
    fees_description: Long | None = None
    wait_time: Long | None = None
    eligibility_description: Long | None = None
    minimum_age: Annotated[int, Field(ge=0, le=130)] | None = None
    maximum_age: Annotated[int, Field(ge=0, le=130)] | None = None
    phones: list[PhoneRecord] = []
    schedules: list[ScheduleRecord] = []
    service_areas: list[ServiceAreaRecord] = []
    service_at_locations: list[ServiceAtLocationRecord] = []
    languages: list[LanguageRecord] = []
    cost_options: list[CostOptionRecord] = []
    contacts: list[ContactRecord] = []
    categories: Annotated[list[Annotated[str, AfterValidator(_category)]], AfterValidator(_no_repeats)] = []
    x_frontdoor: ServiceExtension = ServiceExtension()

    @model_validator(mode="after")
    def _ages(self) -> Self:
        low, high = self.minimum_age, self.maximum_age
        if low is not None and high is not None and low > high:
            raise ValueError(f"maximum_age is below minimum_age ({high} < {low})")
        return self
