"""The next steps shown on each role's home page.

Apps register their actions (label, description, URL name, permission); the
home page shows those the user may take, in order. The check goes through
``user.can`` like the menu, so the home page never offers a forbidden action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class HomeAction:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    permission: str
    order: int = 100


_ACTIONS: dict[str, HomeAction] = {}


def register(action: HomeAction) -> None:
    _ACTIONS[action.key] = action


def actions_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    out: list[dict[str, Any]] = []
    for action in sorted(_ACTIONS.values(), key=lambda a: (a.order, a.key)):
        if not user.can(action.permission):  # type: ignore[union-attr]
            continue
        try:
            url = reverse(action.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": action.label, "description": action.description, "url": url})
    return out
