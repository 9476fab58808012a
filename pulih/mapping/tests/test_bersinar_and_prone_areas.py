"""Desa Bersinar (IBM presence derived, forward-only status) and the drug-prone area view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pulih.core.errors import DomainError
from pulih.mapping import demo
from pulih.mapping.models import BersinarStatus, IkrnAssessment
from pulih.mapping.selectors import bersinar_list, prone_area_report
from pulih.mapping.services.bersinar import BersinarData, bersinar_advance, bersinar_create, bersinar_evaluate
from pulih.organisations.models import UnitStatus
from pulih.regions.models import Village
from pulih.testing.world import AIR_MESU_TIMUR, KAYU_ARO, World


@pytest.mark.django_db
def test_ibm_presence_is_read_from_the_unit_register(world: World) -> None:
    b = bersinar_create(
        actor=world.pat, village=Village.objects.get(code=AIR_MESU_TIMUR), data=BersinarData()
    )
    assert bersinar_list(user=world.pat).get(pk=b.pk).has_ibm is True  # type: ignore[attr-defined]
    world.unit_air_mesu.status = UnitStatus.INACTIVE
    world.unit_air_mesu.save()
    assert bersinar_list(user=world.pat).get(pk=b.pk).has_ibm is False  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_status_moves_forward_only_when_its_conditions_are_met(world: World) -> None:
    village = Village.objects.get(code=AIR_MESU_TIMUR)
    b = bersinar_create(actor=world.pat, village=village, data=BersinarData())
    with pytest.raises(DomainError):
        bersinar_advance(actor=world.pat, bersinar=b)
    b.decree_number, b.decree_date = "SK/01/2022", dt.date(2022, 6, 1)
    b.save()
    assert bersinar_advance(actor=world.pat, bersinar=b).status == BersinarStatus.DESIGNATED
    with pytest.raises(DomainError):
        bersinar_advance(actor=world.pat, bersinar=b)  # no launch date yet
    b.launched_on = dt.date(2022, 7, 1)
    b.save()
    assert bersinar_advance(actor=world.pat, bersinar=b).status == BersinarStatus.ACTIVE
    bersinar_evaluate(
        actor=world.pat, bersinar=b, evaluated_on=dt.date(2023, 7, 1), evaluator="BNNK", summary="ok"
    )
    b.refresh_from_db()
    assert b.status == BersinarStatus.EVALUATED and b.evaluations.count() == 1


@pytest.mark.django_db
def test_a_supervisor_cannot_record_a_desa_bersinar_outside_the_work_area(world: World) -> None:
    from pulih.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        bersinar_create(
            actor=world.sam, village=Village.objects.get(code=AIR_MESU_TIMUR), data=BersinarData()
        )


@pytest.mark.django_db
def test_the_demo_records_kayu_aro_as_drug_prone_without_inventing_a_category(world: World) -> None:
    demo.load(lambda message: None)
    demo.load(lambda message: None)  # idempotent
    record = IkrnAssessment.objects.get(village_id=KAYU_ARO, year=2021)
    assert record.drug_prone is True and record.category == ""
    assert IkrnAssessment.objects.count() == 1
    report = prone_area_report(user=world.olga, province="15", year=2021)
    assert report["current"].prone == 1 and report["current"].prone_with_ibm == 1
    assert [f.prone_areas for f in report["current"].published] == [12]
    b = bersinar_list(user=world.olga).get(village_id=AIR_MESU_TIMUR)
    assert b.status == BersinarStatus.PROPOSED and "sebentar lagi" in b.source_note


@pytest.mark.django_db
def test_the_prone_area_page_shows_the_trend_and_coverage(world: World, as_user: Any) -> None:
    demo.load(lambda message: None)
    village = Village.objects.get(code="15.05.02.2001")
    IkrnAssessment.objects.create(
        village=village, year=2022, category="bahaya", category_source="recorded", source="t"
    )
    page = as_user(world.sam).get("/mapping/rawan/?province=15&year=2022", HTTP_ACCEPT_LANGUAGE="id")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Perubahan dari tahun ke tahun" in text and village.name in text
    assert as_user(world.nina).get("/mapping/rawan/?province=15").status_code == 404


@pytest.mark.django_db
def test_the_compare_view_puts_two_periods_side_by_side(world: World, as_user: Any) -> None:
    from pulih.mapping.tests.factories import mapping_for

    a = mapping_for(world.unit_kayu_aro, dt.date(2023, 1, 1))
    b = mapping_for(world.unit_kayu_aro, dt.date(2024, 1, 1))
    a.estimates.create(substance="ats", sex="m", age_band="15-24", count=7)
    b.estimates.create(substance="ats", sex="m", age_band="15-24", count=3)
    page = as_user(world.carol).get(f"/mapping/situations/compare/?a={b.pk}&b={a.pk}")
    assert page.status_code == 200
    assert page.context["substance_rows"][0][1:] == (7, 3)
    other = mapping_for(world.unit_air_mesu)
    assert as_user(world.carol).get(f"/mapping/situations/compare/?a={a.pk}&b={other.pk}").status_code == 404


@pytest.mark.django_db
def test_the_lists_filter_by_a_place_of_any_level_picked_with_the_region_search(
    world: World, as_user: Any
) -> None:
    demo.load(lambda message: None)  # Kayu Aro IKRN 2021, Air Mesu Timur Desa Bersinar
    olga = as_user(world.olga)
    for code in (KAYU_ARO[:2], KAYU_ARO[:5], KAYU_ARO[:8], KAYU_ARO):
        ikrn = olga.get(f"/mapping/ikrn/?area={code}").content.decode()
        assert "Pulau Kayu Aro" in ikrn and 'data-region-picker data-level=""' in ikrn, code
    assert "Pulau Kayu Aro" not in olga.get("/mapping/ikrn/?area=19").content.decode()
    for code in (AIR_MESU_TIMUR[:2], AIR_MESU_TIMUR[:5], AIR_MESU_TIMUR):
        assert "Air Mesu Timur" in olga.get(f"/mapping/bersinar/?area={code}").content.decode(), code
    assert "Air Mesu Timur" not in olga.get("/mapping/bersinar/?area=15").content.decode()
    wrong = olga.get("/mapping/bersinar/?area=19.99", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Air Mesu Timur" not in wrong and "Pilih tempat dari hasil pencarian." in wrong
    prone = as_user(world.sam).get("/mapping/rawan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-region-picker data-level="province"' in prone and 'name="area" value="15"' in prone


@pytest.mark.django_db
def test_the_prone_area_page_opens_on_a_province_with_data(world: World, as_user: Any) -> None:
    demo.load(lambda message: None)  # IKRN for Pulau Kayu Aro (Jambi)
    page = as_user(world.olga).get("/mapping/rawan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'name="area" value="15"' in page and "Pulau Kayu Aro" in page
