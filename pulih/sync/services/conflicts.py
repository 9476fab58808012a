"""Resolving a sync conflict: a person chooses the server's or the device's value."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import require
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.sync import registry
from pulih.sync.access import SyncPerm
from pulih.sync.audit_codes import SyncAction
from pulih.sync.models import Conflict, ConflictChoice


@transaction.atomic
def conflict_resolve(
    *, actor: Any, request: HttpRequest | None = None, conflict: Conflict, choice: str
) -> Conflict:
    """Close ``conflict``; with ``device`` the device's value is written through the domain service."""
    require(actor, SyncPerm.USE)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.unit_id != getattr(actor, "unit_id", None):
        raise DomainError(_("Conflict not found."), code="not_found", status=404)
    if conflict.resolved_at is not None:
        raise DomainError(_("This conflict was already resolved."), code="already_resolved", status=409)
    if choice not in ConflictChoice.values:
        raise DomainError(_("Choose which value to keep."), code="required", field="choice")
    if choice == ConflictChoice.DEVICE:
        entry = registry.get(conflict.label)
        if entry is None or entry.get_for_edit is None or entry.values is None or entry.update is None:
            raise DomainError(_("This record can no longer be changed."), code="not_editable")
        obj = entry.get_for_edit(actor, conflict.object_id)  # type: ignore[arg-type]
        current = entry.values(obj)
        entry.update(actor, request, obj, {**current, conflict.field: json.loads(conflict.device_value)})
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = actor
    conflict.choice = choice
    conflict.save(update_fields=["resolved_at", "resolved_by", "choice"])
    audit_record(
        action=SyncAction.CONFLICT_RESOLVED,
        request=request,
        actor=actor,
        obj=conflict,
        detail={
            "model": conflict.label,
            "object": conflict.object_id,
            "field": conflict.field,
            "choice": choice,
        },
    )
    return conflict
