"""The windowed ``compute_units`` gives exactly the figures of the straightforward reference.

The reference (``reference_compute.py``) is the implementation before issue #8:
it reads every client's whole screening history and every referral's whole
event history. The data set is the ``small`` scale of the synthetic data
generator (4 units, 60 clients, two years of history with corrections,
reopened episodes, referral chains and moves).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min

from pulih.clients.models import Episode
from pulih.organisations.models import Unit
from pulih.reports.compute import compute_units
from pulih.reports.months import add_months, month_of, month_range
from pulih.reports.tests import reference_compute

UNTIL = dt.date(2026, 6, 30)


@pytest.fixture
def generated(regions: None) -> tuple[list[int], list[dt.date]]:
    call_command("generate_data", scale="small", seed=8, until=UNTIL.isoformat(), stdout=StringIO())
    first = Episode.objects.aggregate(m=Min("opened_at"))["m"]
    assert first is not None
    # One month before the first record and one after the end: empty months must agree too.
    months = month_range(add_months(month_of(first), -1), add_months(month_of(UNTIL), 1))
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    return units, months


def _indicators(acc: Counter) -> set[str]:
    return {key[2] for key, value in acc.items() if value}


@pytest.mark.django_db
def test_every_unit_month_matches_the_reference(generated: tuple[list[int], list[dt.date]]) -> None:
    units, months = generated
    assert len(units) == 4 and len(months) >= 24
    seen: set[str] = set()
    for unit in units:
        for month in months:
            expected = reference_compute.compute_units([unit], [month])
            got = compute_units([unit], [month])
            assert got == expected, (unit, month, set(got.items()) ^ set(expected.items()))
            seen |= _indicators(expected)
    # The comparison covered the indicators that read history and event chains.
    for indicator in (
        "clients_active",
        "clients_new",
        "episodes_closed",
        "screenings",
        "clients_screened_ytd",
        "clients_served_ytd",
        "clients_monitored",
        "referrals_sent",
        "referrals_open",
        "referral_steps",
        "acceptance_days",
    ):
        assert indicator in seen, indicator


@pytest.mark.django_db
def test_a_batch_of_units_and_months_matches_the_reference(
    generated: tuple[list[int], list[dt.date]],
) -> None:
    units, months = generated
    # The rollup rebuild's shape: every unit, a run of months, in one call.
    expected = reference_compute.compute_units(units, months)
    assert compute_units(units, months) == expected
    assert sum(v for k, v in expected.items() if k[2] == "referrals_open" and not k[3]) > 0
    # A window that starts in the middle of the history, and months that are not contiguous.
    tail = months[len(months) // 2 :]
    assert compute_units(units, tail) == reference_compute.compute_units(units, tail)
    sparse = [months[3], months[9], months[-2]]
    assert compute_units(units[1:], sparse) == reference_compute.compute_units(units[1:], sparse)
