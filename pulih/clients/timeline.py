"""The client timeline: other apps add entries without this app importing them.

An app registers a *provider* once (in its ``AppConfig.ready``)::

    from pulih.clients import timeline
    timeline.register(my_entries)   # (client, user) -> Iterable[TimelineEntry]

The client page calls every provider and shows all entries newest first. A
provider returns only what ``user`` may see; it is called only for a client
the user may already read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from pulih.clients.models import Client


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str | None = None
    icon: str = ""


Provider = Callable[["Client", Any], Iterable[TimelineEntry]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def as_datetime(value: date | datetime) -> datetime:
    """A day-only record sorts at noon of its day, in the local time zone."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time(12, 0)))


def entries_for(client: Client, user: Any) -> list[TimelineEntry]:
    out: list[TimelineEntry] = []
    for provider in _PROVIDERS:
        out.extend(provider(client, user))
    return sorted(out, key=lambda e: e.at, reverse=True)
