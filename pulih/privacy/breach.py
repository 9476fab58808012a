"""The breach query: whose identified data did account X or device Y read between T1 and T2.

Answers from the audit trail alone: events with ``identified=True`` by the
given accounts (``actor_id``) or device/token label (``device``) in
``[start, end)``. The partial indexes ``audit_ident_actor_at`` and
``audit_ident_device_at`` (``pulih/audit/models.py``) make this a range scan
over the identified events of those actors only; ``bench/bench_breach_query.py``
measures it on a year of audit data.

An event names its client as the object (``clients.client``), or in
``detail["client"]`` (an id, or a code for referrals) or ``detail["clients"]``
(a group session, an offline pull); every form is resolved here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Q
from django.db.models.fields.json import KT

from pulih.audit.models import AuditEvent


@dataclass(frozen=True)
class BreachHit:
    client_id: str
    code: str
    unit_id: int | None
    reads: int
    first_at: datetime
    last_at: datetime


def _client_refs(object_type: str, object_id: str, one: Any, many: Any) -> Iterable[str]:
    if object_type == "clients.client" and object_id:
        yield object_id
    if isinstance(one, str) and one:
        yield one
    if isinstance(many, list):
        yield from (str(x) for x in many)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _clients_by_ref(uuids: list[str], codes: list[str]) -> list[tuple[Any, str, int | None]]:
    """``(id, code, unit_id)`` of the clients named; on PostgreSQL as two array parameters.

    A busy account reads thousands of clients: one ``= ANY(array)`` parameter
    per list is several times faster than an ``IN`` list of thousands of
    bound values, and both sides still use their unique indexes.
    """
    from pulih.clients.models import Client

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Client._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id, code, unit_id FROM {table} WHERE id = ANY(%s::uuid[]) OR code = ANY(%s)",  # noqa: S608
                [uuids, codes],
            )
            return list(cur.fetchall())
    return list(Client.objects.filter(Q(pk__in=uuids) | Q(code__in=codes)).values_list("id", "code", "unit_id"))


def breach_query(
    *,
    actor_ids: list[int] | None = None,
    device: str | None = None,
    start: datetime,
    end: datetime,
) -> list[BreachHit]:
    """The distinct clients whose identified data the accounts or device read in ``[start, end)``.

    At least one of ``actor_ids`` and ``device`` is needed (both: either matches).
    Sorted by client code.
    """

    if not actor_ids and not device:
        raise ValueError("breach_query needs actor_ids or device")
    who = Q()
    if actor_ids:
        who |= Q(actor_id__in=actor_ids)
    if device:
        who |= Q(device=device)
    # Only the two keys that name clients leave the database, not the whole detail.
    events = (
        AuditEvent.objects.filter(who, identified=True, at__gte=start, at__lt=end)
        .order_by()
        .values_list("object_type", "object_id", KT("detail__client"), "detail__clients", "at")
    )
    seen: dict[str, list[Any]] = {}
    for object_type, object_id, one, many, at in events.iterator(chunk_size=5000):
        for ref in set(_client_refs(object_type, object_id, one, many)):
            hit = seen.get(ref)
            if hit is None:
                seen[ref] = [1, at, at]
            else:
                hit[0] += 1
                hit[1] = min(hit[1], at)
                hit[2] = max(hit[2], at)
    if not seen:
        return []
    refs = list(seen)
    uuids = [r for r in refs if _is_uuid(r)]
    codes = [r for r in refs if not _is_uuid(r)]
    rows = _clients_by_ref(uuids, codes)
    merged: dict[str, BreachHit] = {}
    for pk, code, unit_id in rows:
        stats = [seen[k] for k in (str(pk), code) if k in seen]
        reads = sum(s[0] for s in stats)
        first = min(s[1] for s in stats)
        last = max(s[2] for s in stats)
        merged[str(pk)] = BreachHit(str(pk), code, unit_id, reads, first, last)
    return sorted(merged.values(), key=lambda h: h.code)


def breach_report(
    *,
    actor: Any,
    request: Any = None,
    usernames: list[str] | None = None,
    device: str = "",
    start: datetime,
    end: datetime,
) -> list[BreachHit]:
    """The DPO's breach query by usernames and/or device; the run itself is audited."""
    from pulih.accounts.models import User
    from pulih.accounts.roles import Perm
    from pulih.accounts.scoping import require
    from pulih.audit.services import audit_record
    from pulih.privacy.audit_codes import PrivacyAction

    require(actor, Perm.PRIVACY_MANAGE)
    names = [n.strip() for n in usernames or [] if n.strip()]
    ids = list(User.objects.filter(username__in=names).values_list("pk", flat=True))
    if names and not ids and not device:
        hits: list[BreachHit] = []
    else:
        hits = breach_query(actor_ids=ids or None, device=device or None, start=start, end=end)
    audit_record(
        action=PrivacyAction.BREACH_QUERY_RUN,
        request=request,
        actor=actor,
        detail={
            "accounts": names,
            "device": device,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "clients": len(hits),
        },
    )
    return hits
