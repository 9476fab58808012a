"""Rollup freshness at scale: the suppression pattern and the incremental refresh.

Run against a database filled by ``manage.py generate_data`` whose rollup facts are
written (``rebuild_all``, or ``BENCH_WRITE_FACTS=1`` here). It **writes** to that
database: the pattern flags, the refresh state and, for step 3, urine tests
pushed through the sync API (deleted again at the end).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pulih_scale .venv/bin/python bench/bench_refresh.py

1. ``write_pattern`` of the last complete month, in one process and in
   ``PULIH_PATTERN_PROCESSES`` processes (default: the CPUs), beside the in-run
   baseline: reading the month's rollup cells with raw SQL (the pattern's input).
2. ``BENCH_PATTERN_MONTHS=N`` (default 0): the pattern of the last N months
   with nothing stored (every indicator-month solved: the worst case of a
   refresh), then again unchanged (every stored pattern reused).
3. Staleness: ``BENCH_DIRTY_UNITS`` units (default 300, a fifth of the national
   set) each get one batch of urine tests through ``/api/v1/sync/push`` as
   their agent, then ``refresh_incremental`` runs as the 2-minute periodic job
   would. Staleness at worst = the job's interval + its duration (target
   <= 5 min). Baseline: one sync push.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import urine_test_push  # noqa: E402 - bench/ is on sys.path when run as a script

from pulih.accounts.models import User  # noqa: E402
from pulih.audit.models import AuditEvent  # noqa: E402
from pulih.clients.models import Client, UrineTest  # noqa: E402
from pulih.reports import rollups  # noqa: E402
from pulih.reports.models import Fact, PatternCache, RefreshState  # noqa: E402
from pulih.reports.months import add_months, current_month  # noqa: E402

INTERVAL_S = 120  # refresh_rollups_periodic runs every 2 minutes (pulih/reports/tasks.py)


def seconds(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    assert Client.objects.exists(), "no generated data: run manage.py generate_data first"
    months = rollups.last_months(rollups.history_months())
    if os.environ.get("BENCH_WRITE_FACTS") == "1":
        t = time.perf_counter()
        ids = list(rollups.Unit.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), rollups.BATCH_UNITS):
            rollups.write_unit_facts(ids[i : i + rollups.BATCH_UNITS], months)
        rollups.write_village_facts(months)
        rollups.write_area_facts(months)
        rollups._analyze_rollups()
        print(f"facts written for {len(months)} months in {time.perf_counter() - t:.1f} s", flush=True)
    month = add_months(current_month(), -1)
    assert Fact.objects.filter(month=month).exists(), "no rollup facts: run rebuild_all (or BENCH_WRITE_FACTS=1)"
    cpus = rollups.pattern_processes()

    # 1. One month's pattern, serial and parallel, and the raw read of its cells.
    def raw_cells() -> None:
        with connection.cursor() as cur:
            for table in ("reports_fact", "reports_areafact"):
                cur.execute(f"SELECT indicator, dim, member, value FROM {table} WHERE month = %s", [month])
                cur.fetchall()

    base = min(seconds(raw_cells) for _ in range(3))
    if os.environ.get("BENCH_ONE_MONTH", "1") != "0":
        one_month(month, cpus, base)
    else:
        print(f"(step 1 skipped) baseline raw read of {month:%Y-%m}'s cells {base * 1000:.0f} ms", flush=True)
    settings.PULIH_PATTERN_PROCESSES = cpus

    staleness(months)


def one_month(month: dt.date, cpus: int, base: float) -> None:
    settings.PULIH_PATTERN_PROCESSES = 1
    PatternCache.objects.filter(month=month).delete()  # solve it, do not reuse it
    serial = seconds(lambda: rollups.write_pattern([month]))
    settings.PULIH_PATTERN_PROCESSES = cpus
    PatternCache.objects.filter(month=month).delete()
    hidden = 0

    def parallel_run() -> None:
        nonlocal hidden
        hidden = rollups.write_pattern([month])

    parallel = seconds(parallel_run)
    reused = seconds(lambda: rollups.write_pattern([month]))
    cells = Fact.objects.filter(month=month).count()
    print(
        f"pattern of {month:%Y-%m} ({cells:,} unit facts + area facts, {hidden:,} cells hidden): "
        f"{serial:.1f} s in 1 process, {parallel:.1f} s in {cpus} processes, {reused:.1f} s unchanged (stored "
        f"pattern reused); "
        f"baseline raw read of the month's cells {base * 1000:.0f} ms; ratio {parallel / base:.0f}x",
        flush=True,
    )


def staleness(months: list[dt.date]) -> None:
    """Steps 2 and 3."""
    # 2. The pattern of the last N months, solved, then reused.
    n = int(os.environ.get("BENCH_PATTERN_MONTHS", "0"))
    if n:
        PatternCache.objects.filter(month__in=months[-n:]).delete()
        t = seconds(lambda: rollups.write_pattern(months[-n:]))
        print(f"pattern of the last {n} months, none stored: {t:.1f} s ({t / n:.1f} s per month)", flush=True)
        t = seconds(lambda: rollups.write_pattern(months[-n:]))
        print(f"the same months again, unchanged: {t:.1f} s", flush=True)

    # 3. Staleness: writes in many units, then the periodic incremental refresh.
    RefreshState.objects.update_or_create(
        name="facts",
        defaults={
            "audit_watermark": AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0,
            "refreshed_at": timezone.now(),
            "full_rebuild_at": timezone.now(),
        },
    )
    dirty = int(os.environ.get("BENCH_DIRTY_UNITS", "300"))
    rng = random.Random(8)
    agents = list(
        User.objects.filter(role="agent", unit__isnull=False, username__startswith="syn-a")
        .order_by("unit_id", "pk")
        .distinct("unit_id")
    )
    chosen = rng.sample(agents, min(dirty, len(agents)))
    pushed: list[str] = []
    push_times = []
    today = timezone.localdate().isoformat()
    for agent in chosen:
        targets = [
            str(pk)
            for pk in Client.objects.filter(unit_id=agent.unit_id or 0, status="active").values_list("id", flat=True)[
                :5
            ]
        ]
        if not targets:
            continue
        records = urine_test_push(targets, len(targets), today, pushed)
        http = HttpClient()
        http.force_login(agent)
        body = json.dumps({"key": str(uuid.uuid4()), "device": "bench", "records": records})
        t = time.perf_counter()
        response = http.post("/api/v1/sync/push", data=body, content_type="application/json")
        push_times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content[:300]
    push_times.sort()
    t = time.perf_counter()
    result = rollups.refresh_incremental()
    duration = time.perf_counter() - t
    assert not result.full, "the refresh fell back to a full rebuild"
    print(
        f"incremental refresh after writes in {len(chosen)} units ({len(pushed)} records, "
        f"{rollups.recent_months()} recent months): {duration:.1f} s ({result.units} units recomputed); "
        f"staleness at worst {INTERVAL_S} s interval + {duration:.0f} s = {(INTERVAL_S + duration) / 60:.1f} min "
        f"(target <= 5 min); baseline one sync push p50 {push_times[len(push_times) // 2] * 1000:.0f} ms",
        flush=True,
    )
    UrineTest.objects.filter(id__in=pushed).delete()


if __name__ == "__main__":
    main()
