"""Referrals API: the provider directory and referrals, scoped like the pages.

Operations that need a permission check it in their authentication step,
before the body is validated, so a role without it gets 403 whatever it
sends. Creating a referral is idempotent on its client-generated ``id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from pulih.accounts.api_auth import guarded
from pulih.clients.selectors import client_get
from pulih.referrals.access import ReferralPerm
from pulih.referrals.models import Referral, ReferralEvent, ServiceProvider, Urgency
from pulih.referrals.selectors import (
    provider_get,
    provider_list,
    referral_events,
    referral_get,
    referral_get_for_action,
    referral_list,
)
from pulih.referrals.services.providers import provider_create, provider_update
from pulih.referrals.services.referrals import referral_create, referral_transition
from pulih.referrals.states import allowed_actions
from pulih.regions.models import Regency

router = Router(tags=["referrals"])


def needs(permission: str) -> list[Any]:
    """Authentication that also refuses (403) users without ``permission``."""
    return guarded(permission)


# --- Providers ----------------------------------------------------------------------


class ProviderOut(Schema):
    id: int
    name: str
    type: str
    is_ipwl: bool
    regency_code: str
    address: str
    phone: str
    email: str
    contact_person: str
    services: str
    is_active: bool
    is_demo: bool

    @staticmethod
    def resolve_regency_code(obj: ServiceProvider) -> str:
        return obj.regency_id


class ProviderIn(Schema):
    name: str
    type: str
    regency_code: str
    is_ipwl: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""
    contact_person: str = ""
    services: str = ""


class ProviderPatch(Schema):
    name: str | None = None
    type: str | None = None
    regency_code: str | None = None
    is_ipwl: bool | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    services: str | None = None
    is_active: bool | None = None


class ProviderFilters(Schema):
    q: str = ""
    type: str = ""
    regency: str = ""
    province: str = ""
    ipwl: bool | None = None


def _regency(code: str) -> Regency:
    from pulih.core.errors import DomainError

    regency = Regency.objects.filter(pk=code).first()
    if regency is None:
        raise DomainError("Unknown regency code.", code="invalid", field="regency_code")
    return regency


@router.get(
    "/providers",
    response=list[ProviderOut],
    url_name="referrals_provider_list",
    auth=needs(ReferralPerm.PROVIDERS_VIEW),
    summary="The provider directory",
)
def providers(request: HttpRequest, filters: Query[ProviderFilters]) -> list[ServiceProvider]:
    return list(
        provider_list(
            user=request.user,
            search=filters.q,
            type=filters.type,
            regency=filters.regency,
            province=filters.province,
            ipwl=filters.ipwl,
        )[:500]
    )


@router.get(
    "/providers/{provider_id}",
    response=ProviderOut,
    url_name="referrals_provider_get",
    auth=needs(ReferralPerm.PROVIDERS_VIEW),
    summary="One provider",
)
def provider(request: HttpRequest, provider_id: int) -> ServiceProvider:
    return provider_get(user=request.user, pk=provider_id)


@router.post(
    "/providers",
    response={201: ProviderOut},
    url_name="referrals_provider_create",
    auth=needs(ReferralPerm.PROVIDERS_MANAGE),
    summary="Add a provider (administrators)",
)
def provider_new(request: HttpRequest, payload: ProviderIn) -> Status[ServiceProvider]:
    data = payload.dict()
    regency = _regency(data.pop("regency_code"))
    return Status(201, provider_create(actor=request.user, request=request, regency=regency, **data))


@router.patch(
    "/providers/{provider_id}",
    response=ProviderOut,
    url_name="referrals_provider_update",
    auth=needs(ReferralPerm.PROVIDERS_MANAGE),
    summary="Change a provider (administrators)",
)
def provider_change(request: HttpRequest, provider_id: int, payload: ProviderPatch) -> ServiceProvider:
    found = provider_get(user=request.user, pk=provider_id)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    if "regency_code" in changes:
        changes["regency"] = _regency(changes.pop("regency_code"))
    return provider_update(actor=request.user, request=request, provider=found, **changes)


# --- Referrals ----------------------------------------------------------------------


class EventOut(Schema):
    action: str
    state: str
    at: datetime
    recorded_at: datetime
    by: str
    counterpart_name: str
    counterpart_role: str
    note: str

    @staticmethod
    def resolve_by(obj: ReferralEvent) -> str:
        return obj.by.username


class ReferralOut(Schema):
    id: UUID
    client_id: UUID
    client_code: str
    episode_id: UUID | None
    provider_id: int
    pathway: str
    reason: str
    urgency: str
    shared: list[str]
    summary: dict[str, Any]
    state: str
    overdue: bool
    allowed_actions: list[str]
    created_at: datetime
    sent_at: datetime | None
    received_at: datetime | None
    accepted_at: datetime | None
    rejected_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    returned_at: datetime | None
    feedback: str
    outcome: str

    @staticmethod
    def resolve_client_code(obj: Referral) -> str:
        return obj.client.code

    @staticmethod
    def resolve_overdue(obj: Referral) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_allowed_actions(obj: Referral) -> list[str]:
        return [a.value for a in allowed_actions(obj.state)]


class ReferralDetailOut(ReferralOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Referral) -> list[ReferralEvent]:
        return list(referral_events(referral=obj))


class ReferralIn(Schema):
    id: UUID | None = None
    client_id: UUID
    provider_id: int
    pathway: str
    reason: str
    urgency: str = Urgency.ROUTINE
    send: bool = False


class TransitionIn(Schema):
    # Defaults everywhere: the service says which fields an action needs,
    # naming the field, and the referral is looked up (scoped) first.
    action: str = ""
    at: datetime | None = None
    counterpart_name: str = ""
    counterpart_role: str = ""
    note: str = ""
    outcome: str = ""


class ReferralFilters(Schema):
    state: str = ""
    overdue: bool = False
    client_id: UUID | None = None


@router.get(
    "/",
    response=list[ReferralOut],
    url_name="referrals_referral_list",
    auth=needs(ReferralPerm.VIEW),
    summary="Referrals in my scope, newest first (at most 500)",
)
def referrals(request: HttpRequest, filters: Query[ReferralFilters]) -> list[Referral]:
    qs = referral_list(user=request.user, state=filters.state, overdue=filters.overdue)
    if filters.client_id:
        qs = qs.filter(client_id=filters.client_id)
    return list(qs[:500])


@router.get(
    "/{uuid:referral_id}",
    response=ReferralDetailOut,
    url_name="referrals_referral_get",
    auth=needs(ReferralPerm.VIEW),
    summary="One referral with its history",
)
def referral(request: HttpRequest, referral_id: UUID) -> Referral:
    return referral_get(user=request.user, pk=referral_id)


@router.post(
    "/",
    response={200: ReferralDetailOut, 201: ReferralDetailOut},
    url_name="referrals_referral_create",
    auth=needs(ReferralPerm.MANAGE),
    summary="Create a referral (idempotent on id: the same id again returns it with 200)",
)
def referral_new(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    client = client_get(user=request.user, pk=payload.client_id)
    destination = provider_get(user=request.user, pk=payload.provider_id)
    created_referral, created = referral_create(
        actor=request.user,
        request=request,
        id=payload.id,
        client=client,
        provider=destination,
        pathway=payload.pathway,
        reason=payload.reason,
        urgency=payload.urgency,
        send=payload.send,
    )
    return Status(201 if created else 200, created_referral)


@router.post(
    "/{uuid:referral_id}/transitions",
    response=ReferralDetailOut,
    url_name="referrals_referral_transition",
    auth=needs(ReferralPerm.MANAGE),
    summary="Take the next step (send, receive, accept, reject, start, complete, cancel, return)",
)
def referral_step(request: HttpRequest, referral_id: UUID, payload: TransitionIn) -> Referral:
    found = referral_get_for_action(user=request.user, pk=referral_id)
    return referral_transition(
        actor=request.user,
        request=request,
        referral=found,
        action=payload.action,
        at=payload.at,
        counterpart_name=payload.counterpart_name,
        counterpart_role=payload.counterpart_role,
        note=payload.note,
        outcome=payload.outcome,
    )
