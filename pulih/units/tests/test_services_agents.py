from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pulih.accounts.models import User
from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError
from pulih.testing.world import World
from pulih.units.access import can_see_sensitive
from pulih.units.audit_codes import UnitAction
from pulih.units.models import Agent, Membership
from pulih.units.selectors import agent_background_summary, suppress, unit_list
from pulih.units.services import (
    agent_create,
    agent_grant_login,
    agent_leave,
    agent_link_user,
    agent_move,
    agent_update,
)

pytestmark = pytest.mark.django_db
D = dt.date


def _agent(w: World, actor: object = None, **kw: object) -> Agent:
    data = {"name": "Siti", "sex": "f", "birth_year": 1985, "active_from": D(2023, 1, 1)} | kw
    return agent_create(actor=actor or w.carol, unit=w.unit_kayu_aro, **data)  # type: ignore[arg-type]


def test_a_coordinator_recruits_an_agent_with_a_first_membership(world: World) -> None:
    agent = _agent(world, tags=["youth", "health_cadre"], role="secretary", phone="0812 3456 7890")
    membership = agent.memberships.get()
    assert (membership.unit, membership.role) == (world.unit_kayu_aro, "secretary")
    assert membership.active_to is None
    assert agent.tags == ["health_cadre", "youth"] and agent.phone == "0812 3456 7890"
    assert AuditEvent.objects.filter(action=UnitAction.AGENT_CREATED, object_id=str(agent.pk)).exists()


def test_the_phone_is_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    agent = _agent(world, phone="081234567890")
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM units_agent WHERE id = %s", [agent.pk])
        raw = cur.fetchone()[0]
    assert "081234567890" not in raw


@pytest.mark.parametrize("field,value,code", [
    ("birth_year", 1900, "birth_year_range"), ("birth_year", dt.date.today().year, "birth_year_range"),
    ("phone", "call me", "phone_format"), ("name", "  ", "required"),
])
def test_it_refuses_bad_identity_with_a_message_on_the_field(world: World, field: str, value: object,
                                                            code: str) -> None:
    with pytest.raises(DomainError) as err:
        _agent(world, **{field: value})
    assert err.value.field == field and err.value.code == code


def test_an_agent_of_the_unit_or_a_stranger_cannot_recruit(world: World) -> None:
    for user in (world.alice, world.bob, world.olga, world.pat):
        with pytest.raises(PermissionDenied):
            _agent(world, actor=user)


def test_a_unit_has_one_active_coordinator(world: World) -> None:
    _agent(world, role="coordinator")
    with pytest.raises(DomainError) as err:
        _agent(world, name="Budi", sex="m", role="coordinator")
    assert err.value.code == "coordinator_exists"


def test_former_user_is_seen_inside_the_unit_and_by_its_supervising_office_only(world: World) -> None:
    unit = world.unit_kayu_aro
    assert can_see_sensitive(world.alice, unit) and can_see_sensitive(world.carol, unit)
    assert can_see_sensitive(world.sam, unit)
    for outsider in (world.bob, world.pat, world.olga, world.nina, world.adam, world.dina, world.mira):
        assert not can_see_sensitive(outsider, unit)


def test_only_those_who_may_see_it_can_record_former_user(world: World) -> None:
    agent = _agent(world, former_user=True)
    assert agent.former_user
    with pytest.raises(DomainError) as err:
        agent_create(actor=world.adam, unit=world.unit_kayu_aro, name="X", sex="m", birth_year=1990,
                     former_user=True)
    assert err.value.code == "sensitive_not_allowed"
    # An administrator editing other fields leaves the flag as it is.
    agent_update(actor=world.adam, agent=agent, name="Siti A.", sex="f", birth_year=1985, former_user=None)
    agent.refresh_from_db()
    assert agent.former_user and agent.name == "Siti A."


