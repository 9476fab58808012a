"""Audit codes of data-subject rights and retention (range 910–949)."""

from enum import IntEnum


class PrivacyAction(IntEnum):
    REQUEST_RECEIVED = 910
    REQUEST_VERIFIED = 911
    REQUEST_CLOSED = 912
    IDENTITY_VIEWED = 913
    ACCESS_EXPORTED = 915
    CLIENT_RECTIFIED = 916
    CLIENT_RESTRICTED = 917
    RESTRICTION_LIFTED = 918
    CLIENT_ERASED = 919
    ERASURE_REFUSED = 920
    RETENTION_RULE_CHANGED = 925
    RETENTION_RUN = 926
    DESTRUCTION_RECORDED = 927
    BREACH_QUERY_RUN = 930


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset(
    {
        PrivacyAction.IDENTITY_VIEWED,
        PrivacyAction.ACCESS_EXPORTED,
        PrivacyAction.BREACH_QUERY_RUN,
    }
)
