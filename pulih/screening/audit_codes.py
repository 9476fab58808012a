"""Audit codes of screening (460–499; the client journey holds 401–459)."""

from enum import IntEnum


class ScreeningAction(IntEnum):
    SCREENING_STARTED = 460
    SCREENING_ANSWERED = 461
    SCREENING_COMPLETED = 462
    SCREENING_SUBMITTED = 463
    SCREENING_CORRECTION_STARTED = 464
    SCREENING_DISCARDED = 465
    SCREENING_VIEWED = 470
    SCREENING_LISTED = 471
    INSTRUMENT_LOADED = 490


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset({ScreeningAction.SCREENING_VIEWED, ScreeningAction.SCREENING_LISTED})
