"""The read-replica router: rollup reads of report GETs go to the replica, nothing else does."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.test import RequestFactory

from pulih.clients.models import Client
from pulih.reports.models import AreaFact, Fact, MonthlyReport
from pulih.scale.routers import ReplicaRouter, ReportReadsOnReplica, reading_reports


@pytest.fixture
def with_replica(settings: Any) -> None:
    # Only the router's decision is tested here: no connection is opened to "replica".
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}


@pytest.fixture
def without_replica(settings: Any) -> None:
    settings.DATABASES = {k: v for k, v in settings.DATABASES.items() if k != "replica"}


def test_without_a_replica_the_router_sends_everything_to_the_default_database(without_replica: None) -> None:
    router = ReplicaRouter()
    with reading_reports():
        assert router.db_for_read(Fact) is None
    assert router.db_for_write(Fact) == "default"


def test_rollup_reads_go_to_the_replica_only_while_a_report_is_read(with_replica: None) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Fact) is None  # a rollup job reading what it just wrote
    with reading_reports():
        assert router.db_for_read(Fact) == "replica"
        assert router.db_for_read(AreaFact) == "replica"
        assert router.db_for_read(MonthlyReport) is None  # may have been submitted a moment ago
        assert router.db_for_read(Client) is None
        assert router.db_for_write(Fact) == "default"
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is True


def test_the_middleware_marks_report_gets_and_nothing_else(with_replica: None) -> None:
    seen: list[tuple[str, str, str | None]] = []

    def view(request: Any) -> Any:
        seen.append((request.method, request.path, ReplicaRouter().db_for_read(Fact)))
        return None

    middleware = ReportReadsOnReplica(view)
    factory = RequestFactory()
    middleware(factory.get("/reports/"))
    middleware(factory.get("/api/v1/reports/values"))
    middleware(factory.post("/reports/monthly/open/"))
    middleware(factory.get("/clients/"))
    assert [s[2] for s in seen] == ["replica", "replica", None, None]


REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")


@pytest.mark.skipif(
    not REPLICA_URL,
    reason="needs a streaming replica: run scripts/replica.sh start and set DATABASE_REPLICA_URL "
    "(postgres://postgres@127.0.0.1:5433/<same database name>)",
)
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_rollup_written_on_the_primary_is_read_from_the_streaming_replica(regions: None) -> None:
    from django.db import connections

    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is True  # a real standby, not the primary again
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is False
    import datetime as dt

    Fact.objects.create(
        month=dt.date(2026, 1, 1), regency_id="15.05", province_id="15", indicator="bench_probe", value=42
    )
    deadline = time.monotonic() + 15
    with reading_reports():
        qs = Fact.objects.filter(indicator="bench_probe")
        assert qs.db == "replica"
        while not qs.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert qs.get().value == 42
