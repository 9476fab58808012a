"""Fuzz harness for the sync push parser (hypothesis).

A device's batch is untrusted JSON. Whatever it holds, ``push_batch`` answers
with per-record results or refuses with a ``DomainError`` (``BatchRejected``
422, ``ConflictError`` 409, ``NotAllowed`` 403) — never another exception —
and over HTTP ``/api/v1/sync/push`` answers a 2xx or 4xx, never a 5xx.
Every example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pulih.accounts.services import token_create
from pulih.core.errors import DomainError
from pulih.sync.services import push_batch
from pulih.sync.tests.factories import new_id, outreach, register, session, urine
from pulih.testing.world import KAYU_ARO, World

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "2024-02-30", "1990", KAYU_ARO, "create", "update", "clients.client"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def records(draw: Any) -> list[Any]:
    """A batch of valid-looking records, each possibly damaged, plus the odd junk record."""
    reg = register(KAYU_ARO)
    batch: list[Any] = [reg, urine(reg["id"]), outreach(), session([reg["id"]])]
    batch = draw(st.lists(st.sampled_from(batch), max_size=4, unique_by=lambda r: r["id"]))
    batch = json.loads(json.dumps(batch))
    for record in batch:
        for _ in range(draw(st.integers(0, 3))):
            where = draw(st.sampled_from(["record", "data"]))
            target = record if where == "record" else record.get("data")
            if not isinstance(target, dict):
                continue
            names = sorted(target)
            key = draw(st.sampled_from(names) | st.text(max_size=6)) if names else draw(st.text(max_size=6))
            if draw(st.booleans()):
                target.pop(key, None)
            else:
                target[key] = draw(json_values)
    if draw(st.booleans()):
        batch.insert(draw(st.integers(0, len(batch))), draw(json_values))
    return batch


def _push(world: World, key: str, batch: Any) -> None:
    sid = transaction.savepoint()
    try:
        try:
            result = push_batch(actor=world.alice, key=key, device="fuzz", records=batch)
        except DomainError as exc:
            assert 400 <= exc.status < 500, exc
            return
        assert len(result["results"]) == len(batch)
        assert {r["status"] for r in result["results"]} <= {
            "created",
            "updated",
            "unchanged",
            "error",
            "conflict",
        }
    finally:
        transaction.savepoint_rollback(sid)


@SETTINGS
@given(batch=records())
def test_any_damaged_batch_gives_results_or_a_domain_error(world: World, batch: list[Any]) -> None:
    _push(world, new_id(), batch)


@SETTINGS
@given(key=st.text(max_size=70), batch=json_values)
def test_any_key_and_any_records_value_give_results_or_a_domain_error(
    world: World, key: str, batch: Any
) -> None:
    _push(world, key, batch)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
@example(body=b"[" * 100_000 + b"]" * 100_000)
@example(body=b'{"key": "12345678", "records": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
@example(body=b'{"key": "12345678", "records": [NaN]}')
@example(body=b'{"key": "12345678", "records": [{"model": "clients.client", "data": {"name": "\\u0000"}}]}')
def test_the_push_endpoint_answers_any_body_without_a_server_error(
    world: World, client: Any, body: bytes
) -> None:
    _token, raw = token_create(user=world.alice, name="fuzz")
    sid = transaction.savepoint()
    try:
        response = client.post(
            "/api/v1/sync/push",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    finally:
        transaction.savepoint_rollback(sid)
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
