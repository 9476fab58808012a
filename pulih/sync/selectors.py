"""Every read of the sync protocol: the pull (restore and incremental) and open conflicts.

A pull is computed from three things: the database snapshot (taken first, before any
data is read, see :mod:`pulih.sync.cursor`), the device's scope (its unit's
active clients, capped at ``PULIH_SYNC_MAX_CLIENTS``, with
``PULIH_SYNC_HISTORY_MONTHS`` of history) and the checkpoint named by the
device's cursor (the snapshot and client set it already holds). Records are
read in their current state through the scoping rules, so the change log only
says *what* to send, never *what it looks like*.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import DateTimeField, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, scope_queryset
from pulih.audit.services import audit_record
from pulih.core.errors import NotAllowed
from pulih.sync import registry
from pulih.sync.access import SyncPerm
from pulih.sync.audit_codes import SyncAction
from pulih.sync.cursor import completed_between, current_snapshot
from pulih.sync.models import Change, ChangeOp, Conflict, PullCheckpoint


def max_clients() -> int:
    return int(getattr(settings, "PULIH_SYNC_MAX_CLIENTS", 500))


def history_months() -> int:
    return int(getattr(settings, "PULIH_SYNC_HISTORY_MONTHS", 12))


def history_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=round(history_months() * 30.44))


def scope_client_ids(*, user: Any) -> list[str]:
    """The clients a device of ``user`` holds: the unit's active caseload, most recently changed first."""
    from pulih.clients.models import Client, ClientStatus

    qs = scope_queryset(user, Client.objects.filter(status=ClientStatus.ACTIVE), Perm.CLIENTS_VIEW)
    return [str(pk) for pk in qs.order_by("-updated_at", "id").values_list("id", flat=True)[: max_clients()]]


def _since(entry: registry.Syncable, qs: QuerySet[Any], start: date) -> QuerySet[Any]:
    if entry.date_field is None:
        return qs
    field = entry.model._meta.get_field(entry.date_field)
    bound: date | datetime = start
    if isinstance(field, DateTimeField):
        bound = timezone.make_aware(datetime.combine(start, time.min))
    return qs.filter(**{f"{entry.date_field}__gte": bound})


def _rows(
    entry: registry.Syncable, user: Any, *, client_ids: list[str] | None, pks: list[str] | None, start: date
) -> list[dict[str, Any]]:
    qs = scope_queryset(user, entry.model._default_manager.filter(**entry.filters), entry.perm)
    if entry.client_field is not None and client_ids is not None:
        if not client_ids:
            return []
        qs = qs.filter(**{f"{entry.client_field}__in": client_ids})
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    rows = list(_since(entry, qs, start).values(*entry.fields))
    if entry.expand is not None and rows:
        entry.expand(rows)
    return rows


def _with_versions(entry: registry.Syncable, unit_id: int, rows: list[dict[str, Any]]) -> None:
    if not entry.mergeable or not rows:
        return
    versions = dict(
        Change.objects.filter(label=entry.label, unit_id=unit_id).values_list("object_id", "version")
    )
    for row in rows:
        row["_version"] = versions.get(str(row["id"]), 0)


def conflicts_open(*, user: Any) -> QuerySet[Conflict]:
    require(user, SyncPerm.USE)
    return scope_queryset(user, Conflict.objects.filter(resolved_at__isnull=True), SyncPerm.USE).order_by(
        "created_at"
    )


def conflict_payload(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": str(conflict.pk),
        "model": conflict.label,
        "object_id": conflict.object_id,
        "client_id": str(conflict.client_id) if conflict.client_id else None,
        "field": conflict.field,
        "base_value": json.loads(conflict.base_value or "null"),
        "server_value": json.loads(conflict.server_value or "null"),
        "device_value": json.loads(conflict.device_value or "null"),
        "created_at": conflict.created_at,
        "created_by": conflict.created_by_id,
    }


