"""The overdue rule: a sent referral not acknowledged within N days.

N is ``settings.PULIH_REFERRAL_ACK_DAYS`` (default 7). Any answer from the
destination (received, accepted or rejected) acknowledges it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from pulih.referrals.states import ReferralState


def ack_days() -> int:
    return int(getattr(settings, "PULIH_REFERRAL_ACK_DAYS", 7))


def overdue_cutoff(now: datetime | None = None) -> datetime:
    """Referrals sent before this moment and still unacknowledged are overdue."""
    return (now or timezone.now()) - timedelta(days=ack_days())


def ack_due(sent_at: datetime) -> datetime:
    return sent_at + timedelta(days=ack_days())


def is_overdue(*, state: str, sent_at: datetime | None, now: datetime | None = None) -> bool:
    return state == ReferralState.SENT and sent_at is not None and sent_at < overdue_cutoff(now)
