from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pulih.core.errors import DomainError
from pulih.testing.world import World
from pulih.units.models import Attendance, TrainingEvent
from pulih.units.selectors import (
    agent_training_history,
    event_participants,
    unit_meets_trained_rule,
    unit_trained_agents,
)
from pulih.units.services import (
    agent_leave,
    event_create,
    event_record_attendance,
    event_set_participants,
    event_update,
)
from pulih.units.tests.factories import agents, bimtek

pytestmark = pytest.mark.django_db
D = dt.date


def _event(w: World, **kw: object) -> TrainingEvent:
    data = {"kind": "bimtek", "title": "Bimtek IBM", "starts_on": D(2022, 5, 11), "ends_on": D(2022, 5, 13),
            "venue": "Aula Kantor Desa Air Mesu Timur", "topics": ["monitoring", "planning"]} | kw
    return event_create(actor=w.pat, unit=w.unit_air_mesu, **data)  # type: ignore[arg-type]


def test_an_event_spans_days_at_a_venue_with_topics_in_a_stable_order(world: World) -> None:
    event = _event(world)
    assert event.days == [D(2022, 5, 11), D(2022, 5, 12), D(2022, 5, 13)]
    assert event.topics == ["planning", "monitoring"] and event.office == world.bnnk_pkp


@pytest.mark.parametrize("kw,field", [
    ({"ends_on": D(2022, 5, 10)}, "ends_on"), ({"ends_on": D(2022, 6, 30)}, "ends_on"),
    ({"kind": "party"}, "kind"), ({"topics": ["cooking"]}, "topics"), ({"venue": ""}, "venue"),
])
def test_it_refuses_an_event_that_does_not_make_sense(
    world: World, kw: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as err:
        _event(world, **kw)
    assert err.value.field == field


def test_the_organising_office_must_cover_the_unit(world: World) -> None:
    with pytest.raises(DomainError) as err:
        _event(world, office=world.bnnp_jambi)
    assert err.value.code == "office_area"
    assert _event(world, office=world.bnnp_babel).office == world.bnnp_babel


def test_only_supervising_staff_record_events(world: World) -> None:
    for user in (world.bob, world.nina, world.sam):
        with pytest.raises(PermissionDenied):
            event_create(actor=user, unit=world.unit_air_mesu, kind="bimtek", title="x",
                         starts_on=D(2022, 5, 11), ends_on=D(2022, 5, 11), venue="Aula")


def test_participants_are_agents_of_the_unit_and_office_staff(world: World) -> None:
    event = _event(world)
    people = agents(world.pat, world.unit_air_mesu, 2)
    participants = event_set_participants(actor=world.pat, event=event, agents=people, staff=[world.pat])
    assert len(participants) == 3
    outsider = agents(world.sam, world.unit_kayu_aro, 1, prefix="Kayu")
    with pytest.raises(DomainError) as err:
        event_set_participants(actor=world.pat, event=event, agents=outsider)
    assert err.value.code == "agent_other_unit"
    with pytest.raises(DomainError):
        event_set_participants(actor=world.pat, event=event, staff=[world.bob])
    # Setting the list again removes who is no longer named.
    event_set_participants(actor=world.pat, event=event, agents=people[:1])
    assert event.participants.count() == 1


def test_attendance_is_recorded_per_day_and_completion_means_every_day(world: World) -> None:
    people = agents(world.pat, world.unit_air_mesu, 2)
    event = bimtek(world.pat, world.unit_air_mesu, people, full=1)
    rows = {p.agent_id: p for p in event_participants(event=event)}
    assert rows[people[0].pk].completed and not rows[people[1].pk].completed  # type: ignore[attr-defined]
    assert Attendance.objects.filter(participant__event=event).count() == 4
    history = agent_training_history(agent=people[1])
    assert history[0]["days_present"] == 1 and history[0]["days_total"] == 3 and not history[0]["completed"]


def test_attendance_refuses_days_outside_the_event_and_strangers(world: World) -> None:
    event = _event(world)
    people = agents(world.pat, world.unit_air_mesu, 1)
    (p,) = event_set_participants(actor=world.pat, event=event, agents=people)
    with pytest.raises(DomainError) as err:
        event_record_attendance(actor=world.pat, event=event, attendance={p.pk: [D(2022, 5, 14)]})
    assert err.value.code == "day_outside_event"
    with pytest.raises(DomainError) as err:
        event_record_attendance(actor=world.pat, event=event, attendance={p.pk + 999: [D(2022, 5, 11)]})
    assert err.value.code == "unknown_participant"


def test_shortening_an_event_drops_attendance_on_removed_days(world: World) -> None:
    people = agents(world.pat, world.unit_air_mesu, 1)
    event = bimtek(world.pat, world.unit_air_mesu, people)
    event_update(actor=world.pat, event=event, kind="bimtek", title="Bimtek", starts_on=D(2022, 5, 11),
                 ends_on=D(2022, 5, 12), venue="Aula", topics=["planning"])
    assert sorted(Attendance.objects.values_list("day", flat=True)) == [D(2022, 5, 11), D(2022, 5, 12)]
    assert agent_training_history(agent=people[0])[0]["completed"]


def test_the_trained_rule_counts_only_active_agents_who_completed_a_bimtek(
    world: World, settings: object
) -> None:
    unit = world.unit_air_mesu
    people = agents(world.pat, unit, 3)
    assert not unit_meets_trained_rule(unit=unit)
    bimtek(world.pat, unit, people)
    assert unit_meets_trained_rule(unit=unit)
    agent_leave(actor=world.pat, agent=people[0])
    assert len(unit_trained_agents(unit=unit)) == 2 and not unit_meets_trained_rule(unit=unit)
    settings.PULIH_UNIT_TRAINED_MIN_AGENTS = 2  # type: ignore[attr-defined]
    assert unit_meets_trained_rule(unit=unit)


def test_a_completed_pembekalan_does_not_count_as_a_bimtek(world: World) -> None:
    unit = world.unit_air_mesu
    people = agents(world.pat, unit, 3)
    event = _event(world, kind="pembekalan")
    participants = event_set_participants(actor=world.pat, event=event, agents=people)
    event_record_attendance(actor=world.pat, event=event, attendance={p.pk: event.days for p in participants})
    assert not unit_meets_trained_rule(unit=unit)