def _restore(
    user: Any, unit_id: int, client_ids: list[str], start: date, *, client_level_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in registry.registry().values():
        if client_level_only and entry.client_field is None:
            continue
        if not _may_read(user, entry):
            continue
        ids_filter = client_ids if entry.client_field is not None else None
        rows = _rows(entry, user, client_ids=ids_filter, pks=None, start=start)
        _with_versions(entry, unit_id, rows)
        if rows:
            out[entry.label] = rows
    return out


def _may_read(user: Any, entry: registry.Syncable) -> bool:
    from pulih.accounts.scoping import user_can

    return user_can(user, entry.perm)


def _incremental(
    user: Any, unit_id: int, client_ids: list[str], previous: str, current: str, start: date
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, str]]]:
    changed: dict[str, dict[str, str]] = defaultdict(dict)
    window = completed_between(Change.objects.filter(unit_id=unit_id), previous, current)
    for label, object_id, op in window.values_list("label", "object_id", "op"):
        changed[label][object_id] = op
    out: dict[str, list[dict[str, Any]]] = {}
    removals: list[dict[str, str]] = []
    in_scope = set(client_ids)
    for label, objects in changed.items():
        entry = registry.get(label)
        if entry is None or not _may_read(user, entry):
            continue
        live = [pk for pk, op in objects.items() if op != ChangeOp.DELETE]
        rows: list[dict[str, Any]] = []
        for offset in range(0, len(live), 500):
            rows += _rows(
                entry,
                user,
                client_ids=sorted(in_scope) if entry.client_field is not None else None,
                pks=live[offset : offset + 500],
                start=start,
            )
        _with_versions(entry, unit_id, rows)
        delivered = {str(row["id"]) for row in rows}
        removals += [{"model": label, "id": pk} for pk in objects if pk not in delivered]
        if rows:
            out[label] = rows
    return out, removals


def pull(
    *, user: Any, request: HttpRequest | None = None, cursor: str = "", device: str = ""
) -> dict[str, Any]:
    """What the device must apply to hold exactly its scope as of now (see PROTOCOL.md)."""
    require(user, SyncPerm.USE)
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        raise NotAllowed(
            _("Only agents and coordinators of an IBM unit sync client data."), code="not_allowed"
        )
    device = device[:64]
    previous = None
    if cursor:
        try:
            previous = PullCheckpoint.objects.filter(pk=UUID(cursor), user=user, unit_id=unit_id).first()
        except ValueError:
            previous = None
    # The snapshot first: anything that completes after it is delivered by the next pull.
    snapshot = current_snapshot()
    client_ids = scope_client_ids(user=user)
    start = history_start()
    removed_clients: list[str] = []
    if previous is None:
        records = _restore(user, unit_id, client_ids, start)
        removals: list[dict[str, str]] = []
    else:
        held = set(previous.client_ids)
        added = [pk for pk in client_ids if pk not in held]
        removed_clients = sorted(held - set(client_ids))
        records, removals = _incremental(user, unit_id, client_ids, previous.snapshot, snapshot, start)
        for label, rows in _restore(user, unit_id, added, start, client_level_only=True).items():
            seen = {str(r["id"]) for r in records.get(label, [])}
            records.setdefault(label, []).extend(r for r in rows if str(r["id"]) not in seen)
        removals = [
            r for r in removals if not (r["model"] == "clients.client" and r["id"] in removed_clients)
        ]
    checkpoint = PullCheckpoint.objects.create(
        user=user, device=device, unit_id=unit_id, snapshot=snapshot, client_ids=client_ids
    )
    if previous is not None:
        PullCheckpoint.objects.filter(user=user, device=device, created_at__lt=previous.created_at).delete()
    else:
        PullCheckpoint.objects.filter(user=user, device=device).exclude(pk=checkpoint.pk).delete()
    delivered_clients = [str(r["id"]) for r in records.get("clients.client", [])]
    audit_record(
        action=SyncAction.PULL_DELIVERED,
        request=request,
        actor=user,
        identified=bool(delivered_clients),
        detail={
            "device": device,
            "reset": previous is None,
            "records": sum(len(rows) for rows in records.values()),
            "clients": delivered_clients,
            "removed_clients": removed_clients,
        },
    )
    return {
        "cursor": str(checkpoint.pk),
        "reset": previous is None,
        "records": records,
        "removals": removals,
        "removed_clients": removed_clients,
        "conflicts": [conflict_payload(c) for c in conflicts_open(user=user)],
        "server_time": timezone.now(),
        "limits": {"max_clients": max_clients(), "history_months": history_months(), "history_start": start},
    }


def encode(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False).encode()
