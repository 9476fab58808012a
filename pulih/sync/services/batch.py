"""The batched create path of a push: many records, a constant number of statements.

The high-volume record types of the field app (outreach contacts, monitoring
contacts, urine tests, sessions, plans, progress notes) are created here in
one go instead of one domain-service call each. The rules are the domain's,
applied to data read once per run:

1. every client, open episode, active consent, unit user and village the run
   names is read with one query per kind (clients through
   ``pulih.accounts.scoping`` with ``clients.edit``, so another unit's client
   is not found, exactly as in ``client_get_for_edit``);
2. each record is checked in the order its adapter and service check it:
   payload shape (:class:`~pulih.sync.payload.PayloadError`, the batch is
   rejected), scope (404), restriction of processing, consent gates (through
   the domain's own ``require_consent`` when the data read says a consent is
   missing, so the refusal and its message are the domain's), open episode,
   unit agent, then ``full_clean`` of the new row (field validation; foreign
   keys are the objects read in step 1, database constraints stay in force);
3. the run is written with one ``bulk_create`` per model, one update per
   episode status, one upsert of the change log (:func:`pulih.sync.capture.
   record_changes`, versions returned by the same statement) and one
   :func:`pulih.audit.services.audit_record_many` call holding, in order,
   every event the services would have written (the record's own event, a
   monitoring contact's "done", each episode status change).

A record this path does not cover (another model, an update, an id already
stored, an id repeated in the batch) is applied through the per-record path
(:func:`pulih.sync.services.push._apply`); the run before it is written
first, so records that depend on earlier ones still work. A refusal raises the
domain's exception: the caller then re-applies the whole batch record by
record to report per-record errors, as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Model
from django.http import Http404, HttpRequest

from pulih.accounts.models import User
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import scope_queryset
from pulih.audit.services import audit_record_many
from pulih.core.errors import DomainError
from pulih.sync.capture import ChangeKey, record_changes
from pulih.sync.payload import PayloadError

Prepare = Callable[["RunContext", Any], None]


class Refused(DomainError):
    """A refusal found by the batched path for a rule whose message the per-record pass gives.

    Like every refusal in the optimistic pass it only makes the batch be
    re-applied record by record, where the domain service refuses the record
    with its own message.
    """

    def __init__(self, *, code: str, field: str | None = None) -> None:
        super().__init__(code, code=code, field=field)


@dataclass
class RunContext:
    """What a run of records reads once, and what it will write."""

    actor: Any
    request: HttpRequest | None
    unit_id: int
    clients: dict[UUID, Any] = field(default_factory=dict)
    episodes: dict[UUID, Any] = field(default_factory=dict)  # client id -> open episode
    consents: dict[UUID, set[str]] = field(default_factory=dict)  # client id -> active kinds
    users: dict[int, User] = field(default_factory=dict)
    villages: dict[str, Any] = field(default_factory=dict)
    tests: dict[UUID, list[tuple[date, str]]] | None = None  # episode id -> (date, result)
    # Writes, in the order the per-record path makes them.
    rows: dict[type[Model], list[Model]] = field(default_factory=dict)
    after: list[Model] = field(default_factory=list)  # rows that refer to rows above
    statuses: dict[UUID, Any] = field(default_factory=dict)  # episode id -> episode (final status)
    audit: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[ChangeKey, list[Any]] = field(default_factory=dict)
    created: list[tuple[Any, str, UUID]] = field(default_factory=list)  # (record, label, pk)

    def insert(self, obj: Model) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def changed(self, label: str, pk: Any, unit_id: int | None, client_id: Any) -> None:
        """One save of a synced object (what ``capture._on_save`` records)."""
        entry = self.changes.get((label, str(pk)))
        if entry is None:
            self.changes[(label, str(pk))] = [unit_id, client_id, 1]
        else:
            entry[0] = unit_id if unit_id is not None else entry[0]
            entry[1] = client_id if client_id is not None else entry[1]
            entry[2] += 1

    def event(self, **kwargs: Any) -> None:
        self.audit.append({"request": self.request, "actor": self.actor, **kwargs})


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _refs(records: list[Any]) -> tuple[set[UUID], set[int], set[str]]:
    """Clients, users and villages a run names (malformed values are left to the checks)."""
    clients: set[UUID] = set()
    users: set[int] = set()
    villages: set[str] = set()
    for rec in records:
        data = rec.data
        found = _uuid(data.get("client"))
        if found:
            clients.add(found)
        many = data.get("clients")
        if isinstance(many, list):
            clients.update(c for c in map(_uuid, many) if c)
        for name in ("agent", "responsible"):
            value = data.get(name)
            if isinstance(value, int | str) and not isinstance(value, bool):
                with contextlib.suppress(ValueError):
                    users.add(int(value))
        if isinstance(data.get("village"), str) and data["village"]:
            villages.add(data["village"])
    return clients, users, villages


def _load(ctx: RunContext, records: list[Any]) -> None:
    from pulih.clients.models import Client, Consent, ConsentKind, Episode
    from pulih.regions.models import Village

    client_ids, user_ids, village_codes = _refs(records)
    if client_ids:
        scoped = scope_queryset(ctx.actor, Client.objects.filter(pk__in=client_ids), Perm.CLIENTS_EDIT)
        ctx.clients = {
            c.pk: c
            for c in scoped.only("id", "code", "unit_id", "birth_year", "age_band", "restricted_at")
        }
        ids = list(ctx.clients)
        if ids:
            open_episodes = Episode.objects.filter(client_id__in=ids, closed_at__isnull=True)
            for episode in open_episodes.only("id", "client_id", "number", "status", "closed_at"):
                episode.client = ctx.clients[episode.client_id]
                ctx.episodes[episode.client_id] = episode
            for client_id, kind in Consent.objects.filter(
                client_id__in=ids,
                withdrawn_at__isnull=True,
                kind__in=[ConsentKind.SERVICES, ConsentKind.GUARDIAN],
            ).values_list("client_id", "kind"):
                ctx.consents.setdefault(client_id, set()).add(kind)
    if user_ids:
        ctx.users = {u.pk: u for u in User.objects.filter(pk__in=user_ids, unit_id=ctx.actor.unit_id)}
    if village_codes:
        ctx.villages = {v.code: v for v in Village.objects.filter(code__in=village_codes)}
    if any(r.model == "clients.urinetest" and r.data.get("result") == "negative" for r in records):
        from pulih.clients.models import UrineTest

        ctx.tests = {e.pk: [] for e in ctx.episodes.values()}
        for episode_id, tested_on, result in UrineTest.objects.filter(
            episode_id__in=list(ctx.tests)
        ).values_list("episode_id", "tested_on", "result"):
            ctx.tests[episode_id].append((tested_on, result))


def _flush(ctx: RunContext) -> dict[ChangeKey, int]:
    from pulih.clients.models import Episode

    for model, objs in ctx.rows.items():
        model._default_manager.bulk_create(objs)
    by_model: dict[type[Model], list[Model]] = {}
    for obj in ctx.after:
        by_model.setdefault(type(obj), []).append(obj)
    for model, objs in by_model.items():
        model._default_manager.bulk_create(objs)
    by_status: dict[str, list[Any]] = {}
    for episode in ctx.statuses.values():
        by_status.setdefault(episode.status, []).append(episode.pk)
    for status, ids in by_status.items():
        Episode.objects.filter(pk__in=ids).update(status=status)
    versions = record_changes({key: (v[0], v[1], v[2]) for key, v in ctx.changes.items()})
    audit_record_many(ctx.audit)
    return versions


def apply_run(actor: Any, request: HttpRequest | None, records: list[Any]) -> list[dict[str, Any]]:
    """Create ``records`` (all of a covered type, all new) and return their results.

    Raises :class:`~pulih.sync.payload.PayloadError` for a malformed record and
    the domain's exception (``DomainError``, ``ValidationError``, ``Http404``,
    ``PermissionDenied``) for a refused one; nothing is written then.
    """
    from pulih.clients.services._common import require_unit_actor
    from pulih.sync import registry
    from pulih.sync.services.push import _reject

    ctx = RunContext(actor=actor, request=request, unit_id=require_unit_actor(actor))
    _load(ctx, records)
    for rec in records:
        entry = registry.get(rec.model)
        assert entry is not None and entry.prepare is not None
        try:
            entry.prepare(ctx, rec)
        except PayloadError as exc:
            raise _reject(rec.index, exc.field, exc.message) from exc
    versions = _flush(ctx)
    return [
        {
            "index": rec.index,
            "model": rec.model,
            "id": str(rec.id),
            "version": versions.get((label, str(pk)), 0),
            "status": "created",
        }
        for rec, label, pk in ctx.created
    ]


def scoped_client(ctx: RunContext, pk: UUID | None) -> Any:
    """``client_get_for_edit`` on the data read: out of scope is 404, restricted is refused."""
    from pulih.clients.consents import require_not_restricted

    client = ctx.clients.get(pk) if pk is not None else None
    if client is None:
        raise Http404
    if client.restricted_at is not None:
        require_not_restricted(client=client)  # the domain's refusal and message
    return client
