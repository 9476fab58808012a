from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from pulih.accounts.models import ApiToken
from pulih.accounts.roles import GRANTS, Perm
from pulih.accounts.scoping import get_scoped_or_404, scope_for, scope_queryset
from pulih.accounts.services import token_create, token_revoke

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    office_id: int | None
    unit_id: int | None
    scope: str
    permissions: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str


class TokenCreated(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The signed-in user, role and scope")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,  # type: ignore[union-attr]
        "role": user.role,  # type: ignore[union-attr]
        "office_id": user.office_id,  # type: ignore[union-attr]
        "unit_id": user.unit_id,  # type: ignore[union-attr]
        "scope": scope_for(user).level,
        "permissions": sorted(GRANTS.get(user.role, frozenset())),  # type: ignore[union-attr]
    }


@router.get("/tokens", response=list[TokenOut], summary="My personal API tokens")
def token_list(request: HttpRequest) -> list[ApiToken]:
    return list(scope_queryset(request.user, ApiToken.objects.all(), Perm.TOKENS_OWN))


@router.post("/tokens", response={201: TokenCreated}, summary="Create a personal token (shown once)")
def token_new(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, object]]:
    token, raw = token_create(user=request.user, request=request, name=payload.name)  # type: ignore[arg-type]
    return 201, {**TokenOut.from_orm(token).dict(), "token": raw}


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke a personal token")
def token_delete(request: HttpRequest, token_id: int) -> ApiToken:
    token = get_scoped_or_404(request.user, ApiToken.objects.all(), Perm.TOKENS_OWN, pk=token_id)
    return token_revoke(user=request.user, request=request, token=token)  # type: ignore[arg-type]
