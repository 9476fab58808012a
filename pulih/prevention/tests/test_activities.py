"""Community activities: counts only, scoped, idempotent API, small counts suppressed above the village."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from pulih.core.errors import NotAllowed
from pulih.prevention import demo
from pulih.prevention.models import CommunityActivity
from pulih.prevention.selectors import activity_list, activity_summary, suppress
from pulih.prevention.services import ActivityData, activity_create
from pulih.regions.models import Village
from pulih.testing.world import AIR_MESU_TIMUR, KAYU_ARO, World


def _data(code: str, **counts: int) -> ActivityData:
    return ActivityData(
        kind="house_to_house",
        held_on=dt.date(2024, 2, 1),
        village=Village.objects.get(code=code),
        participants={("f", "15-24"): counts.get("f", 0), ("m", "15-24"): counts.get("m", 0)},
    )


@pytest.mark.django_db
def test_an_agent_records_an_activity_of_her_village_linked_to_its_unit(world: World) -> None:
    activity, created = activity_create(actor=world.alice, data=_data(KAYU_ARO, f=3, m=4))
    assert created and activity.unit == world.unit_kayu_aro and activity.participant_total == 7
    assert list(activity_list(user=world.alice)) == [activity]
    assert not activity_list(user=world.bob).exists()
    with pytest.raises(NotAllowed):
        activity_create(actor=world.alice, data=_data(AIR_MESU_TIMUR))


def test_counts_from_one_to_four_are_suppressed() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


@pytest.mark.django_db
def test_the_area_summary_suppresses_small_participant_totals(world: World) -> None:
    activity_create(actor=world.alice, data=_data(KAYU_ARO, f=3))
    assert activity_summary(user=world.sam)["rows"][0]["participants"] == "<5"
    assert activity_summary(user=world.alice)["rows"][0]["participants"] == "3"


@pytest.mark.django_db
def test_the_api_create_is_idempotent_and_refused_to_read_only_roles(world: World, as_user: Any) -> None:
    body = {
        "id": str(uuid.uuid4()),
        "kind": "worship_appeal",
        "held_on": "2024-03-01",
        "village_code": AIR_MESU_TIMUR,
        "partners": ["religious"],
        "participants": [{"sex": "m", "age_band": "35-49", "count": 20}],
    }
    client = as_user(world.bob)
    assert (
        client.post("/api/v1/prevention/activities", body, content_type="application/json").status_code == 201
    )
    assert (
        client.post("/api/v1/prevention/activities", body, content_type="application/json").status_code == 200
    )
    assert CommunityActivity.objects.count() == 1
    refused = as_user(world.mira).post("/api/v1/prevention/activities", body, content_type="application/json")
    assert refused.status_code == 403
    listed = as_user(world.mira).get("/api/v1/prevention/activities").json()
    assert listed[0]["participants"] == [{"sex": "m", "age_band": "35-49", "count": 20}]


@pytest.mark.django_db
def test_the_form_takes_counts_by_sex_and_age_band(world: World, as_user: Any) -> None:
    response = as_user(world.bob).post(
        "/prevention/new/",
        {
            "kind": "security",
            "held_on": "2024-01-10",
            "partners": ["bhabinkamtibmas"],
            "p_f_25_34": "5",
            "newcomers_count": "2",
        },
    )
    assert response.status_code == 302
    activity = CommunityActivity.objects.get()
    assert activity.village_id == AIR_MESU_TIMUR and activity.newcomers_count == 2
    assert [(p.sex, p.age_band, p.count) for p in activity.participants.all()] == [("f", "25-34", 5)]


@pytest.mark.django_db
def test_the_demo_records_the_three_air_mesu_timur_activities_as_illustrative(world: World) -> None:
    demo.load(lambda message: None)
    demo.load(lambda message: None)
    kinds = set(CommunityActivity.objects.values_list("kind", flat=True))
    assert kinds == {"house_to_house", "worship_appeal", "security"}
    assert all(a.is_demo and "ilustrasi" in a.description for a in CommunityActivity.objects.all())
