"""Calendar months as the first day of the month, in the project's time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def month_of(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    m = first.replace(day=1)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def start_of(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` (aware)."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day))


def current_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def parse_month(value: str | None, default: dt.date | None = None) -> dt.date | None:
    """``"2025-03"`` → 1 March 2025; anything else → ``default``."""
    if not value:
        return default
    try:
        year, month = str(value)[:7].split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return default
