"""Region load time and region search latency, each with an in-run baseline.

* Load: ``load_regions()`` into empty tables vs. a baseline that inserts the same
  rows with one ``executemany`` per table (the floor for any loader).
* Search: ``region_search(q)`` (the service every place picker uses) vs. the
  raw SQL that scans the village table for the same normalised substring.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if "DATABASE_URL" in os.environ and os.environ["DATABASE_URL"].startswith("postgres"):
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/bench_pulih"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_pulih")
        conn.execute("CREATE DATABASE bench_pulih")
else:
    tmp = tempfile.mkdtemp(prefix="pulih-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from pulih.core.crypto import normalise  # noqa: E402
from pulih.regions.loading import load_regions  # noqa: E402
from pulih.regions.models import District, Province, Regency, Village  # noqa: E402
from pulih.regions.selectors import region_search  # noqa: E402

QUERIES = ["Kayu Aro", "jambi", "Air Mesu", "Pangkalpinang", "sukamaju", "15.05", "Bangka Tengah", "mekar"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")

    started = time.perf_counter()
    result = load_regions()
    load_s = time.perf_counter() - started
    assert result.villages == 83763

    # Baseline: the same rows written with one executemany per table, no upsert.
    rows = {
        m: list(m.objects.values_list(*[f.attname for f in m._meta.concrete_fields]))
        for m in (Province, Regency, District, Village)
    }
    with connection.cursor() as cur:
        for m in (Village, District, Regency, Province):
            cur.execute(f"DELETE FROM {m._meta.db_table}")
    started = time.perf_counter()
    with connection.cursor() as cur:
        for m in (Province, Regency, District, Village):
            cols = [f.column for f in m._meta.concrete_fields]
            ph = ", ".join(["%s"] * len(cols))
            cur.executemany(f"INSERT INTO {m._meta.db_table} ({', '.join(cols)}) VALUES ({ph})", rows[m])
    base_s = time.perf_counter() - started
    print(f"region load: {load_s:.2f} s (target <= 10 s); baseline raw executemany {base_s:.2f} s; "
          f"ratio {load_s / base_s:.1f}x")

    for q in QUERIES:  # warm caches
        region_search(q)
    ours: list[float] = []
    raw: list[float] = []
    sql = f"SELECT code FROM {Village._meta.db_table} WHERE search_name LIKE %s LIMIT 20"
    for _ in range(15):
        for q in QUERIES:
            t = time.perf_counter()
            region_search(q)
            ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute(sql, [f"%{normalise(q)}%"])
                cur.fetchall()
            raw.append((time.perf_counter() - t) * 1000)
    print(
        f"region search ({len(ours)} queries over {len(QUERIES)} terms, all four levels): "
        f"p50 {statistics.median(ours):.1f} ms, p95 {pct(ours, 95):.1f} ms (target < 50 ms); "
        f"baseline raw village LIKE p50 {statistics.median(raw):.1f} ms, p95 {pct(raw, 95):.1f} ms; "
        f"ratio p95 {pct(ours, 95) / max(pct(raw, 95), 0.001):.1f}x"
    )


if __name__ == "__main__":
    main()
