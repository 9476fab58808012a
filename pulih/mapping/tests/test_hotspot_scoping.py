"""Hotspots are sensitive: only the unit and its supervising staff see them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pulih.mapping.selectors import hotspot_list, map_data
from pulih.mapping.tests.factories import hotspot_for, mapping_for
from pulih.testing.world import World


@pytest.mark.django_db
def test_hotspots_are_seen_by_the_unit_and_its_supervisors_only(world: World) -> None:
    kayu = hotspot_for(world.unit_kayu_aro)
    mesu = hotspot_for(world.unit_air_mesu)
    assert set(hotspot_list(user=world.alice)) == {kayu}
    assert set(hotspot_list(user=world.carol)) == {kayu}
    assert set(hotspot_list(user=world.bob)) == {mesu}
    assert set(hotspot_list(user=world.sam)) == {kayu}
    assert set(hotspot_list(user=world.pat)) == {mesu}
    for outsider in (world.olga, world.nina, world.mira, world.dina, world.adam):
        assert not hotspot_list(user=outsider).exists()


@pytest.mark.django_db
def test_the_map_data_leaves_out_hotspots_for_roles_that_may_not_see_them(world: World) -> None:
    hotspot_for(world.unit_kayu_aro)
    assert [h["label"] for h in map_data(user=world.sam)["hotspots"]] == ["Warung dekat dermaga"]
    for user in (world.olga, world.nina, world.mira, world.adam):
        data = map_data(user=user)
        assert data["hotspots"] is None and data["hotspots_allowed"] is False


@pytest.mark.django_db
def test_the_api_refuses_hotspots_to_staff_without_the_permission(world: World, as_user: Any) -> None:
    hotspot = hotspot_for(world.unit_kayu_aro)
    assert as_user(world.olga).get("/api/v1/mapping/hotspots").status_code == 403
    assert as_user(world.nina).get(f"/api/v1/mapping/hotspots/{hotspot.pk}").status_code == 404
    assert as_user(world.bob).get(f"/api/v1/mapping/hotspots/{hotspot.pk}").status_code == 404
    assert as_user(world.alice).get(f"/api/v1/mapping/hotspots/{hotspot.pk}").status_code == 200
    detail = as_user(world.nina).get(f"/api/v1/mapping/situations/{mapping_for(world.unit_air_mesu).pk}")
    assert detail.status_code == 200 and detail.json()["hotspots"] is None


@pytest.mark.django_db
def test_hotspot_creation_through_the_api_is_idempotent_and_checks_the_point(
    world: World, as_user: Any
) -> None:
    mapping = mapping_for(world.unit_kayu_aro)
    client = as_user(world.alice)
    body = {
        "id": str(uuid.uuid4()),
        "mapping_id": mapping.pk,
        "label": "Terminal bayangan",
        "kind": "terminal",
        "latitude": "-1.51",
        "longitude": "103.71",
    }
    first = client.post("/api/v1/mapping/hotspots", body, content_type="application/json")
    again = client.post("/api/v1/mapping/hotspots", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert mapping.hotspots.count() == 1
    bad = client.post(
        "/api/v1/mapping/hotspots",
        {**body, "id": str(uuid.uuid4()), "latitude": "48.8"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "latitude"
    other = as_user(world.bob).post(
        "/api/v1/mapping/hotspots", {**body, "id": str(uuid.uuid4())}, content_type="application/json"
    )
    assert other.status_code == 404


@pytest.mark.django_db
def test_an_agent_records_a_hotspot_with_a_gps_point_from_the_form(world: World, as_user: Any) -> None:
    mapping = mapping_for(world.unit_kayu_aro)
    page = as_user(world.alice).get(f"/mapping/situations/{mapping.pk}/hotspots/new/")
    assert b"data-gps-button" in page.content and b"mapping/gps.js" in page.content
    response = as_user(world.alice).post(
        f"/mapping/situations/{mapping.pk}/hotspots/new/",
        {
            "label": "Kos putra",
            "kind": "boarding_house",
            "rw": "03",
            "latitude": "-1.5",
            "longitude": "103.7",
        },
    )
    assert response.status_code == 302
    assert mapping.hotspots.get().has_point
