"""JSON API of programme management, ``/api/v1/units/``, scoped like the pages.

Reads go through the same selectors as the pages. Writes are guarded
(:func:`guard`) before their body is read, so a role without the permission,
or a unit outside the caller's area, is refused with 403/404 rather than
told that its payload was malformed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from pulih.accounts.api_auth import guarded
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.organisations.models import Office, Unit
from pulih.regions.models import Village
from pulih.units import selectors as sel
from pulih.units import services
from pulih.units.access import can_see_sensitive
from pulih.units.models import Agent, Stakeholder, TrainingEvent, Visit, WorkPlan
from pulih.units.services.agents import open_membership

router = Router(tags=["units"])

# --- Guard: permission and path scope before the body is parsed ---------------

_PATH_OBJECTS: dict[str, Callable[..., Any]] = {
    "unit_id": sel.unit_get,
    "agent_id": sel.agent_get,
    "event_id": sel.event_get,
    "visit_id": sel.visit_get,
}


def _path_check(getter: Any) -> Any:
    def check(user: Any, value: Any) -> None:
        try:
            pk = int(value)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        getter(user=user, pk=pk)  # raises Http404 outside the caller's scope

    return check


def guard(*perms: str) -> list[Any]:
    return guarded(*perms, path_checks={name: _path_check(g) for name, g in _PATH_OBJECTS.items()})


MANAGE = guard(Perm.UNITS_MANAGE)
ROSTER = guard(Perm.UNITS_MANAGE, Perm.UNITS_EDIT_OWN)


# --- Schemas ------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    village_code: str
    village_name: str
    district_name: str
    regency_code: str
    regency_name: str
    province_code: str
    office_id: int
    office_name: str
    status: str
    status_changed_at: dt.datetime | None
    decree_number: str
    decree_date: dt.date | None
    decree_signer: str
    inaugurated_on: dt.date | None
    funding_source: str
    is_demo: bool

    @staticmethod
    def resolve_village_code(obj: Unit) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: Unit) -> str:
        return obj.village.name

    @staticmethod
    def resolve_district_name(obj: Unit) -> str:
        return obj.village.district.name

    @staticmethod
    def resolve_regency_code(obj: Unit) -> str:
        return obj.village.regency_id

    @staticmethod
    def resolve_regency_name(obj: Unit) -> str:
        return obj.village.regency.full_name

    @staticmethod
    def resolve_province_code(obj: Unit) -> str:
        return obj.village.province_id

    @staticmethod
    def resolve_office_name(obj: Unit) -> str:
        return obj.office.name


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_on: dt.date
    reason: str
    changed_by_id: int | None
    visit_id: int | None


class UnitDetailOut(UnitOut):
    history: list[StatusChangeOut]
    trained_agents: int
    trained_rule_min: int


class UnitFilters(Schema):
    q: str = ""
    area: str = Field("", description="Kemendagri code of a region of any level (province to village)")
    province: str = ""
    regency: str = ""
    office: int | None = None
    status: str = ""
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class UnitIn(Schema):
    name: str
    village_code: str
    office_id: int
    decree_number: str = ""
    decree_date: dt.date | None = None
    decree_signer: str = ""
    inaugurated_on: dt.date | None = None
    funding_source: str = ""
    notes: str = ""


class StatusIn(Schema):
    to_status: str
    reason: str
    changed_on: dt.date | None = None


class AgentOut(Schema):
    id: int
    unit_id: int
    name: str
    sex: str
    birth_year: int
    phone: str
    tags: list[str]
    former_user: bool | None  # null: not visible to the caller
    role: str | None
    active: bool
    has_login: bool
    is_demo: bool


class AgentIn(Schema):
    name: str
    sex: str
    birth_year: int
    phone: str = ""
    tags: list[str] = []
    former_user: bool = False
    role: str = "member"
    active_from: dt.date | None = None


class StakeholderOut(Schema):
    id: int
    unit_id: int
    institution_type: str
    institution: str
    role: str
    contact_person: str
    since: dt.date | None
    at_inauguration: bool
    is_demo: bool


class StakeholderIn(Schema):
    institution_type: str
    institution: str
    role: str
    contact_person: str = ""
    since: dt.date | None = None
    at_inauguration: bool = False
    notes: str = ""


class EventOut(Schema):
    id: int
    unit_id: int
    office_id: int
    kind: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    topics: list[str]
    is_demo: bool


class ParticipantOut(Schema):
    id: int
    agent_id: int | None
    staff_id: int | None
    name: str
    days_present: list[dt.date]
    completed: bool


class EventDetailOut(EventOut):
    days: list[dt.date]
    participants: list[ParticipantOut]


class EventIn(Schema):
    kind: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    topics: list[str] = []
    office_id: int | None = None
    notes: str = ""
    agent_ids: list[int] = []


class AttendanceMark(Schema):
    participant_id: int
    days: list[dt.date]


class AttendanceIn(Schema):
    marks: list[AttendanceMark]


class FollowUpOut(Schema):
    id: int
    action: str
    due_on: dt.date
    completed_on: dt.date | None


class VisitOut(Schema):
    id: int
    unit_id: int
    office_id: int
    visited_on: dt.date
    visited_by_id: int
    checklist: dict[str, bool]
    findings: str
    flagged_needs_support: bool
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj: Visit) -> list[Any]:
        return list(obj.follow_ups.all())


class FollowUpIn(Schema):
    action: str
    due_on: dt.date


class VisitIn(Schema):
    visited_on: dt.date
    findings: str
    checklist: dict[str, bool] = {}
    follow_ups: list[FollowUpIn] = []
    flag_needs_support: bool = False


class PlanOut(Schema):
    unit_id: int
    year: int
    clients_screened: int
    clients_served: int
    referrals: int
    community_activities: int
    participants_reached: int
    notes: str


class PlanIn(Schema):
    clients_screened: int = 0
    clients_served: int = 0
    referrals: int = 0
    community_activities: int = 0
    participants_reached: int = 0
    notes: str = ""


# --- Helpers ------------------------------------------------------------------


def _agent_out(agent: Agent, sensitive: bool) -> dict[str, Any]:
    memberships = getattr(agent, "open_memberships", None)
    membership = memberships[0] if memberships else (
        None if memberships is not None else open_membership(agent)
    )
    return {
        "id": agent.pk, "unit_id": agent.unit_id, "name": agent.name, "sex": agent.sex,
        "birth_year": agent.birth_year, "phone": agent.phone, "tags": agent.tags,
        "former_user": agent.former_user if sensitive else None,
        "role": membership.role if membership else None, "active": membership is not None,
        "has_login": agent.user_id is not None, "is_demo": agent.is_demo,
    }


def _unit_detail(request: HttpRequest, unit: Unit) -> Unit:
    """The unit with its history and trained count attached for :class:`UnitDetailOut`."""
    unit.history = list(sel.unit_status_history(user=request.user, unit=unit))  # type: ignore[attr-defined]
    unit.trained_agents = len(sel.unit_trained_agents(unit=unit))  # type: ignore[attr-defined]
    unit.trained_rule_min = sel.trained_min_agents()  # type: ignore[attr-defined]
    return unit


def _event_detail(event: TrainingEvent) -> dict[str, Any]:
    data = EventOut.model_validate(event).model_dump()
    data["days"] = event.days
    data["participants"] = [
        {"id": p.pk, "agent_id": p.agent_id, "staff_id": p.staff_id,
         "name": p.agent.name if p.agent else (p.staff.full_name or p.staff.username if p.staff else ""),
         "days_present": sorted(p.days_present), "completed": p.completed}  # type: ignore[attr-defined]
        for p in sel.event_participants(event=event)
    ]
    return data


# --- Units --------------------------------------------------------------------


@router.get("/", response=list[UnitOut], url_name="units_unit_list", summary="IBM units (directory)")
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> list[Unit]:
    require(request.user, Perm.UNITS_VIEW)
    area = filters.area or filters.regency or filters.province  # the narrowest given
    qs = sel.unit_list(user=request.user, search=filters.q, area=area, office=filters.office,
                       status=filters.status)
    return list(qs[filters.offset : filters.offset + filters.limit])


@router.post("/", response={201: UnitDetailOut}, auth=MANAGE, url_name="units_unit_create",
             summary="Record a new unit (starts as proposed)")
def unit_create(request: HttpRequest, payload: UnitIn) -> Status:
    village = get_object_or_404(Village, pk=payload.village_code)
    office = get_object_or_404(Office, pk=payload.office_id)
    unit = services.unit_create(
        actor=request.user, request=request, village=village, office=office,
        **payload.model_dump(exclude={"village_code", "office_id"}),
    )
    return Status(201, _unit_detail(request, sel.unit_get(user=request.user, pk=unit.pk)))


@router.get("/{int:unit_id}", response=UnitDetailOut, url_name="units_unit_get",
            summary="One unit with its status history")
def unit_get(request: HttpRequest, unit_id: int) -> Unit:
    return _unit_detail(request, sel.unit_get(user=request.user, pk=unit_id))


@router.post("/{int:unit_id}/status", response=UnitDetailOut, auth=MANAGE, url_name="units_unit_status",
             summary="Move a unit along its status workflow")
def unit_status(request: HttpRequest, unit_id: int, payload: StatusIn) -> Unit:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    services.unit_change_status(actor=request.user, request=request, unit=unit, **payload.model_dump())
    return _unit_detail(request, sel.unit_get(user=request.user, pk=unit_id))


# --- Agents -------------------------------------------------------------------


@router.get("/{int:unit_id}/agents", response=list[AgentOut], url_name="units_unit_agents",
            summary="Agents of a unit (current and former)")
def agent_list(request: HttpRequest, unit_id: int) -> list[dict[str, Any]]:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    sensitive = can_see_sensitive(request.user, unit)
    return [_agent_out(a, sensitive) for a in sel.agent_list(user=request.user, unit=unit)]


@router.post("/{int:unit_id}/agents", response={201: AgentOut}, auth=ROSTER, url_name="units_unit_agents",
             summary="Recruit an agent into the unit")
def agent_create(request: HttpRequest, unit_id: int, payload: AgentIn) -> Status:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    agent = services.agent_create(actor=request.user, request=request, unit=unit, **payload.model_dump())
    return Status(201, _agent_out(agent, can_see_sensitive(request.user, unit)))


@router.get("/agents/{int:agent_id}", response=AgentOut, url_name="units_agent_get", summary="One agent")
def agent_get(request: HttpRequest, agent_id: int) -> dict[str, Any]:
    agent = sel.agent_get(user=request.user, pk=agent_id)
    return _agent_out(agent, can_see_sensitive(request.user, agent.unit))


# --- Stakeholders -------------------------------------------------------------


@router.get("/{int:unit_id}/stakeholders", response=list[StakeholderOut],
            url_name="units_unit_stakeholders", summary="Stakeholders of a unit")
def stakeholder_list(request: HttpRequest, unit_id: int) -> list[Stakeholder]:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    return list(sel.stakeholder_list(user=request.user, unit=unit))


@router.post("/{int:unit_id}/stakeholders", response={201: StakeholderOut}, auth=ROSTER,
             url_name="units_unit_stakeholders", summary="Record a stakeholder of the unit")
def stakeholder_create(request: HttpRequest, unit_id: int, payload: StakeholderIn) -> Status:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    stakeholder = services.stakeholder_create(actor=request.user, request=request, unit=unit,
                                              **payload.model_dump())
    return Status(201, stakeholder)


# --- Events -------------------------------------------------------------------


@router.get("/{int:unit_id}/events", response=list[EventOut], url_name="units_unit_events",
            summary="Capacity-building events of a unit")
def event_list(request: HttpRequest, unit_id: int) -> list[TrainingEvent]:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    return list(sel.event_list(user=request.user, unit=unit))


@router.post("/{int:unit_id}/events", response={201: EventDetailOut}, auth=MANAGE,
             url_name="units_unit_events", summary="Record an event (with its agent participants)")
def event_create(request: HttpRequest, unit_id: int, payload: EventIn) -> Status:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    office = get_object_or_404(Office, pk=payload.office_id) if payload.office_id else None
    # The participants are checked before anything is written: an unknown agent
    # leaves no event behind.
    agents = list(sel.agent_list(user=request.user, unit=unit).filter(pk__in=payload.agent_ids))
    if len(agents) != len(set(payload.agent_ids)):
        raise Http404
    with transaction.atomic():
        event = services.event_create(
            actor=request.user, request=request, unit=unit, office=office,
            **payload.model_dump(exclude={"office_id", "agent_ids"}),
        )
        services.event_set_participants(actor=request.user, request=request, event=event, agents=agents)
    return Status(201, _event_detail(event))


@router.get("/events/{int:event_id}", response=EventDetailOut, url_name="units_event_get",
            summary="One event with participants and attendance per day")
def event_get(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _event_detail(sel.event_get(user=request.user, pk=event_id))


@router.put("/events/{int:event_id}/attendance", response=EventDetailOut, auth=MANAGE,
            url_name="units_event_attendance", summary="Set who was present on which day")
def event_attendance(request: HttpRequest, event_id: int, payload: AttendanceIn) -> dict[str, Any]:
    event = sel.event_get(user=request.user, pk=event_id)
    services.event_record_attendance(actor=request.user, request=request, event=event,
                                     attendance={m.participant_id: m.days for m in payload.marks})
    return _event_detail(event)


# --- Visits -------------------------------------------------------------------


@router.get("/{int:unit_id}/visits", response=list[VisitOut], url_name="units_unit_visits",
            summary="Supervision visits of a unit")
def visit_list(request: HttpRequest, unit_id: int) -> list[Visit]:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    return list(sel.visit_list(user=request.user, unit=unit).prefetch_related("follow_ups"))


@router.post("/{int:unit_id}/visits", response={201: VisitOut}, auth=MANAGE, url_name="units_unit_visits",
             summary="Record a supervision visit")
def visit_create(request: HttpRequest, unit_id: int, payload: VisitIn) -> Status:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    visit = services.visit_create(
        actor=request.user, request=request, unit=unit, visited_on=payload.visited_on,
        findings=payload.findings, checklist=payload.checklist,
        follow_ups=[(f.action, f.due_on) for f in payload.follow_ups],
        flag_needs_support=payload.flag_needs_support,
    )
    return Status(201, visit)


@router.get("/visits/{int:visit_id}", response=VisitOut, url_name="units_visit_get",
            summary="One supervision visit with its follow-ups")
def visit_get(request: HttpRequest, visit_id: int) -> Visit:
    return sel.visit_get(user=request.user, pk=visit_id)


# --- Work plans ---------------------------------------------------------------


@router.get("/{int:unit_id}/plans", response=list[PlanOut], url_name="units_unit_plans",
            summary="Yearly work plans of a unit")
def plan_list(request: HttpRequest, unit_id: int) -> list[WorkPlan]:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    return list(sel.workplan_list(user=request.user, unit=unit))


@router.put("/{int:unit_id}/plans/{int:year}", response=PlanOut, auth=ROSTER, url_name="units_unit_plan",
            summary="Set the targets of one year")
def plan_put(request: HttpRequest, unit_id: int, year: int, payload: PlanIn) -> WorkPlan:
    unit = sel.unit_get(user=request.user, pk=unit_id)
    return services.workplan_save(actor=request.user, request=request, unit=unit, year=year,
                                  targets=payload.model_dump(exclude={"notes"}), notes=payload.notes)
