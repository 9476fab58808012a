"""The sync API, ``/api/v1/sync/`` (protocol in PROTOCOL.md).

Devices authenticate with the browser session (the field app on the same
origin) or a personal token (``Authorization: Bearer pulih_…``).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.text import compress_string
from django.utils.translation import gettext as _
from ninja import Router

from pulih.accounts.scoping import get_scoped_or_404, require
from pulih.sync.access import SyncPerm
from pulih.sync.models import Conflict
from pulih.sync.reference import build_reference, device_settings
from pulih.sync.selectors import conflict_payload, conflicts_open, encode, pull
from pulih.sync.services import BatchRejected, conflict_resolve, push_batch

router = Router(tags=["sync"])


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON body, read after the permission check so a denied role never learns the shape."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
        raise BatchRejected(_("The request body is not valid JSON."), code="invalid_batch") from None
    if not isinstance(data, dict):
        raise BatchRejected(_("Expected a JSON object."), code="invalid_batch")
    if _has_nul(data):
        # PostgreSQL cannot store NUL in text: refuse it here, not as a database error.
        raise BatchRejected(_("The request contains a NUL character."), code="invalid_batch")
    return data


def _json(request: HttpRequest, data: Any, status: int = 200) -> HttpResponse:
    body = encode(data)
    response = HttpResponse(body, content_type="application/json", status=status)
    if len(body) > 1024 and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.content = compress_string(body)
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    return response


@router.get("/session", url_name="sync_session")
def session(request: HttpRequest) -> HttpResponse:
    """Who the device is working for, and the limits it enforces (wrong PINs, days without sync)."""
    user: Any = request.user
    require(user, SyncPerm.USE)
    return _json(
        request,
        {
            "user": {"id": user.pk, "username": user.username, "name": user.full_name, "role": user.role},
            "unit": {"id": user.unit_id, "name": user.unit.name} if user.unit_id else None,
            "settings": device_settings(),
        },
    )


@router.get("/reference", url_name="sync_reference")
def reference(request: HttpRequest) -> HttpResponse:
    require(request.user, SyncPerm.USE)
    return _json(request, build_reference(user=request.user))


@router.get("/pull", url_name="sync_pull")
def pull_view(request: HttpRequest, cursor: str = "", device: str = "") -> HttpResponse:
    """Restore (no cursor) or changes since the cursor; gap-free, see PROTOCOL.md."""
    return _json(request, pull(user=request.user, request=request, cursor=cursor, device=device))


@router.post("/push", url_name="sync_push")
def push_view(request: HttpRequest) -> HttpResponse:
    """Apply a batch ``{key, device, records}`` once.

    A replay of the key returns the stored result; the same key with a
    different payload is 409; a malformed record rejects the batch with 422.
    """
    require(request.user, SyncPerm.USE)
    body = _body(request)
    result = push_batch(
        actor=request.user,
        request=request,
        key=str(body.get("key") or ""),
        device=str(body.get("device") or ""),
        records=body.get("records"),  # type: ignore[arg-type]
    )
    return _json(request, result)


@router.get("/conflicts", url_name="sync_conflict_list")
def conflict_list(request: HttpRequest) -> HttpResponse:
    return _json(request, [conflict_payload(c) for c in conflicts_open(user=request.user)])


@router.post("/conflicts/{conflict_id}/resolve", url_name="sync_conflict_resolve")
def conflict_resolve_view(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    """Body ``{"choice": "server" | "device"}``: a person keeps one of the two values."""
    require(request.user, SyncPerm.USE)
    conflict = get_scoped_or_404(request.user, Conflict.objects.all(), SyncPerm.USE, pk=conflict_id)
    choice = str(_body(request).get("choice") or "")
    conflict = conflict_resolve(actor=request.user, request=request, conflict=conflict, choice=choice)
    return _json(request, conflict_payload(conflict) | {"choice": conflict.choice})
