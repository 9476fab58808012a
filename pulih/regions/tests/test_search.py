from __future__ import annotations

from typing import Any

import pytest

from pulih.regions.selectors import region_search
from pulih.testing.world import World


@pytest.mark.django_db
def test_kayu_aro_finds_pulau_kayu_aro_with_its_full_path() -> None:
    labels = [hit.label for hit in region_search("Kayu Aro")]
    assert "Pulau Kayu Aro, Sekernan, Muaro Jambi, Jambi" in labels


@pytest.mark.django_db
def test_search_ignores_case_and_accents() -> None:
    plain = [h.code for h in region_search("pulau kayu aro")]
    fancy = [h.code for h in region_search("PULAU KÂYU ÁRÖ")]
    assert plain == fancy
    assert "15.05.02.2003" in plain


@pytest.mark.django_db
def test_search_finds_every_level_and_ranks_exact_names_first() -> None:
    hits = region_search("Jambi")
    assert hits[0].level == "province"
    assert hits[0].code == "15"
    assert {h.level for h in region_search("Sekernan")} >= {"district"}


@pytest.mark.django_db
def test_search_by_code_prefix() -> None:
    hits = region_search("15.05.02")
    assert hits[0].code == "15.05.02"
    assert all(h.code.startswith("15.05.02") for h in hits)


@pytest.mark.django_db
def test_a_name_written_without_spaces_still_matches() -> None:
    assert [h.code for h in region_search("Pangkalpinang", levels=["regency"])] == ["19.71"]


@pytest.mark.django_db
def test_search_can_be_limited_to_an_area_and_a_level() -> None:
    hits = region_search("Air Mesu", levels=["village"], regency_codes=["19.04"])
    assert {h.code for h in hits} == {"19.04.02.2004", "19.04.02.2020"}
    assert region_search("Air Mesu", levels=["village"], regency_codes=["15.05"]) == []


@pytest.mark.django_db
def test_short_queries_return_nothing() -> None:
    assert region_search("a") == []


@pytest.mark.django_db
def test_the_search_api_answers_signed_in_users(world: World, as_user: Any) -> None:
    response = as_user(world.alice).get("/api/v1/regions/search", {"q": "Kayu Aro", "level": "village"})
    assert response.status_code == 200
    body = response.json()
    assert any(h["label"] == "Pulau Kayu Aro, Sekernan, Muaro Jambi, Jambi" for h in body)
    assert {h["level"] for h in body} == {"village"}


@pytest.mark.django_db
def test_the_search_api_refuses_anonymous_requests(client: Any) -> None:
    assert client.get("/api/v1/regions/search", {"q": "Kayu"}).status_code == 401


@pytest.mark.django_db
def test_a_code_typed_without_its_dots_is_found() -> None:
    hits = region_search("1505022003")
    assert hits and hits[0].code == "15.05.02.2003"
    assert region_search("1505")[0].code == "15.05"
