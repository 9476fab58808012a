"""Every read of the client journey, scoped through ``pulih.accounts.scoping``.

Scope: agents and coordinators see their unit's clients; supervisors see the
pseudonymous records of their office's work area; other roles hold no
``clients.view`` and see nothing. Whether a user may see a client's identity
is ``identity_visible`` (from ``can_see_client_identity``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    Field,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast
from django.http import Http404

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import can_see_client_identity, get_scoped_or_404, require, scope_queryset
from pulih.audit.models import AuditEvent
from pulih.clients.consents import require_not_restricted
from pulih.clients.models import (
    Client,
    Consent,
    Episode,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    ProgressNote,
    Session,
    SessionAttendance,
    UrineTest,
)
from pulih.core.crypto import blind_index
from pulih.organisations.models import Unit


def user_unit_loaded(*, user: Any) -> None:
    """Load the signed-in user's unit with its village in one query, once per request.

    Scoping a unit role reads ``user.unit.village`` (two lazy queries); loading
    both together caches them on the request's user for every later read.
    """
    unit_id = getattr(user, "unit_id", None)
    if unit_id and not user._meta.get_field("unit").is_cached(user):
        user.unit = Unit.objects.select_related("village").filter(pk=unit_id).first()


def identity_visible(*, user: Any, client: Client) -> bool:
    return can_see_client_identity(user, client.unit_id)


def client_list(
    *, user: Any, search: str = "", status: str = "", unit_id: int | None = None
) -> QuerySet[Client]:
    """Clients the user may read. ``search`` matches the code, or a full NIK by its blind index."""
    qs = scope_queryset(user, Client.objects.select_related("unit", "village"), Perm.CLIENTS_VIEW)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    search = search.strip()
    if search:
        condition = Q(code__icontains=search)
        if search.isdigit() and len(search) == 16 and user.can(Perm.CLIENTS_IDENTITY):
            condition |= Q(nik_index=blind_index(search, purpose="nik"))
        qs = qs.filter(condition)
    return qs.order_by("-created_at")


def client_get(*, user: Any, pk: UUID | str) -> Client:
    """One client in the user's scope; anything else is a 404."""
    return get_scoped_or_404(
        user, Client.objects.select_related("unit", "village", "unit__village"), Perm.CLIENTS_VIEW, pk=pk
    )


def client_get_for_edit(*, user: Any, pk: UUID | str) -> Client:
    """One client the user may change (own unit, ``clients.edit``); else 404/403.

    A client under restriction of processing is refused (``restricted``): it
    may be read, not changed.
    """
    client = get_scoped_or_404(
        user, Client.objects.select_related("unit", "village"), Perm.CLIENTS_EDIT, pk=pk
    )
    require_not_restricted(client=client)
    return client


def episode_current(*, client: Client) -> Episode | None:
    return client.episodes.filter(closed_at__isnull=True).first()


def episode_latest(*, client: Client) -> Episode | None:
    return client.episodes.order_by("-number").first()


def episode_list(*, user: Any, client: Client) -> QuerySet[Episode]:
    return scope_queryset(user, Episode.objects.filter(client=client), Perm.CLIENTS_VIEW).order_by("-number")


def consent_list(*, user: Any, client: Client) -> QuerySet[Consent]:
    return scope_queryset(user, Consent.objects.filter(client=client), Perm.CLIENTS_VIEW)


@dataclass(frozen=True)
class ClientHistory:
    """Everything of one client's journey that the client page shows, read in one query."""

    episodes: list[Episode]
    consents: list[Consent]
    plans: list[InterventionPlan]
    sessions: list[Session]
    notes: list[ProgressNote]
    urine_tests: list[UrineTest]
    contacts: list[MonitoringContact]


