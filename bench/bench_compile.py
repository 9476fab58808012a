"""Monthly unit report compile and rollup rebuild speed, each beside an in-run baseline.

Run against a database filled by ``manage.py generate_data`` (never ``pulih_scale``
while another process generates into it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pulih_h4 .venv/bin/python bench/bench_compile.py

1. ``compile_figures(unit, month)`` for the unit with the most clients and the
   last complete month: p50/p95 over ``BENCH_RUNS`` runs (default 30) after a
   warm-up, beside the baseline of ``bench_national.py`` section 4 (four raw
   counts of the same month, same run) and the ratio.
2. A rollup rebuild: ``rebuild_all`` over the history window (every unit, the
   last ``PULIH_REPORTS_HISTORY_MONTHS`` months) — it **rewrites the facts
   tables** of the database it runs on — printing unit-months/s, beside the
   unit-level computation alone (``compute_units`` in batches, no writes) and a
   raw-SQL baseline that reads every source row of the window once.
   ``BENCH_REBUILD=0`` skips it; ``BENCH_REBUILD=compute`` times the
   unit-level computation only (no writes).
3. ``BENCH_REFERENCE_UNITS=N``: the unit-level computation of the first N
   units x the history window by the pre-issue-#8 implementation
   (``pulih/reports/tests/reference_compute.py``) and by ``compute_units``,
   alternately in the same run, with both rates and the speed-up (the
   before/after of the rebuild's main cost without rewriting the facts).
   ``BENCH_REFERENCE_COMPILE=1``: the compile's unit-month by both, interleaved.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from timing import pct, raw  # noqa: E402 - bench/ is on sys.path when run as a script
from timing import timed as _timed  # noqa: E402

from pulih.clients.models import Client  # noqa: E402
from pulih.organisations.models import Unit  # noqa: E402
from pulih.reports.compute import compute_units  # noqa: E402
from pulih.reports.months import add_months, current_month, month_end, start_of  # noqa: E402
from pulih.reports.rollups import (  # noqa: E402
    BATCH_UNITS,
    fresh_unit_figures,
    history_months,
    last_months,
    rebuild_all,
)
from pulih.reports.services import compile_figures, compute_figures  # noqa: E402

RUNS = max(20, int(os.environ.get("BENCH_RUNS", "30")))



def timed(fn: Callable[[], Any], runs: int = RUNS, warm: int = 3) -> list[float]:
    return _timed(fn, runs, warm)


def four_counts(unit_id: int, month: dt.date) -> Callable[[], Any]:
    """The baseline of bench_national.py §4: four raw counts of the month."""
    last_day = month_end(month)
    nxt = last_day + dt.timedelta(days=1)
    return raw(
        "SELECT (SELECT count(*) FROM clients_session WHERE unit_id = %s AND held_on BETWEEN %s AND %s), "
        "(SELECT count(*) FROM screening_screening s JOIN clients_client c ON c.id = s.client_id "
        " WHERE c.unit_id = %s AND s.completed_at >= %s AND s.completed_at < %s), "
        "(SELECT count(*) FROM clients_monitoringcontact m JOIN clients_client c ON c.id = m.client_id "
        " WHERE c.unit_id = %s AND m.done_on BETWEEN %s AND %s), "
        "(SELECT count(*) FROM referrals_referral r JOIN clients_client c ON c.id = r.client_id "
        " WHERE c.unit_id = %s AND r.created_at >= %s AND r.created_at < %s)",
        [unit_id, month, last_day, unit_id, month, nxt, unit_id, month, last_day, unit_id, month, nxt],
    )


def window_scan(months: list[dt.date]) -> Callable[[], Any]:
    """Baseline of a rebuild: every source row of the window read once, grouped by unit and month."""
    first, last = months[0], month_end(months[-1])
    start, end = start_of(first), start_of(add_months(months[-1], 1))
    tables: list[tuple[str, list[Any]]] = [
        ("SELECT s.unit_id, date_trunc('month', s.held_on), count(*) FROM clients_sessionattendance a "
         "JOIN clients_session s ON s.id = a.session_id WHERE s.held_on BETWEEN %s AND %s GROUP BY 1, 2",
         [first, last]),
        ("SELECT c.unit_id, date_trunc('month', s.completed_at), count(*) FROM screening_screening s "
         "JOIN clients_client c ON c.id = s.client_id WHERE s.completed_at >= %s AND s.completed_at < %s "
         "GROUP BY 1, 2", [start, end]),
        ("SELECT c.unit_id, date_trunc('month', e.opened_at), count(*) FROM clients_episode e "
         "JOIN clients_client c ON c.id = e.client_id WHERE e.opened_at < %s "
         "AND (e.closed_at IS NULL OR e.closed_at >= %s) GROUP BY 1, 2", [end, start]),
        ("SELECT c.unit_id, date_trunc('month', m.done_on), count(*) FROM clients_monitoringcontact m "
         "JOIN clients_client c ON c.id = m.client_id WHERE m.done_on BETWEEN %s AND %s GROUP BY 1, 2",
         [first, last]),
        ("SELECT c.unit_id, date_trunc('month', e.at), count(*) FROM referrals_referralevent e "
         "JOIN referrals_referral r ON r.id = e.referral_id JOIN clients_client c ON c.id = r.client_id "
         "WHERE e.at < %s GROUP BY 1, 2", [end]),
    ]

    def run() -> None:
        with connection.cursor() as cur:
            for sql, params in tables:
                cur.execute(sql, params)
                cur.fetchall()

    return run


def main() -> None:
    biggest = Client.objects.values("unit_id").annotate(n=Count("id")).order_by("-n", "unit_id").first()
    assert biggest is not None, "no data: run manage.py generate_data first"
    unit = Unit.objects.get(pk=biggest["unit_id"])
    month = add_months(current_month(), -1)
    n_units = Unit.objects.count()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {Client.objects.count():,} "
        f"clients in {n_units} units; largest unit {unit.pk} ({biggest['n']:,} clients); runs: {RUNS}",
        flush=True,
    )

    # 1. compile_figures of the largest unit, last complete month; the same-run baseline.
    #    Two paths: from the unit's facts when the periodic refresh has them up to
    #    date (the usual case), and from the records (right after a write to the unit).
    fresh = fresh_unit_figures(unit.pk, month) is not None
    base = timed(four_counts(unit.pk, month))
    b50, b95 = statistics.median(base), pct(base, 95)
    for label, fn in (
        ("compile_figures" + (" (facts up to date)" if fresh else " (facts not fresh: records)"),
         lambda: compile_figures(unit, month)),
        ("compute from the records (after a write to the unit)", lambda: compute_figures(unit, month)),
    ):  # fmt: skip
        ours = timed(fn)
        o50, o95 = statistics.median(ours), pct(ours, 95)
        print(
            f"monthly unit report compile ({month:%Y-%m}), {label}: p50 {o50:.1f} ms, p95 {o95:.1f} ms "
            f"(target <= 200 ms); baseline (four raw counts of the month) p50 {b50:.1f} ms, p95 {b95:.1f} ms; "
            f"ratio p50 {o50 / max(b50, 0.001):.1f}x, p95 {o95 / max(b95, 0.001):.1f}x",
            flush=True,
        )

    reference_units = int(os.environ.get("BENCH_REFERENCE_UNITS", "0"))
    if reference_units:
        from pulih.reports.tests import reference_compute

        months = last_months(history_months())
        ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:reference_units])
        old: list[float] = []
        new: list[float] = []
        for _round in range(2):
            for fn, out in ((reference_compute.compute_units, old), (compute_units, new)):
                t = time.perf_counter()
                acc = fn(ids, months)
                out.append(time.perf_counter() - t)
            assert reference_compute.compute_units(ids, months[-1:]) == compute_units(ids, months[-1:])
        unit_months = len(ids) * len(months)
        print(
            f"unit-level computation of {len(ids)} units x {len(months)} months ({len(acc):,} cells), "
            f"best of 2: reference (before) {min(old):.2f} s = {unit_months / min(old):,.1f} unit-months/s; "
            f"compute_units (after) {min(new):.2f} s = {unit_months / min(new):,.1f} unit-months/s; "
            f"speed-up {min(old) / min(new):.1f}x",
            flush=True,
        )

    if os.environ.get("BENCH_REFERENCE_COMPILE") == "1":
        # The same unit-month by the pre-issue-#8 implementation, interleaved with the new one.
        from pulih.reports.tests import reference_compute

        before: list[float] = []
        after: list[float] = []
        for _run in range(RUNS):
            for fn, out in ((reference_compute.compute_units, before), (compute_units, after)):
                t = time.perf_counter()
                fn([unit.pk], [month])
                out.append((time.perf_counter() - t) * 1000)
        print(
            f"unit-month computation interleaved, {RUNS} runs each: reference (before) p50 "
            f"{statistics.median(before):.1f} ms, p95 {pct(before, 95):.1f} ms; compute_units (after) p50 "
            f"{statistics.median(after):.1f} ms, p95 {pct(after, 95):.1f} ms",
            flush=True,
        )

    if os.environ.get("BENCH_REBUILD", "1") == "0":
        return
    # 2. Rebuild: unit-level computation alone, the whole rebuild_all, and the raw scan baseline.
    months = last_months(history_months())
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    t = time.perf_counter()
    cells = 0
    for i in range(0, len(ids), BATCH_UNITS):
        cells += len(compute_units(ids[i : i + BATCH_UNITS], months))
    compute_s = time.perf_counter() - t
    unit_months = len(ids) * len(months)
    if os.environ.get("BENCH_REBUILD") == "compute":
        print(
            f"compute_units over {len(ids)} units x {len(months)} months: {compute_s:.2f} s "
            f"({unit_months / compute_s:,.1f} unit-months/s, {cells:,} cells)",
            flush=True,
        )
        return
    t = time.perf_counter()
    result = rebuild_all(months)
    rebuild_s = time.perf_counter() - t
    t = time.perf_counter()
    window_scan(months)()
    base_s = time.perf_counter() - t
    print(
        f"compute_units over {len(ids)} units x {len(months)} months: {compute_s:.2f} s "
        f"({unit_months / compute_s:,.1f} unit-months/s, {cells:,} cells)",
        flush=True,
    )
    print(
        f"rebuild_all ({result.units} units x {result.months} months, facts + areas + pattern): "
        f"{rebuild_s:.2f} s ({unit_months / rebuild_s:,.1f} unit-months/s); extrapolated to 1,500 units "
        f"{rebuild_s * 1500 / max(len(ids), 1) / 60:.1f} min; baseline raw scan of the window's source rows "
        f"grouped by unit and month {base_s:.2f} s; ratio {rebuild_s / max(base_s, 1e-9):.1f}x",
        flush=True,
    )


if __name__ == "__main__":
    main()
