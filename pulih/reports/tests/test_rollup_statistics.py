"""A full rebuild leaves the planner statistics of the rollup tables fresh."""

from __future__ import annotations

import pytest
from django.db import connection

from pulih.reports.models import AreaFact, Fact
from pulih.reports.rollups import rebuild_all


def _analysed(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # reltuples is -1 until the table is analysed (PostgreSQL 14+); ANALYZE
            # updates pg_class transactionally, so the test's transaction sees it.
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0] >= 0
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_a_full_rebuild_analyses_the_rollup_tables(world: object) -> None:
    tables = [Fact._meta.db_table, AreaFact._meta.db_table]
    rebuild_all()
    assert all(_analysed(t) for t in tables), tables
