"""Every read of the client journey, scoped through ``pulih.accounts.scoping``.

Scope: agents and coordinators see their unit's clients; supervisors see the
pseudonymous records of their office's work area; other roles hold no
``clients.view`` and see nothing. Whether a user may see a client's identity
is ``identity_visible`` (from ``can_see_client_identity``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
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
