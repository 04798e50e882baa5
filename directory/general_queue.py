"""The advice network's general queue: where "0 = talk to a person" callback requests go.

Referrals and consents point at a directory organisation and service (foreign keys), so the
general queue is one: an organisation with a single service that matching never offers
(status "inactive": it is reached only by asking for a person, never chosen for a problem).
It is made the first time a client asks, named after the network.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.models import Organization, Service

__all__ = ["GENERAL_QUEUE_ID", "ensure_general_queue"]

GENERAL_QUEUE_ID = "network"  # no directory file names it, so importing with --deactivate-missing leaves it be


def ensure_general_queue(session: Session, queue_id: str, network_name: str) -> None:
    """Create the general queue's organisation and service if they are not there yet."""
    if session.get(Organization, queue_id) is None:
        session.add(Organization(
            id=queue_id, name=f"{network_name} (general queue)"[:300],
            description="Callback requests from clients who asked to talk to a person.", status="active",
        ))
        session.flush()
    if session.get(Service, queue_id) is None:
        session.add(Service(
            id=queue_id, organization_id=queue_id, name="Talk to a person",
            description="Callback requests; never offered by matching.", status="inactive",
            accepts_referrals=True, contact_methods=[], translations={},
        ))
        session.flush()