def test_aggregates_show_former_users_only_as_suppressed_counts(world: World) -> None:
    for i in range(3):
        _agent(world, name=f"A{i}", former_user=True)
    _agent(world, name="B", tags=["youth"])
    summary = agent_background_summary(units=unit_list(user=world.olga))
    assert summary == {"active_agents": 4, "by_tag": {"youth": 1}, "former_users": "<5"}
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def test_moving_keeps_the_history_and_the_login_follows(world: World) -> None:
    agent = _agent(world, actor=world.adam)
    user = agent_grant_login(actor=world.adam, agent=agent, username="siti.ap", password="Sangat-rahasia-42")
    assert (user.role, user.unit) == ("agent", world.unit_kayu_aro)
    agent_move(actor=world.adam, agent=agent, to_unit=world.unit_air_mesu, role="coordinator",
               moved_on=D(2024, 2, 1))
    history = list(agent.memberships.order_by("active_from").values_list("unit_id", "active_to"))
    assert history == [(world.unit_kayu_aro.pk, D(2024, 2, 1)), (world.unit_air_mesu.pk, None)]
    user.refresh_from_db()
    agent.refresh_from_db()
    assert agent.unit == world.unit_air_mesu
    assert (user.unit, user.office, user.role) == (world.unit_air_mesu, world.bnnk_pkp, "coordinator")


def test_a_coordinator_cannot_move_an_agent_into_another_unit(world: World) -> None:
    agent = _agent(world)
    with pytest.raises(PermissionDenied):
        agent_move(actor=world.carol, agent=agent, to_unit=world.unit_air_mesu)


def test_a_move_cannot_predate_the_current_membership_nor_go_to_the_same_unit(world: World) -> None:
    agent = _agent(world)
    with pytest.raises(DomainError) as err:
        agent_move(actor=world.adam, agent=agent, to_unit=world.unit_air_mesu, moved_on=D(2022, 1, 1))
    assert err.value.code == "dates_order"
    with pytest.raises(DomainError) as err:
        agent_move(actor=world.adam, agent=agent, to_unit=world.unit_kayu_aro)
    assert err.value.code == "same_unit"


def test_leaving_closes_the_membership_and_switches_the_login_off(world: World) -> None:
    agent = _agent(world)
    user = agent_grant_login(actor=world.sam, agent=agent, username="siti2", password="Sangat-rahasia-42")
    agent_leave(actor=world.carol, agent=agent, left_on=D(2024, 3, 1))
    user.refresh_from_db()
    assert not user.is_active
    assert Membership.objects.get(agent=agent).active_to == D(2024, 3, 1)
    with pytest.raises(DomainError):
        agent_leave(actor=world.carol, agent=agent)
    # A former agent can rejoin; the history then has two memberships.
    agent_move(actor=world.carol, agent=agent, to_unit=world.unit_kayu_aro, moved_on=D(2024, 6, 1))
    assert agent.memberships.count() == 2


def test_a_login_is_for_supervisors_of_the_unit_and_administrators(world: World) -> None:
    agent = _agent(world)
    for user in (world.carol, world.alice, world.pat, world.olga):
        with pytest.raises(PermissionDenied):
            agent_grant_login(actor=user, agent=agent, username="x1", password="Sangat-rahasia-42")
    with pytest.raises(DomainError) as err:
        agent_grant_login(actor=world.sam, agent=agent, username="alice", password="Sangat-rahasia-42")
    assert err.value.code == "duplicate"
    with pytest.raises(DomainError) as err:
        agent_grant_login(actor=world.sam, agent=agent, username="x1", password="123")
    assert err.value.field == "password"
    user = agent_grant_login(actor=world.sam, agent=agent, username="x1", password="Sangat-rahasia-42")
    assert user.check_password("Sangat-rahasia-42") and user.full_name == "Siti"
    with pytest.raises(DomainError) as err:
        agent_grant_login(actor=world.sam, agent=agent, username="x2", password="Sangat-rahasia-42")
    assert err.value.code == "has_login"


def test_an_existing_unit_login_can_be_linked_to_its_agent_record(world: World) -> None:
    agent = _agent(world)
    agent_link_user(actor=world.sam, agent=agent, user=world.alice)
    assert User.objects.get(pk=world.alice.pk).agent_profile == agent
    other = _agent(world, name="Lain")
    with pytest.raises(DomainError):
        agent_link_user(actor=world.sam, agent=other, user=world.bob)
