"""The breach query finds exactly the clients whose identified data an account or device read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_record
from pulih.clients.audit_codes import ClientAction
from pulih.clients.tests.factories import make_client
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.breach import breach_query, breach_report
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def _read(user: Any, client: Any, *, at: Any, identified: bool = True, **kw: Any) -> None:
    audit_record(
        action=ClientAction.CLIENT_VIEWED,
        actor=user,
        obj=client,
        identified=identified,
        at=at,
        detail={"client": str(client.pk)},
        **kw,
    )


def test_it_lists_the_clients_an_account_read_within_the_window(world: World) -> None:
    a, b, c, d = (make_client(world, name=n) for n in ("A", "B", "C", "D"))
    t0 = timezone.now() + timedelta(days=1)
    _read(world.alice, a, at=t0)
    _read(world.alice, a, at=t0 + timedelta(hours=1))
    _read(world.alice, b, at=t0 + timedelta(hours=2))
    _read(world.alice, c, at=t0 - timedelta(hours=1))  # before the window
    _read(world.alice, d, at=t0 + timedelta(hours=1), identified=False)  # pseudonymous read
    _read(world.carol, d, at=t0 + timedelta(hours=1))  # another account
    hits = breach_query(actor_ids=[world.alice.pk], start=t0, end=t0 + timedelta(hours=3))
    assert sorted(h.code for h in hits) == sorted([a.code, b.code])
    hit_a = next(h for h in hits if h.code == a.code)
    assert hit_a.reads == 2 and hit_a.first_at == t0 and hit_a.last_at == t0 + timedelta(hours=1)


def test_the_end_of_the_window_is_exclusive(world: World) -> None:
    a = make_client(world)
    t0 = timezone.now() + timedelta(days=1)
    _read(world.alice, a, at=t0 + timedelta(hours=1))
    assert breach_query(actor_ids=[world.alice.pk], start=t0, end=t0 + timedelta(hours=1)) == []


def test_it_finds_clients_by_device_and_by_every_way_events_name_a_client(world: World) -> None:
    from django.test import RequestFactory

    a, b, c = (make_client(world, name=n) for n in ("A", "B", "C"))
    t0 = timezone.now() + timedelta(days=1)
    request = RequestFactory().get("/")
    request.user = world.alice
    request.auth_token_label = "token:abc123"  # type: ignore[attr-defined]
    audit_record(action=ClientAction.CLIENT_VIEWED, request=request, obj=a, identified=True, at=t0)
    # A referral letter names the client by code; an offline pull lists ids.
    audit_record(
        action=ClientAction.CLIENT_VIEWED,
        request=request,
        object_type="referrals.referral",
        object_id="9",
        identified=True,
        detail={"client": b.code},
        at=t0,
    )
    audit_record(
        action=ClientAction.CLIENT_VIEWED,
        request=request,
        identified=True,
        detail={"clients": [str(c.pk)]},
        at=t0,
    )
    hits = breach_query(device="token:abc123", start=t0, end=t0 + timedelta(minutes=1))
    assert sorted(h.code for h in hits) == sorted([a.code, b.code, c.code])
    assert breach_query(device="token:other", start=t0, end=t0 + timedelta(minutes=1)) == []


def test_the_dpo_report_resolves_usernames_and_is_audited(world: World) -> None:
    a = make_client(world)
    t0 = timezone.now() + timedelta(days=1)
    _read(world.alice, a, at=t0)
    hits = breach_report(
        actor=world.dina, usernames=["alice", "nobody"], start=t0, end=t0 + timedelta(hours=1)
    )
    assert [h.code for h in hits] == [a.code]
    event = AuditEvent.objects.get(action=PrivacyAction.BREACH_QUERY_RUN)
    assert event.detail["accounts"] == ["alice", "nobody"] and event.detail["clients"] == 1
    assert breach_report(actor=world.dina, usernames=["nobody"], start=t0, end=t0 + timedelta(hours=1)) == []


def test_the_query_uses_the_partial_index_on_postgresql(world: World) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("plan check is for PostgreSQL")
    qs = AuditEvent.objects.filter(
        identified=True, actor_id__in=[1], at__gte=timezone.now(), at__lt=timezone.now()
    )
    with connection.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cur.execute("SET enable_seqscan = on")
    assert "audit_ident_actor_at" in plan
