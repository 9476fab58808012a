"""The client timeline: other apps add entries without this app importing them.

An app registers a *provider* once (in its ``AppConfig.ready``)::

    from pulih.clients import timeline
    timeline.register(my_entries)   # (record: ClientRecord) -> Iterable[TimelineEntry]

The client page calls every provider and shows all entries newest first. A
provider returns only what ``record.user`` may see; it is called only for a
client the user may already read. ``ClientRecord`` is the page's shared
context: the client's episodes, consents and care records are read once
(scoped) and every provider and the page itself use the same lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language

if TYPE_CHECKING:
    from pulih.clients.models import Client, Consent, Episode
    from pulih.clients.selectors import ClientHistory


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str | None = None
    icon: str = ""

    @cached_property
    def day(self) -> str:
        """``at`` as the page shows it (``{{ at|date:"j M Y" }}``), in the local time zone."""
        return _day_label(timezone.localtime(self.at).date(), get_language())

    @cached_property
    def short_detail(self) -> str:
        """``detail`` as the page shows it (``{{ detail|truncatechars:160 }}``)."""
        return Truncator(self.detail).chars(160)


@lru_cache(maxsize=8192)
def _day_label(day: date, language: str | None) -> str:
    # A long history shows hundreds of entries, many on the same days: each label is formatted once.
    return date_format(day, "j M Y")


class ClientRecord:
    """What one request has read of one client, shared by the page and the providers.

    Each list is read on first use, through the scoped selectors, and kept.
    """

    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        self.user = user

    @cached_property
    def history(self) -> ClientHistory:
        """Episodes, consents, plans, sessions, notes, urine tests, contacts (one query)."""
        from pulih.clients.selectors import client_history

        return client_history(user=self.user, client=self.client)

    @property
    def episodes(self) -> list[Episode]:
        """Newest first."""
        return self.history.episodes

    @property
    def consents(self) -> list[Consent]:
        """Newest first."""
        return self.history.consents


Provider = Callable[[ClientRecord], Iterable[TimelineEntry]]

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


def entries_for(client: Client, user: Any, record: ClientRecord | None = None) -> list[TimelineEntry]:
    """Every provider's entries for ``client`` as ``user`` sees them, newest first.

    Pass the page's ``record`` so that what it has read already is not read again.
    """
    if record is None:
        record = ClientRecord(client, user)
    out: list[TimelineEntry] = []
    for provider in _PROVIDERS:
        out.extend(provider(record))
    return sorted(out, key=lambda e: e.at, reverse=True)
