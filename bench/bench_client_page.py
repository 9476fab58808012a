"""The client record page for a client with a long history, beside raw SQL for the same rows.

Run (PostgreSQL; the target is stated for it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test PULIH_TEST_DB_NAME=test_clientpage_bench \\
        .venv/bin/python bench/bench_client_page.py

Creates its own temporary test database (``django.test.utils.setup_databases``,
as ``pulih/sync/bench/run.py`` does) and drops it at the end. It generates
clients with three years of history into the test world's two units
(``pulih/scale/generator.py``: sessions incl. group sessions, monitoring
contacts, urine tests, screenings, referrals with their steps), takes the
agent's client with the longest history, and times ``GET /clients/<id>/``
through Django's test client as the unit's agent (the full middleware stack,
session, audit append) — p50/p95 over ``BENCH_RUNS`` runs after a warm-up.
The baseline, measured in the same run, is the raw SELECTs of the same rows
(the client, its episodes, consents, plans, sessions, notes, urine tests,
contacts, screenings and referral steps). It also counts the page's SQL
statements, every one included (audit append and transaction control).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
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

from timing import pct  # noqa: E402 - bench/ is on sys.path when run as a script
from timing import timed as _timed  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))
WARM = 5
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "24"))
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")



def timed(fn: Callable[[], Any], runs: int = RUNS, warm: int = WARM) -> list[float]:
    return _timed(fn, runs, warm)


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if connection.vendor != "postgresql":
        print(f"note: database is {connection.vendor}; the target is stated for PostgreSQL", flush=True)
    # As a production worker runs: DEBUG off (no query log), like Django's test runner.
    setup_test_environment(debug=False)
    config = setup_databases(verbosity=0, interactive=False, aliases={"default": {}})
    try:
        run()
    finally:
        teardown_databases(config, verbosity=0)


def _copies(template: Any, days: list[dt.date], set_day: Callable[[Any, dt.date], None]) -> list[Any]:
    """Copies of one generated row, one per day (new ids), for a longer history."""
    out = []
    for day in days:
        row = copy.copy(template)
        row._state = copy.copy(template._state)
        row._state.adding = True
        row.pk = uuid.uuid4() if template._meta.pk.get_internal_type() == "UUIDField" else None
        set_day(row, day)
        out.append(row)
    return out


def lengthen(client: Any, agent: Any, until: dt.date) -> None:
    """Give ``client`` three years of weekly sessions and notes, monthly urine tests, fortnightly
    monitoring contacts, quarterly plans and screenings, and three more referrals with their steps,
    copied from the generated rows of the same units (the generator's own trajectories are short)."""
    from django.utils import timezone

    from pulih.clients.models import (
        Episode,
        InterventionPlan,
        MonitoringContact,
        ProgressNote,
        Session,
        SessionAttendance,
        UrineTest,
    )
    from pulih.referrals.models import Referral, ReferralEvent
    from pulih.screening.models import Screening, ScreeningStatus

    start = until - dt.timedelta(days=3 * 365)
    every = lambda n: [start + dt.timedelta(days=d) for d in range(0, 3 * 365, n)]  # noqa: E731
    noon = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time(12)))  # noqa: E731
    episode = Episode.objects.filter(client=client).order_by("-number").first()
    assert episode is not None
    Episode.objects.filter(pk=episode.pk).update(opened_at=noon(start - dt.timedelta(days=7)))
    same_unit = {"client__unit_id": client.unit_id}

    def care(model: Any, days: list[dt.date], *fields: str, **extra: Any) -> None:
        template = model.objects.filter(**same_unit).first() or model()
        template.client, template.episode = client, episode
        for name, value in extra.items():
            setattr(template, name, value)

        def on(row: Any, day: dt.date) -> None:
            for field in fields:
                setattr(row, field, day)

        model.objects.bulk_create(_copies(template, days, on))

    care(ProgressNote, every(7), "written_on", author=agent, text="Klien hadir; rencana minggu depan dibahas.")
    care(UrineTest, every(30), "tested_on")
    care(MonitoringContact, every(14), "due_on", "done_on", outcome="stable")
    plan = {"goals": "Berhenti memakai; kembali bekerja.", "modality": "individual", "frequency": "mingguan"}
    care(InterventionPlan, every(91), "review_on", responsible=agent, created_by=agent, **plan)
    session = Session.objects.filter(unit_id=client.unit_id).first()
    assert session is not None
    sessions = Session.objects.bulk_create(_copies(session, every(7), lambda r, d: setattr(r, "held_on", d)))
    SessionAttendance.objects.bulk_create([SessionAttendance(session=s, client=client) for s in sessions])
    screening = Screening.objects.filter(client=client, status=ScreeningStatus.COMPLETED).first()
    if screening is None:
        screening = Screening.objects.filter(status=ScreeningStatus.COMPLETED, **same_unit).first()
    assert screening is not None
    screening.client, screening.episode, screening.previous = client, episode, None

    def screened(row: Any, day: dt.date) -> None:
        row.started_at = noon(day)
        row.completed_at = noon(day) + dt.timedelta(minutes=20)

    Screening.objects.bulk_create(_copies(screening, every(91), screened))
    referral = Referral.objects.filter(**same_unit).exclude(events=None).first()
    assert referral is not None
    events = list(referral.events.all())
    for day in every(365):
        copy_of = _copies(referral, [day], lambda r, d: None)[0]
        copy_of.client, copy_of.episode = client, episode
        copy_of.save(force_insert=True)
        shift = noon(day) - min(e.at for e in events)
        steps = _copies(events[0], [day] * len(events), lambda r, d: None)
        for step, event in zip(steps, events, strict=True):
            step.__dict__.update({k: v for k, v in event.__dict__.items() if k not in ("_state", "id")})
            step.referral, step.at = copy_of, event.at + shift
        ReferralEvent.objects.bulk_create(steps)


