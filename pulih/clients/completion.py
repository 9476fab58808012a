"""The completion rule: N consecutive calendar months of negative urine tests.

``settings.PULIH_COMPLETION_NEGATIVE_MONTHS`` (default 3). The months are the
latest N calendar months that end in the month of the newest test; each must
hold at least one negative test and no positive one. Invalid results count
for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from pulih.clients.models import Episode, UrineResult


def required_months() -> int:
    return int(getattr(settings, "PULIH_COMPLETION_NEGATIVE_MONTHS", 3))


def _month_back(year: int, month: int, steps: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - steps
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class CompletionStatus:
    met: bool
    months_required: int
    months_negative: int
    first_test: date | None
    last_test: date | None


def completion_status(episode: Episode, read: Iterable[tuple[date, str]] | None = None) -> CompletionStatus:
    """``read``: the episode's (date, result) pairs when the caller has read them already."""
    needed = required_months()
    if read is None:
        read = episode.urine_tests.values_list("tested_on", "result")
    tests = sorted(read, key=lambda t: t[0], reverse=True)
    if not tests:
        return CompletionStatus(False, needed, 0, None, None)
    by_month: dict[tuple[int, int], set[str]] = {}
    for tested_on, result in tests:
        by_month.setdefault((tested_on.year, tested_on.month), set()).add(result)
    newest = tests[0][0]
    streak = 0
    while True:
        results = by_month.get(_month_back(newest.year, newest.month, streak), set())
        if UrineResult.POSITIVE in results or UrineResult.NEGATIVE not in results:
            break
        streak += 1
    window_start = _month_back(newest.year, newest.month, max(streak - 1, 0))
    first = min(
        (t for t, r in tests if (t.year, t.month) >= window_start and r == UrineResult.NEGATIVE), default=None
    )
    return CompletionStatus(streak >= needed, needed, streak, first, newest)
