from __future__ import annotations

import pytest

from pulih.regions.loading import load_regions, nice_case, province_timezone, split_regency_name, village_kind
from pulih.regions.models import District, Province, Regency, RegionDataVersion, Village


def test_names_are_put_in_title_case_but_acronyms_stay() -> None:
    assert nice_case("KEPULAUAN BANGKA BELITUNG") == "Kepulauan Bangka Belitung"
    assert nice_case("DKI JAKARTA") == "DKI Jakarta"
    expected = ("Pangkajene dan Kepulauan", "kabupaten")
    assert split_regency_name("KABUPATEN PANGKAJENE DAN KEPULAUAN") == expected
    assert split_regency_name("KOTA PANGKAL PINANG") == ("Pangkal Pinang", "kota")


def test_it_derives_desa_or_kelurahan_from_the_code() -> None:
    assert village_kind("15.05.02.2003") == "desa"
    assert village_kind("19.71.01.1001") == "kelurahan"


def test_time_zones_follow_the_province() -> None:
    assert province_timezone("15") == "WIB"
    assert province_timezone("51") == "WITA"
    assert province_timezone("73") == "WITA"
    assert province_timezone("91") == "WIT"
    assert province_timezone("96") == "WIT"


@pytest.mark.django_db
def test_the_full_load_has_every_region_of_indonesia_and_is_idempotent() -> None:
    first = load_regions()
    assert (first.provinces, first.regencies, first.districts, first.villages) == (38, 514, 7277, 83763)
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7277
    assert Village.objects.count() == 83763
    assert Regency.objects.filter(kind="kota").count() == 98
    assert Province.objects.filter(timezone="WIT").count() == 8
    again = load_regions()
    assert again.skipped
    assert Village.objects.count() == 83763
    assert RegionDataVersion.objects.filter(source="idn-area-data@3.1.2").count() == 1


@pytest.mark.django_db
def test_a_forced_reload_changes_nothing() -> None:
    before = Village.objects.count()
    result = load_regions(provinces=["15", "19"], force=True)
    assert not result.skipped
    assert Village.objects.count() == before
    village = Village.objects.select_related("district", "regency", "province").get(code="15.05.02.2003")
    assert village.label == "Pulau Kayu Aro, Sekernan, Muaro Jambi, Jambi"
    assert village.kind == "desa"
    assert village.province.timezone == "WIB"
