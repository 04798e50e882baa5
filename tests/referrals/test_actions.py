"""Referral rules: no referral without granted consent; every change audited; deletion redacts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.db import make_engine, make_sessionmaker, transaction
from referrals import actions
from referrals.models import AuditEvent, Consent, Referral

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
# Referrals and consents point at directory rows (foreign keys): these are in the demo directory.
ORG_A, SERVICE_A, ORG_B = "org-bristol-ca", "svc-bristol-ca-adviceline", "org-bristol-law"


def _consent(session, *, granted: bool = True, org: str = ORG_A, address: str = "+447700900001") -> Consent:
    return actions.record_consent(
        session, consent_id=None, client_channel="sms", client_address=address, organization_id=org,
        granted=granted, wording_version="v1", wording_text="Can I send Org A your details?", language="en", at=NOW,
    )


def _referral(session, consent_id: str, org: str = ORG_A) -> Referral:
    return actions.create_referral(
        session, consent_id=consent_id, at=NOW, reference=f"FD-{consent_id[:8].upper()}", organization_id=org,
        service_id=SERVICE_A, categories=["housing"], summary="landlord", client_name="Anna", language="en",
        deadline=dt.date(2026, 12, 1), deadline_text="1 dec", urgent=True, crisis=False,
        communication_needs={"interpreter": False}, routing={}, postcode="LU2 7AB", area="Luton",
    )


@pytest.fixture
def sessions(db_url: str):
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_referral_needs_granted_consent_for_the_same_organisation(sessions) -> None:
    with transaction(sessions) as session:
        refused = _consent(session, granted=False)
        other_org = _consent(session, org=ORG_B)
        session.flush()
        with pytest.raises(actions.ReferralError, match="no granted consent"):
            _referral(session, refused.id)
        with pytest.raises(actions.ReferralError, match="different organisation"):
            _referral(session, other_org.id)
        with pytest.raises(actions.ReferralError, match="no granted consent"):
            _referral(session, "no-such-consent")
    with sessions() as session:
        assert session.scalars(select(Referral)).all() == []


def test_created_referral_has_consent_and_audit(sessions) -> None:
    with transaction(sessions) as session:
        consent = _consent(session)
        referral_id = _referral(session, consent.id).id
    with sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None and referral.status == "new"
        assert referral.consent.granted and referral.consent.wording_version == "v1"
        assert referral.client_address == "+447700900001"
        assert [(a.action, a.to_status) for a in referral.audit] == [("created", "new")]


def test_status_lifecycle_is_audited_and_guarded(sessions) -> None:
    with transaction(sessions) as session:
        referral = _referral(session, _consent(session).id)
        actions.change_status(session, referral, "accepted", actor="adviser:1", at=NOW)
        actions.change_status(session, referral, "contacted", actor="adviser:1", at=NOW, note="called")
        with pytest.raises(actions.ReferralError, match="cannot become new"):
            actions.change_status(session, referral, "new", actor="adviser:1", at=NOW)
        with pytest.raises(actions.ReferralError, match="unknown status"):
            actions.change_status(session, referral, "lost", actor="adviser:1", at=NOW)
        actions.change_status(session, referral, "closed", actor="adviser:1", at=NOW)
        referral_id = referral.id
    with sessions() as session:
        trail = session.scalars(select(AuditEvent).where(AuditEvent.referral_id == referral_id)
                                .order_by(AuditEvent.seq)).all()
        assert [(a.from_status, a.to_status, a.actor) for a in trail] == [
            (None, "new", "bot"), ("new", "accepted", "adviser:1"), ("accepted", "contacted", "adviser:1"),
            ("contacted", "closed", "adviser:1"),
        ]
        assert trail[2].detail == {"note": "called"}


def test_delete_my_data_withdraws_and_redacts(sessions) -> None:
    with transaction(sessions) as session:
        referral_id = _referral(session, _consent(session).id).id
        _referral(session, _consent(session, address="+447700900999").id)  # someone else's: untouched
    with transaction(sessions) as session:
        assert actions.withdraw_client_data(session, channel="sms", address="+447700900001", at=NOW) == 1
    with sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        assert referral.status == "withdrawn"
        assert referral.client_name is None and referral.postcode is None
        assert "Anna" not in str(referral.summary) and referral.client_address == actions.REDACTED
        assert referral.consent.withdrawn_at is not None
        assert [a.action for a in referral.audit][-2:] == ["status", "redacted"]
        other = session.scalars(select(Referral).where(Referral.id != referral_id)).one()
        assert other.status == "new" and other.client_name == "Anna"
