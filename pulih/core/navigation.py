"""The main menu, assembled from entries that each app registers.

An entry names the permission it needs; whether the user has it is asked of
the user object (``user.can(perm)``, answered by the scoping module), so this
module depends on no other app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _REGISTRY[item.key] = item


def items_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[dict[str, Any]] = []
    for item in sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key)):
        if user.can(item.permission):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:  # the app's URLs are not mounted (partial install)
                continue
            items.append(
                {
                    "key": item.key,
                    "label": item.label,
                    "url": url,
                    "active": request.path.startswith(url) and url != "/",
                }
            )
    return items
