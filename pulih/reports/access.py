"""How the reports app's records are placed in the hierarchy, and who may do what.

Decisions are taken by :mod:`pulih.accounts.scoping`; this module declares.

* Facts and monthly reports belong to a unit (village-level facts to a
  regency): unit users see their unit, office roles their work area,
  national roles everything.
* Area rollups are placed by their regency; province and national rows have
  none, so only national-scope users read them directly. Office users get
  their area's figures by summing the regency rows of their work area.
* An export job is its requester's own record.
"""

from __future__ import annotations

from pulih.accounts.roles import Perm, Role
from pulih.accounts.scoping import Rule


class ReportPerm:
    DASHBOARD = "reports.dashboard"  # indicators and dashboards of one's own scope
    VIEW = "reports.view"  # monthly reports of one's own scope
    SUBMIT = Perm.REPORTS_SUBMIT
    VERIFY = Perm.REPORTS_VERIFY
    AGGREGATES = Perm.AGGREGATES_VIEW
    EXPORT = "reports.export"
    RECAP = "reports.recap"  # the per-unit client recap (Perka BNN 4/2015)
    REFRESH = "reports.refresh"


RULES = {
    "reports.fact": Rule(unit="unit_id", regency="regency_id"),
    "reports.areafact": Rule(regency="regency_id"),
    "reports.monthlyreport": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "reports.reportevent": Rule(unit="report__unit_id", regency="report__unit__village__regency_id"),
    "reports.exportjob": Rule(owner="requested_by_id"),
    "reports.refreshstate": Rule(public=True),
}

_UNIT = {ReportPerm.DASHBOARD, ReportPerm.VIEW, ReportPerm.EXPORT}

GRANTS = {
    Role.AGENT: _UNIT,
    Role.COORDINATOR: _UNIT | {ReportPerm.RECAP, ReportPerm.REFRESH},
    Role.SUPERVISOR: {ReportPerm.DASHBOARD, ReportPerm.VIEW, ReportPerm.EXPORT, ReportPerm.REFRESH},
    Role.OFFICE_STAFF: {ReportPerm.DASHBOARD, ReportPerm.VIEW, ReportPerm.EXPORT, ReportPerm.REFRESH},
    Role.PARTNER: {ReportPerm.DASHBOARD, ReportPerm.EXPORT},
}
