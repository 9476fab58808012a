"""API authentication that also requires one permission.

Ninja checks authentication before it validates a request body; checking the
permission here too means a role that may not create something gets 403
rather than a validation error about a body it was never allowed to send.
"""

from __future__ import annotations

from typing import Any

from pulih.accounts.api_auth import guarded


def requiring(permission: str) -> list[Any]:
    """``auth=`` for an operation: the usual token or session, plus ``permission``."""
    return guarded(permission)
