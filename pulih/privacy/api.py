"""The privacy API (``/api/v1/privacy/``): the DPO's register, rights and breach query."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from pulih.accounts.api_auth import guarded
from pulih.accounts.roles import Perm
from pulih.core.errors import DomainError
from pulih.privacy import selectors as sel
from pulih.privacy import services as svc
from pulih.privacy.breach import breach_report
from pulih.privacy.models import DataSubjectRequest

router = Router(tags=["privacy"])
DPO = guarded(Perm.PRIVACY_MANAGE)


class RequestOut(Schema):
    id: UUID
    client_id: UUID
    client_code: str
    kind: str
    received_at: datetime
    due_at: datetime
    channel: str
    identity_verified_at: datetime | None
    verification_note: str
    status: str
    outcome: str
    closed_at: datetime | None
    restricted: bool

    @staticmethod
    def resolve_client_code(obj: DataSubjectRequest) -> str:
        return obj.client.code

    @staticmethod
    def resolve_restricted(obj: DataSubjectRequest) -> bool:
        return obj.client.restricted_at is not None


class RequestIn(Schema):
    client_code: str
    kind: str
    received_at: datetime | None = None
    channel: str = ""


class RequestFilters(Schema):
    status: str = "open"
    kind: str = ""


class NoteIn(Schema):
    note: str


class CloseIn(Schema):
    status: str
    outcome: str


class RectifyIn(Schema):
    name: str
    phone: str = ""
    rw: str = ""


class ReasonIn(Schema):
    reason: str


class ErasureOut(Schema):
    erased: list[str]
    held: dict[str, datetime]


class RuleOut(Schema):
    id: int
    data_class: str
    keep_for_days: int
    action: str
    legal_basis: str
    holds_erasure: bool
    active: bool


class DestructionOut(Schema):
    id: UUID
    data_class: str
    action: str
    trigger: str
    rule_id: int | None
    keep_for_days: int | None
    request_id: UUID | None
    subjects: int
    rows: int
    cutoff: datetime | None
    at: datetime


class BreachIn(Schema):
    accounts: str = ""
    device: str = ""
    start: datetime
    end: datetime


class BreachHitOut(Schema):
    client_id: str
    code: str
    unit_id: int | None
    reads: int
    first_at: datetime
    last_at: datetime


def _request(request: HttpRequest, request_id: UUID) -> DataSubjectRequest:
    return sel.request_get(user=request.user, pk=request_id)


@router.get("/requests", response=list[RequestOut], url_name="privacy_requests_list", auth=DPO)
def requests_list(request: HttpRequest, filters: Query[RequestFilters]) -> list[DataSubjectRequest]:
    return list(sel.request_list(user=request.user, status=filters.status, kind=filters.kind)[:500])


@router.post("/requests", response={201: RequestOut}, url_name="privacy_request_create", auth=DPO)
def request_create(request: HttpRequest, payload: RequestIn) -> tuple[int, DataSubjectRequest]:
    client = sel.client_by_code(user=request.user, code=payload.client_code)
    dsr = svc.request_receive(
        actor=request.user,
        request=request,
        client=client,
        kind=payload.kind,
        received_at=payload.received_at,
        channel=payload.channel,
    )
    return 201, dsr


@router.get("/requests/{request_id}", response=RequestOut, url_name="privacy_request_get", auth=DPO)
def request_get(request: HttpRequest, request_id: UUID) -> DataSubjectRequest:
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/verify", response=RequestOut, url_name="privacy_request_verify", auth=DPO
)
def request_verify(request: HttpRequest, request_id: UUID, payload: NoteIn) -> DataSubjectRequest:
    return svc.request_verify(
        actor=request.user, request=request, dsr=_request(request, request_id), note=payload.note
    )


@router.post("/requests/{request_id}/close", response=RequestOut, url_name="privacy_request_close", auth=DPO)
def request_close(request: HttpRequest, request_id: UUID, payload: CloseIn) -> DataSubjectRequest:
    return svc.request_close(
        actor=request.user,
        request=request,
        dsr=_request(request, request_id),
        status=payload.status,
        outcome=payload.outcome,
    )


@router.get(
    "/requests/{request_id}/export", response=dict[str, Any], url_name="privacy_request_export", auth=DPO
)
def request_export(request: HttpRequest, request_id: UUID) -> dict[str, Any]:
    """Everything held about the client, with its processing history (an identified, audited read)."""
    dsr = _request(request, request_id)
    return svc.access_export(actor=request.user, request=request, client=dsr.client, dsr=dsr)


@router.post(
    "/requests/{request_id}/rectify", response=RequestOut, url_name="privacy_request_rectify", auth=DPO
)
def request_rectify(request: HttpRequest, request_id: UUID, payload: RectifyIn) -> DataSubjectRequest:
    dsr = _request(request, request_id)
    svc.client_rectify(
        actor=request.user,
        request=request,
        client=dsr.client,
        dsr=dsr,
        name=payload.name,
        phone=payload.phone,
        rw=payload.rw,
    )
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/restrict", response=RequestOut, url_name="privacy_request_restrict", auth=DPO
)
def request_restrict(request: HttpRequest, request_id: UUID, payload: ReasonIn) -> DataSubjectRequest:
    dsr = _request(request, request_id)
    svc.client_restrict(
        actor=request.user, request=request, client=dsr.client, dsr=dsr, reason=payload.reason
    )
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/lift", response=RequestOut, url_name="privacy_restriction_lift", auth=DPO
)
def restriction_lift(request: HttpRequest, request_id: UUID, payload: ReasonIn) -> DataSubjectRequest:
    dsr = _request(request, request_id)
    svc.client_restriction_lift(actor=request.user, request=request, client=dsr.client, reason=payload.reason)
    return _request(request, request_id)


@router.post("/requests/{request_id}/erase", response=ErasureOut, url_name="privacy_request_erase", auth=DPO)
def request_erase(request: HttpRequest, request_id: UUID) -> dict[str, Any]:
    dsr = _request(request, request_id)
    result = svc.client_erase(actor=request.user, request=request, client=dsr.client, dsr=dsr)
    return {"erased": result.erased, "held": {k: v[1] for k, v in result.held.items()}}


@router.get("/retention-rules", response=list[RuleOut], url_name="privacy_retention_rules_list", auth=DPO)
def retention_rules(request: HttpRequest) -> list[Any]:
    return list(sel.retention_rule_list(user=request.user))


@router.get("/destructions", response=list[DestructionOut], url_name="privacy_destructions_list", auth=DPO)
def destructions(request: HttpRequest) -> list[Any]:
    return list(sel.destruction_list(user=request.user)[:500])


@router.get("/breach", response=list[BreachHitOut], url_name="privacy_breach_query", auth=DPO)
def breach(request: HttpRequest, filters: Query[BreachIn]) -> list[Any]:
    """Which clients' identified data did these accounts (comma-separated usernames) or device read?"""
    if not filters.accounts.strip() and not filters.device.strip():
        raise DomainError(_("Give an account or a device."), code="required", field="accounts")
    if filters.end <= filters.start:
        raise DomainError(_("The end must be after the start."), code="invalid", field="end")
    return breach_report(
        actor=request.user,
        request=request,
        usernames=filters.accounts.split(","),
        device=filters.device.strip(),
        start=filters.start,
        end=filters.end,
    )
