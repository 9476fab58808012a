"""The monthly compile reads the unit's facts when they are up to date, and its records otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pulih.clients.tests.factories import make_client
from pulih.reports import rollups
from pulih.reports.months import add_months, current_month
from pulih.reports.services import compile_figures, compute_figures
from pulih.reports.tests.conftest import Month
from pulih.testing.world import World

pytestmark = pytest.mark.django_db

RAW = ("clients_", "screening_", "referrals_referral", "units_", "prevention_")


def _compile(unit: Any, month: Any) -> tuple[dict[str, Any], bool]:
    """The figures, and whether the records themselves were read."""
    with CaptureQueriesContext(connection) as ctx:
        figures = compile_figures(unit, month)
    read_records = any(f'"{t}' in q["sql"] or f" {t}" in q["sql"] for q in ctx.captured_queries for t in RAW)
    return figures, read_records


def test_fresh_facts_give_the_same_figures_as_the_records(world: World, month_of_work: Month) -> None:
    m = month_of_work.month
    unit = world.unit_kayu_aro
    live = compute_figures(unit, m)
    assert live["clients_new"][""][""] == 4
    rollups.rebuild_all(rollups.last_months(rollups.history_months()))
    figures, read_records = _compile(unit, m)
    assert not read_records and figures == live  # from the facts, equal to a live compile
    assert _compile(world.unit_air_mesu, m) == (compute_figures(world.unit_air_mesu, m), False)

    # A write in the unit after the refresh: compiled from the records again, and counted.
    make_client(world)
    before = rollups.fresh_unit_figures(world.unit_air_mesu.pk, current_month())
    figures, read_records = _compile(unit, current_month())
    assert read_records and figures == compute_figures(unit, current_month())
    assert before is not None  # (the other unit's facts stay usable)
    # The other unit was not written to: still from its facts.
    assert _compile(world.unit_air_mesu, m)[1] is False
    # Once the periodic refresh has run, from the facts again.
    rollups.refresh_incremental()
    assert _compile(unit, current_month()) == (compute_figures(unit, current_month()), False)


def test_a_month_the_refresh_does_not_revisit_is_compiled_from_the_records(world: World) -> None:
    rollups.rebuild_all(rollups.last_months(rollups.history_months()))
    old = add_months(current_month(), -rollups.recent_months())
    figures, read_records = _compile(world.unit_kayu_aro, old)
    assert read_records and figures == compute_figures(world.unit_kayu_aro, old)


def test_without_a_refresh_the_records_are_read(world: World, month_of_work: Month) -> None:
    figures, read_records = _compile(world.unit_kayu_aro, month_of_work.month)
    assert read_records and figures["clients_new"][""][""] == 4
