from __future__ import annotations

import datetime as dt

import pytest

from pulih.accounts import demo as accounts_demo
from pulih.organisations import demo as organisations_demo
from pulih.organisations.models import Unit
from pulih.units import demo
from pulih.units.models import Agent, Stakeholder, TrainingEvent
from pulih.units.selectors import event_participants

pytestmark = pytest.mark.django_db


def _load() -> None:
    for module in (organisations_demo, accounts_demo, demo):
        module.load(lambda _msg: None)


def test_the_demo_tells_the_two_articles_and_marks_the_rest_illustrative(regions: None) -> None:
    _load()
    _load()  # idempotent
    kayu = Unit.objects.get(village_id="15.05.02.2003")
    guests = list(Stakeholder.objects.filter(unit=kayu).order_by("id").values_list("role", flat=True))
    assert len(guests) == 10 and guests[0] == "Wakil Bupati Muaro Jambi" and guests[-1] == "Tokoh masyarakat"
    assert all(s.at_inauguration and s.since == dt.date(2021, 4, 12) and not s.contact_person
               for s in Stakeholder.objects.filter(unit=kayu))
    assert kayu.status_changes.get().changed_on == dt.date(2021, 4, 12)

    mesu = Unit.objects.get(village_id="19.04.02.2020")
    event = TrainingEvent.objects.get(unit=mesu)
    assert event.kind == "bimtek"
    assert (event.starts_on, event.ends_on) == (dt.date(2022, 5, 11), dt.date(2022, 5, 13))
    assert event.venue.startswith("Aula Kantor Desa Air Mesu Timur")
    assert event.topics == ["planning", "implementation", "management", "monitoring"]
    assert event.office.name == "BNNK Kota Pangkalpinang"
    assert all(p.completed for p in event_participants(event=event))  # type: ignore[attr-defined]
    assert "ilustrasi" in event.notes

    assert Agent.objects.filter(unit=kayu).count() == 5 and Agent.objects.filter(unit=mesu).count() == 5
    assert not Agent.objects.filter(is_demo=False).exists()
    assert set(Agent.objects.filter(user__isnull=False).values_list("user__username", flat=True)) == {
        "ketua.kayuaro", "agen.kayuaro", "agen.airmesu"}
    assert Agent.objects.get(user__username="ketua.kayuaro").memberships.get().role == "coordinator"
