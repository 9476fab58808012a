"""Change capture: every save of a synced model rewrites its :class:`~pulih.sync.models.Change` row.

The row's ``position`` is what makes pulls gap-free (see :mod:`pulih.sync.cursor`):

* PostgreSQL: the id of the writing transaction (``pg_current_xact_id()``).
  A pull delivers the rows whose writer completed between its snapshot and
  the previous pull's, so a transaction that commits late is delivered by the
  pull after it completes, never skipped.
* SQLite: one more than the highest position. SQLite has one writer at a time,
  so positions are assigned in commit order.

Capture runs in the writer's transaction (``post_save``/``post_delete``), so a
change and its row commit or roll back together. Signals are used because the
writes happen in other apps' services, which must not know about sync; the
handler records *that* an object changed, never *what*: pulls read the
current state.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

_PG_SQL = """
INSERT INTO sync_change (label, object_id, unit_id, client_id, position, version, op, at)
VALUES (%s, %s, %s, %s, pg_current_xact_id()::text::bigint, 1, %s, %s)
ON CONFLICT (label, object_id) DO UPDATE SET
    position = EXCLUDED.position, version = sync_change.version + 1, op = EXCLUDED.op,
    unit_id = COALESCE(EXCLUDED.unit_id, sync_change.unit_id),
    client_id = COALESCE(EXCLUDED.client_id, sync_change.client_id), at = EXCLUDED.at
"""

_SQLITE_SQL = """
INSERT INTO sync_change (label, object_id, unit_id, client_id, position, version, op, at)
VALUES (%s, %s, %s, %s, (SELECT COALESCE(MAX(position), 0) + 1 FROM sync_change), 1, %s, %s)
ON CONFLICT (label, object_id) DO UPDATE SET
    position = (SELECT COALESCE(MAX(position), 0) + 1 FROM sync_change),
    version = sync_change.version + 1, op = excluded.op,
    unit_id = COALESCE(excluded.unit_id, sync_change.unit_id),
    client_id = COALESCE(excluded.client_id, sync_change.client_id), at = excluded.at
"""


def record_change(
    *, label: str, object_id: Any, unit_id: int | None, client_id: UUID | str | None, op: str = "u"
) -> None:
    """Mark one object as changed in the current transaction."""
    sql = _PG_SQL if connection.vendor == "postgresql" else _SQLITE_SQL
    client = str(client_id).replace("-", "") if connection.vendor == "sqlite" and client_id else client_id
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [label, str(object_id), unit_id, str(client) if client else None, op, timezone.now()]
        )


def _on_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    from pulih.sync.registry import capture_targets

    for label, pk, unit_id, client_id in capture_targets(instance):
        record_change(label=label, object_id=pk, unit_id=unit_id, client_id=client_id)


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    from pulih.sync.registry import capture_targets

    for i, (label, pk, unit_id, client_id) in enumerate(capture_targets(instance)):
        # The first target is the object itself; the others are parents that changed with it.
        record_change(
            label=label, object_id=pk, unit_id=unit_id, client_id=client_id, op="d" if i == 0 else "u"
        )


def connect(models: list[type[Model]]) -> None:
    for model in models:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"sync-save-{model._meta.label_lower}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"sync-delete-{model._meta.label_lower}")


ChangeKey = tuple[str, str]

# One statement for many objects (the batched push): ``version`` carries how many saves
# the object had in the batch, so the row ends exactly where one upsert per save would
# leave it. Every row gets the writer's transaction id (PostgreSQL) or one new counter
# value (SQLite, one writer at a time), as :func:`record_change` gives them.
_PG_MANY = """
INSERT INTO sync_change (label, object_id, unit_id, client_id, position, version, op, at)
VALUES {values}
ON CONFLICT (label, object_id) DO UPDATE SET
    position = EXCLUDED.position, version = sync_change.version + EXCLUDED.version, op = EXCLUDED.op,
    unit_id = COALESCE(EXCLUDED.unit_id, sync_change.unit_id),
    client_id = COALESCE(EXCLUDED.client_id, sync_change.client_id), at = EXCLUDED.at
RETURNING label, object_id, version
"""
_PG_ROW = "(%s, %s, %s, %s::uuid, pg_current_xact_id()::text::bigint, %s, 'u', %s)"

_SQLITE_MANY = """
INSERT INTO sync_change (label, object_id, unit_id, client_id, position, version, op, at)
VALUES {values}
ON CONFLICT (label, object_id) DO UPDATE SET
    position = excluded.position, version = sync_change.version + excluded.version, op = excluded.op,
    unit_id = COALESCE(excluded.unit_id, sync_change.unit_id),
    client_id = COALESCE(excluded.client_id, sync_change.client_id), at = excluded.at
RETURNING label, object_id, version
"""
_SQLITE_ROW = "(%s, %s, %s, %s, %s, %s, 'u', %s)"

_CHUNK = 500


def record_changes(changes: dict[ChangeKey, tuple[int | None, Any, int]]) -> dict[ChangeKey, int]:
    """Mark many objects as changed: ``{(label, object_id): (unit_id, client_id, saves)}``.

    Returns each object's version afterwards. Rows are written in key order so
    that concurrent writers lock them in the same order.
    """
    if not changes:
        return {}
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    versions: dict[ChangeKey, int] = {}
    keys = sorted(changes)
    with connection.cursor() as cursor:
        position = None
        if not postgres:
            cursor.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM sync_change")
            position = cursor.fetchone()[0]
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            params: list[Any] = []
            for label, object_id in chunk:
                unit_id, client_id, saves = changes[(label, object_id)]
                if postgres:
                    client = str(client_id) if client_id else None
                    params += [label, object_id, unit_id, client, saves, now]
                else:
                    client = str(client_id).replace("-", "") if client_id else None
                    params += [label, object_id, unit_id, client, position, saves, now]
            row = _PG_ROW if postgres else _SQLITE_ROW
            sql = (_PG_MANY if postgres else _SQLITE_MANY).format(values=", ".join([row] * len(chunk)))
            cursor.execute(sql, params)
            for label, object_id, version in cursor.fetchall():
                versions[(label, str(object_id))] = int(version)
    return versions
