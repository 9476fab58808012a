"""Audit codes of reports and exports (range 700–799)."""

from enum import IntEnum


class ReportAction(IntEnum):
    REPORT_CREATED = 701
    REPORT_COMPILED = 702
    REPORT_EDITED = 703
    REPORT_SUBMITTED = 704
    REPORT_RETURNED = 705
    REPORT_VERIFIED = 706
    REPORT_FINALISED = 707
    REPORT_REOPENED = 708
    EXPORT_REQUESTED = 720
    EXPORT_DOWNLOADED = 721
    RECAP_EXPORTED = 722
    ROLLUP_REFRESH_REQUESTED = 730


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset({ReportAction.EXPORT_REQUESTED, ReportAction.EXPORT_DOWNLOADED, ReportAction.RECAP_EXPORTED})
