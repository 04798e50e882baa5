"""The directory admin forms: a form posted unchanged gives back the same record; each mistake gets its message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from directory.demo import DEMO_FILE
from directory.diff import diff_records
from directory.files import read_json
from directory.forms import organization_from_form, service_from_form
from directory.schema import OrganizationRecord, ServiceRecord
from tests.frontdoor.web.directory_support import org_form as _org_form
from tests.frontdoor.web.directory_support import service_form as _service_form

DEMO = read_json(DEMO_FILE)
SERVICES = {s["id"]: s for s in DEMO["services"]}
ORGS = {o["id"]: o for o in DEMO["organizations"]}
LOCATIONS = {o["id"]: [loc["id"] for loc in o["locations"]] for o in DEMO["organizations"]}


def _edit(record: dict[str, Any], **changes: str) -> tuple[dict[str, Any], dict[str, str]]:
    form = _service_form(record)
    form.update({key: [value] for key, value in changes.items()})
    result = service_from_form(form, record, LOCATIONS[record["organization_id"]])
    return result.record, result.errors


@pytest.mark.parametrize("service_id", sorted(SERVICES))
def test_every_demo_service_survives_its_form_unchanged(service_id: str) -> None:
    record = SERVICES[service_id]
    result = service_from_form(_service_form(record), record, LOCATIONS[record["organization_id"]])
    assert result.errors == {}
    assert diff_records("service", record, result.record) == []
    ServiceRecord.model_validate(result.record)


@pytest.mark.parametrize("org_id", sorted(ORGS))
def test_every_demo_organisation_survives_its_form_unchanged(org_id: str) -> None:
    record = ORGS[org_id]
    result = organization_from_form(_org_form(record), record)
    assert result.errors == {}
    assert diff_records("organization", record, result.record) == []
    OrganizationRecord.model_validate(result.record)


def test_languages_capacity_and_districts_are_read() -> None:
    record = SERVICES["svc-luton-ca-consumer"]
    form = _service_form(record)
    form["languages"] = ["en", "pl", "so"]
    form["capacity_per_week"] = ["25"]
    form["postcode_districts"] = ["lu1, LU2  lu3"]
    result = service_from_form(form, record, LOCATIONS["org-luton-ca"])
    assert result.errors == {}
    assert [lang["code"] for lang in result.record["languages"]] == ["en", "pl", "so"]
    assert result.record["x_frontdoor"]["capacity_per_week"] == 25
    districts = [a["extent"] for a in result.record["service_areas"] if a["extent_type"] == "postcode_district"]
    assert districts == ["LU1", "LU2", "LU3"]
    changed = {c.field for c in diff_records("service", record, result.record)}
    assert changed == {"Languages spoken", "Weekly capacity", "Postcode districts"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("postcode_districts", "LU1 LUX9", "“LUX9” is not a UK postcode district"),
    ("postcode_districts", "QQ1", "there is no postcode area “QQ”"),
    ("postcode_districts", "LU1 2AB", "“2AB” is not a UK postcode district"),
    ("email", "referrals at example.org", "must be an email address"),
    ("url", "www.example.org", "must be a web address starting with https://"),
    ("capacity_per_week", "ten", "Weekly capacity must be a whole number"),
    ("capacity_per_week", "-3", "Weekly capacity must be a whole number"),
    ("response_days", "400", "from 0 to 365"),
    ("name", "", "Enter the client-facing name"),
    ("schedules-0-opens_at", "25:00", "Enter a time in 24-hour form"),
    ("schedules-0-closes_at", "08:00", "The closing time must be after the opening time"),
    ("schedules-0-days", "Funday", "Days must be day names"),
    ("phones-2-number", "call us", "must be a UK phone number"),
    ("phones-2-number", "12345", "must be a UK phone number"),
    ("contacts-1-email", "nobody", "Contact email must be an email address"),
    ("languages_other", "french!", "is not a language code"),
    ("tr-pl-name", "x" * 301, "too long"),
])
def test_each_mistake_has_a_clear_message_under_its_field(field: str, value: str, message: str) -> None:
    record = copy.deepcopy(SERVICES["svc-luton-ca-consumer"])
    _record, errors = _edit(record, **{field: value})
    assert field in errors, errors
    assert message in errors[field]
    assert len(errors) == 1, errors


def test_opening_hours_accept_day_names_and_ranges() -> None:
    record = SERVICES["svc-luton-ca-consumer"]
    edited, errors = _edit(record, **{"schedules-0-days": "Mon - Wed, sat", "schedules-0-opens_at": "9.00",
                                      "schedules-0-closes_at": "13:00"})
    assert errors == {}
    assert edited["schedules"][0] | {} == {**edited["schedules"][0], "byday": "MO,TU,WE,SA", "opens_at": "09:00",
                                          "closes_at": "13:00"}


def test_valid_phone_numbers_are_accepted() -> None:
    record = SERVICES["svc-luton-ca-consumer"]
    for number in ("0300 330 1313", "+44 20 7946 0958", "01632 960123"):
        edited, errors = _edit(record, **{"phones-0-number": number})
        assert errors == {}, number
        assert edited["phones"][0]["number"] == number


def test_a_form_cannot_take_over_rows_of_another_record() -> None:
    record = SERVICES["svc-luton-ca-consumer"]
    other = next(s for s in SERVICES.values() if s["schedules"] and s["id"] != record["id"])
    edited, errors = _edit(record, **{"schedules-1-id": other["schedules"][0]["id"], "schedules-1-days": "Sat",
                                      "schedules-1-opens_at": "10:00", "schedules-1-closes_at": "12:00"})
    assert errors == {}
    ids = [s["id"] for s in edited["schedules"]]
    assert other["schedules"][0]["id"] not in ids and len(ids) == 2


def test_id_and_organisation_never_come_from_the_form() -> None:
    record = SERVICES["svc-luton-ca-consumer"]
    edited, errors = _edit(record, id="svc-other", organization_id="org-bristol-law")
    assert errors == {}
    assert edited["id"] == record["id"] and edited["organization_id"] == record["organization_id"]


def test_organisation_location_postcode_is_checked() -> None:
    record = ORGS["org-luton-ca"]
    form = _org_form(record)
    form["locations-0-postal_code"] = ["LU1"]
    result = organization_from_form(form, record)
    assert "Enter a full UK postcode" in result.errors["locations-0-postal_code"]
