"""The pages: Indonesian validation messages, sensitive data, and the directory filters."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.regions.models import Village
from pulih.testing.world import World
from pulih.units.models import Agent
from pulih.units.services import agent_create, unit_create

pytestmark = pytest.mark.django_db


def test_a_unit_outside_the_offices_work_area_gets_a_clear_indonesian_message(
    world: World, as_user: Any
) -> None:
    res = as_user(world.adam).post("/units/new/", {
        "name": "IBM Sungailiat", "village": "19.01.01.1001", "office": world.bnnk_pkp.pk,
    })
    assert res.status_code == 200
    assert "tidak membina" in res.content.decode() and "wilayah kerjanya" in res.content.decode()


def test_a_second_unit_in_a_village_is_refused_on_the_form(world: World, as_user: Any) -> None:
    res = as_user(world.pat).post("/units/new/", {
        "name": "Dobel", "village": "19.04.02.2020", "office": world.bnnk_pkp.pk,
    })
    assert "sudah memiliki unit IBM yang belum nonaktif" in res.content.decode()


def test_an_agent_with_an_impossible_birth_year_is_refused_in_indonesian(
    world: World, as_user: Any
) -> None:
    res = as_user(world.carol).post(f"/units/{world.unit_kayu_aro.pk}/agents/new/", {
        "name": "Siti", "sex": "f", "birth_year": "2020", "role": "member", "active_from": "2024-01-01",
    })
    assert "Tahun lahir harus antara" in res.content.decode()
    assert not Agent.objects.exists()


def test_former_user_shows_inside_the_unit_and_only_as_a_count_elsewhere(
    world: World, as_user: Any
) -> None:
    agent_create(actor=world.sam, unit=world.unit_kayu_aro, name="Agen Rahasia", sex="m", birth_year=1990,
                 former_user=True)
    url = f"/units/{world.unit_kayu_aro.pk}/"
    assert "Mantan pengguna</span>" in as_user(world.alice).get(url).content.decode()
    page = as_user(world.olga).get(url).content.decode()
    assert "Mantan pengguna</span>" not in page
    assert "Mantan pengguna di antara agen aktif: &lt;5." in page
    form = as_user(world.adam).get(f"/units/{world.unit_kayu_aro.pk}/agents/new/").content.decode()
    assert 'name="former_user"' not in form


def test_the_directory_filters_and_is_scoped(world: World, as_user: Any) -> None:
    unit_create(actor=world.adam, name="IBM Sungailiat", village=Village.objects.get(code="19.01.01.1001"),
                office=world.bnnp_babel)
    olga = as_user(world.olga)
    # One place filter, any level, through the region search's picker.
    for code in ("19", "19.01", "19.01.01", "19.01.01.1001", "1901011001"):
        page = olga.get(f"/units/?area={code}").content.decode()
        assert "IBM Sungailiat" in page and "IBM Bina Masyarakat" not in page, code
        assert 'data-region-picker data-level=""' in page and 'name="area" value="19' in page
    assert "IBM Sungailiat" not in olga.get("/units/?area=19.04").content.decode()
    wrong = olga.get("/units/?area=99.99", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "IBM Sungailiat" not in wrong and "IBM Bina Masyarakat" not in wrong
    assert "Pilih tempat dari hasil pencarian." in wrong
    assert "IBM Air Mesu Timur" in olga.get(f"/units/?office={world.bnnk_pkp.pk}").content.decode()
    assert "IBM Sungailiat" in olga.get("/units/?status=proposed&q=sungai").content.decode()
    pat = as_user(world.pat).get("/units/").content.decode()
    assert "IBM Air Mesu Timur" in pat and "IBM Bina Masyarakat" not in pat and "IBM Sungailiat" not in pat
    assert "IBM Bina Masyarakat" not in as_user(world.bob).get("/units/").content.decode()


def test_the_menu_and_home_offer_the_units_pages(world: World, as_user: Any) -> None:
    home = as_user(world.pat).get("/").content.decode()
    assert "/units/" in home and "/units/new/" in home
    assert "/units/new/" not in as_user(world.alice).get("/").content.decode()
