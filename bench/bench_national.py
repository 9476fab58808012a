"""Every row of the performance table on a generated data set, each beside an in-run baseline.

Run against a database filled by ``manage.py generate_data`` (it never writes
outside a few rows it removes again, except the audit events the pages write
as they would in production):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pulih_scale .venv/bin/python bench/bench_national.py

Requests go through Django's test client in this process (the full middleware
stack, sessions, CSRF, audit), so the figures are server time without the
network; ``bench/locustfile.py`` measures through gunicorn and a proxy.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pulih_scale")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from timing import pct, raw, urine_test_push  # noqa: E402 - bench/ is on sys.path when run as a script
from timing import timed as _timed  # noqa: E402

from pulih.accounts.models import User  # noqa: E402
from pulih.clients.models import Client  # noqa: E402
from pulih.scale.generator import CLIENT_PREFIX, USER_PREFIX  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
RESULTS: list[dict[str, Any]] = []



def timed(fn: Callable[[], Any], runs: int = RUNS, warm: int = 3) -> list[float]:
    return _timed(fn, runs, warm)


def line(what: str, ours: list[float], base: list[float], target: str, extra: str = "") -> None:
    o95, b95 = pct(ours, 95), pct(base, 95)
    RESULTS.append(
        {
            "what": what,
            "p50": statistics.median(ours),
            "p95": o95,
            "base_p95": b95,
            "target": target,
            "extra": extra,
        }
    )
    print(
        f"{what}: p50 {statistics.median(ours):.1f} ms, p95 {o95:.1f} ms (target {target}); "
        f"baseline p95 {b95:.1f} ms; ratio {o95 / max(b95, 0.001):.1f}x{'; ' + extra if extra else ''}",
        flush=True,
    )


def get_ok(http: HttpClient, url: str, **headers: Any) -> Callable[[], Any]:
    def run() -> Any:
        response = http.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def main() -> None:
    clients = Client.objects.filter(code__startswith=CLIENT_PREFIX)
    n_clients = clients.count()
    assert n_clients, "no generated data: run manage.py generate_data first"
    print(f"database: {connection.vendor}; generated clients: {n_clients:,}; runs per figure: {RUNS}")
    biggest = clients.values("unit_id").annotate(n=Count("id")).order_by("-n", "unit_id").first()
    assert biggest is not None
    unit_id, unit_clients = biggest["unit_id"], biggest["n"]
    agent = (
        User.objects.filter(unit_id=unit_id, role="agent", username__startswith=USER_PREFIX)
        .order_by("pk")
        .first()
    )
    national = User.objects.get(username=f"{USER_PREFIX}national")
    supervisor = (
        User.objects.filter(username__startswith=f"{USER_PREFIX}s", role="supervisor").order_by("pk").first()
    )
    assert agent and supervisor
    http = HttpClient()
    http.force_login(agent)
    print(f"agent {agent.username} of the largest unit ({unit_clients:,} clients)")

    # 1. Agent's client list (25 rows, scoped).
    ours = timed(get_ok(http, "/clients/"))
    base = timed(
        raw(
            "SELECT id, code, sex, birth_year, age_band, status, created_at, village_id FROM clients_client "
            "WHERE unit_id = %s ORDER BY created_at DESC LIMIT 25",
            [unit_id],
        )
    )
    line("agent's client list (25 rows)", ours, base, "p95 <= 50 ms", f"{unit_clients:,} clients in scope")

    # 2. Client record page and its query count.
    sample = list(clients.filter(unit_id=unit_id).order_by("id").values_list("id", flat=True)[:RUNS])
    counts = []
    it = iter(sample * 3)

    def record() -> None:
        pk = next(it)
        connection.queries_log.clear()  # the log is capped at 9,000 entries
        with CaptureQueriesContext(connection) as ctx:
            response = http.get(f"/clients/{pk}/")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))

    ours = timed(record, runs=len(sample), warm=3)
    warm_counts, counts = counts[:3], counts[3:]  # the first requests fill per-process caches
    it_base = iter(sample * 3)

    def record_raw() -> None:
        pk = next(it_base)
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM clients_client WHERE id = %s", [pk])
            cur.fetchall()
            for sql in (
                "SELECT * FROM clients_episode WHERE client_id = %s",
                "SELECT * FROM screening_screening WHERE client_id = %s ORDER BY started_at DESC",
                "SELECT s.* FROM clients_session s JOIN clients_sessionattendance a ON a.session_id = s.id "
                "WHERE a.client_id = %s ORDER BY s.held_on DESC",
                "SELECT * FROM clients_monitoringcontact WHERE client_id = %s",
                "SELECT * FROM clients_urinetest WHERE client_id = %s",
                "SELECT * FROM referrals_referral WHERE client_id = %s",
                "SELECT * FROM clients_consent WHERE client_id = %s",
            ):
                cur.execute(sql, [pk])
                cur.fetchall()

    base = timed(record_raw, runs=len(sample), warm=3)
    line(
        "client record page",
        ours,
        base,
        "p95 <= 80 ms, <= 15 queries",
        f"queries max {max(counts)} (min {min(counts)}; warm-up requests {warm_counts})",
    )

    # 3. Dashboards read rollups only.
    for who, user in (("national", national), ("province supervisor", supervisor)):
        dash = HttpClient()
        dash.force_login(user)
        connection.queries_log.clear()  # the log is capped at 9,000 entries
        with CaptureQueriesContext(connection) as ctx:
            assert dash.get("/reports/").status_code == 200
        touched = sorted(
            {
                t
                for q in ctx.captured_queries
                for t in (
                    "clients_client",
                    "clients_session",
                    "screening_screening",
                    "referrals_referral",
                    "clients_monitoringcontact",
                )
                if t in q["sql"]
            }
        )
        ours = timed(get_ok(dash, "/reports/"), runs=max(10, RUNS // 2))
        base = timed(
            raw(
                "SELECT date_trunc('month', s.completed_at) AS m, v.province_id, s.highest_level, count(*) "
                "FROM screening_screening s JOIN clients_client c ON c.id = s.client_id "
                "JOIN regions_village v ON v.code = c.village_id "
                "WHERE s.status = 'completed' GROUP BY 1, 2, 3"
            ),
            runs=5,
            warm=1,
        )
        line(
            f"dashboard ({who})",
            ours,
            base,
            "p95 <= 150 ms, rollups only",
            f"{len(ctx.captured_queries)} queries, raw tables read: {touched or 'none'}; "
            "baseline = raw month x province x risk GROUP BY over screenings",
        )

    # 4. Monthly unit report compile.
    import datetime as dt

    from pulih.organisations.models import Unit
    from pulih.reports.months import add_months, current_month
    from pulih.reports.rollups import fresh_unit_figures
    from pulih.reports.services import compile_figures

    unit = Unit.objects.get(pk=unit_id)
    month = add_months(current_month(), -1)
    path = "from the unit's facts" if fresh_unit_figures(unit.pk, month) is not None else "from the records"
    ours = timed(lambda: compile_figures(unit, month), runs=max(10, RUNS // 2))
    last_day = add_months(month, 1) - dt.timedelta(days=1)
    base = timed(
        raw(
            "SELECT (SELECT count(*) FROM clients_session WHERE unit_id = %s AND held_on BETWEEN %s AND %s), "
            "(SELECT count(*) FROM screening_screening s JOIN clients_client c ON c.id = s.client_id "
            " WHERE c.unit_id = %s AND s.completed_at >= %s AND s.completed_at < %s), "
            "(SELECT count(*) FROM clients_monitoringcontact m JOIN clients_client c ON c.id = m.client_id "
            " WHERE c.unit_id = %s AND m.done_on BETWEEN %s AND %s), "
            "(SELECT count(*) FROM referrals_referral r JOIN clients_client c ON c.id = r.client_id "
            " WHERE c.unit_id = %s AND r.created_at >= %s AND r.created_at < %s)",
            [
                unit_id,
                month,
                last_day,
                unit_id,
                month,
                last_day + dt.timedelta(days=1),
                unit_id,
                month,
                last_day,
                unit_id,
                month,
                last_day + dt.timedelta(days=1),
            ],
        ),
        runs=max(10, RUNS // 2),
    )
    line(
        f"monthly unit report compile ({month:%Y-%m}, {path}; bench_compile.py times both)",
        ours,
        base,
        "<= 200 ms",
        "baseline = four raw counts of the month",
    )

    # 5. Offline restore for the agent.
    sizes: list[int] = []

    def restore() -> None:
        response = http.get("/api/v1/sync/pull", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, response.status_code
        sizes.append(len(response.content))

    ours = timed(restore, runs=max(5, RUNS // 4), warm=1)
    base = timed(
        raw(
            "SELECT c.*, (SELECT json_agg(s) FROM screening_screening s WHERE s.client_id = c.id), "
            "(SELECT json_agg(m) FROM clients_monitoringcontact m WHERE m.client_id = c.id), "
            "(SELECT json_agg(u) FROM clients_urinetest u WHERE u.client_id = c.id) "
            "FROM clients_client c WHERE c.unit_id = %s",
            [unit_id],
        ),
        runs=max(5, RUNS // 4),
        warm=1,
    )
    line(
        "offline restore (agent's unit)",
        ours,
        base,
        "<= 1 s, <= 2 MB gzipped",
        f"response {max(sizes) / 1e6:.2f} MB gzipped; "
        "baseline = raw rows of the unit's clients with json_agg",
    )

    # 6. Sync push: records/s through the domain services, idempotent on replay.
    from pulih.clients.models import UrineTest

    targets = [
        str(pk) for pk in clients.filter(unit_id=unit_id, status="active").values_list("id", flat=True)[:200]
    ]
    batch = int(os.environ.get("BENCH_PUSH_BATCH", "200"))
    pushed: list[str] = []
    rates = []
    for _round in range(3):
        records = urine_test_push(targets, batch, dt.date.today().isoformat(), pushed, "MET, THC")
        body = json.dumps({"key": str(uuid.uuid4()), "device": "bench", "records": records})
        t = time.perf_counter()
        response = http.post("/api/v1/sync/push", data=body, content_type="application/json")
        elapsed = time.perf_counter() - t
        assert response.status_code == 200, response.content[:300]
        rates.append(batch / elapsed)
        replay = http.post("/api/v1/sync/push", data=body, content_type="application/json")
        assert replay.json()["replayed"] is True
    written = UrineTest.objects.filter(id__in=pushed).count()
    assert written == len(pushed), (written, len(pushed))
    episode = {str(c): str(e) for c, e in clients.filter(id__in=targets).values_list("id", "episodes__id")}
    base_rates = []
    for _round in range(3):
        rows = [
            (str(uuid.uuid4()), t, episode[t], dt.date.today(), "kit", "", "MET, THC", "negative", agent.pk)
            for t in (targets[i % len(targets)] for i in range(batch))
        ]
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO clients_urinetest (id, client_id, episode_id, tested_on, method, facility, "
                "substances, "
                "result, recorded_by_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())",
                rows,
            )
        base_rates.append(batch / (time.perf_counter() - t0))
        with connection.cursor() as cur:
            cur.execute("DELETE FROM clients_urinetest WHERE id = ANY(%s)", [[r[0] for r in rows]])
    print(
        f"sync push ({batch} records per batch, 3 batches): median {statistics.median(rates):,.0f} records/s "
        f"(target >= 1,000/s per worker); replay answered from the store, {written} rows written once; "
        f"baseline raw executemany INSERT {statistics.median(base_rates):,.0f} rows/s; "
        f"ratio {statistics.median(base_rates) / statistics.median(rates):.1f}x",
        flush=True,
    )
    RESULTS.append(
        {"what": "sync push", "rate": statistics.median(rates), "base_rate": statistics.median(base_rates)}
    )
    UrineTest.objects.filter(id__in=pushed).delete()

    # 7. Export of the facts table as a background job (run here synchronously, as the worker does).
    from pulih.reports.exports import export_path, export_run
    from pulih.reports.models import ExportJob, Fact

    for fmt in os.environ.get("BENCH_EXPORT_FORMATS", "csv,xlsx").split(","):
        job = ExportJob.objects.create(
            requested_by=national,
            kind="facts",
            format=fmt,
            title="bench",
            params={"level": "national", "area": "", "from": "2021-01", "to": "2030-12", "by": "unit"},
        )
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        status = export_run(str(job.pk))
        elapsed = time.perf_counter() - t
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        job.refresh_from_db()
        path = export_path(job)
        rows = job.rows_done
        t = time.perf_counter()
        with connection.cursor() as cur, open(os.devnull, "w") as sink:
            cur.execute(
                "SELECT f.month, f.province_id, f.regency_id, f.unit_id, f.indicator, f.dim, f.member, "
                "f.value "
                "FROM reports_fact f"
            )
            for row in cur:
                sink.write(",".join(map(str, row)) + "\n")
        base_s = time.perf_counter() - t
        print(
            f"export {fmt} of the facts table by unit: {status}, {rows:,} rows in {elapsed:.2f} s "
            f"({rows / max(elapsed, 1e-9):,.0f} rows/s, {path.stat().st_size / 1e6 if path else 0:.1f} MB; "
            f"peak RSS grew {(rss1 - rss0) / 1024:.0f} MB); extrapolated to 1,000,000 rows "
            f"{1_000_000 / max(rows / elapsed, 1e-9):.0f} s (target <= 60 s); baseline raw SELECT of "
            f"{Fact.objects.count():,} fact rows to a CSV sink {base_s:.2f} s",
            flush=True,
        )
        if path:
            path.unlink()
        job.delete()

    out = os.environ.get("BENCH_JSON")
    if out:
        Path(out).write_text(json.dumps(RESULTS, indent=2, default=str))


if __name__ == "__main__":
    main()
