"""Helpers shared by the privacy services."""

from __future__ import annotations

from typing import Any

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require


def require_dpo(actor: Any) -> None:
    """Data-subject rights and retention are handled by the data protection officer."""
    require(actor, Perm.PRIVACY_MANAGE)


def tag(client: Any, **extra: Any) -> dict[str, Any]:
    """The audit detail naming the client the way the other apps do (id and code)."""
    return {"client": str(client.pk), "client_code": client.code, **extra}
