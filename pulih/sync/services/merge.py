"""Field-level three-way merge of a device's edit with the server's record.

For every field the device changed, compare three values: the device's base
(what it had before the edit), the server's current value and the device's
new value.

* server == new: nothing to do (both made the same edit);
* server == base: only the device changed it, apply;
* otherwise both changed it differently: a :class:`~pulih.sync.models.Conflict`
  keeps both values until a person chooses. Nothing is overwritten.

A device that sends no base value for a field is trusted only if its
``base_version`` is still the server's version. Fields the device did not
touch keep the server's value, so edits of different fields merge.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from pulih.audit.services import audit_record
from pulih.sync.audit_codes import SyncAction
from pulih.sync.models import Conflict
from pulih.sync.registry import Syncable


def dump(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def apply_update(
    *, actor: Any, request: HttpRequest | None, entry: Syncable, rec: Any, device: str
) -> dict[str, Any]:
    from pulih.sync.services.push import object_version

    assert entry.get_for_edit is not None and entry.values is not None and entry.update is not None
    obj = entry.get_for_edit(actor, rec.id)
    current = entry.values(obj)
    server_version = object_version(entry.label, obj.pk)
    norm = entry.normalise
    apply: dict[str, Any] = {}
    conflicts: list[str] = []
    for name, new in rec.data.items():
        ours, theirs = norm(name, current[name]), norm(name, new)
        if ours == theirs:
            continue
        if name in rec.base:
            if norm(name, rec.base[name]) == ours:
                apply[name] = new
            else:
                conflicts.append(name)
        elif rec.base_version is not None and rec.base_version == server_version:
            apply[name] = new
        else:
            conflicts.append(name)
    if apply:
        obj = entry.update(actor, request, obj, {**current, **apply})
    unit_id, client_id = entry.locate(obj)
    recorded = []
    for name in conflicts:
        conflict = Conflict.objects.create(
            label=entry.label,
            object_id=str(obj.pk),
            field=name,
            unit_id=int(unit_id or 0),
            client_id=client_id,
            base_value=dump(rec.base.get(name)),
            server_value=dump(current[name]),
            device_value=dump(rec.data[name]),
            base_version=rec.base_version or 0,
            server_version=server_version,
            device=device,
            created_by=actor,
        )
        audit_record(
            action=SyncAction.CONFLICT_RECORDED,
            request=request,
            actor=actor,
            obj=conflict,
            detail={"model": entry.label, "object": str(obj.pk), "field": name},
        )
        recorded.append({"conflict": str(conflict.pk), "field": name})
    status = "conflict" if conflicts else ("updated" if apply else "unchanged")
    return {"status": status, "applied": sorted(apply), "conflicts": recorded}
