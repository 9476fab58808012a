"""Writes for the provider directory (administrators only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.scoping import require
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.referrals.access import ReferralPerm
from pulih.referrals.audit_codes import ReferralAuditAction
from pulih.referrals.models import IPWL_TYPES, ServiceProvider
from pulih.regions.models import Regency

FIELDS = ("name", "type", "is_ipwl", "regency", "address", "phone", "email", "contact_person", "services")


def _check(provider: ServiceProvider) -> None:
    provider.name = provider.name.strip()
    if provider.type in IPWL_TYPES:
        # An IPWL type is an IPWL by definition; keep the flag consistent.
        provider.is_ipwl = True
    clash = ServiceProvider.objects.filter(regency=provider.regency, name__iexact=provider.name)
    if provider.pk:
        clash = clash.exclude(pk=provider.pk)
    if clash.exists():
        raise DomainError(
            _("A provider with this name already exists in this regency/city."),
            code="duplicate",
            field="name",
        )
    provider.full_clean()


@transaction.atomic
def provider_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    name: str,
    type: str,
    regency: Regency,
    is_ipwl: bool = False,
    address: str = "",
    phone: str = "",
    email: str = "",
    contact_person: str = "",
    services: str = "",
    is_demo: bool = False,
) -> ServiceProvider:
    require(actor, ReferralPerm.PROVIDERS_MANAGE)
    provider = ServiceProvider(
        name=name,
        type=type,
        regency=regency,
        is_ipwl=is_ipwl,
        address=address,
        phone=phone,
        email=email,
        contact_person=contact_person,
        services=services,
        is_demo=is_demo,
    )
    _check(provider)
    provider.save()
    audit_record(
        action=ReferralAuditAction.PROVIDER_CREATED,
        request=request,
        actor=actor,
        obj=provider,
        detail={"type": provider.type, "regency": regency.code, "is_ipwl": provider.is_ipwl},
    )
    return provider


@transaction.atomic
def provider_update(
    *, actor: Any, request: HttpRequest | None = None, provider: ServiceProvider, **changes: Any
) -> ServiceProvider:
    """Change the given fields (any of ``FIELDS`` and ``is_active``)."""
    require(actor, ReferralPerm.PROVIDERS_MANAGE)
    unknown = set(changes) - {*FIELDS, "is_active"}
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changed = []
    for field, value in changes.items():
        if getattr(provider, field) != value:
            setattr(provider, field, value)
            changed.append(field)
    _check(provider)
    provider.save()
    audit_record(
        action=ReferralAuditAction.PROVIDER_UPDATED,
        request=request,
        actor=actor,
        obj=provider,
        detail={"changed": sorted(changed)},
    )
    return provider
