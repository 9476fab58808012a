"""Audit event codes of referrals (range 5xx, see ``pulih/audit/codes.py``).

Numbers are stored; never reuse one for another meaning.
"""

from enum import IntEnum


class ReferralAuditAction(IntEnum):
    PROVIDER_CREATED = 501
    PROVIDER_UPDATED = 502
    REFERRAL_CREATED = 510
    REFERRAL_SENT = 511
    REFERRAL_RECEIVED = 512
    REFERRAL_ACCEPTED = 513
    REFERRAL_REJECTED = 514
    REFERRAL_STARTED = 515
    REFERRAL_COMPLETED = 516
    REFERRAL_CANCELLED = 517
    REFERRAL_RETURNED = 518
    REFERRAL_LETTER_DOWNLOADED = 530


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset({ReferralAuditAction.REFERRAL_LETTER_DOWNLOADED})
