from typing import Any

from pulih.reports.tests.factories import bystander_export, make_export, make_report, other_report
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

DASH = frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner"})
VIEW = frozenset({"agent", "coordinator", "supervisor", "office_staff"})
OFFICE = frozenset({"supervisor", "office_staff"})
REFRESH = frozenset({"coordinator", "supervisor", "office_staff"})
WRITER = frozenset({"coordinator"})
WORKFLOW = frozenset({"coordinator", "supervisor"})


def _report(w: World) -> dict[str, Any]:
    return {"pk": make_report(w).pk}


def _report_out(w: World, user: Any) -> dict[str, Any] | None:
    r = other_report(w, user)
    return {"pk": r.pk} if r else None


def _api_report(w: World) -> dict[str, Any]:
    return {"report_id": make_report(w).pk}


def _api_report_out(w: World, user: Any) -> dict[str, Any] | None:
    r = other_report(w, user)
    return {"report_id": r.pk} if r else None


def _export(w: World) -> dict[str, Any]:
    return {"pk": make_export(w.olga).pk}


CASES = [
    UrlCase("reports:dashboard", DASH),
    UrlCase("reports:indicators", DASH),
    UrlCase("reports:refresh", REFRESH, methods=("post",)),
    UrlCase("reports:report_list", VIEW),
    UrlCase("reports:report_open", WRITER, methods=("post",)),
    UrlCase("reports:late", OFFICE),
    UrlCase("reports:report_detail", VIEW, kwargs=_report, out_of_scope=_report_out),
    UrlCase("reports:report_edit", WRITER, kwargs=_report, out_of_scope=_report_out, methods=("get", "post")),
    UrlCase("reports:report_action", WORKFLOW, kwargs=_report, out_of_scope=_report_out, methods=("post",)),
    UrlCase("reports:exports", DASH, methods=("get", "post")),
    # An export belongs to whoever asked for it: everybody else's is out of scope.
    UrlCase(
        "reports:export_status",
        DASH,
        kwargs=_export,
        out_of_scope=lambda w, u: {"pk": bystander_export(w).pk},
    ),
    UrlCase(
        "reports:export_download",
        DASH,
        kwargs=_export,
        out_of_scope=lambda w, u: {"pk": bystander_export(w).pk},
    ),
    UrlCase("api:reports_indicator_list", DASH),
    UrlCase("api:reports_value_list", DASH),
    UrlCase("api:reports_freshness", DASH),
    UrlCase("api:reports_refresh", REFRESH, methods=("post",)),
    UrlCase("api:reports_report_list", VIEW),
    UrlCase("api:reports_report_get", VIEW, kwargs=_api_report, out_of_scope=_api_report_out),
    UrlCase(
        "api:reports_report_transition",
        VIEW,
        kwargs=_api_report,
        out_of_scope=_api_report_out,
        methods=("post",),
    ),
    UrlCase("api:reports_export_list", DASH),
    UrlCase("api:reports_export_create", DASH, methods=("post",)),
    UrlCase(
        "api:reports_export_get",
        DASH,
        kwargs=lambda w: {"export_id": make_export(w.olga).pk},
        out_of_scope=lambda w, u: {"export_id": bystander_export(w).pk},
    ),
]
