"""Reads of programme management, always through the one scoping module."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from pulih.accounts.models import User
from pulih.accounts.roles import Perm, Role
from pulih.accounts.scoping import get_scoped_or_404, scope_for, scope_queryset
from pulih.organisations.models import Office, Unit
from pulih.regions.selectors import within
from pulih.units.models import (
    Agent,
    Attendance,
    BackgroundTag,
    Evaluation,
    EventKind,
    FollowUp,
    Membership,
    Participant,
    Stakeholder,
    TrainingEvent,
    UnitStatusChange,
    Visit,
    WorkPlan,
)

# Aggregates leaving the unit show 1–4 as "<5" (domain.md §4).
SUPPRESS_BELOW = 5


def suppress(count: int) -> str:
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def trained_min_agents() -> int:
    return int(getattr(settings, "PULIH_UNIT_TRAINED_MIN_AGENTS", 3))


# --- Units --------------------------------------------------------------------


def unit_list(
    *,
    user: Any,
    search: str = "",
    area: str = "",
    office: int | None = None,
    status: str = "",
) -> QuerySet[Unit]:
    """The units the user may see; ``area`` is a region code of any level."""
    qs = scope_queryset(user, Unit.objects.all(), Perm.UNITS_VIEW)
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(village__name__icontains=search) | Q(village_id=search)
        )
    if area:
        qs = qs.filter(within(area))
    if office:
        qs = qs.filter(office_id=office)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "village__district", "village__regency", "village__province", "office"
    ).order_by("name", "id")


def unit_get(*, user: Any, pk: int) -> Unit:
    return get_scoped_or_404(
        user,
        Unit.objects.select_related(
            "village__district", "village__regency", "village__province", "office"
        ),
        Perm.UNITS_VIEW,
        pk=pk,
    )


def unit_status_history(*, user: Any, unit: Unit) -> QuerySet[UnitStatusChange]:
    qs = scope_queryset(user, UnitStatusChange.objects.filter(unit=unit), Perm.UNITS_VIEW)
    return qs.select_related("changed_by", "visit")


# --- Agents -------------------------------------------------------------------


def _open_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(active_to__isnull=True).select_related("unit"),
        to_attr="open_memberships",
    )


def agent_list(*, user: Any, unit: Unit | None = None, active_only: bool = False) -> QuerySet[Agent]:
    qs = scope_queryset(user, Agent.objects.all(), Perm.UNITS_VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if active_only:
        qs = qs.filter(memberships__active_to__isnull=True)
    return qs.select_related("unit", "user").prefetch_related(_open_memberships()).order_by("name", "id")


def agent_get(*, user: Any, pk: int) -> Agent:
    return get_scoped_or_404(
        user,
        Agent.objects.select_related("unit__office", "unit__village", "user").prefetch_related(
            _open_memberships()
        ),
        Perm.UNITS_VIEW,
        pk=pk,
    )


def agent_memberships(*, agent: Agent) -> QuerySet[Membership]:
    """The whole history of an agent the caller may already see (moving keeps it)."""
    return agent.memberships.select_related("unit__village").order_by("-active_from", "-id")


def unit_memberships(*, user: Any, unit: Unit) -> QuerySet[Membership]:
    qs = scope_queryset(user, Membership.objects.filter(unit=unit), Perm.UNITS_VIEW)
    return qs.select_related("agent").order_by("active_to", "-active_from", "id")


class BackgroundSummary(TypedDict):
    active_agents: int
    by_tag: dict[str, int]
    former_users: str  # suppressed: "<5" for 1–4


def agent_background_summary(*, units: QuerySet[Unit]) -> BackgroundSummary:
    """Active agents of ``units`` by background; "former user" only as a suppressed count."""
    agents = Agent.objects.filter(
        unit__in=units.values("pk"), memberships__active_to__isnull=True
    ).values_list("tags", "former_user")
    tags: Counter[str] = Counter()
    total = former = 0
    for agent_tags, former_user in agents:
        total += 1
        former += int(former_user)
        tags.update(t for t in agent_tags if t in BackgroundTag.values)
    return {"active_agents": total, "by_tag": dict(tags), "former_users": suppress(former)}


# --- Training -----------------------------------------------------------------


def event_list(*, user: Any, unit: Unit | None = None) -> QuerySet[TrainingEvent]:
    qs = scope_queryset(user, TrainingEvent.objects.all(), Perm.UNITS_VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit", "office").annotate(participant_count=Count("participants"))


def event_get(*, user: Any, pk: int) -> TrainingEvent:
    return get_scoped_or_404(
        user, TrainingEvent.objects.select_related("unit__village", "office"), Perm.UNITS_VIEW, pk=pk
    )


def event_participants(*, event: TrainingEvent) -> list[Participant]:
    """Participants with ``days_present`` (a set of dates) and ``completed``."""
    participants = list(
        event.participants.select_related("agent", "staff").prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.order_by("day"))
        )
    )
    days = set(event.days)
    for p in participants:
        present = {a.day for a in p.attendance.all()}
        p.days_present = present  # type: ignore[attr-defined]
        p.completed = days <= present  # type: ignore[attr-defined]
    return participants


def _completed_participations(
    agent_ids: list[int], kind: str | None = None
) -> dict[int, list[TrainingEvent]]:
    """Events each agent attended on every day, keyed by agent id."""
    qs = Participant.objects.filter(agent_id__in=agent_ids).select_related("event__office")
    if kind:
        qs = qs.filter(event__kind=kind)
    qs = qs.annotate(days_present=Count("attendance"))
    done: dict[int, list[TrainingEvent]] = {}
    for p in qs:
        if p.agent_id is not None and p.days_present >= len(p.event.days):
            done.setdefault(p.agent_id, []).append(p.event)
    return done


def agent_training_history(*, agent: Agent) -> list[dict[str, Any]]:
    """Every event the agent took part in, with days present and whether completed."""
    rows = []
    participations = (
        agent.participations.select_related("event__unit", "event__office")
        .annotate(days_present=Count("attendance"))
        .order_by("-event__starts_on")
    )
    for p in participations:
        total = len(p.event.days)
        rows.append({
            "event": p.event,
            "days_present": p.days_present,
            "days_total": total,
            "completed": p.days_present >= total,
        })
    return rows


def unit_trained_agents(*, unit: Unit) -> list[Agent]:
    """Active agents of the unit who attended every day of at least one bimtek."""
    active = list(
        Agent.objects.filter(unit=unit, memberships__unit=unit, memberships__active_to__isnull=True)
    )
    done = _completed_participations([a.pk for a in active], kind=EventKind.BIMTEK)
    return [a for a in active if a.pk in done]


def unit_meets_trained_rule(*, unit: Unit) -> bool:
    """The configurable "trained" rule: ``PULIH_UNIT_TRAINED_MIN_AGENTS`` (default 3)."""
    return len(unit_trained_agents(unit=unit)) >= trained_min_agents()


# --- Stakeholders, visits, evaluations, plans ---------------------------------


def stakeholder_list(*, user: Any, unit: Unit | None = None) -> QuerySet[Stakeholder]:
    qs = scope_queryset(user, Stakeholder.objects.all(), Perm.UNITS_VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit")


def stakeholder_get(*, user: Any, pk: int) -> Stakeholder:
    return get_scoped_or_404(user, Stakeholder.objects.select_related("unit"), Perm.UNITS_VIEW, pk=pk)


def visit_list(*, user: Any, unit: Unit | None = None) -> QuerySet[Visit]:
    qs = scope_queryset(user, Visit.objects.all(), Perm.UNITS_VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit", "office", "visited_by").annotate(
        open_follow_ups=Count("follow_ups", filter=Q(follow_ups__completed_on__isnull=True))
    )


def visit_get(*, user: Any, pk: int) -> Visit:
    return get_scoped_or_404(
        user, Visit.objects.select_related("unit__village", "office", "visited_by"),
        Perm.UNITS_VIEW, pk=pk,
    )


def followup_get(*, user: Any, pk: int) -> FollowUp:
    return get_scoped_or_404(
        user, FollowUp.objects.select_related("visit__unit"), Perm.UNITS_VIEW, pk=pk
    )


def evaluation_list(*, user: Any, unit: Unit) -> QuerySet[Evaluation]:
    qs = scope_queryset(user, Evaluation.objects.filter(unit=unit), Perm.UNITS_VIEW)
    return qs.select_related("evaluated_by")


def workplan_list(*, user: Any, unit: Unit | None = None) -> QuerySet[WorkPlan]:
    qs = scope_queryset(user, WorkPlan.objects.all(), Perm.UNITS_VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit")


def workplan_get(*, user: Any, unit: Unit, year: int) -> WorkPlan | None:
    return workplan_list(user=user, unit=unit).filter(year=year).first()


class WorkPlanTargets(TypedDict):
    """The yearly targets reports compare against (all zero when no plan exists)."""

    unit_id: int
    year: int
    has_plan: bool
    clients_screened: int
    clients_served: int
    referrals: int
    community_activities: int
    participants_reached: int


def workplan_targets(*, unit: Unit, year: int) -> WorkPlanTargets:
    """Targets of ``unit`` for ``year``, for reports (the caller has scoped ``unit``)."""
    plan = WorkPlan.objects.filter(unit=unit, year=year).first()
    return {
        "unit_id": unit.pk,
        "year": year,
        "has_plan": plan is not None,
        "clients_screened": plan.clients_screened if plan else 0,
        "clients_served": plan.clients_served if plan else 0,
        "referrals": plan.referrals if plan else 0,
        "community_activities": plan.community_activities if plan else 0,
        "participants_reached": plan.participants_reached if plan else 0,
    }


def today() -> dt.date:
    return timezone.localdate()


# --- Choices for forms --------------------------------------------------------


def office_choices(*, user: Any) -> QuerySet[Office]:
    """Offices a user may put a unit or an event under: any for national staff, else their own
    office and the offices under it."""
    qs = Office.objects.filter(is_active=True)
    if scope_for(user).is_national:
        return qs.order_by("kind", "name")
    return qs.filter(Q(pk=user.office_id) | Q(parent_id=user.office_id)).order_by("kind", "name")


def event_staff_candidates(*, event: TrainingEvent) -> QuerySet[User]:
    """Staff who can be named as participants: active office staff of the organising or the
    supervising office. A deliberately narrow read of ``accounts.user`` (names only), which the
    general scoping rule keeps national."""
    return User.objects.filter(
        is_active=True, role__in=[Role.SUPERVISOR, Role.OFFICE_STAFF],
        office_id__in={event.office_id, event.unit.office_id},
    ).order_by("full_name")
