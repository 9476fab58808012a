"""Batched create adapters (see :mod:`pulih.sync.services.batch`): payload → rows, events, changes.

Each ``prepare_*`` mirrors its per-record adapter in :mod:`pulih.sync.adapters.clients`
and the domain service it calls, check for check and in the same order, on the
data the run read once. Where the data read says a gate is closed (no active
consent, no open episode, a restricted client) the domain's own check is
called, so the refusal is the domain's exception with the domain's message.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django.db.models import Model

from pulih.clients.audit_codes import ClientAction
from pulih.clients.completion import completion_status
from pulih.clients.consents import require_consent
from pulih.clients.models import (
    ConsentKind,
    ContactOutcome,
    EpisodeStatus,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    ProgressNote,
    Session,
    SessionAttendance,
    SessionKind,
    UrineResult,
    UrineTest,
)
from pulih.clients.services._common import audit_detail, open_episode
from pulih.clients.services.care import _unit_agent
from pulih.core.errors import DomainError
from pulih.sync import payload as p
from pulih.sync.services.batch import Refused, RunContext, scoped_client

_FK = ("unit", "agent", "village", "client", "episode", "recorded_by", "responsible", "created_by", "author")
_BEFORE_PLAN = {EpisodeStatus.REGISTERED, EpisodeStatus.SCREENED}
_BEFORE_INTERVENTION = _BEFORE_PLAN | {EpisodeStatus.PLANNED}
_BEFORE_COMPLETION = _BEFORE_INTERVENTION | {EpisodeStatus.IN_INTERVENTION, EpisodeStatus.MONITORING}


def _clean(obj: Model) -> None:
    """``full_clean`` without the per-row queries: foreign keys are objects read by the run,
    the primary key is known to be new, database constraints are enforced on insert."""
    obj.full_clean(exclude=_fk_names(type(obj)), validate_unique=False, validate_constraints=False)


@cache
def _fk_names(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.fields if f.name in _FK]


def _day(data: dict[str, Any], name: str) -> date:
    value = p.day(data, name)  # required: never None
    assert value is not None
    return value


def _village(ctx: RunContext, data: dict[str, Any], *, required: bool) -> Any:
    code = p.text(data, "village", required=required)
    if not code:
        return None
    found = ctx.villages.get(code)
    if found is None:
        raise p.PayloadError("village", "unknown village code")
    return found


def _unit_user(ctx: RunContext, data: dict[str, Any], name: str) -> Any:
    user_id = p.integer(data, name)
    return None if user_id is None else ctx.users.get(user_id)


def _care_gates(ctx: RunContext, client: Any) -> Any:
    """``require_consent(services)`` then ``open_episode`` (restriction already checked)."""
    kinds = ctx.consents.get(client.pk, set())
    if ConsentKind.SERVICES not in kinds or (client.is_minor and ConsentKind.GUARDIAN not in kinds):
        require_consent(client=client, kind=ConsentKind.SERVICES)
    episode = ctx.episodes.get(client.pk)
    if episode is None:
        episode = open_episode(client)  # raises the domain's "episode closed"
    return episode


def _created(ctx: RunContext, rec: Any, obj: Model, label: str, unit_id: int, client: Any) -> None:
    obj.pk = rec.id
    _clean(obj)
    ctx.insert(obj)
    ctx.changed(label, obj.pk, unit_id, client.pk if client is not None else None)
    ctx.created.append((rec, label, obj.pk))


def _advance(ctx: RunContext, client: Any, status: str, only_from: set[EpisodeStatus]) -> None:
    """``episode_advance`` + ``episode_set_status`` on the run's copy of the open episode."""
    episode = ctx.episodes.get(client.pk)
    if episode is None or episode.status not in only_from or episode.status == status:
        return
    previous = episode.status
    episode.status = status
    ctx.statuses[episode.pk] = episode
    ctx.event(
        action=ClientAction.EPISODE_STATUS_CHANGED,
        obj=episode,
        detail=audit_detail(client, previous=previous, status=status, episode=episode.number),
    )
    ctx.changed("clients.episode", episode.pk, client.unit_id, client.pk)
    ctx.changed("clients.client", client.pk, client.unit_id, client.pk)


