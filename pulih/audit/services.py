"""Writing and verifying the audit trail.

:func:`audit_record` is the only way events are written. Call it inside the
transaction of the change it describes: if the change rolls back, so does its
event, and an event never exists for a change that did not happen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from pulih.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the production proxy REMOTE_ADDR is set from X-Forwarded-For by
    # the proxy itself; the header is not trusted here.
    ip = request.META.get("REMOTE_ADDR") or None
    return ip


def _event_content(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "office_id": event.office_id,
        "unit_id": event.unit_id,
        "device": event.device,
        "action": event.action,
        "action_name": event.action_name,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "identified": event.identified,
        "ip": event.ip,
        "purpose": event.purpose,
        "detail": event.detail,
    }


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    canonical = json.dumps(
        _event_content(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def _build_event(
    *,
    action: IntEnum,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    identified: bool = False,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    device = ""
    if request is not None:
        device = str(getattr(request, "auth_token_label", "") or "")
    return AuditEvent(
        at=at or timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        actor_role=getattr(actor, "role", "") or "",
        office_id=getattr(actor, "office_id", None),
        unit_id=getattr(actor, "unit_id", None),
        device=device[:64],
        action=int(action),
        action_name=action.name.lower(),
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        identified=identified,
        ip=_client_ip(request),
        purpose=purpose[:200],
        detail=json.loads(json.dumps(detail or {}, default=str)),
    )


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain ``events`` after the head, under one lock on the head row."""
    if not events:
        return events
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS, "count": 0}
        )
        prev = head.last_hash
        for event in events:
            event.prev_hash = prev
            event.hash = prev = compute_hash(prev, event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # Inserted in list order, so ids follow the chain.
            AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(id=1).update(last_hash=prev, count=models.F("count") + len(events))
    return events


def audit_record(
    *,
    action: IntEnum,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    identified: bool = False,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the hash chain and return it."""
    event = _build_event(
        action=action,
        request=request,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        identified=identified,
        purpose=purpose,
        detail=detail,
        at=at,
    )
    return _append([event])[0]


def audit_record_many(entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events (each given as :func:`audit_record`'s keyword
    arguments) with one lock and one insert: a list page that shows 25
    identified clients writes its 25 events in four statements, not a hundred."""
    return _append([_build_event(**entry) for entry in entries])


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole trail in order and report the first broken link."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != prev:
                return ChainReport(checked, event.id, "previous-hash mismatch (a row was removed)")
            if compute_hash(prev, event) != event.hash:
                return ChainReport(checked, event.id, "content does not match its hash (row altered)")
            prev = event.hash
            checked += 1
            last_id = event.id
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, last_id or None, "newest events are missing (chain head differs)")
    return ChainReport(checked, None, "")
