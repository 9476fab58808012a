"""The configurable IKRN rule: default Bahaya at ≥5 main and ≥4 supporting, else unclassified."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.core.errors import NotAllowed
from pulih.mapping.classification import classify
from pulih.mapping.indicators import MAIN_INDICATORS, SUPPORTING_INDICATORS
from pulih.mapping.models import IkrnAssessment
from pulih.mapping.models.ikrn import CATEGORY_ORDER
from pulih.mapping.services.ikrn import IkrnData, ThresholdInput, ikrn_record, ikrn_rule_update
from pulih.regions.models import Village
from pulih.testing.world import KAYU_ARO, World


def values(main: int, supporting: int) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for i, (field, _c, _l) in enumerate(MAIN_INDICATORS):
        out[field] = i < main
    for i, (field, _c, _l) in enumerate(SUPPORTING_INDICATORS):
        out[field] = i < supporting
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("main", "supporting", "expected"),
    [(5, 4, "bahaya"), (8, 5, "bahaya"), (4, 5, ""), (5, 3, ""), (0, 0, "")],
)
def test_the_default_rule_gives_bahaya_only_at_five_main_and_four_supporting(
    main: int, supporting: int, expected: str
) -> None:
    assert classify(values(main, supporting)) == expected


@pytest.mark.django_db
def test_no_indicator_values_means_unclassified_not_aman() -> None:
    assert classify({}) == ""


@pytest.mark.django_db
def test_a_recorded_category_is_kept_and_an_empty_one_is_derived(world: World) -> None:
    village = Village.objects.get(code=KAYU_ARO)
    derived = ikrn_record(
        actor=world.sam, village=village, data=IkrnData(year=2024, source="s", indicators=values(6, 4))
    )
    assert (derived.category, derived.category_source) == ("bahaya", "derived")
    recorded = ikrn_record(
        actor=world.sam,
        village=village,
        data=IkrnData(year=2023, source="s", category="aman", indicators=values(8, 5)),
    )
    assert (recorded.category, recorded.category_source) == ("aman", "recorded")


def _rule(**overrides: Any) -> list[ThresholdInput]:
    lines: dict[str, ThresholdInput] = {
        c: ThresholdInput(c, None, None, c in ("bahaya", "waspada")) for c in CATEGORY_ORDER
    }
    lines["bahaya"] = ThresholdInput("bahaya", 5, 4, True)
    for category, (main, supp) in overrides.items():
        lines[category] = ThresholdInput(category, main, supp, lines[category].counts_as_prone)
    return list(lines.values())


@pytest.mark.django_db
def test_changing_the_rule_reclassifies_derived_records_but_not_recorded_ones(world: World) -> None:
    village = Village.objects.get(code=KAYU_ARO)
    ikrn_record(
        actor=world.sam, village=village, data=IkrnData(year=2024, source="s", indicators=values(3, 2))
    )
    ikrn_record(
        actor=world.sam,
        village=village,
        data=IkrnData(year=2023, source="s", category="aman", indicators=values(3, 2)),
    )
    assert IkrnAssessment.objects.get(year=2024).category == ""
    changed = ikrn_rule_update(actor=world.olga, thresholds=_rule(waspada=(3, 2)))
    assert changed == 1
    assert IkrnAssessment.objects.get(year=2024).category == "waspada"
    assert IkrnAssessment.objects.get(year=2023).category == "aman"


@pytest.mark.django_db
def test_an_area_supervisor_cannot_change_the_national_rule(world: World) -> None:
    with pytest.raises(NotAllowed):
        ikrn_rule_update(actor=world.sam, thresholds=_rule(waspada=(3, 2)))


@pytest.mark.django_db
def test_the_rule_page_saves_for_national_staff(world: World, as_user: Any) -> None:
    data = {}
    for t in _rule(siaga=(2, 1)):
        data[f"{t.category}_min_main"] = "" if t.min_main is None else t.min_main
        data[f"{t.category}_min_supporting"] = "" if t.min_supporting is None else t.min_supporting
        if t.counts_as_prone:
            data[f"{t.category}_prone"] = "on"
    response = as_user(world.olga).post("/mapping/ikrn/rule/", data)
    assert response.status_code == 302
    assert classify(values(2, 1)) == "siaga"
