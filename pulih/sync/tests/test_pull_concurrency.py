"""Pulls are gap-free when transactions commit out of order (PostgreSQL).

PostgreSQL assigns transaction ids in start order but commits in any order.
A cursor that simply moves past the highest position seen skips a slow
transaction's row once it commits; the watermark (the oldest transaction still
running) never passes it. These tests run real writer threads against the
database, each in its own connection and transaction.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulih.clients.models import OutreachContact
from pulih.sync.models import Change
from pulih.sync.selectors import pull
from pulih.testing.world import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="out-of-order commits need PostgreSQL's concurrency"
    ),
]


def _write(
    world: World,
    tag: str,
    opened: threading.Event | None,
    go: threading.Event | None,
    delay: float,
    rollback: bool,
    done: list[str],
) -> None:
    """One writer transaction: create an outreach contact, wait, then commit (or roll back)."""
    try:
        with transaction.atomic():
            contact = OutreachContact.objects.create(
                unit=world.unit_kayu_aro,
                agent=world.alice,
                contacted_on=timezone.localdate(),
                channel="home_visit",
                outcome="informed",
                notes=tag,
            )
            if opened is not None:
                opened.set()
            if go is not None:
                go.wait(10)
            time.sleep(delay)
            if rollback:
                raise _Rollback
        done.append(str(contact.pk))
    except _Rollback:
        pass
    finally:
        connection.close()


class _Rollback(Exception):
    pass


def _outreach_ids(result: dict[str, Any]) -> set[str]:
    return {str(r["id"]) for r in result["records"].get("clients.outreachcontact", [])}


def test_a_transaction_that_commits_late_is_not_skipped(world: World) -> None:
    first = pull(user=world.alice, device="d")
    slow_open, slow_go = threading.Event(), threading.Event()
    committed: list[str] = []
    slow = threading.Thread(target=_write, args=(world, "slow", slow_open, slow_go, 0, False, committed))
    slow.start()
    slow_open.wait(10)  # the slow transaction has written its row (lower transaction id) and stays open
    fast = threading.Thread(target=_write, args=(world, "fast", None, None, 0, False, committed))
    fast.start()
    fast.join()
    fast_id = committed[0]
    positions = dict(
        Change.objects.filter(label="clients.outreachcontact").values_list("object_id", "position")
    )
    middle = pull(user=world.alice, cursor=first["cursor"], device="d")
    # A naive cursor (highest position delivered) would now stand past the slow row's position.
    naive_cursor = max(positions.values())
    slow_go.set()
    slow.join()
    slow_id = committed[1]
    last = pull(user=world.alice, cursor=middle["cursor"], device="d")
    delivered = _outreach_ids(middle) | _outreach_ids(last)
    assert delivered == {fast_id, slow_id}
    # The slow transaction's row sits below the naive cursor: that design would have lost it.
    slow_position = Change.objects.get(object_id=slow_id).position
    assert slow_position < naive_cursor or fast_id not in _outreach_ids(middle)


schedules = st.lists(
    st.tuples(st.floats(min_value=0, max_value=0.03), st.sampled_from([False, False, True])),
    min_size=6,
    max_size=14,
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=schedules)
def test_concurrent_writers_with_random_commit_order_lose_and_invent_nothing(
    world: World, schedule: list[tuple[float, bool]]
) -> None:
    cursor = pull(user=world.alice, device="prop")["cursor"]
    committed: list[str] = []
    threads = [
        threading.Thread(target=_write, args=(world, f"w{i}", None, None, delay, rollback, committed))
        for i, (delay, rollback) in enumerate(schedule)
    ]
    delivered: set[str] = set()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        result = pull(user=world.alice, cursor=cursor, device="prop")
        delivered |= _outreach_ids(result)
        cursor = result["cursor"]
        time.sleep(0.005)
    for t in threads:
        t.join()
    result = pull(user=world.alice, cursor=cursor, device="prop")
    delivered |= _outreach_ids(result)
    assert delivered == set(committed)
    connection.close()
