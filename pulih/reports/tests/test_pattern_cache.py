"""A refresh reuses the stored pattern of an indicator-month whose cells did not change."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.reports import pattern, rollups
from pulih.reports.models import AreaFact, Fact, PatternCache
from pulih.reports.tests.conftest import Month
from pulih.testing.world import World


def _flags(month: Any) -> set[tuple[Any, ...]]:
    facts = Fact.objects.filter(month=month, hidden=True).values_list("unit_id", "indicator", "dim", "member")
    areas = AreaFact.objects.filter(month=month, hidden=True).values_list(
        "level", "regency_id", "province_id", "indicator", "dim", "member"
    )
    return {("f", *row) for row in facts} | {("a", *row) for row in areas}


def test_an_unchanged_month_gets_its_stored_pattern_and_a_changed_indicator_is_solved(
    world: World, month_of_work: Month, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = month_of_work.month
    rollups.refresh_units([world.unit_kayu_aro.pk, world.unit_air_mesu.pk], [m], villages=True)
    first = _flags(m)
    stored = dict(PatternCache.objects.filter(month=m).values_list("indicator", "fingerprint"))
    assert "clients_new" in stored and first, "the first refresh stores a pattern per indicator"

    solved: list[str] = []
    real = pattern.protect_many

    def counting(problems: Any, *args: Any, **kwargs: Any) -> Any:
        solved.extend(indicator for indicator, _values in problems)
        return real(problems, *args, **kwargs)

    monkeypatch.setattr(rollups, "protect_many", counting)
    # Nothing changed: every pattern is reused, and the flags are the same.
    rollups.write_pattern([m])
    assert solved == []
    assert _flags(m) == first

    # One figure changes: only its indicator is solved again.
    fact = Fact.objects.get(unit=world.unit_kayu_aro, month=m, indicator="clients_new", dim="")
    Fact.objects.filter(pk=fact.pk).update(value=fact.value + 1)
    rollups.write_pattern([m])
    assert solved == ["clients_new"]
    assert PatternCache.objects.get(month=m, indicator="clients_new").fingerprint != stored["clients_new"]
    assert PatternCache.objects.get(month=m, indicator="sessions").fingerprint == stored.get("sessions")


def test_the_bits_round_trip_in_the_fingerprint_order() -> None:
    values: dict[Any, int] = {(("U", i), "", ""): i + 1 for i in range(19)}
    parent = {("U", i): ("R", "1") for i in range(19)}
    digest, order = pattern.fingerprint(values, parent, frozenset())
    hidden = {key for key in values if values[key] % 3 == 0}
    assert pattern.unpack(order, pattern.pack(order, hidden)) == hidden
    assert len(pattern.pack(order, hidden)) == 3
    other, _order = pattern.fingerprint({**values, (("U", 0), "", ""): 2}, parent, frozenset())
    assert other != digest
    moved, _order = pattern.fingerprint(values, {**parent, ("U", 3): ("R", "2")}, frozenset())
    assert moved != digest
    assert pattern.fingerprint(dict(reversed(values.items())), parent, frozenset())[0] == digest
