"""Query budgets: every page and API GET runs the same number of queries for 2 or 12 clients.

The URL patterns are walked like ``pulih/accounts/tests/test_url_scoping.py``
does and each URL is built from its app's ``url_cases`` kwargs; it is asked
by the first persona whose role may read it. The world's two units get 2
generated clients (with screenings, sessions incl. group sessions, contacts,
urine tests, referrals with their history), the page is counted, 10 more
clients are generated into the same units, and the page is counted again:
no growth is allowed, and every page stays under a fixed ceiling.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pulih.accounts.tests.test_url_scoping import all_cases, project_url_names
from pulih.clients.models import Client
from pulih.scale.generator import SCALES, Generator
from pulih.testing.world import World

PERSONA_ORDER = ("alice", "carol", "sam", "olga", "nina", "mira", "dina", "adam")
CEILING = 45  # queries for any page or API GET
# The client record meets the quality target (<= 15 SQL statements) counting every
# statement it sends: session and user, the client, its one read-audit event (savepoint,
# chain-head lock, insert, head update, release), the whole history in one UNION query,
# screenings, referral steps, and the session save. The client API list (up to 200
# clients) appends its page's read events with one lock and one insert.
CEILINGS = {"clients:detail": 15, "clients:list": 13, "api:clients_list": 14, "reports:dashboard": 40}
# Pages whose ceiling counts every statement, the audit appends included.
COUNT_EVERYTHING = frozenset({"clients:detail", "clients:list", "api:clients_list"})
# URLs left out, with the reason (each one is reported in docs/performance.md).
EXEMPT: dict[str, str] = {}


def _get_cases(world: World) -> list[tuple[str, str, Any]]:
    cases = all_cases()
    out = []
    for name in sorted(project_url_names()):
        case = cases[name]
        if "get" not in case.methods or case.skip_reason or name in EXEMPT:
            continue
        persona = next((p for p in PERSONA_ORDER if getattr(world, p).role in case.allowed), None)
        if persona is None:
            continue
        out.append((name, persona, case))
    return out


# Appending to the audit hash chain is one locked write per client shown, by design
# (every read of identified data is its own event). Outside ``COUNT_EVERYTHING`` those
# statements (and every savepoint) are counted apart and are not part of a page's read
# budget (see docs/performance.md); the pages in ``COUNT_EVERYTHING`` count them all.
AUDIT_MARKERS = ("audit_auditevent", "audit_auditchainhead", "SAVEPOINT")


def is_audit_append(sql: str) -> bool:
    return any(marker in sql for marker in AUDIT_MARKERS)


def _count(http: Any, url: str, *, everything: bool = False) -> tuple[int, int]:
    http.get(url)  # warm per-process caches (instrument spec, content types, session)
    with CaptureQueriesContext(connection) as ctx:
        status = http.get(url).status_code
    return status, sum(1 for q in ctx.captured_queries if everything or not is_audit_append(q["sql"]))


def _generator(world: World) -> Generator:
    gen = Generator(SCALES["small"], seed=11, until=dt.date(2026, 6, 30), log=lambda _m: None)
    gen.attach([world.unit_kayu_aro.pk, world.unit_air_mesu.pk])
    return gen


@pytest.mark.django_db
def test_every_page_and_api_get_runs_a_fixed_number_of_queries(world: World, as_user: Any) -> None:
    gen = _generator(world)
    gen.add_clients(0, 2)
    targets = []
    for name, persona, case in _get_cases(world):
        url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else {})
        targets.append((name, persona, url))
    clients = {p: as_user(getattr(world, p)) for p in PERSONA_ORDER}
    before = {
        name: _count(clients[persona], url, everything=name in COUNT_EVERYTHING)
        for name, persona, url in targets
    }
    existing = Client.objects.count()
    gen.add_clients(2, 10)
    assert Client.objects.count() == existing + 10
    failures = []
    for name, persona, url in targets:
        status, after = _count(clients[persona], url, everything=name in COUNT_EVERYTHING)
        status0, first = before[name]
        if status != 200 or status0 != 200:
            continue  # not a readable page for this persona with these kwargs (scoping test covers it)
        ceiling = CEILINGS.get(name, CEILING)
        if after > first:
            failures.append(f"{name} as {persona}: {first} queries with 2 clients, {after} with 12")
        if after > ceiling:
            failures.append(f"{name} as {persona}: {after} queries > ceiling {ceiling}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_client_record_costs_the_same_for_a_short_and_a_long_history(world: World, as_user: Any) -> None:
    gen = _generator(world)
    gen.add_clients(0, 12)
    from django.db.models import Count

    ranked = list(
        Client.objects.filter(unit=world.unit_kayu_aro)
        .annotate(
            n=Count("screenings", distinct=True)
            + Count("attendance", distinct=True)
            + Count("contacts", distinct=True)
            + Count("referrals", distinct=True)
        )
        .order_by("n", "code")
    )
    short, long = ranked[0], ranked[-1]
    assert long.n > short.n
    http = as_user(world.alice)
    counts = {}
    for label, client in (("short", short), ("long", long)):
        url = reverse("clients:detail", kwargs={"pk": client.pk})
        status, n = _count(http, url, everything=True)
        assert status == 200
        counts[label] = n
    assert counts["long"] == counts["short"], counts
    assert counts["long"] <= CEILINGS["clients:detail"], counts


@pytest.mark.django_db
def test_the_client_record_still_writes_its_read_audit_event(world: World, as_user: Any) -> None:
    from pulih.audit.models import AuditEvent
    from pulih.clients.audit_codes import ClientAction

    gen = _generator(world)
    gen.add_clients(0, 2)
    client = Client.objects.filter(unit=world.unit_kayu_aro).first()
    assert client is not None
    url = reverse("clients:detail", kwargs={"pk": client.pk})
    http = as_user(world.alice)
    assert http.get(url).status_code == 200  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    assert any("audit_auditevent" in q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) <= CEILINGS["clients:detail"]
    events = AuditEvent.objects.filter(action=ClientAction.CLIENT_VIEWED, object_id=str(client.pk))
    assert events.count() == 2  # one per GET
    assert all(e.identified and e.actor_id == world.alice.pk and e.purpose == "client page" for e in events)
