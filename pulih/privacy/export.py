"""The access export: everything Pulih holds about one client, gathered app by app.

Each app's data is collected by a *gatherer* registered here (see
``gatherers.py``, registered from ``PrivacyConfig.ready()``), so an app added
later plugs in one function instead of editing the export. A gatherer returns
a :class:`Section`: its rows (JSON-ready dicts) and the ids of the records it
found, which :func:`processing_history` uses to find their audit events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from pulih.audit.models import AuditEvent


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict[str, Any]]
    object_ids: set[str] = field(default_factory=set)


Gatherer = Callable[[Any], Section | None]

_GATHERERS: dict[str, tuple[int, Gatherer]] = {}


def register(key: str, gatherer: Gatherer, *, order: int = 100) -> None:
    """Add (or replace) the gatherer ``key``; gatherers run in ``order``."""
    _GATHERERS[key] = (order, gatherer)


def gatherers() -> list[tuple[str, Gatherer]]:
    return [(k, g) for k, (_o, g) in sorted(_GATHERERS.items(), key=lambda item: (item[1][0], item[0]))]


def plain(value: Any) -> Any:
    """A JSON-ready form of a model field value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every concrete field of ``obj`` (foreign keys as ids), decrypted where encrypted."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude:
            continue
        out[f.attname] = plain(getattr(obj, f.attname))
    return out


def client_tags(client: Any) -> list[str]:
    """How audit events name a client: by id (clients, screening, sync) or code (referrals)."""
    return [str(client.pk), client.code]


def processing_history(client: Any, object_ids: set[str]) -> list[dict[str, Any]]:
    """Every audit event about the client or any of its records, oldest first."""
    tags = client_tags(client)
    condition = Q(object_id__in=sorted(object_ids | {str(client.pk)})) | Q(detail__client__in=tags)
    condition |= Q(detail__clients__contains=[str(client.pk)]) if _json_contains() else Q()
    events = AuditEvent.objects.filter(condition).order_by("at", "id")
    if not _json_contains():
        # SQLite has no JSON containment: list-tagged events (group sessions,
        # sync pulls) are matched in Python.
        events = events | AuditEvent.objects.filter(detail__has_key="clients").order_by("at", "id")
    out = []
    for e in events.distinct():
        listed = e.detail.get("clients") if isinstance(e.detail, dict) else None
        if (
            isinstance(listed, list)
            and str(client.pk) not in listed
            and e.object_id not in object_ids | {str(client.pk)}
            and e.detail.get("client") not in tags
        ):
            continue
        out.append(
            {
                "at": e.at.isoformat(),
                "actor": e.actor_username,
                "role": e.actor_role,
                "action": e.action,
                "action_name": e.action_name,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "identified": e.identified,
                "purpose": e.purpose,
                "device": e.device,
            }
        )
    return out


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def build_export(client: Any) -> dict[str, Any]:
    """The whole export as one JSON-ready dict (see docs/privacy.md, "Access")."""
    sections: list[Section] = []
    for _key, gather in gatherers():
        section = gather(client)
        if section is not None:
            sections.append(section)
    ids: set[str] = set()
    for section in sections:
        ids |= section.object_ids
    return {
        "format": "pulih-access-export/1",
        "client": {"id": str(client.pk), "code": client.code},
        "sections": [{"key": s.key, "title": s.title, "rows": s.rows} for s in sections],
        "processing_history": processing_history(client, ids),
    }
