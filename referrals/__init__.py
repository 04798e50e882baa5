"""Consent, referrals and their lifecycle, adviser queues, audit trail."""