# One ``client_history`` row: typed columns shared by every kind of record, and the
# field (attname) of each kind's model that each column carries.
_HISTORY_COLUMNS: dict[str, Field[Any, Any]] = {
    "r_id": UUIDField(),
    "r_episode": UUIDField(),
    "r_on": DateField(),
    "r_done": DateField(),
    "r_at": DateTimeField(),
    "r_at2": DateTimeField(),
    "r_at3": DateTimeField(),
    "r_code1": CharField(),
    "r_code2": CharField(),
    "r_code3": CharField(),
    "r_text": TextField(),
    "r_text2": TextField(),
    "r_n": IntegerField(),
}
_HISTORY_KINDS: dict[str, dict[str, str]] = {
    "episode": {
        "r_at": "opened_at",
        "r_at2": "closed_at",
        "r_code1": "status",
        "r_code2": "closure_reason",
        "r_text": "closure_note",
        "r_n": "number",
    },
    "consent": {
        "r_at": "created_at",
        "r_at2": "given_at",
        "r_at3": "withdrawn_at",
        "r_code1": "kind",
        "r_code2": "given_by",
        "r_code3": "evidence",
        "r_text": "destination",
        "r_text2": "withdrawal_note",
    },
    "plan": {
        "r_episode": "episode_id",
        "r_at": "created_at",
        "r_code1": "modality",
        "r_code2": "frequency",
        "r_text": "goals",
    },
    "session": {
        "r_on": "held_on",
        "r_at": "created_at",
        "r_code1": "kind",
        "r_text": "topic",
        "r_n": "attendee_count",
    },
    "note": {"r_episode": "episode_id", "r_on": "written_on", "r_at": "created_at", "r_text": "text"},
    "urine": {
        "r_episode": "episode_id",
        "r_on": "tested_on",
        "r_at": "created_at",
        "r_code1": "result",
        "r_code2": "method",
        "r_text": "substances",
    },
    "contact": {
        "r_episode": "episode_id",
        "r_on": "due_on",
        "r_done": "done_on",
        "r_at": "created_at",
        "r_code1": "mode",
        "r_code2": "outcome",
        "r_text": "notes",
    },
}


def _history_parts(user: Any, client: Client) -> dict[str, QuerySet[Any]]:
    """Each kind's scoped queryset (the selectors of this module), unordered."""
    return {
        "episode": episode_list(user=user, client=client),
        "consent": consent_list(user=user, client=client),
        "plan": plan_list(user=user, client=client),
        "session": session_list(user=user, client=client),
        "note": note_list(user=user, client=client),
        "urine": urine_test_list(user=user, client=client),
        "contact": contact_list(user=user, client=client),
    }


def client_history(*, user: Any, client: Client) -> ClientHistory:
    """The client's episodes, consents, plans, sessions, notes, urine tests and
    monitoring contacts in one ``UNION ALL`` query, each part through its scoped selector.

    Each row comes back as its model with the fields the client page shows (as
    ``.only()`` would load them; a session carries ``attendee_count``, not its
    attendees), each list in its model's own order.
    """
    parts = []
    for kind, qs in _history_parts(user, client).items():
        columns = _HISTORY_KINDS[kind]
        select: dict[str, Any] = {"r_kind": Value(kind, output_field=CharField())}
        for name, output in _HISTORY_COLUMNS.items():
            # A typed NULL: PostgreSQL cannot match an untyped one across the union's parts.
            select[name] = F(columns[name]) if name in columns else Cast(Value(None), output_field=output)
        select["r_id"] = F("id")
        parts.append(qs.select_related(None).order_by().annotate(**select).values_list(*select))
    first, *rest = parts
    models: dict[str, type[Model]] = {kind: qs.model for kind, qs in zip(_HISTORY_KINDS, parts, strict=True)}
    names = ["r_kind", "r_id", *(n for n in _HISTORY_COLUMNS if n != "r_id")]
    loaded: dict[str, list[Any]] = {kind: [] for kind in _HISTORY_KINDS}
    for row in first.union(*rest, all=True):
        values = dict(zip(names, row, strict=True))
        kind = values["r_kind"]
        model = models[kind]
        data = {"id": values["r_id"], "client_id": client.pk}
        data.update({field: values[column] for column, field in _HISTORY_KINDS[kind].items()})
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in data]
        obj = model.from_db(first.db, fields, [data[name] for name in fields])
        if "attendee_count" in data:
            setattr(obj, "attendee_count", data["attendee_count"])  # noqa: B010 (not a field)
        if "client_id" in fields:
            setattr(obj, "client", client)  # noqa: B010 (the FK cache: no query for .client)
        loaded[kind].append(obj)
    # Stable sorts, least significant key first: the order each model's selector gives.
    loaded["episode"].sort(key=lambda e: e.number, reverse=True)
    loaded["consent"].sort(key=lambda c: c.given_at, reverse=True)
    loaded["plan"].sort(key=lambda p: p.created_at, reverse=True)
    loaded["session"].sort(key=lambda s: (s.held_on, s.created_at), reverse=True)
    loaded["note"].sort(key=lambda n: (n.written_on, n.created_at), reverse=True)
    loaded["urine"].sort(key=lambda t: (t.tested_on, t.created_at), reverse=True)
    loaded["contact"].sort(key=lambda c: c.due_on)
    return ClientHistory(
        episodes=loaded["episode"],
        consents=loaded["consent"],
        plans=loaded["plan"],
        sessions=loaded["session"],
        notes=loaded["note"],
        urine_tests=loaded["urine"],
        contacts=loaded["contact"],
    )


