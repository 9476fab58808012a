"""Receiving a batch of records from a device, exactly once.

The batch, its idempotency row and every record's writes commit in one
transaction: a server killed halfway leaves nothing, and the device's retry
with the same key starts afresh. Once committed, the same key returns the
stored result (``replayed``); the same key with a different payload is a 409.
Two requests with one key at the same time serialise on the unique index.

Records are applied in order through the domain services (validation,
consent gates and audit as on the web). A record the domain refuses gets its
own error in the result and the others are kept; a record that is malformed
(a bug in the device's app) rejects the whole batch with 422.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, user_can
from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError, NotAllowed
from pulih.sync import registry
from pulih.sync.access import SyncPerm
from pulih.sync.audit_codes import SyncAction
from pulih.sync.models import Change, PushBatch
from pulih.sync.payload import PayloadError

MAX_RECORDS = 2000


class BatchRejected(DomainError):
    """The batch is malformed; nothing was written. ``details`` names the record and field."""

    status = 422


@dataclass
class RecordIn:
    index: int
    model: str
    op: str
    id: UUID
    data: dict[str, Any]
    base: dict[str, Any] = field(default_factory=dict)
    base_version: int | None = None


class _Refused(Exception):
    """Raised in the optimistic pass when any record is refused."""


def _reject(index: int, field_name: str, message: str) -> BatchRejected:
    return BatchRejected(
        _("Record %(index)s, field %(field)s: %(message)s")
        % {"index": index + 1, "field": field_name, "message": message},
        code="invalid_batch",
        field=field_name,
        details={"index": index, "field": field_name},
    )


def _parse(index: int, raw: Any) -> RecordIn:
    if not isinstance(raw, dict):
        raise _reject(index, "record", _("Expected an object."))
    model = raw.get("model")
    entry = registry.get(model) if isinstance(model, str) else None
    if entry is None:
        raise _reject(index, "model", _("Unknown record type."))
    op = raw.get("op", "create")
    if op not in ("create", "update") or (op == "create" and entry.create is None):
        raise _reject(index, "op", _("This record type cannot be sent with this operation."))
    if op == "update" and entry.update is None:
        raise _reject(index, "op", _("This record cannot be changed after it is recorded."))
    try:
        pk = UUID(str(raw.get("id")))
    except ValueError:
        raise _reject(index, "id", _("Expected an id (UUID).")) from None
    data, base = raw.get("data", {}), raw.get("base", {})
    if not isinstance(data, dict) or not isinstance(base, dict):
        raise _reject(index, "data", _("Expected an object."))
    base_version = raw.get("base_version")
    if base_version is not None and (isinstance(base_version, bool) or not isinstance(base_version, int)):
        raise _reject(index, "base_version", _("Expected a whole number."))
    if op == "update":
        unknown = sorted(set(data) - set(entry.mergeable))
        if unknown:
            raise _reject(index, unknown[0], _("This field cannot be changed on a device."))
    return RecordIn(index, str(model), op, pk, data, base, base_version)


def payload_hash(records: list[Any]) -> str:
    canonical = json.dumps(records, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def object_version(label: str, pk: Any) -> int:
    found = Change.objects.filter(label=label, object_id=str(pk)).values_list("version", flat=True).first()
    return int(found or 0)


def _apply(actor: Any, request: HttpRequest | None, device: str, rec: RecordIn) -> dict[str, Any]:
    from pulih.sync.services.merge import apply_update

    entry = registry.get(rec.model)
    assert entry is not None  # checked by _parse
    try:
        if rec.op == "update":
            outcome = apply_update(actor=actor, request=request, entry=entry, rec=rec, device=device)
        else:
            assert entry.create is not None
            _obj, created = entry.create(actor, request, rec.id, rec.data)
            outcome = {"status": "created" if created else "exists"}
    except PayloadError as exc:
        raise _reject(rec.index, exc.field, exc.message) from exc
    return {
        "index": rec.index,
        "model": rec.model,
        "id": str(rec.id),
        "version": object_version(rec.model, rec.id),
        **outcome,
    }


def _error(rec: RecordIn, exc: Exception, failed: set[str]) -> dict[str, Any]:
    mentioned = json.dumps(rec.data, default=str)
    depends = next((f for f in failed if f in mentioned), None)
    if isinstance(exc, DomainError):
        error = exc.as_dict()
    elif isinstance(exc, ValidationError):
        fields = getattr(exc, "message_dict", {})
        name = next(iter(fields), None)
        error = {"code": "invalid", "message": " ".join(exc.messages), **({"field": name} if name else {})}
    elif isinstance(exc, Http404):
        error = {"code": "not_found", "message": _("The record was not found or is outside your unit.")}
    else:
        error = {"code": "forbidden", "message": _("Your role may not record this.")}
    if depends is not None and error["code"] in ("not_found", "invalid"):
        error = {
            "code": "depends_on_failed",
            "message": _(
                "This record depends on another record of this sync that was refused; fix that one first."
            ),
        }
    return {"index": rec.index, "model": rec.model, "id": str(rec.id), "status": "error", "error": error}


_REFUSALS = (DomainError, ValidationError, Http404, PermissionDenied)


def _segments(actor: Any, records: list[RecordIn]) -> list[tuple[bool, list[RecordIn]]]:
    """Split the batch into runs for the batched create path and records applied one by one.

    A run holds consecutive creates of types with a batched path whose id is
    neither stored yet nor used earlier in the batch (those take the
    per-record path, which answers ``exists`` or ``id_conflict``).
    """
    enabled = getattr(settings, "PULIH_SYNC_BATCHED_PUSH", True)
    can = enabled and user_can(actor, Perm.CLIENTS_EDIT) and bool(getattr(actor, "unit_id", None))

    def covered(rec: RecordIn) -> bool:
        entry = registry.get(rec.model)
        return can and rec.op == "create" and entry is not None and entry.prepare is not None

    wanted: dict[str, set[UUID]] = {}
    for rec in records:
        if covered(rec):
            wanted.setdefault(rec.model, set()).add(rec.id)
    # Which of these ids are stored already: one UNION ALL query over the models named.
    found = [
        registry.get(label).model._default_manager.filter(pk__in=ids).order_by().values_list("pk", flat=True)  # type: ignore[union-attr]
        for label, ids in wanted.items()
    ]
    stored: set[Any] = set(found[0].union(*found[1:], all=True)) if found else set()
    segments: list[tuple[bool, list[RecordIn]]] = []
    seen: set[UUID] = set()
    for rec in records:
        batched = covered(rec) and rec.id not in stored and rec.id not in seen
        seen.add(rec.id)
        if batched and segments and segments[-1][0]:
            segments[-1][1].append(rec)
        else:
            segments.append((batched, [rec]))
    return segments


def _apply_all(
    actor: Any, request: HttpRequest | None, device: str, records: list[RecordIn]
) -> list[dict[str, Any]]:
    from pulih.sync.services.batch import apply_run

    # Optimistic pass: one savepoint for the whole batch, the fast common case. Runs of
    # new records of the high-volume types are created together (services/batch.py).
    try:
        with transaction.atomic():
            applied: list[dict[str, Any]] = []
            for batched, run in _segments(actor, records):
                try:
                    if batched:
                        applied += apply_run(actor, request, run)
                    else:
                        applied.append(_apply(actor, request, device, run[0]))
                except BatchRejected:
                    raise
                except _REFUSALS as exc:
                    raise _Refused from exc
            return applied
    except _Refused:
        pass
    # Some record was refused: apply each in its own savepoint and report the refusals.
    results: list[dict[str, Any]] = []
    failed: set[str] = set()
    for rec in records:
        try:
            with transaction.atomic():
                results.append(_apply(actor, request, device, rec))
        except BatchRejected:
            raise
        except _REFUSALS as exc:
            results.append(_error(rec, exc, failed))
            failed.add(str(rec.id))
    return results


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def push_batch(
    *, actor: Any, request: HttpRequest | None = None, key: str, device: str = "", records: list[Any]
) -> dict[str, Any]:
    """Apply a device's batch once; a replay of ``key`` returns the stored result."""
    require(actor, SyncPerm.USE)
    if not getattr(actor, "unit_id", None):
        raise NotAllowed(
            _("Only agents and coordinators of an IBM unit sync client data."), code="not_allowed"
        )
    key = (key or "").strip()
    if not 8 <= len(key) <= 64:
        raise BatchRejected(
            _("The batch needs an idempotency key of 8 to 64 characters."), code="invalid_batch", field="key"
        )
    if not isinstance(records, list) or len(records) > MAX_RECORDS:
        raise BatchRejected(
            _("A batch holds at most %(max)s records.") % {"max": MAX_RECORDS},
            code="invalid_batch",
            field="records",
        )
    if _has_nul([key, device, records]):
        # PostgreSQL cannot store NUL in text: a validation error, not a database error.
        raise BatchRejected(_("The batch contains a NUL character."), code="invalid_batch", field="records")
    digest = payload_hash(records)
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = PushBatch.objects.create(
                    user=actor, key=key, payload_hash=digest, device=device[:64], record_count=len(records)
                )
        except IntegrityError:
            return _replay(actor, request, key, digest)
        parsed = [_parse(i, raw) for i, raw in enumerate(records)]
        results = _apply_all(actor, request, device[:64], parsed)
        counts: dict[str, int] = {}
        for result in results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        batch.result = {"key": key, "results": results, "counts": counts}
        batch.save(update_fields=["result"])
        audit_record(
            action=SyncAction.PUSH_RECEIVED,
            request=request,
            actor=actor,
            obj=batch,
            detail={"key": key, "device": device[:64], "records": len(records), "counts": counts},
        )
    return {**batch.result, "replayed": False}


def _replay(actor: Any, request: HttpRequest | None, key: str, digest: str) -> dict[str, Any]:
    stored = PushBatch.objects.get(user=actor, key=key)
    if stored.payload_hash != digest:
        raise ConflictError(
            _("This sync key was already used for different records. Send them with a new key."),
            code="idempotency_key_reused",
            field="key",
        )
    audit_record(
        action=SyncAction.PUSH_REPLAYED, request=request, actor=actor, obj=stored, detail={"key": key}
    )
    return {**stored.result, "replayed": True}
