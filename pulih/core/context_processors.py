from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pulih.core import navigation as nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries the current user may use (decided by the scoping module)."""
    return {"nav_items": nav.items_for(request)}
