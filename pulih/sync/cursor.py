"""Which change rows a pull delivers: the snapshot rule that makes pulls gap-free.

PostgreSQL hands out transaction ids when a transaction first writes, but
transactions commit in any order, so "rows above the highest position seen"
skips a slow transaction's row once it commits. Instead each pull records the
database snapshot taken before it reads anything (``pg_current_snapshot()``:
``xmin:xmax:in-progress ids``). A change row carries its writer's transaction
id; a pull delivers exactly the rows whose writer is *complete in the new
snapshot but was not in the previous one* (``pg_visible_in_snapshot``). Every
transaction becomes complete in exactly one such interval, whatever the commit
order, so no row is skipped and none is waited for because of an unrelated
long transaction (the scheme of PgQ's ticks).

SQLite serialises writers, so positions are assigned in commit order and the
"snapshot" is one past the highest committed position.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def current_snapshot() -> str:
    """Taken before any data of the pull is read."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_current_snapshot()::text")
        else:
            cursor.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM sync_change")
        row = cursor.fetchone()
    return str(row[0])


def _xmin(snapshot: str) -> int:
    return int(snapshot.split(":", 1)[0])


def completed_between(qs: QuerySet[Any], previous: str, current: str) -> QuerySet[Any]:
    """Change rows whose writer completed after ``previous`` and by ``current``."""
    if connection.vendor != "postgresql":
        return qs.filter(position__gte=int(previous), position__lt=int(current))
    table = qs.model._meta.db_table
    column = f'"{table}"."position"::text::xid8'
    # The snapshot text is passed as a parameter; only the table name (ours) is interpolated.
    return qs.filter(position__gte=_xmin(previous)).extra(  # noqa: S610
        where=[
            f"pg_visible_in_snapshot({column}, %s::pg_snapshot)",
            f"NOT pg_visible_in_snapshot({column}, %s::pg_snapshot)",
        ],
        params=[current, previous],
    )
