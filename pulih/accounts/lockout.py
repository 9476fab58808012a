"""Login lockout with a cool-off.

After ``PULIH_LOCKOUT_ATTEMPTS`` failures for one username within the
cool-off window the username is refused until the oldest counted failure is
older than ``PULIH_LOCKOUT_COOLOFF_SECONDS``: the lock always ends by itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from pulih.accounts.models import FailedLogin


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.PULIH_LOCKOUT_COOLOFF_SECONDS)


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def is_locked(username: str) -> bool:
    recent = FailedLogin.objects.filter(username=_key(username), at__gte=_window_start()).count()
    return recent >= settings.PULIH_LOCKOUT_ATTEMPTS


def record_failure(username: str, ip: str | None) -> bool:
    """Count a failure; returns True when this failure locks the username."""
    FailedLogin.objects.create(username=_key(username), ip=ip, at=timezone.now())
    # Old failures are never needed again.
    FailedLogin.objects.filter(at__lt=_window_start() - timedelta(days=1)).delete()
    return is_locked(username)


def clear(username: str) -> None:
    FailedLogin.objects.filter(username=_key(username)).delete()
