"""Audit codes of offline sync (range 801–899)."""

from enum import IntEnum


class SyncAction(IntEnum):
    PUSH_RECEIVED = 801
    PUSH_REPLAYED = 802
    PULL_DELIVERED = 803
    CONFLICT_RECORDED = 804
    CONFLICT_RESOLVED = 805
    CONFLICTS_LISTED = 806


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset({SyncAction.PULL_DELIVERED, SyncAction.CONFLICTS_LISTED})
