"""Stable integer codes for audit events, grouped by domain.

The number is what is stored and must never be reused for another meaning.
Each domain app keeps its own ``IntEnum`` in its range:

* 1xx  authentication and sessions (here)
* 2xx  administration: offices, users, tokens (here)
* 3xx  units and programme management
* 4xx  clients, consent, screening, sessions
* 5xx  referrals
* 6xx  mapping, IKRN, Desa Bersinar, prevention
* 7xx  reports and exports
* 8xx  offline sync
* 9xx  privacy and the audit trail itself (here)
"""

from enum import IntEnum
from functools import cache


class AuthAction(IntEnum):
    LOGIN = 101
    LOGIN_FAILED = 102
    LOGOUT = 103
    LOCKED_OUT = 104
    SESSION_EXPIRED = 105
    SECOND_FACTOR_ENABLED = 106
    SECOND_FACTOR_DISABLED = 107
    SECOND_FACTOR_FAILED = 108
    RECOVERY_CODE_USED = 109
    SESSIONS_ENDED = 110


class AdminAction(IntEnum):
    OFFICE_CREATED = 201
    OFFICE_UPDATED = 202
    USER_CREATED = 203
    USER_UPDATED = 204
    USER_PASSWORD_SET = 205
    TOKEN_CREATED = 206
    TOKEN_REVOKED = 207
    REGIONS_LOADED = 208


class AuditTrailAction(IntEnum):
    AUDIT_VIEWED = 901
    RECORD_ACCESS_VIEWED = 902


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset({*AuthAction, *AuditTrailAction})


@cache  # the app registry does not change once Django is set up
def read_only_codes() -> frozenset[int]:
    """Every app's ``READS`` (``<app>.audit_codes.READS``) and this module's: events that only read."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    codes: set[int] = {int(c) for c in READS}
    for config in apps.get_app_configs():
        module = f"{config.name}.audit_codes"
        if config.name.startswith("pulih.") and find_spec(module):
            codes |= {int(c) for c in getattr(import_module(module), "READS", ())}
    return frozenset(codes)