def consent_get(*, user: Any, pk: UUID | str) -> Consent:
    return get_scoped_or_404(user, Consent.objects.select_related("client"), Perm.CLIENTS_EDIT, pk=pk)


def outreach_list(*, user: Any) -> QuerySet[OutreachContact]:
    return scope_queryset(
        user, OutreachContact.objects.select_related("agent", "village"), Perm.CLIENTS_VIEW
    ).order_by("-contacted_on", "-created_at")


def plan_list(*, user: Any, client: Client | None = None) -> QuerySet[InterventionPlan]:
    qs = InterventionPlan.objects.select_related("client", "responsible")
    if client is not None:
        qs = qs.filter(client=client)
    return scope_queryset(user, qs, Perm.CLIENTS_VIEW)


def session_list(*, user: Any, client: Client | None = None) -> QuerySet[Session]:
    # The number of attendees, not the attendees: a group session can have dozens,
    # and loading them would decrypt every attendee's identity for one count.
    attendees = (
        SessionAttendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    qs = Session.objects.select_related("agent").annotate(attendee_count=Subquery(attendees))
    if client is not None:
        qs = qs.filter(attendance__client=client)
    return scope_queryset(user, qs, Perm.CLIENTS_VIEW).order_by("-held_on", "-created_at")


def session_get(*, user: Any, pk: UUID | str) -> Session:
    return get_scoped_or_404(user, Session.objects.prefetch_related("clients"), Perm.CLIENTS_VIEW, pk=pk)


def note_list(*, user: Any, client: Client | None = None) -> QuerySet[ProgressNote]:
    qs = ProgressNote.objects.select_related("author", "client")
    if client is not None:
        qs = qs.filter(client=client)
    return scope_queryset(user, qs, Perm.CLIENTS_VIEW)


def urine_test_list(*, user: Any, client: Client | None = None) -> QuerySet[UrineTest]:
    qs = UrineTest.objects.select_related("client")
    if client is not None:
        qs = qs.filter(client=client)
    return scope_queryset(user, qs, Perm.CLIENTS_VIEW)


def contact_list(*, user: Any, client: Client | None = None) -> QuerySet[MonitoringContact]:
    qs = MonitoringContact.objects.select_related("client", "agent")
    if client is not None:
        qs = qs.filter(client=client)
    return scope_queryset(user, qs, Perm.CLIENTS_VIEW)


def contact_get(*, user: Any, pk: UUID | str) -> MonitoringContact:
    return get_scoped_or_404(
        user, MonitoringContact.objects.select_related("client"), Perm.CLIENTS_EDIT, pk=pk
    )


def client_for_audit(*, user: Any, pk: UUID | str) -> Client:
    """The client whose access log the DPO asks for: only the pseudonymous code is used."""
    require(user, Perm.AUDIT_VIEW)
    client = Client.objects.only("id", "code", "unit_id").filter(pk=pk).first()
    if client is None:
        raise Http404
    return client


def client_access_events(*, user: Any, client: Client) -> QuerySet[AuditEvent]:
    """Every audit event about ``client``: the record itself and its sub-records."""
    events = scope_queryset(user, AuditEvent.objects.all(), Perm.AUDIT_VIEW)
    return events.filter(
        Q(object_type="clients.client", object_id=str(client.pk)) | Q(detail__client=str(client.pk))
    ).order_by("-at", "-id")