def run() -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext

    from pulih.clients.models import Client
    from pulih.regions.loading import load_regions
    from pulih.scale.generator import Generator, Scale
    from pulih.testing.world import TEST_PROVINCES, build_world

    load_regions(provinces=TEST_PROVINCES)
    world = build_world()
    t0 = time.perf_counter()
    scale = Scale(units=2, clients=CLIENTS, years=3, encounters_per_client=40.0, referrals_per_client=2.0)
    gen = Generator(scale, seed=7, until=dt.date(2026, 6, 30), log=lambda _m: None)
    gen.attach([world.unit_kayu_aro.pk, world.unit_air_mesu.pk])
    gen.add_clients(0, CLIENTS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    ranked = (
        Client.objects.filter(unit=world.unit_kayu_aro)
        .annotate(
            n=Count("attendance", distinct=True)
            + Count("contacts", distinct=True)
            + Count("urine_tests", distinct=True)
            + Count("notes", distinct=True)
            + Count("screenings", distinct=True)
            + Count("referrals__events", distinct=True)
        )
        .order_by("-n", "code")
    )
    client = ranked.first()
    assert client is not None
    lengthen(client, world.alice, until=dt.date(2026, 6, 30))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    pk = str(client.pk)
    print(
        f"database: {connection.vendor}; {CLIENTS} generated clients in {time.perf_counter() - t0:.1f} s; "
        f"runs per figure: {RUNS} after {WARM} warm-up",
        flush=True,
    )

    history = {
        "episodes": "SELECT * FROM clients_episode WHERE client_id = %s",
        "consents": "SELECT * FROM clients_consent WHERE client_id = %s",
        "plans": "SELECT * FROM clients_interventionplan WHERE client_id = %s",
        "sessions": "SELECT s.*, (SELECT COUNT(*) FROM clients_sessionattendance b WHERE b.session_id = s.id) "
        "FROM clients_session s JOIN clients_sessionattendance a ON a.session_id = s.id "
        "WHERE a.client_id = %s",
        "notes": "SELECT * FROM clients_progressnote WHERE client_id = %s",
        "urine tests": "SELECT * FROM clients_urinetest WHERE client_id = %s",
        "monitoring contacts": "SELECT * FROM clients_monitoringcontact WHERE client_id = %s",
        "screenings": "SELECT s.*, i.code, i.version FROM screening_screening s "
        "JOIN screening_instrument i ON i.id = s.instrument_id WHERE s.client_id = %s",
        "referral steps": "SELECT e.*, p.name FROM referrals_referralevent e "
        "JOIN referrals_referral r ON r.id = e.referral_id "
        "JOIN referrals_serviceprovider p ON p.id = r.provider_id WHERE r.client_id = %s",
    }
    sizes = {}
    with connection.cursor() as cur:
        for what, sql in history.items():
            cur.execute(sql, [pk])
            sizes[what] = len(cur.fetchall())
    print(
        f"client {client.code} (agent {world.alice.username}'s unit), longest history: "
        + ", ".join(f"{n} {what}" for what, n in sizes.items()),
        flush=True,
    )

    http = HttpClient()
    http.force_login(world.alice)
    url = f"/clients/{pk}/"

    def page() -> None:
        response = http.get(url)
        assert response.status_code == 200, response.status_code

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT c.*, u.*, v.* FROM clients_client c JOIN organisations_unit u ON u.id = c.unit_id "
                "JOIN regions_village v ON v.code = c.village_id WHERE c.id = %s",
                [pk],
            )
            cur.fetchall()
            for sql in history.values():
                cur.execute(sql, [pk])
                cur.fetchall()

    # Interleave the two so that load from other processes falls on both alike.
    ours: list[float] = []
    base: list[float] = []
    for _ in range(WARM):
        page()
        raw()
    for _ in range(RUNS):
        ours += timed(page, runs=1, warm=0)
        base += timed(raw, runs=1, warm=0)

    if os.environ.get("BENCH_PHASES"):  # where the page's time goes (no profiler overhead)
        from django.template.loader import render_to_string

        from pulih.clients import selectors as sel
        from pulih.clients import timeline

        user = type(world.alice).objects.get(pk=world.alice.pk)
        client_obj = sel.client_get(user=user, pk=pk)
        load = timed(lambda: sel.client_history(user=user, client=client_obj), runs=20)
        record = timeline.ClientRecord(client_obj, user)
        record.history  # noqa: B018
        entries = timeline.entries_for(client_obj, user, record)
        build = timed(lambda: timeline.entries_for(client_obj, user, record), runs=20)
        ctx = {"client": client_obj, "entries": entries, "episodes": record.episodes}
        render = timed(lambda: render_to_string("clients/client_detail.html", ctx), runs=20)
        for what, ms in (("history query+load", load), ("timeline entries", build), ("render", render)):
            print(f"  {what}: p50 {statistics.median(ms):.1f} ms", flush=True)
        print(f"  {len(entries)} timeline entries", flush=True)
        if os.environ.get("BENCH_PHASES") == "profile":
            import cProfile
            import pstats

            for fn in (
                lambda: sel.client_history(user=user, client=client_obj),
                lambda: timeline.entries_for(client_obj, user, record),
            ):
                profiler = cProfile.Profile()
                profiler.runcall(lambda fn=fn: [fn() for _ in range(10)])
                pstats.Stats(profiler).sort_stats("tottime").print_stats(14)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [page() for _ in range(10)])
        pstats.Stats(profiler).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(30)
    with CaptureQueriesContext(connection) as ctx:
        page()
    statements = [q["sql"] for q in ctx.captured_queries]
    times = [q["time"] for q in ctx.captured_queries]
    control = [s for s in statements if s.lstrip().upper().startswith(TRANSACTION_CONTROL)]
    audit = [s for s in statements if "audit_audit" in s]
    o50, o95, b50, b95 = statistics.median(ours), pct(ours, 95), statistics.median(base), pct(base, 95)
    print(
        f"client record page: p50 {o50:.1f} ms, p95 {o95:.1f} ms (target p95 <= 80 ms, <= 15 queries)",
        flush=True,
    )
    print(
        f"baseline (raw SELECTs of the same rows, {len(history) + 1} statements): "
        f"p50 {b50:.1f} ms, p95 {b95:.1f} ms; ratio p50 {o50 / b50:.1f}x, p95 {o95 / b95:.1f}x",
        flush=True,
    )
    print(
        f"page SQL statements: {len(statements)} in all = {len(statements) - len(control)} queries "
        f"(of which {len(audit)} audit append) + {len(control)} transaction control",
        flush=True,
    )
    for sql, took in zip(statements, times, strict=True):
        print(f"    {float(took) * 1000:6.1f} ms  {sql[:100]}")


if __name__ == "__main__":
    main()
