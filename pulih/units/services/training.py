"""Capacity-building events (bimtek, pembekalan, asistensi, supervisi, evaluasi) and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.models import User
from pulih.accounts.roles import Role
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.organisations.models import Office, Unit
from pulih.units.audit_codes import UnitAction
from pulih.units.models import Agent, Attendance, EventKind, Participant, Topic, TrainingEvent
from pulih.units.services._common import clean_text, office_covers, require_manage
from pulih.units.services.units import unit_derive_trained

MAX_EVENT_DAYS = 14
STAFF_PARTICIPANT_ROLES = {Role.SUPERVISOR, Role.OFFICE_STAFF, Role.ADMIN}


def _validate_event(*, unit: Unit, office: Office, kind: str, starts_on: dt.date, ends_on: dt.date,
                    topics: Iterable[str]) -> list[str]:
    if kind not in EventKind.values:
        raise DomainError(_("Choose the type of event."), field="kind")
    if not office_covers(office, unit.village):
        raise DomainError(_("The organising office must supervise the unit's village."), field="office",
                          code="office_area")
    if ends_on < starts_on:
        raise DomainError(_("The last day cannot be before the first day."), field="ends_on",
                          code="dates_order")
    if (ends_on - starts_on).days + 1 > MAX_EVENT_DAYS:
        raise DomainError(_("An event can last at most %(n)d days.") % {"n": MAX_EVENT_DAYS},
                          field="ends_on", code="too_long")
    clean = [t for t in Topic.values if t in set(topics)]
    unknown = sorted(set(topics) - set(clean))
    if unknown:
        raise DomainError(_("Unknown topic: %(t)s") % {"t": ", ".join(unknown)}, field="topics")
    return clean


@transaction.atomic
def event_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    venue: str,
    topics: Iterable[str] = (),
    office: Office | None = None,
    notes: str = "",
    is_demo: bool = False,
) -> TrainingEvent:
    require_manage(actor, unit)
    office = office or unit.office
    topic_list = _validate_event(unit=unit, office=office, kind=kind, starts_on=starts_on,
                                 ends_on=ends_on, topics=topics)
    event = TrainingEvent(
        unit=unit, office=office, kind=kind, title=clean_text(title, "title"), starts_on=starts_on,
        ends_on=ends_on, venue=clean_text(venue, "venue"), topics=topic_list, notes=notes.strip(),
        is_demo=is_demo, created_by=actor,
    )
    event.full_clean()
    event.save()
    audit_record(action=UnitAction.EVENT_CREATED, request=request, actor=actor, obj=event,
                 detail={"unit": unit.pk, "kind": kind})
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    event: TrainingEvent,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    venue: str,
    topics: Iterable[str] = (),
    office: Office | None = None,
    notes: str = "",
) -> TrainingEvent:
    """Edit an event; attendance on days that no longer belong to it is dropped."""
    require_manage(actor, event.unit)
    office = office or event.office
    topic_list = _validate_event(unit=event.unit, office=office, kind=kind, starts_on=starts_on,
                                 ends_on=ends_on, topics=topics)
    event.kind, event.title, event.office = kind, clean_text(title, "title"), office
    event.starts_on, event.ends_on = starts_on, ends_on
    event.venue, event.topics, event.notes = clean_text(venue, "venue"), topic_list, notes.strip()
    event.full_clean()
    event.save()
    Attendance.objects.filter(participant__event=event).exclude(day__range=(starts_on, ends_on)).delete()
    audit_record(action=UnitAction.EVENT_UPDATED, request=request, actor=actor, obj=event)
    return event


@transaction.atomic
def event_set_participants(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    event: TrainingEvent,
    agents: Iterable[Agent] = (),
    staff: Iterable[User] = (),
) -> list[Participant]:
    """Make the participant list exactly ``agents`` + ``staff`` (keeping existing attendance)."""
    require_manage(actor, event.unit)
    agents, staff = list(agents), list(staff)
    foreign = [a.name for a in agents if a.unit_id != event.unit_id]
    if foreign:
        raise DomainError(_("These agents are not in this unit: %(names)s") % {"names": ", ".join(foreign)},
                          field="agents", code="agent_other_unit")
    not_staff = [u.username for u in staff if u.role not in STAFF_PARTICIPANT_ROLES]
    if not_staff:
        raise DomainError(_("Only office staff can take part as staff: %(names)s")
                          % {"names": ", ".join(not_staff)}, field="staff")
    event.participants.exclude(agent__in=agents).filter(agent__isnull=False).delete()
    event.participants.exclude(staff__in=staff).filter(staff__isnull=False).delete()
    have_agents = set(event.participants.values_list("agent_id", flat=True))
    have_staff = set(event.participants.values_list("staff_id", flat=True))
    Participant.objects.bulk_create(
        [Participant(event=event, agent=a) for a in agents if a.pk not in have_agents]
        + [Participant(event=event, staff=u) for u in staff if u.pk not in have_staff]
    )
    audit_record(action=UnitAction.EVENT_PARTICIPANTS_SET, request=request, actor=actor, obj=event,
                 detail={"agents": sorted(a.pk for a in agents), "staff": sorted(u.pk for u in staff)})
    return list(event.participants.all())


@transaction.atomic
def event_record_attendance(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    event: TrainingEvent,
    attendance: Mapping[int, Iterable[dt.date]],
) -> int:
    """Set who was present on which day (participant id → days). Returns the number of marks.

    Participants not named keep no attendance. Afterwards a *formed* unit
    becomes *trained* when the configured rule holds.
    """
    require_manage(actor, event.unit)
    participants = {p.pk: p for p in event.participants.all()}
    days = set(event.days)
    rows = []
    for participant_id, present in attendance.items():
        if participant_id not in participants:
            raise DomainError(_("Unknown participant for this event."), field="attendance",
                              code="unknown_participant")
        for day in set(present):
            if day not in days:
                raise DomainError(_("%(day)s is not a day of this event.") % {"day": day},
                                  field="attendance", code="day_outside_event")
            rows.append(Attendance(participant_id=participant_id, day=day))
    Attendance.objects.filter(participant__event=event).delete()
    Attendance.objects.bulk_create(rows)
    audit_record(action=UnitAction.EVENT_ATTENDANCE_RECORDED, request=request, actor=actor, obj=event,
                 detail={"marks": len(rows)})
    if event.kind == EventKind.BIMTEK:
        unit_derive_trained(actor=actor, request=request, unit=event.unit)
    return len(rows)
