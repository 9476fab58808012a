"""Every URL of the units app, for the generated URL × role × scope test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulih.organisations.models import Unit
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World
from pulih.units.models import Agent, FollowUp, Membership, Stakeholder, TrainingEvent, Visit

VIEW = frozenset({"agent", "coordinator", "supervisor", "office_staff", "admin"})
MANAGE = frozenset({"supervisor", "admin"})
ROSTER = frozenset({"supervisor", "admin", "coordinator"})
JAMBI_USERS = {"alice", "carol", "sam"}
BABEL_USERS = {"bob", "pat", "nina", "mira"}


def _other_unit(w: World, user: Any) -> Unit | None:
    """A unit outside ``user``'s scope, or None for national users."""
    if user.username in JAMBI_USERS:
        return w.unit_air_mesu
    if user.username in BABEL_USERS:
        return w.unit_kayu_aro
    return None


def agent_of(unit: Unit) -> Agent:
    agent = Agent.objects.filter(unit=unit, name="Agen Kasus").first()
    if agent is None:
        agent = Agent.objects.create(unit=unit, name="Agen Kasus", sex="f", birth_year=1990)
        Membership.objects.create(agent=agent, unit=unit, role="member", active_from=dt.date(2024, 1, 1))
    return agent


def stakeholder_of(unit: Unit) -> Stakeholder:
    return Stakeholder.objects.get_or_create(
        unit=unit, institution="Pemerintah Desa", defaults={"institution_type": "village_government",
                                                            "role": "Kepala Desa"})[0]


def event_of(unit: Unit) -> TrainingEvent:
    return TrainingEvent.objects.get_or_create(
        unit=unit, title="Bimtek kasus", defaults={
            "office": unit.office, "kind": "bimtek", "starts_on": dt.date(2024, 5, 1),
            "ends_on": dt.date(2024, 5, 3), "venue": "Aula"})[0]


def visit_of(unit: Unit) -> Visit:
    from pulih.accounts.models import User

    visit = Visit.objects.filter(unit=unit).first()
    if visit is None:
        visit = Visit.objects.create(unit=unit, office=unit.office, visited_on=dt.date(2024, 6, 1),
                                     visited_by=User.objects.get(username="adam"), findings="Baik")
    return visit


def followup_of(unit: Unit) -> FollowUp:
    visit = visit_of(unit)
    return FollowUp.objects.get_or_create(visit=visit, action="Tindak lanjut",
                                          defaults={"due_on": dt.date(2024, 7, 1)})[0]


def _unit(unit: Unit) -> Unit:
    return unit


def case(name: str, allowed: frozenset[str], key: str, make: Any,
         methods: tuple[str, ...] = ("get",), **extra: Any) -> UrlCase:
    def kwargs(w: World) -> dict[str, Any]:
        return {key: make(w.unit_kayu_aro).pk, **extra}

    def out_of_scope(w: World, user: Any) -> dict[str, Any] | None:
        unit = _other_unit(w, user)
        return None if unit is None else {key: make(unit).pk, **extra}

    return UrlCase(name, allowed, kwargs=kwargs, out_of_scope=out_of_scope, methods=methods)


GP = ("get", "post")

CASES = [
    UrlCase("units:unit_list", VIEW),
    UrlCase("units:unit_create", MANAGE),
    case("units:unit_detail", VIEW, "pk", _unit),
    case("units:unit_edit", MANAGE, "pk", _unit, GP),
    case("units:unit_status", MANAGE, "pk", _unit, GP),
    case("units:agent_create", ROSTER, "pk", _unit, GP),
    case("units:stakeholder_create", ROSTER, "pk", _unit, GP),
    case("units:event_create", MANAGE, "pk", _unit, GP),
    case("units:visit_create", MANAGE, "pk", _unit, GP),
    case("units:evaluation_create", MANAGE, "pk", _unit, GP),
    case("units:workplan_edit", ROSTER, "pk", _unit, GP, year=2024),
    case("units:agent_detail", VIEW, "pk", agent_of),
    case("units:agent_edit", ROSTER, "pk", agent_of, GP),
    case("units:agent_move", ROSTER, "pk", agent_of, GP),
    case("units:agent_leave", ROSTER, "pk", agent_of, GP),
    case("units:agent_login", MANAGE, "pk", agent_of, GP),
    case("units:stakeholder_edit", ROSTER, "pk", stakeholder_of, GP),
    case("units:event_detail", VIEW, "pk", event_of),
    case("units:event_edit", MANAGE, "pk", event_of, GP),
    case("units:event_participants", MANAGE, "pk", event_of, GP),
    case("units:event_attendance", MANAGE, "pk", event_of, GP),
    case("units:visit_detail", VIEW, "pk", visit_of),
    case("units:followup_create", MANAGE, "pk", visit_of, ("post",)),
    case("units:followup_complete", ROSTER, "pk", followup_of, ("post",)),
    # API: GET and POST share a path (and a URL name); writes are refused before the body is read.
    UrlCase("api:units_unit_list", VIEW),
    UrlCase("api:units_unit_create", MANAGE, methods=("post",)),
    case("api:units_unit_get", VIEW, "unit_id", _unit),
    case("api:units_unit_status", MANAGE, "unit_id", _unit, ("post",)),
    case("api:units_unit_agents", VIEW, "unit_id", _unit, GP),
    case("api:units_agent_get", VIEW, "agent_id", agent_of),
    case("api:units_unit_stakeholders", VIEW, "unit_id", _unit, GP),
    case("api:units_unit_events", VIEW, "unit_id", _unit, GP),
    case("api:units_event_get", VIEW, "event_id", event_of),
    case("api:units_event_attendance", MANAGE, "event_id", event_of, ("put",)),
    case("api:units_unit_visits", VIEW, "unit_id", _unit, GP),
    case("api:units_visit_get", VIEW, "visit_id", visit_of),
    case("api:units_unit_plans", VIEW, "unit_id", _unit),
    case("api:units_unit_plan", ROSTER, "unit_id", _unit, ("put",), year=2024),
]
