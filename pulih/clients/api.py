"""JSON API of the client journey, ``/api/v1/clients/`` (scoped like the pages).

Creates accept a client-generated ``id`` and are idempotent: the same id sent
again returns the existing record with 200 (the first create answers 201), so
the offline app can retry safely. Identity fields are present only where the
user may see them, and each response that carries them is audit-logged.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import UUID

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from pulih.accounts.api_auth import guarded
from pulih.accounts.models import User
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.audit.services import audit_record, audit_record_many
from pulih.clients import selectors as sel
from pulih.clients import services as svc
from pulih.clients import worklist
from pulih.clients.audit_codes import ClientAction
from pulih.clients.models import (
    Client,
    Consent,
    ConsentGiver,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    ProgressNote,
    ReferralSource,
    Session,
    UrineTest,
)
from pulih.core.errors import DomainError
from pulih.regions.models import Village

router = Router(tags=["clients"])


# --- Authentication with the permission and scope check ----------------------------------
# Checked in the authentication step, before the body is validated, so that a
# role without the permission (403) or a record outside the scope (404) is
# refused whatever the request sends.

_SCOPED_KWARGS: dict[str, Any] = {
    "client_id": lambda user, pk, perm: (
        sel.client_get(user=user, pk=pk)
        if perm == Perm.CLIENTS_VIEW
        else sel.client_get_for_edit(user=user, pk=pk)
    ),
    "consent_id": lambda user, pk, perm: sel.consent_get(user=user, pk=pk),
    "contact_id": lambda user, pk, perm: sel.contact_get(user=user, pk=pk),
    "session_id": lambda user, pk, perm: sel.session_get(user=user, pk=pk),
}


def needs(permission: str) -> list[Any]:
    # Objects named in the path are fetched through the scoped selectors first.
    checks = {key: partial(_scoped_kwarg, check, permission) for key, check in _SCOPED_KWARGS.items()}
    return guarded(permission, path_checks=checks)


def _scoped_kwarg(check: Any, permission: str, user: Any, value: Any) -> None:
    check(user, value, permission)


READ = needs(Perm.CLIENTS_VIEW)
WRITE = needs(Perm.CLIENTS_EDIT)


# --- Schemas --------------------------------------------------------------------------


class ClientOut(Schema):
    id: UUID
    code: str
    unit_id: int
    village_code: str
    sex: str
    birth_year: int | None
    age_band: str
    referral_source: str
    status: str
    episode_number: int | None
    episode_status: str | None
    version: int
    created_at: datetime
    identity_visible: bool
    name: str | None = None
    nik: str | None = None
    phone: str | None = None
    rw: str | None = None


class ClientIn(Schema):
    id: UUID | None = None
    village_code: str
    name: str
    sex: str
    birth_year: int | None = None
    age_band: str = ""
    rw: str = ""
    nik: str = ""
    phone: str = ""
    referral_source: str = ReferralSource.OUTREACH
    consent_services: bool = False
    consent_data_processing: bool = False
    consent_guardian: bool = False
    consent_given_by: str = ConsentGiver.CLIENT
    consent_giver_name: str = ""
    outreach_id: UUID | None = None


class OutreachIn(Schema):
    id: UUID | None = None
    contacted_on: date
    channel: str
    outcome: str
    village_code: str | None = None
    notes: str = ""


class OutreachOut(Schema):
    id: UUID
    contacted_on: date
    channel: str
    outcome: str
    agent_id: int
    village_id: str | None
    client_id: UUID | None


class ConsentIn(Schema):
    id: UUID | None = None
    kind: str
    given_by: str = ConsentGiver.CLIENT
    giver_name: str = ""
    destination: str = ""
    share_identity: bool = False
    given_at: datetime | None = None


class ConsentOut(Schema):
    id: UUID
    client_id: UUID
    kind: str
    given_by: str
    destination: str
    share_identity: bool
    given_at: datetime
    withdrawn_at: datetime | None


class WithdrawIn(Schema):
    note: str = ""


class PlanIn(Schema):
    id: UUID | None = None
    goals: str
    modality: str
    frequency: str
    responsible_id: int
    review_on: date


class PlanOut(Schema):
    id: UUID
    client_id: UUID
    episode_id: UUID
    goals: str
    modality: str
    frequency: str
    responsible_id: int
    review_on: date


class SessionIn(Schema):
    id: UUID | None = None
    kind: str
    held_on: date
    topic: str
    client_ids: list[UUID]
    notes: str = ""
    duration_minutes: int | None = None


class SessionOut(Schema):
    id: UUID
    kind: str
    held_on: date
    topic: str
    agent_id: int
    client_ids: list[UUID]


class NoteIn(Schema):
    id: UUID | None = None
    written_on: date
    text: str


class NoteOut(Schema):
    id: UUID
    client_id: UUID
    written_on: date
    text: str


class UrineIn(Schema):
    id: UUID | None = None
    tested_on: date
    method: str
    facility: str = ""
    substances: str
    result: str


class UrineOut(Schema):
    id: UUID
    client_id: UUID
    tested_on: date
    method: str
    facility: str
    substances: str
    result: str


class ContactIn(Schema):
    id: UUID | None = None
    due_on: date
    mode: str = "visit"
    agent_id: int | None = None


class ContactDoneIn(Schema):
    done_on: date
    outcome: str
    notes: str = ""


class ContactOut(Schema):
    id: UUID
    client_id: UUID
    due_on: date
    mode: str
    agent_id: int
    done_on: date | None
    outcome: str


class CloseIn(Schema):
    reason: str
    note: str = ""


class WorkItemOut(Schema):
    due: date
    overdue: bool
    title: str
    url: str
    client_code: str
    kind: str


# --- Helpers --------------------------------------------------------------------------


def _client_data(request: HttpRequest, client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """The client as the API shows it, and the read-audit event that showing it needs."""
    visible = sel.identity_visible(user=request.user, client=client)
    prefetched = getattr(client, "_prefetched_objects_cache", {}).get("episodes")
    if prefetched is not None:  # the list prefetches episodes (one query for the page)
        ordered = sorted(prefetched, key=lambda e: -e.number)
        episode = next((e for e in ordered if e.closed_at is None), ordered[0] if ordered else None)
    else:
        episode = sel.episode_current(client=client) or sel.episode_latest(client=client)
    data: dict[str, Any] = {
        "id": client.pk,
        "code": client.code,
        "unit_id": client.unit_id,
        "village_code": client.village_id,
        "sex": client.sex,
        "birth_year": client.birth_year,
        "age_band": client.age_band,
        "referral_source": client.referral_source,
        "status": client.status,
        "episode_number": episode.number if episode else None,
        "episode_status": episode.status if episode else None,
        "version": client.version,
        "created_at": client.created_at,
        "identity_visible": visible,
    }
    if visible:
        data.update(name=client.name, nik=client.nik, phone=client.phone, rw=client.rw)
    event = {
        "action": ClientAction.CLIENT_VIEWED,
        "request": request,
        "obj": client,
        "identified": visible,
        "purpose": "api",
        "detail": {"client": str(client.pk)},
    }
    return data, event


def _client_out(request: HttpRequest, client: Client) -> dict[str, Any]:
    data, event = _client_data(request, client)
    audit_record(**event)
    return data


def _village(code: str | None) -> Village | None:
    if not code:
        return None
    village = Village.objects.filter(pk=code).first()
    if village is None:
        raise DomainError("Unknown village code.", code="invalid", field="village_code")
    return village


def _created(model: type[models.Model], pk: UUID | None) -> int:
    """201 for a new record, 200 when this id was already sent."""
    return 200 if pk is not None and model._default_manager.filter(pk=pk).exists() else 201


def _edit_client(request: HttpRequest, client_id: UUID) -> Client:
    return sel.client_get_for_edit(user=request.user, pk=client_id)


def _unit_user(request: HttpRequest, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, unit_id=getattr(request.user, "unit_id", None) or 0).first()


def _session_out(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "kind": session.kind,
        "held_on": session.held_on,
        "topic": session.topic,
        "agent_id": session.agent_id,
        "client_ids": [c.pk for c in session.clients.all()],
    }


# --- Clients --------------------------------------------------------------------------


@router.get("/", response=list[ClientOut], auth=READ, url_name="clients_list", summary="Clients in my scope")
def client_list(request: HttpRequest, q: str = "", status: str = "") -> list[dict[str, Any]]:
    require(request.user, Perm.CLIENTS_VIEW)
    clients = sel.client_list(user=request.user, search=q, status=status).prefetch_related("episodes")[:200]
    shown = [_client_data(request, c) for c in clients]
    # One append for the page's read events (one chain lock and one insert, not one per client).
    audit_record_many([event for _data, event in shown])
    return [data for data, _event in shown]


@router.post(
    "/",
    response={200: ClientOut, 201: ClientOut},
    auth=WRITE,
    url_name="clients_register",
    summary="Register a client with consent (idempotent on id)",
)
def client_register(request: HttpRequest, payload: ClientIn) -> tuple[int, dict[str, Any]]:
    status = _created(Client, payload.id)
    village = _village(payload.village_code)
    if village is None:
        raise DomainError("Give the village code.", code="required", field="village_code")
    outreach = None
    if payload.outreach_id:
        outreach = sel.outreach_list(user=request.user).filter(pk=payload.outreach_id).first()
    client = svc.client_register(
        actor=request.user,
        request=request,
        id=payload.id,
        village=village,
        name=payload.name,
        sex=payload.sex,
        birth_year=payload.birth_year,
        age_band=payload.age_band,
        rw=payload.rw,
        nik=payload.nik,
        phone=payload.phone,
        referral_source=payload.referral_source,
        outreach=outreach,
        consent=svc.ConsentInput(
            services=payload.consent_services,
            data_processing=payload.consent_data_processing,
            guardian=payload.consent_guardian,
            given_by=payload.consent_given_by,
            giver_name=payload.consent_giver_name,
        ),
    )
    return status, _client_out(request, client)


@router.get(
    "/worklist",
    response=list[WorkItemOut],
    auth=WRITE,
    url_name="clients_worklist",
    summary="My due and overdue work",
)
def client_worklist(request: HttpRequest) -> list[worklist.WorkItem]:
    require(request.user, Perm.CLIENTS_EDIT)
    return worklist.items_for(request.user, timezone.localdate())


@router.get(
    "/outreach",
    response=list[OutreachOut],
    auth=WRITE,
    url_name="clients_outreach_list",
    summary="Outreach contacts",
)
def outreach_list(request: HttpRequest) -> list[OutreachContact]:
    require(request.user, Perm.CLIENTS_EDIT)
    return list(sel.outreach_list(user=request.user)[:200])


@router.post(
    "/outreach",
    response={200: OutreachOut, 201: OutreachOut},
    auth=WRITE,
    url_name="clients_outreach_create",
    summary="Log an anonymous outreach contact (idempotent on id)",
)
def outreach_create(request: HttpRequest, payload: OutreachIn) -> tuple[int, OutreachContact]:
    status = _created(OutreachContact, payload.id)
    contact = svc.outreach_log(
        actor=request.user,
        request=request,
        id=payload.id,
        contacted_on=payload.contacted_on,
        channel=payload.channel,
        outcome=payload.outcome,
        village=_village(payload.village_code),
        notes=payload.notes,
    )
    return status, contact


@router.post(
    "/sessions",
    response={200: SessionOut, 201: SessionOut},
    auth=WRITE,
    url_name="clients_session_create",
    summary="Record a session; a group session lists every attending client (idempotent on id)",
)
def session_create(request: HttpRequest, payload: SessionIn) -> tuple[int, dict[str, Any]]:
    status = _created(Session, payload.id)
    clients = [sel.client_get_for_edit(user=request.user, pk=pk) for pk in payload.client_ids]
    session = svc.session_record(
        actor=request.user,
        request=request,
        id=payload.id,
        kind=payload.kind,
        held_on=payload.held_on,
        topic=payload.topic,
        clients=clients,
        notes=payload.notes,
        duration_minutes=payload.duration_minutes,
    )
    return status, _session_out(session)


@router.get(
    "/sessions/{uuid:session_id}",
    response=SessionOut,
    auth=READ,
    url_name="clients_session_get",
    summary="One session",
)
def session_get(request: HttpRequest, session_id: UUID) -> dict[str, Any]:
    return _session_out(sel.session_get(user=request.user, pk=session_id))


@router.post(
    "/consents/{uuid:consent_id}/withdraw",
    response=ConsentOut,
    auth=WRITE,
    url_name="clients_consent_withdraw",
    summary="Withdraw a consent",
)
def consent_withdraw(request: HttpRequest, consent_id: UUID, payload: WithdrawIn) -> Consent:
    consent = sel.consent_get(user=request.user, pk=consent_id)
    return svc.consent_withdraw(actor=request.user, request=request, consent=consent, note=payload.note)


@router.post(
    "/contacts/{uuid:contact_id}/done",
    response=ContactOut,
    auth=WRITE,
    url_name="clients_contact_done",
    summary="Record a monitoring contact as done",
)
def contact_done(request: HttpRequest, contact_id: UUID, payload: ContactDoneIn) -> MonitoringContact:
    contact = sel.contact_get(user=request.user, pk=contact_id)
    return svc.contact_done(
        actor=request.user,
        request=request,
        contact=contact,
        done_on=payload.done_on,
        outcome=payload.outcome,
        notes=payload.notes,
    )


@router.get("/{uuid:client_id}", response=ClientOut, auth=READ, url_name="clients_get", summary="One client")
def client_get(request: HttpRequest, client_id: UUID) -> dict[str, Any]:
    return _client_out(request, sel.client_get(user=request.user, pk=client_id))


@router.get(
    "/{uuid:client_id}/consents",
    response=list[ConsentOut],
    auth=READ,
    url_name="clients_consent_list",
    summary="A client's consents",
)
def consent_list(request: HttpRequest, client_id: UUID) -> list[Consent]:
    client = sel.client_get(user=request.user, pk=client_id)
    return list(sel.consent_list(user=request.user, client=client))


@router.post(
    "/{uuid:client_id}/consents",
    response={200: ConsentOut, 201: ConsentOut},
    auth=WRITE,
    url_name="clients_consent_create",
    summary="Record a consent (idempotent on id)",
)
def consent_create(request: HttpRequest, client_id: UUID, payload: ConsentIn) -> tuple[int, Consent]:
    client = _edit_client(request, client_id)
    status = _created(Consent, payload.id)
    consent = svc.consent_give(actor=request.user, request=request, client=client, **payload.dict())
    return status, consent


@router.post(
    "/{uuid:client_id}/plans",
    response={200: PlanOut, 201: PlanOut},
    auth=WRITE,
    url_name="clients_plan_create",
    summary="Create an intervention plan (idempotent on id)",
)
def plan_create(request: HttpRequest, client_id: UUID, payload: PlanIn) -> tuple[int, InterventionPlan]:
    client = _edit_client(request, client_id)
    status = _created(InterventionPlan, payload.id)
    responsible = _unit_user(request, payload.responsible_id)
    plan = svc.plan_create(
        actor=request.user,
        request=request,
        client=client,
        id=payload.id,
        goals=payload.goals,
        modality=payload.modality,
        frequency=payload.frequency,
        responsible=responsible,  # type: ignore[arg-type]
        review_on=payload.review_on,
    )
    return status, plan


@router.post(
    "/{uuid:client_id}/notes",
    response={200: NoteOut, 201: NoteOut},
    auth=WRITE,
    url_name="clients_note_create",
    summary="Write a buku raport entry (idempotent on id)",
)
def note_create(request: HttpRequest, client_id: UUID, payload: NoteIn) -> tuple[int, ProgressNote]:
    client = _edit_client(request, client_id)
    status = _created(ProgressNote, payload.id)
    return status, svc.note_write(actor=request.user, request=request, client=client, **payload.dict())


@router.post(
    "/{uuid:client_id}/urine-tests",
    response={200: UrineOut, 201: UrineOut},
    auth=WRITE,
    url_name="clients_urine_create",
    summary="Record a urine test (idempotent on id)",
)
def urine_create(request: HttpRequest, client_id: UUID, payload: UrineIn) -> tuple[int, UrineTest]:
    client = _edit_client(request, client_id)
    status = _created(UrineTest, payload.id)
    return status, svc.urine_test_record(actor=request.user, request=request, client=client, **payload.dict())


@router.post(
    "/{uuid:client_id}/contacts",
    response={200: ContactOut, 201: ContactOut},
    auth=WRITE,
    url_name="clients_contact_create",
    summary="Schedule a monitoring contact (idempotent on id)",
)
def contact_create(
    request: HttpRequest, client_id: UUID, payload: ContactIn
) -> tuple[int, MonitoringContact]:
    client = _edit_client(request, client_id)
    status = _created(MonitoringContact, payload.id)
    contact = svc.contact_schedule(
        actor=request.user,
        request=request,
        client=client,
        id=payload.id,
        due_on=payload.due_on,
        mode=payload.mode,
        agent=_unit_user(request, payload.agent_id),
    )
    return status, contact


@router.post(
    "/{uuid:client_id}/close",
    response=ClientOut,
    auth=WRITE,
    url_name="clients_close",
    summary="Close the episode",
)
def client_close(request: HttpRequest, client_id: UUID, payload: CloseIn) -> dict[str, Any]:
    client = _edit_client(request, client_id)
    svc.episode_close(
        actor=request.user, request=request, client=client, reason=payload.reason, note=payload.note
    )
    return _client_out(request, client)


@router.post(
    "/{uuid:client_id}/reopen",
    response=ClientOut,
    auth=WRITE,
    url_name="clients_reopen",
    summary="Reopen: a new episode",
)
def client_reopen(request: HttpRequest, client_id: UUID) -> dict[str, Any]:
    client = _edit_client(request, client_id)
    svc.episode_reopen(actor=request.user, request=request, client=client)
    return _client_out(request, client)
