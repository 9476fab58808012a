"""API authentication: the browser session or a personal bearer token, plus guards.

Ninja authenticates before it validates a request body, so checking the
permission (and the scope of objects named in the path) here means a role that
may not do something gets 403/404 instead of a validation error about a body it
was never allowed to send. Every app's ``api.py`` uses :func:`guarded`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from pulih.accounts.scoping import user_can
from pulih.accounts.services import token_authenticate

# name of a path parameter -> check(user, raw value) that raises Http404 when the
# object is outside the user's scope.
PathChecks = Mapping[str, Callable[[Any, Any], object]]


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            return None
        user, api_token = found
        request.user = user
        request.auth_token_label = f"token:{api_token.prefix}"  # type: ignore[attr-defined]
        return user


class ActiveSessionAuth(SessionAuth):
    """Session auth (with CSRF on unsafe methods) for signed-in, active users."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "is_active", False):
            return user
        return None


class _Guard:
    permissions: tuple[str, ...] = ()
    path_checks: PathChecks = {}

    def _guard(self, request: HttpRequest, user: Any) -> Any:
        if user is None:
            return None
        if self.permissions and not any(user_can(user, p) for p in self.permissions):
            raise PermissionDenied(self.permissions[0])
        match = getattr(request, "resolver_match", None)
        for name, value in (match.kwargs if match else {}).items():
            check = self.path_checks.get(name)
            if check is not None:
                check(user, value)
        return user


class GuardedTokenAuth(_Guard, TokenAuth):
    def __init__(self, permissions: tuple[str, ...], path_checks: PathChecks) -> None:
        super().__init__()
        self.permissions, self.path_checks = permissions, path_checks

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return self._guard(request, super().authenticate(request, token))


class GuardedSessionAuth(_Guard, ActiveSessionAuth):
    def __init__(self, permissions: tuple[str, ...], path_checks: PathChecks) -> None:
        super().__init__()
        self.permissions, self.path_checks = permissions, path_checks

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self._guard(request, super().authenticate(request, key))


# The OpenAPI document names security schemes after the class: guarded
# operations use the same two schemes as the rest of the API.
GuardedTokenAuth.__name__ = "TokenAuth"
GuardedSessionAuth.__name__ = "ActiveSessionAuth"


def guarded(*permissions: str, path_checks: PathChecks | None = None) -> list[Any]:
    """``auth=`` for an operation: token or session, holding any of ``permissions``,
    with every scoped object named in the path checked before the body is read."""
    checks = path_checks or {}
    return [GuardedTokenAuth(permissions, checks), GuardedSessionAuth(permissions, checks)]


AUTH = [TokenAuth(), ActiveSessionAuth()]
