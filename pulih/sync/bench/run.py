"""Benchmarks of the sync protocol: restore of 500 clients + 5,000 encounters, push throughput.

Run: ``DATABASE_URL=postgres://… .venv/bin/python pulih/sync/bench/run.py``.
Creates and drops its own database ``<name>_syncbench`` (PostgreSQL) or a temporary file (SQLite).
"""

from __future__ import annotations

import gzip
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False, aliases={"default": {}})
    try:
        run()
    finally:
        teardown_databases(config, verbosity=0)


def run() -> None:
    from django.db import connection
    from django.utils import timezone

    from pulih.clients.models import Client, Episode, MonitoringContact, UrineTest
    from pulih.regions.loading import load_regions
    from pulih.sync.selectors import encode, pull
    from pulih.sync.services import push_batch
    from pulih.sync.tests.factories import outreach
    from pulih.testing.world import TEST_PROVINCES, build_world

    load_regions(provinces=TEST_PROVINCES)
    world = build_world()
    unit, agent = world.unit_kayu_aro, world.alice
    today = timezone.localdate()
    clients = [
        Client(
            id=uuid.uuid4(),
            code=f"PLH-15-B{i:05d}",
            unit=unit,
            village=unit.village,
            name=f"Klien {i}",
            phone="0812",
            rw="01",
            sex="m",
            birth_year=1990,
            referral_source="outreach",
            registered_by=agent,
        )
        for i in range(500)
    ]
    Client.objects.bulk_create(clients)
    episodes = [Episode(client=c, number=1, opened_at=timezone.now(), opened_by=agent) for c in clients]
    Episode.objects.bulk_create(episodes)
    tests, contacts = [], []
    for c, e in zip(clients, episodes, strict=True):
        for j in range(5):
            tests.append(
                UrineTest(
                    client=c,
                    episode=e,
                    tested_on=today - timedelta(days=30 * j),
                    method="kit",
                    substances="MET",
                    result="negative",
                    recorded_by=agent,
                )
            )
            contacts.append(
                MonitoringContact(client=c, episode=e, due_on=today - timedelta(days=20 * j), agent=agent)
            )
    UrineTest.objects.bulk_create(tests)
    MonitoringContact.objects.bulk_create(contacts)

    # Restore: the real pull (scope, caps, serialisation, audit, checkpoint) vs raw SQL of the same rows.
    best, size = 1e9, 0
    for _ in range(5):
        start = time.perf_counter()
        body = encode(pull(user=agent, device="bench"))
        compressed = gzip.compress(body, 6)
        best = min(best, time.perf_counter() - start)
        size = len(compressed)
    base = 1e9
    with connection.cursor() as cur:
        for _ in range(5):
            start = time.perf_counter()
            cur.execute("SELECT * FROM clients_client WHERE unit_id = %s AND status = 'active'", [unit.pk])
            rows = cur.fetchall()
            for table in (
                "clients_urinetest",
                "clients_monitoringcontact",
                "clients_episode",
                "clients_consent",
            ):
                cur.execute(
                    f"SELECT t.* FROM {table} t JOIN clients_client c ON c.id = t.client_id "  # noqa: S608 - fixed names
                    "WHERE c.unit_id = %s",
                    [unit.pk],
                )
                rows += cur.fetchall()
            base = min(base, time.perf_counter() - start)
    print(
        f"restore 500 clients + 5000 encounters: {best * 1000:.0f} ms server time, "
        f"{size / 1024:.0f} KiB gzipped "
        f"(raw SQL of the same rows, undecrypted: {base * 1000:.0f} ms; target <= 1000 ms, <= 2048 KiB)"
    )

    # Push: 2,000 records in batches of 200 through the services vs raw INSERTs.
    records = [outreach(notes=f"bench {i}") for i in range(2000)]
    start = time.perf_counter()
    for i in range(0, len(records), 200):
        push_batch(actor=agent, key=str(uuid.uuid4()), device="bench", records=records[i : i + 200])
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cur:
        for _record in records:
            cur.execute(
                "INSERT INTO clients_outreachcontact "
                "(id, unit_id, agent_id, contacted_on, channel, outcome, notes, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    str(uuid.uuid4()).replace("-", "")
                    if connection.vendor == "sqlite"
                    else str(uuid.uuid4()),
                    unit.pk,
                    agent.pk,
                    today,
                    "home_visit",
                    "informed",
                    "raw",
                    timezone.now(),
                ],
            )
    raw = time.perf_counter() - start
    replay_start = time.perf_counter()
    push_batch(actor=agent, key="bench-replay-key", device="bench", records=records[:200])
    push_batch(actor=agent, key="bench-replay-key", device="bench", records=records[:200])
    replay = time.perf_counter() - replay_start
    print(
        f"push: {len(records) / elapsed:.0f} records/s per worker (validated, audited, change-logged; "
        f"raw INSERT of the same rows: {len(records) / raw:.0f} rows/s; target >= 1000 records/s); "
        f"a 200-record replay pair took {replay * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