def prepare_outreach(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    contact = OutreachContact(
        unit_id=ctx.unit_id,
        agent=ctx.actor,
        contacted_on=_day(data, "contacted_on"),
        channel=p.text(data, "channel", required=True),
        outcome=p.text(data, "outcome", required=True),
        village=_village(ctx, data, required=False),
        notes=p.text(data, "notes"),
    )
    _created(ctx, rec, contact, "clients.outreachcontact", ctx.unit_id, None)
    ctx.event(
        action=ClientAction.OUTREACH_LOGGED,
        obj=contact,
        detail={"channel": contact.channel, "outcome": contact.outcome},
    )


def prepare_urine(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    client = scoped_client(ctx, p.uuid(data, "client"))
    tested_on = _day(data, "tested_on")
    method = p.text(data, "method", required=True)
    substances = p.text(data, "substances", required=True)
    result = p.text(data, "result", required=True)
    facility = p.text(data, "facility")
    episode = _care_gates(ctx, client)
    test = UrineTest(
        client=client,
        episode=episode,
        tested_on=tested_on,
        method=method,
        facility=facility,
        substances=substances,
        result=result,
        recorded_by=ctx.actor,
    )
    _created(ctx, rec, test, "clients.urinetest", client.unit_id, client)
    ctx.event(
        action=ClientAction.URINE_TEST_RECORDED, obj=test, detail=audit_detail(client, result=result)
    )
    if ctx.tests is not None and episode.pk in ctx.tests:
        ctx.tests[episode.pk].append((tested_on, result))
        if result == UrineResult.NEGATIVE and completion_status(episode, ctx.tests[episode.pk]).met:
            _advance(ctx, client, EpisodeStatus.COMPLETED, _BEFORE_COMPLETION)


def prepare_contact(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    client = scoped_client(ctx, p.uuid(data, "client"))
    due_on = _day(data, "due_on")
    mode = p.text(data, "mode", default="visit") or "visit"
    agent = _unit_user(ctx, data, "agent")
    episode = _care_gates(ctx, client)
    contact = MonitoringContact(
        client=client,
        episode=episode,
        due_on=due_on,
        mode=mode,
        agent=_unit_agent(agent or ctx.actor, client.unit_id, "agent"),
    )
    _clean(contact)  # the scheduled state, as ``contact_schedule`` validates it
    scheduled = {"action": ClientAction.CONTACT_SCHEDULED, "detail": audit_detail(client, due_on=due_on)}
    done = None
    if data.get("done_on"):
        # ``contact_done``: a contact recorded offline as done is scheduled and done in one go.
        done_on = p.day(data, "done_on")
        outcome = p.text(data, "outcome", required=True)
        notes = p.text(data, "notes")
        if outcome not in ContactOutcome.values:
            raise Refused(code="required", field="outcome")
        contact.done_on, contact.outcome, contact.notes = done_on, outcome, notes
        done = {"action": ClientAction.CONTACT_DONE, "detail": audit_detail(client, outcome=outcome)}
    _created(ctx, rec, contact, "clients.monitoringcontact", client.unit_id, client)
    ctx.event(obj=contact, **scheduled)
    if done is not None:
        ctx.changed("clients.monitoringcontact", contact.pk, client.unit_id, client.pk)
        ctx.event(obj=contact, **done)
        _advance(ctx, client, EpisodeStatus.MONITORING, {EpisodeStatus.IN_INTERVENTION})


def prepare_session(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    kind = p.text(data, "kind", required=True)
    held_on = _day(data, "held_on")
    topic = p.text(data, "topic", required=True)
    clients = [scoped_client(ctx, c) for c in p.uuids(data, "clients")]
    notes = p.text(data, "notes")
    duration = p.integer(data, "duration_minutes")
    unique = list({c.pk: c for c in clients}.values())
    if not unique:
        raise Refused(code="required", field="clients")
    if kind != SessionKind.GROUP and len(unique) != 1:
        raise Refused(code="invalid", field="clients")
    for client in unique:
        try:
            _care_gates(ctx, client)
        except DomainError as err:
            raise DomainError(f"{client.code}: {err.message}", code=err.code, field="clients") from err
    session = Session(
        unit_id=ctx.unit_id,
        kind=kind,
        held_on=held_on,
        agent=ctx.actor,
        topic=topic,
        notes=notes,
        duration_minutes=duration,
    )
    _created(ctx, rec, session, "clients.session", ctx.unit_id, None)
    ctx.after.extend(SessionAttendance(session=session, client=c) for c in unique)
    ctx.event(
        action=ClientAction.SESSION_RECORDED,
        obj=session,
        detail={"kind": kind, "clients": [str(c.pk) for c in unique]},
    )
    for client in unique:
        _advance(ctx, client, EpisodeStatus.IN_INTERVENTION, _BEFORE_INTERVENTION)


def prepare_plan(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    client = scoped_client(ctx, p.uuid(data, "client"))
    goals = p.text(data, "goals", required=True)
    modality = p.text(data, "modality", required=True)
    frequency = p.text(data, "frequency", required=True)
    responsible = _unit_user(ctx, data, "responsible") or ctx.actor
    review_on = _day(data, "review_on")
    episode = _care_gates(ctx, client)
    plan = InterventionPlan(
        client=client,
        episode=episode,
        goals=goals,
        modality=modality,
        frequency=frequency,
        responsible=_unit_agent(responsible, client.unit_id, "responsible"),
        review_on=review_on,
        created_by=ctx.actor,
    )
    _created(ctx, rec, plan, "clients.interventionplan", client.unit_id, client)
    ctx.event(
        action=ClientAction.PLAN_CREATED, obj=plan, detail=audit_detail(client, modality=modality)
    )
    _advance(ctx, client, EpisodeStatus.PLANNED, _BEFORE_PLAN)


def prepare_note(ctx: RunContext, rec: Any) -> None:
    data = rec.data
    client = scoped_client(ctx, p.uuid(data, "client"))
    written_on = _day(data, "written_on")
    text = p.text(data, "text", required=True)
    episode = _care_gates(ctx, client)
    note = ProgressNote(
        client=client, episode=episode, written_on=written_on, text=text, author=ctx.actor
    )
    _created(ctx, rec, note, "clients.progressnote", client.unit_id, client)
    ctx.event(action=ClientAction.NOTE_WRITTEN, obj=note, detail=audit_detail(client))
