"""An agent's work list of due and overdue items, fed by several apps.

Register a provider ``(user, today) -> Iterable[WorkItem]`` in ``ready()``::

    from pulih.clients import worklist
    worklist.register(unacknowledged_referrals)

A provider returns only items within the user's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    due: date
    overdue: bool
    title: str
    url: str
    client_code: str
    kind: str = ""


Provider = Callable[[Any, date], Iterable[WorkItem]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def items_for(user: Any, today: date) -> list[WorkItem]:
    out: list[WorkItem] = []
    for provider in _PROVIDERS:
        out.extend(provider(user, today))
    return sorted(out, key=lambda i: (not i.overdue, i.due, i.client_code))
