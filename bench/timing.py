"""Timing helpers shared by the benchmark scripts (run as ``python bench/<script>.py``)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], runs: int, warm: int) -> list[float]:
    """Milliseconds of ``runs`` calls of ``fn`` after ``warm`` untimed ones."""
    for _ in range(warm):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def raw(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Callable[[], Any]:
    """A call that runs ``sql`` on the default connection and fetches every row."""

    def run() -> Any:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


def urine_test_push(targets: list[str], n: int, day: str, pushed: list[str], substances: str = "MET") -> list[dict]:
    """``n`` sync-push records creating a negative urine test for ``targets`` in turn; ids go to ``pushed``."""
    records = []
    for i in range(n):
        rid = str(uuid.uuid4())
        pushed.append(rid)
        data = {"client": targets[i % len(targets)], "tested_on": day, "method": "kit", "substances": substances}
        records.append(
            {"model": "clients.urinetest", "op": "create", "id": rid, "data": {**data, "result": "negative"}}
        )
    return records
