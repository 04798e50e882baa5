"""Outcomes and service levels, as verbs on a real database (SQLite and PostgreSQL via ``db_url``).

Closing takes exactly one outcome of the shared framework (a data file), is
audited twice (referral trail and staff trail) and tells the client in their
language; service levels are set by an organisation's own admin or a network
admin; "overdue" is open, uncontacted and past the target.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.registry import build_composers
from bot.i18n import get_translator
from bot.notifications import STATUS_NOTICES, notify_status_change
from core.db import make_engine, make_sessionmaker, transaction
from core.settings import Settings
from referrals import actions
from referrals.access import NotVisible
from referrals.mail_outbox import MailOutbox
from referrals.models import AuditEvent, OrganizationSettings, Referral
from referrals.outcomes import OUTCOMES_FILE, load_framework
from referrals.service_levels import is_overdue, outcome_counts, overdue_referrals
from staff.accounts import create_account
from staff.models import StaffAccount, StaffEvent

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
ORG, SERVICE, OTHER = "org-bristol-ca", "svc-bristol-ca-adviceline", "org-bristol-law"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def sessions(db_url: str):
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _account(session: Session, role: str, org: str | None) -> StaffAccount:
    return create_account(session, email=f"{role}.{org or 'net'}@staff.example.org", name=role, role=role,
                          organization_id=org, password=PASSWORD, at=NOW)


def _referral(session: Session, *, language: str = "en", status: str = "accepted", at: dt.datetime = NOW,
              address: str = "+447700900001", simulated: bool = False) -> Referral:
    consent = actions.record_consent(session, consent_id=None, client_channel="sms", client_address=address,
                                     organization_id=ORG, granted=True, wording_version="v1",
                                     wording_text="Can I send your details?", language=language, at=at)
    referral = actions.create_referral(session, consent_id=consent.id, at=at, reference=f"FD-{consent.id[:8]}",
                                       organization_id=ORG, service_id=SERVICE, categories=["housing"],
                                       summary="my landlord changed the locks", client_name="Anna", language=language,
                                       simulated=simulated)
    if status != "new":
        actions.change_status(session, referral, status, actor="test", at=at)
    return referral


def _notifier():
    composers = build_composers(Settings())

    def notify(session: Session, row: Referral, status: str, at: dt.datetime) -> None:
        notify_status_change(session, row, status, composers=composers, now=at)

    return notify


# --- the framework ----------------------------------------------------------------------------------------------


def test_the_framework_is_the_data_file_with_the_seven_shared_outcomes() -> None:
    framework = load_framework()
    assert framework.ids == ("advice_given", "casework_opened", "resolved", "referred_on", "no_response",
                             "not_eligible", "withdrawn")
    assert framework.label("no_response") == "Client did not respond"
    assert framework.label("gone_from_file") == "gone_from_file"  # an old id stays readable
    assert OUTCOMES_FILE.suffix == ".yml" and "advice_given" in OUTCOMES_FILE.read_text(encoding="utf-8")


def test_a_broken_framework_file_is_refused(tmp_path: Path) -> None:
    for text, problem in (("outcomes: []", "no outcomes"), ("outcomes:\n  - id: A b\n    label: x", "lower-case"),
                          ("outcomes:\n  - {id: a, label: x}\n  - {id: a, label: y}", "twice"),
                          ("outcomes:\n  - {id: a}", "'label'")):
        path = tmp_path / "outcomes.yml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=problem):
            load_framework.__wrapped__(path)


# --- closing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_closing_records_one_outcome_audits_and_tells_the_client_in_their_language(sessions, language: str) -> None:
    with transaction(sessions) as session:
        adviser = _account(session, "adviser", ORG)
        referral_id = _referral(session, language=language).id
    later = NOW + dt.timedelta(days=2)
    with transaction(sessions) as session:
        actions.do_close_referral(session, adviser, referral_id, "casework_opened", at=later,
                                  note="  opened   a file ", notify=_notifier())
    with sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        assert (referral.status, referral.outcome, referral.outcome_note) == ("closed", "casework_opened",
                                                                             "opened a file")
        last = session.scalars(select(AuditEvent).where(AuditEvent.referral_id == referral_id)
                               .order_by(AuditEvent.seq.desc())).first()
        assert last is not None and (last.actor, last.to_status) == (f"staff:{adviser.id}", "closed")
        assert last.detail["outcome"] == "casework_opened" and last.detail["framework"].startswith("frontdoor-")
        event = session.scalar(select(StaffEvent).where(StaffEvent.action == "closed_referral"))
        assert event is not None and event.account_id == adviser.id and event.detail["outcome"] == "casework_opened"
        from bot.outbox import OutboxMessage

        bodies = [m.body for m in session.scalars(select(OutboxMessage).where(
            OutboxMessage.address == "+447700900001").order_by(OutboxMessage.id))]
    expected = get_translator(language).gettext(STATUS_NOTICES["closed"]) % {
        "organization": "Avon Gorge Citizens Advice", "reference": referral.reference}
    assert bodies[-1] == expected
    if language != "en":
        assert expected != STATUS_NOTICES["closed"] % {"organization": "Avon Gorge Citizens Advice",
                                                       "reference": referral.reference}


def test_closing_is_refused_without_writing_anything(sessions) -> None:
    with transaction(sessions) as session:
        adviser = _account(session, "adviser", ORG)
        other = _account(session, "adviser", OTHER)
        network = _account(session, "network_admin", None)
        fresh = _referral(session, status="new", address="+447700900002").id
        accepted = _referral(session).id
    cases = [
        (adviser, accepted, "sorted", None, actions.ReferralError),  # not in the framework
        (adviser, accepted, "resolved", "x" * 501, actions.ReferralError),  # note over the limit
        (adviser, fresh, "resolved", None, actions.ReferralError),  # a new referral is accepted first
        (other, accepted, "resolved", None, NotVisible),  # another organisation's
        (network, accepted, "resolved", None, NotVisible),  # network admins never open client records
    ]
    for account, referral_id, outcome, note, error in cases:
        with pytest.raises(error), transaction(sessions) as session:
            actions.do_close_referral(session, account, referral_id, outcome, at=NOW, note=note, notify=_notifier())
    with sessions() as session:
        assert all(r.outcome is None for r in session.scalars(select(Referral)))
        assert session.scalar(select(StaffEvent).where(StaffEvent.action == "closed_referral")) is None
    with transaction(sessions) as session:  # once closed, a second outcome is refused
        actions.do_close_referral(session, adviser, accepted, "resolved", at=NOW, note=None, notify=_notifier())
    with pytest.raises(actions.ReferralError), transaction(sessions) as session:
        actions.do_close_referral(session, adviser, accepted, "advice_given", at=NOW, note=None, notify=_notifier())
    with sessions() as session:
        row = session.get(Referral, accepted)
        assert row is not None and row.outcome == "resolved"


def test_a_plain_status_change_cannot_close_without_an_outcome(sessions) -> None:
    with transaction(sessions) as session:
        adviser = _account(session, "adviser", ORG)
        referral_id = _referral(session).id
    with pytest.raises(actions.ReferralError, match="outcome"), transaction(sessions) as session:
        actions.do_change_status(session, adviser, referral_id, "closed", at=NOW, note=None, notify=_notifier())


def test_deleting_client_data_redacts_the_outcome_note(sessions) -> None:
    with transaction(sessions) as session:
        adviser = _account(session, "adviser", ORG)
        referral_id = _referral(session).id
    with transaction(sessions) as session:
        actions.do_close_referral(session, adviser, referral_id, "resolved", at=NOW, note="Anna's landlord gave in",
                                  notify=_notifier())
    with transaction(sessions) as session:
        actions.withdraw_client_data(session, channel="sms", address="+447700900001", at=NOW)
    with sessions() as session:
        row = session.get(Referral, referral_id)
        assert row is not None and row.outcome == "resolved" and row.outcome_note == actions.REDACTED


def test_outcome_counts_are_aggregates_per_organisation(sessions) -> None:
    with transaction(sessions) as session:
        adviser = _account(session, "adviser", ORG)
        ids = [_referral(session, address=f"+4477009000{n:02d}").id for n in range(3)]
        _referral(session, address="+447700900099", simulated=True)  # never counted
    for referral_id, outcome in zip(ids, ("resolved", "resolved", "no_response"), strict=True):
        with transaction(sessions) as session:
            actions.do_close_referral(session, adviser, referral_id, outcome, at=NOW, note=None, notify=_notifier())
    with sessions() as session:
        (row,) = outcome_counts(session, ORG)
        network = outcome_counts(session)
        empty = outcome_counts(session, OTHER)
    assert row.counts["resolved"] == 2 and row.counts["no_response"] == 1 and row.total == 3
    assert set(row.counts) == set(load_framework().ids)
    assert [r.organization_id for r in network] == [ORG]
    assert empty[0].total == 0


# --- service levels ---------------------------------------------------------------------------------------------


def test_service_levels_are_set_by_the_own_org_admin_or_a_network_admin(sessions) -> None:
    with transaction(sessions) as session:
        admin = _account(session, "org_admin", ORG)
        other_admin = _account(session, "org_admin", OTHER)
        adviser = _account(session, "adviser", ORG)
        network = _account(session, "network_admin", None)
    with transaction(sessions) as session:
        actions.do_set_service_level(session, admin, ORG, first_contact_hours=24,
                                     referral_email="referrals@avongorge.example.org", at=NOW)
    for account in (other_admin, adviser):
        with pytest.raises(NotVisible), transaction(sessions) as session:
            actions.do_set_service_level(session, account, ORG, first_contact_hours=1, referral_email=None, at=NOW)
    for hours, email in ((0, None), (24 * 31, None), (24, "not an address"), (24, "a@b c")):
        with pytest.raises(actions.ReferralError), transaction(sessions) as session:
            actions.do_set_service_level(session, admin, ORG, first_contact_hours=hours, referral_email=email, at=NOW)
    with transaction(sessions) as session:
        actions.do_set_service_level(session, network, OTHER, first_contact_hours=72, referral_email="", at=NOW)
    with sessions() as session:
        own = session.get(OrganizationSettings, ORG)
        other = session.get(OrganizationSettings, OTHER)
        events = list(session.scalars(select(StaffEvent).where(StaffEvent.action == "set_service_level")))
    assert own is not None and (own.first_contact_hours, own.referral_email) == (24, "referrals@avongorge.example.org")
    assert other is not None and (other.first_contact_hours, other.referral_email) == (72, None)
    assert [(e.account_id, e.organization_id) for e in events] == [(admin.id, ORG), (network.id, OTHER)]


def test_overdue_means_open_uncontacted_and_past_the_target(sessions) -> None:
    start = NOW - dt.timedelta(hours=5)
    with transaction(sessions) as session:
        admin = _account(session, "org_admin", ORG)
        waiting = _referral(session, status="new", at=start, address="+447700900011").id
        contacted = _referral(session, status="accepted", at=start, address="+447700900012").id
        recent = _referral(session, status="new", at=NOW - dt.timedelta(hours=1), address="+447700900013").id
    with transaction(sessions) as session:
        row = session.get(Referral, contacted)
        assert row is not None
        actions.change_status(session, row, "contacted", actor="test", at=start + dt.timedelta(hours=1))
    with sessions() as session:
        assert overdue_referrals(session, now=NOW) == []  # no target set: nothing is overdue
    with transaction(sessions) as session:
        actions.do_set_service_level(session, admin, ORG, first_contact_hours=4, referral_email=None, at=NOW)
    with sessions() as session:
        rows = overdue_referrals(session, now=NOW)
        contacted_row = session.get(Referral, contacted)
    assert [r.id for r in rows] == [waiting] and rows[0].hours_over == 1 and rows[0].target_hours == 4
    assert recent not in [r.id for r in rows]
    assert contacted_row is not None and contacted_row.first_contact_at is not None
    assert not is_overdue(status="closed", created_at=start, first_contact_at=None, hours=1, now=NOW)


def test_a_new_referral_queues_one_email_to_the_organisation_without_client_details(sessions) -> None:
    with transaction(sessions) as session:
        first = _referral(session, status="new").id
        _referral(session, status="new", address="+447700900050", simulated=True)
    with transaction(sessions) as session:
        admin = _account(session, "org_admin", ORG)
        actions.do_set_service_level(session, admin, ORG, first_contact_hours=None,
                                     referral_email="intake@avongorge.example.org", at=NOW)
        second = _referral(session, status="new", address="+447700900051").id
    with sessions() as session:
        rows = list(session.scalars(select(MailOutbox).order_by(MailOutbox.id)))
    assert [(r.referral_id, r.to_address, r.status) for r in rows] == [
        (first, "hello@avongorge-ca.example.org", "pending"), (second, "intake@avongorge.example.org", "pending")]
    stored = " ".join(f"{r.kind} {r.to_address} {r.error}" for r in rows)
    assert "Anna" not in stored and "landlord" not in stored and "+4477" not in stored
