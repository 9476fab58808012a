"""The place filter of list pages: a region of any level, by its Kemendagri code."""

from __future__ import annotations

import pytest

from pulih.organisations.models import Unit
from pulih.regions.forms import AreaFilterForm
from pulih.regions.models import District, Province, Regency, Village
from pulih.regions.selectors import level_of, region_get, within
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_a_code_names_its_level_by_its_shape(regions: None) -> None:
    assert [level_of(c) for c in ("15", "15.05", "15.05.02", "15.05.02.2003")] == [
        "province", "regency", "district", "village",
    ]
    assert level_of("") is None and level_of("Jambi") is None and level_of("15.05.02.2003.1") is None
    assert isinstance(region_get("15"), Province)
    assert isinstance(region_get("15.05"), Regency)
    assert isinstance(region_get("15.05.02"), District)
    village = region_get("1505022003")  # typed without its dots
    assert isinstance(village, Village) and village.code == "15.05.02.2003"
    assert region_get("99.99") is None


def test_within_filters_by_the_ancestor_code_of_any_level(world: World) -> None:
    kayu = world.unit_kayu_aro
    code = kayu.village_id
    for region in (code[:2], code[:5], code[:8], code):
        found = set(Unit.objects.filter(within(region)).values_list("pk", flat=True))
        assert kayu.pk in found and world.unit_air_mesu.pk not in found, region
    assert not Unit.objects.filter(within("not a code")).exists()


def test_the_filter_form_names_a_wrong_code_and_keeps_a_right_one(regions: None) -> None:
    right = AreaFilterForm({"area": "19.71"})
    assert right.code() == "19.71"
    assert "Kota Pangkal Pinang" in str(right["area"])  # the chosen place is shown by name
    wrong = AreaFilterForm({"area": "19.99"})
    assert wrong.code() == "" and "area" in wrong.errors
    assert AreaFilterForm(None).code() == ""
    province_only = AreaFilterForm({"area": "19.71"}, level="province")
    assert province_only.code() == "" and "area" in province_only.errors
