"""Report reads on a read replica, when one is configured (``DATABASE_REPLICA_URL``).

Only the rollup tables (``reports.Fact``, ``reports.AreaFact``,
``reports.RefreshState``) are read from the replica, and only while a GET
request to the reports pages or API is being answered
(:class:`ReportReadsOnReplica` marks it). Everything else — writes, the
rollup jobs that read what they have just written, monthly reports that a
user may have submitted a moment ago — stays on the primary, so no
read-your-own-write goes stale. Rollups are at most minutes old by design
(staleness ≤ 5 min), so a replica's lag of a second changes nothing a reader
can see.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
REPLICA_MODELS = frozenset({"reports.fact", "reports.areafact", "reports.refreshstate"})
REPORT_PATHS = ("/reports/", "/api/v1/reports/")

_reading_reports: ContextVar[bool] = ContextVar("pulih_reading_reports", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class reading_reports:
    """Route rollup reads to the replica inside this block."""

    def __enter__(self) -> None:
        self._token = _reading_reports.set(True)

    def __exit__(self, *exc: object) -> None:
        _reading_reports.reset(self._token)


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured() and model._meta.label_lower in REPLICA_MODELS:
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database, two copies of it

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return db == "default"


class ReportReadsOnReplica:
    """Middleware: GET requests to the reports pages and API read rollups from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path.startswith(REPORT_PATHS):
            with reading_reports():
                return self.get_response(request)
        return self.get_response(request)
