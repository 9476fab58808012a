"""Care within an episode: plans, sessions, progress notes, urine tests, monitoring.

Each needs an open episode and the client's active consent to services.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.models import User
from pulih.accounts.roles import UNIT_ROLES
from pulih.audit.services import audit_record
from pulih.clients.audit_codes import ClientAction
from pulih.clients.completion import completion_status
from pulih.clients.consents import require_consent
from pulih.clients.models import (
    Client,
    ConsentKind,
    ContactOutcome,
    EpisodeStatus,
    InterventionPlan,
    MonitoringContact,
    ProgressNote,
    Session,
    SessionAttendance,
    SessionKind,
    UrineResult,
    UrineTest,
)
from pulih.clients.services._common import (
    audit_detail,
    existing,
    insert_new,
    open_episode,
    require_own_client,
    require_unit_actor,
)
from pulih.clients.services.episodes import episode_advance
from pulih.core.errors import ConflictError, DomainError

_BEFORE_PLAN = {EpisodeStatus.REGISTERED, EpisodeStatus.SCREENED}
_BEFORE_INTERVENTION = _BEFORE_PLAN | {EpisodeStatus.PLANNED}


def _unit_agent(user: User | None, unit_id: int, field: str) -> User:
    if user is None or user.unit_id != unit_id or user.role not in UNIT_ROLES or not user.is_active:
        raise DomainError(_("Choose an agent of this IBM unit."), code="invalid", field=field)
    return user


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    goals: str,
    modality: str,
    frequency: str,
    responsible: User,
    review_on: date,
    id: UUID | None = None,
) -> InterventionPlan:
    require_own_client(actor, client)
    found = existing(InterventionPlan, id, client=client)
    if found is not None:
        return found
    require_consent(client=client, kind=ConsentKind.SERVICES)
    episode = open_episode(client)
    plan = InterventionPlan(
        client=client,
        episode=episode,
        goals=goals,
        modality=modality,
        frequency=frequency,
        responsible=_unit_agent(responsible, client.unit_id, "responsible"),
        review_on=review_on,
        created_by=actor,
    )
    insert_new(plan, id)
    audit_record(
        action=ClientAction.PLAN_CREATED,
        request=request,
        actor=actor,
        obj=plan,
        detail=audit_detail(client, modality=modality),
    )
    episode_advance(
        actor=actor, request=request, client=client, status=EpisodeStatus.PLANNED, only_from=_BEFORE_PLAN
    )
    return plan


@transaction.atomic
def session_record(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    kind: str,
    held_on: date,
    topic: str,
    clients: list[Client],
    notes: str = "",
    duration_minutes: int | None = None,
    id: UUID | None = None,
) -> Session:
    """One session; a group session is one record with every attending client."""
    unit_id = require_unit_actor(actor)
    if id is not None:
        found = Session.objects.filter(pk=id).first()
        if found is not None:
            if found.unit_id != unit_id:
                raise ConflictError(
                    _("This id is already used by another record."), code="id_conflict", field="id"
                )
            return found
    unique = list({c.pk: c for c in clients}.values())
    if not unique:
        raise DomainError(_("Choose at least one attending client."), code="required", field="clients")
    if kind != SessionKind.GROUP and len(unique) != 1:
        raise DomainError(
            _("Only a group session has several clients; record the others separately."),
            code="invalid",
            field="clients",
        )
    for client in unique:
        require_own_client(actor, client)
        try:
            require_consent(client=client, kind=ConsentKind.SERVICES)
            open_episode(client)
        except DomainError as err:
            raise DomainError(f"{client.code}: {err.message}", code=err.code, field="clients") from err
    session = Session(
        unit_id=unit_id,
        kind=kind,
        held_on=held_on,
        agent=actor,
        topic=topic,
        notes=notes,
        duration_minutes=duration_minutes,
    )
    insert_new(session, id)
    SessionAttendance.objects.bulk_create([SessionAttendance(session=session, client=c) for c in unique])
    audit_record(
        action=ClientAction.SESSION_RECORDED,
        request=request,
        actor=actor,
        obj=session,
        detail={"kind": kind, "clients": [str(c.pk) for c in unique]},
    )
    for client in unique:
        episode_advance(
            actor=actor,
            request=request,
            client=client,
            status=EpisodeStatus.IN_INTERVENTION,
            only_from=_BEFORE_INTERVENTION,
        )
    return session


@transaction.atomic
def note_write(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    written_on: date,
    text: str,
    id: UUID | None = None,
) -> ProgressNote:
    """An entry in the buku raport klien."""
    require_own_client(actor, client)
    found = existing(ProgressNote, id, client=client)
    if found is not None:
        return found
    require_consent(client=client, kind=ConsentKind.SERVICES)
    note = ProgressNote(
        client=client, episode=open_episode(client), written_on=written_on, text=text, author=actor
    )
    insert_new(note, id)
    audit_record(
        action=ClientAction.NOTE_WRITTEN, request=request, actor=actor, obj=note, detail=audit_detail(client)
    )
    return note


@transaction.atomic
def urine_test_record(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    tested_on: date,
    method: str,
    substances: str,
    result: str,
    facility: str = "",
    id: UUID | None = None,
) -> UrineTest:
    """Record a test; when the completion rule is met the episode becomes ``completed``."""
    require_own_client(actor, client)
    found = existing(UrineTest, id, client=client)
    if found is not None:
        return found
    require_consent(client=client, kind=ConsentKind.SERVICES)
    episode = open_episode(client)
    test = UrineTest(
        client=client,
        episode=episode,
        tested_on=tested_on,
        method=method,
        facility=facility,
        substances=substances,
        result=result,
        recorded_by=actor,
    )
    insert_new(test, id)
    audit_record(
        action=ClientAction.URINE_TEST_RECORDED,
        request=request,
        actor=actor,
        obj=test,
        detail=audit_detail(client, result=result),
    )
    if result == UrineResult.NEGATIVE and completion_status(episode).met:
        episode_advance(
            actor=actor,
            request=request,
            client=client,
            status=EpisodeStatus.COMPLETED,
            only_from=_BEFORE_INTERVENTION | {EpisodeStatus.IN_INTERVENTION, EpisodeStatus.MONITORING},
        )
    return test


@transaction.atomic
def contact_schedule(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    due_on: date,
    mode: str,
    agent: User | None = None,
    id: UUID | None = None,
) -> MonitoringContact:
    require_own_client(actor, client)
    found = existing(MonitoringContact, id, client=client)
    if found is not None:
        return found
    require_consent(client=client, kind=ConsentKind.SERVICES)
    contact = MonitoringContact(
        client=client,
        episode=open_episode(client),
        due_on=due_on,
        mode=mode,
        agent=_unit_agent(agent or actor, client.unit_id, "agent"),
    )
    insert_new(contact, id)
    audit_record(
        action=ClientAction.CONTACT_SCHEDULED,
        request=request,
        actor=actor,
        obj=contact,
        detail=audit_detail(client, due_on=due_on),
    )
    return contact


@transaction.atomic
def contact_done(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    contact: MonitoringContact,
    done_on: date,
    outcome: str,
    notes: str = "",
) -> MonitoringContact:
    """Record a monitoring contact as done. A relapse prompts a new screening (shown on the client page)."""
    client = contact.client
    require_own_client(actor, client)
    if contact.done_on is not None:
        raise DomainError(_("This contact is already recorded as done."), code="already_done")
    if outcome not in ContactOutcome.values:
        raise DomainError(_("Choose an outcome."), code="required", field="outcome")
    contact.done_on, contact.outcome, contact.notes = done_on, outcome, notes
    contact.full_clean()
    contact.save(update_fields=["done_on", "outcome", "notes"])
    audit_record(
        action=ClientAction.CONTACT_DONE,
        request=request,
        actor=actor,
        obj=contact,
        detail=audit_detail(client, outcome=outcome),
    )
    if contact.episode.closed_at is None:
        episode_advance(
            actor=actor,
            request=request,
            client=client,
            status=EpisodeStatus.MONITORING,
            only_from={EpisodeStatus.IN_INTERVENTION},
        )
    return contact
