"""The breach query on a year of audit data, beside the raw SQL for the same answer.

"Which clients' identified data did account X or device Y read between T1 and
T2" (``pulih.privacy.breach.breach_query``) must answer in under 2 s on a year
of audit events. This script builds its own database, fills it with a year of
events (PostgreSQL: COPY, default 3,000,000 rows; SQLite: executemany, default
300,000), then times, for a busy account, a typical agent and a device:

* ``breach_query`` — the service (ORM query over the partial indexes
  ``audit_ident_actor_at`` / ``audit_ident_device_at`` plus resolving every
  way an event names a client to client codes), and
* the baseline — one raw SQL statement returning the same distinct client ids.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pulih_bench_breach \\
        .venv/bin/python bench/bench_breach_query.py            # PostgreSQL (database is recreated)
    DATABASE_URL=sqlite:///var/bench_breach.sqlite3 .venv/bin/python bench/bench_breach_query.py
    BENCH_ROWS=5000000 …                                        # more events
    BENCH_REUSE=1 …                                             # time again on the filled database

The generated chain hashes are placeholders: this database is for timing only.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pulih_bench_breach")

URL = os.environ["DATABASE_URL"]
IS_PG = URL.startswith("postgres")


def _recreate_database() -> None:
    if IS_PG:
        import psycopg

        base, name = URL.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(URL.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)


REUSE = os.environ.get("BENCH_REUSE") == "1"
if not REUSE:
    _recreate_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "3000000" if IS_PG else "300000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
CLIENTS = 20_000
ACTORS = 7_500  # 1,500 units × 5 agents
DEVICES = 3_000
END = datetime(2026, 1, 1, tzinfo=UTC)
START = END - timedelta(days=365)
BUSY_ACTOR = 1_000_001  # an account with 1 % of all events (a coordinator, or a misused login)
BUSY_DEVICE = "token:busy0001"


def setup_schema_and_clients() -> list[tuple[str, str]]:
    from pulih.accounts.models import User
    from pulih.clients.models import Client
    from pulih.regions.loading import load_regions
    from pulih.testing.world import TEST_PROVINCES, build_world

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions(provinces=TEST_PROVINCES)
    world = build_world()
    unit, village = world.unit_kayu_aro, world.unit_kayu_aro.village
    agent = User.objects.get(username="alice")
    clients = [
        Client(
            code=f"PLH-15-B{i:05d}",
            unit=unit,
            village=village,
            name=f"Nama {i}",
            sex="m",
            birth_year=1990,
            referral_source="outreach",
            registered_by=agent,
        )
        for i in range(CLIENTS)
    ]
    Client.objects.bulk_create(clients, batch_size=2000)
    print(f"schema, regions and {CLIENTS:,} clients: {time.perf_counter() - t:.1f} s")
    return list(Client.objects.values_list("id", "code"))


COLUMNS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "office_id",
    "unit_id",
    "device",
    "action",
    "action_name",
    "object_type",
    "object_id",
    "identified",
    "ip",
    "purpose",
    "detail",
    "prev_hash",
    "hash",
)


def events(clients: list[tuple[str, str]]) -> Any:
    """A year of events: 45 % identified reads; a client named as object, by id, by code or in a list."""
    rnd = random.Random(9)
    span = (END - START).total_seconds()
    for i in range(ROWS):
        at = START + timedelta(seconds=span * i / ROWS)
        # Stored as Django stores it: aware on PostgreSQL, naive UTC text on SQLite.
        stamp = at.isoformat() if IS_PG else at.strftime("%Y-%m-%d %H:%M:%S.%f")
        actor = BUSY_ACTOR if rnd.random() < 0.01 else 1_000_000 + rnd.randrange(2, ACTORS)
        device = ""
        if rnd.random() < 0.005:
            device = BUSY_DEVICE
        elif rnd.random() < 0.3:
            device = f"token:{rnd.randrange(DEVICES):08d}"
        pk, code = clients[rnd.randrange(len(clients))]
        shape = rnd.random()
        identified = rnd.random() < 0.45
        if shape < 0.6:
            obj_type, obj_id, detail = "clients.client", str(pk), f'{{"client": "{pk}"}}'
        elif shape < 0.8:
            obj_type, obj_id, detail = (
                "clients.session",
                str(uuid.UUID(int=rnd.getrandbits(128))),
                f'{{"clients": ["{pk}"]}}',
            )
        elif shape < 0.9:
            obj_type, obj_id, detail = (
                "referrals.referral",
                str(uuid.UUID(int=rnd.getrandbits(128))),
                f'{{"client": "{code}"}}',
            )
        else:
            obj_type, obj_id, detail, identified = "", "", '{"path": "/dashboard/"}', False
        yield (
            stamp,
            actor,
            f"user{actor}",
            "agent",
            1,
            actor % 1500,
            device,
            404,
            "client_viewed",
            obj_type,
            obj_id,
            identified,
            None,
            "",
            detail,
            "0" * 64,
            f"{i:064x}",
        )


def fill(clients: list[tuple[str, str]]) -> float:
    t = time.perf_counter()
    cols = ", ".join(COLUMNS)
    if IS_PG:
        with connection.cursor() as cur:
            with cur.cursor.copy(f"COPY audit_auditevent ({cols}) FROM STDIN") as copy:
                for row in events(clients):
                    copy.write_row(row)
            cur.execute("ANALYZE audit_auditevent")
    else:
        marks = ", ".join(["%s"] * len(COLUMNS))
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cur:
            for row in events(clients):
                batch.append(row)
                if len(batch) == 20_000:
                    cur.executemany(f"INSERT INTO audit_auditevent ({cols}) VALUES ({marks})", batch)
                    batch.clear()
            if batch:
                cur.executemany(f"INSERT INTO audit_auditevent ({cols}) VALUES ({marks})", batch)
            cur.execute("ANALYZE")
    return time.perf_counter() - t


# The same answer in one statement: the events in the window, every client
# reference they carry (object id, detail.client as id or code, detail.clients),
# matched to clients by id or by code.
PG_BASELINE = """
WITH ev AS (
    SELECT object_type, object_id, detail FROM audit_auditevent
    WHERE identified AND {who} AND at >= %s AND at < %s
), refs AS (
    SELECT object_id AS ref FROM ev WHERE object_type = 'clients.client'
    UNION SELECT detail->>'client' FROM ev WHERE detail ? 'client'
    UNION SELECT jsonb_array_elements_text(detail->'clients') FROM ev
        WHERE jsonb_typeof(detail->'clients') = 'array'
)
SELECT c.id FROM clients_client c JOIN refs ON c.id::text = refs.ref
UNION SELECT c.id FROM clients_client c JOIN refs ON c.code = refs.ref
"""

SQLITE_BASELINE = """
WITH ev AS (
    SELECT object_type, object_id, detail FROM audit_auditevent
    WHERE identified AND {who} AND at >= %s AND at < %s
), refs AS (
    SELECT object_id AS ref FROM ev WHERE object_type = 'clients.client'
    UNION SELECT json_extract(detail, '$.client') FROM ev WHERE json_extract(detail, '$.client') IS NOT NULL
    UNION SELECT j.value FROM ev, json_each(ev.detail, '$.clients') AS j
)
SELECT c.id FROM clients_client c JOIN refs ON c.id = REPLACE(refs.ref, '-', '')
UNION SELECT c.id FROM clients_client c JOIN refs ON c.code = refs.ref
"""


def baseline(who: str, param: Any, start: datetime, end: datetime) -> set[str]:
    sql = (PG_BASELINE if IS_PG else SQLITE_BASELINE).format(who=who)
    with connection.cursor() as cur:
        cur.execute(sql, [param, start, end])
        return {str(uuid.UUID(str(r[0]))) for r in cur.fetchall()}


def timed(fn: Callable[[], Any]) -> tuple[list[float], Any]:
    result = fn()
    out = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out, result


def main() -> None:
    from pulih.audit.models import AuditEvent
    from pulih.privacy.breach import breach_query

    if REUSE:
        rows = AuditEvent.objects.count()
        print(f"reusing {rows:,} audit events ({connection.vendor})")
    else:
        clients = setup_schema_and_clients()
        took = fill(clients)
        print(f"{ROWS:,} audit events over one year loaded in {took:.1f} s ({connection.vendor})")
    typical = 1_000_000 + 77
    year = (START, END)
    quarter = (END - timedelta(days=91), END)
    cases = [
        ("busy account, whole year", {"actor_ids": [BUSY_ACTOR]}, "actor_id = %s", BUSY_ACTOR, year),
        ("busy account, last quarter", {"actor_ids": [BUSY_ACTOR]}, "actor_id = %s", BUSY_ACTOR, quarter),
        ("typical agent, whole year", {"actor_ids": [typical]}, "actor_id = %s", typical, year),
        ("busy device, whole year", {"device": BUSY_DEVICE}, "device = %s", BUSY_DEVICE, year),
    ]
    print(f"\n{'case':32} {'clients':>8} {'breach_query p50/max':>22} {'raw SQL p50/max':>18}")
    worst = 0.0
    for label, kw, who, param, (start, end) in cases:
        q_times, hits = timed(lambda kw=kw, start=start, end=end: breach_query(start=start, end=end, **kw))
        b_times, expected = timed(
            lambda who=who, param=param, start=start, end=end: baseline(who, param, start, end)
        )
        assert {h.client_id for h in hits} == expected, f"{label}: service and baseline disagree"
        worst = max(worst, max(q_times))
        q50, qmax = statistics.median(q_times) * 1000, max(q_times) * 1000
        b50, bmax = statistics.median(b_times) * 1000, max(b_times) * 1000
        print(f"{label:32} {len(hits):>8,} {q50:>10.0f} / {qmax:>5.0f} ms {b50:>8.0f} / {bmax:>5.0f} ms")
    if IS_PG:
        with connection.cursor() as cur:
            cur.execute(
                "EXPLAIN SELECT object_type, object_id, detail, at FROM audit_auditevent "
                "WHERE identified AND actor_id = ANY(%s) AND at >= %s AND at < %s",
                [[BUSY_ACTOR], START, END],
            )
            print("\nplan of the service's event scan:\n  " + "\n  ".join(r[0] for r in cur.fetchall()))
    verdict = "MET" if worst < 2 else "NOT MET"
    print(f"\nslowest breach_query: {worst * 1000:.0f} ms — target < 2000 ms: {verdict}")


if __name__ == "__main__":
    main()
