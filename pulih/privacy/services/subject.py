"""Acting on one client's rights: access export, rectification, restriction, erasure.

The data protection officer acts nationally (``privacy.manage``). Each action
may be tied to a register entry (``dsr``); it then needs that request open,
verified, and about the same client and right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.export import build_export
from pulih.privacy.models import (
    ClientDestruction,
    DataClass,
    DataSubjectRequest,
    RequestKind,
    RetentionRule,
)
from pulih.privacy.services._common import require_dpo, tag
from pulih.privacy.services.requests import require_verified
from pulih.privacy.services.retention import destroy_classes, record_destruction


@transaction.atomic
def access_export(
    *, actor: Any, request: HttpRequest | None = None, client: Any, dsr: DataSubjectRequest | None = None
) -> dict[str, Any]:
    """Everything held about ``client`` with its processing history; audited as an identified read."""
    from pulih.clients.models import Client

    require_dpo(actor)
    require_verified(dsr, client, RequestKind.ACCESS)
    client = Client.objects.get(pk=client.pk)  # the stored state, not the caller's copy
    data = build_export(client)
    data["generated_at"] = timezone.now().isoformat()
    data["generated_by"] = actor.username
    audit_record(
        action=PrivacyAction.ACCESS_EXPORTED,
        request=request,
        actor=actor,
        obj=client,
        identified=True,
        purpose="data-subject access request",
        detail=tag(client, request=str(dsr.pk) if dsr else None),
    )
    return data


def _require_identity_kept(client: Any) -> None:
    if ClientDestruction.objects.filter(client=client, data_class=DataClass.IDENTITY).exists():
        raise ConflictError(_("The identity of this client was already erased."), code="anonymised")


@transaction.atomic
def client_rectify(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Any,
    name: str,
    phone: str = "",
    rw: str = "",
    dsr: DataSubjectRequest | None = None,
) -> Any:
    """Correct the identity the client says is wrong (also while processing is restricted).

    Same rules as the unit's own correction (``clients.services.client_update``):
    a name is required, the code never changes; the version is raised so the
    offline devices pull the corrected record.
    """
    from pulih.clients.models import Client

    require_dpo(actor)
    require_verified(dsr, client, RequestKind.RECTIFICATION)
    client = Client.objects.select_for_update().get(pk=client.pk)
    _require_identity_kept(client)
    if not name.strip():
        raise DomainError(_("Enter a name or an alias."), code="required", field="name")
    changed = [
        f
        for f, new in (("name", name.strip()), ("phone", phone.strip()), ("rw", rw.strip()))
        if getattr(client, f) != new
    ]
    client.name, client.phone, client.rw = name.strip(), phone.strip(), rw.strip()
    client.version += 1
    client.full_clean(exclude=["nik_index"])
    client.save(update_fields=["name", "phone", "rw", "version", "updated_at"])
    audit_record(
        action=PrivacyAction.CLIENT_RECTIFIED,
        request=request,
        actor=actor,
        obj=client,
        identified=True,
        detail=tag(client, fields=changed, request=str(dsr.pk) if dsr else None),
    )
    return client


@transaction.atomic
def client_restrict(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Any,
    reason: str,
    dsr: DataSubjectRequest | None = None,
) -> Any:
    """Stop all processing of the client's data; the record stays stored and readable."""
    from pulih.clients.models import Client

    require_dpo(actor)
    require_verified(dsr, client, RequestKind.RESTRICTION)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.restricted_at is not None:
        raise ConflictError(_("Processing of this client is already restricted."), code="already_restricted")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Write the reason for the restriction."), code="required", field="reason")
    client.restricted_at, client.restriction_reason = timezone.now(), reason[:300]
    client.version += 1
    client.save(update_fields=["restricted_at", "restriction_reason", "version", "updated_at"])
    audit_record(
        action=PrivacyAction.CLIENT_RESTRICTED,
        request=request,
        actor=actor,
        obj=client,
        detail=tag(client, request=str(dsr.pk) if dsr else None),
    )
    return client


@transaction.atomic
def client_restriction_lift(
    *, actor: Any, request: HttpRequest | None = None, client: Any, reason: str
) -> Any:
    from pulih.clients.models import Client

    require_dpo(actor)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.restricted_at is None:
        raise ConflictError(_("Processing of this client is not restricted."), code="not_restricted")
    if not reason.strip():
        raise DomainError(_("Write why the restriction ends."), code="required", field="reason")
    since = client.restricted_at
    client.restricted_at, client.restriction_reason = None, ""
    client.version += 1
    client.save(update_fields=["restricted_at", "restriction_reason", "version", "updated_at"])
    audit_record(
        action=PrivacyAction.RESTRICTION_LIFTED,
        request=request,
        actor=actor,
        obj=client,
        detail=tag(client, since=since, reason=reason.strip()[:300]),
    )
    return client


@dataclass
class ErasureResult:
    erased: list[str] = field(default_factory=list)
    # data class -> (rule, the date until which it must be kept)
    held: dict[str, tuple[RetentionRule, datetime]] = field(default_factory=dict)


ERASABLE = (DataClass.IDENTITY, DataClass.CASE_NOTES, DataClass.CARE_RECORD)


def _hold_until(client: Any, rule: RetentionRule, now: datetime) -> datetime | None:
    """Until when ``rule`` holds the class for ``client`` (None: not held)."""
    if not rule.holds_erasure:
        return None
    last_closed = client.episodes.aggregate(last=Max("closed_at"))["last"] or now
    until: datetime = last_closed + timedelta(days=rule.keep_for_days)
    return until if until > now else None


def client_erase(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Any,
    dsr: DataSubjectRequest | None = None,
) -> ErasureResult:
    """Erase (anonymise) what retention allows now; refuse what a legal period still holds.

    Needs the client's record closed (the unit records the withdrawal of
    consent, which closes the episode). Identity held by a rule refuses the
    whole request (``retention_hold``); otherwise every class not held is
    destroyed and logged, and the held ones are listed with their date.
    """
    from pulih.clients.models import Client

    require_dpo(actor)
    require_verified(dsr, client, RequestKind.ERASURE)
    client = Client.objects.get(pk=client.pk)
    if client.episodes.filter(closed_at__isnull=True).exists():
        raise DomainError(
            _(
                "The client still has an open episode: the unit first records the withdrawal of "
                "consent, which closes it."
            ),
            code="episode_open",
        )
    now = timezone.now()
    rules = {r.data_class: r for r in RetentionRule.objects.filter(data_class__in=ERASABLE)}
    result = ErasureResult()
    for cls in ERASABLE:
        rule = rules.get(cls)
        until = _hold_until(client, rule, now) if rule else None
        if rule is not None and until is not None:
            result.held[cls] = (rule, until)
    if DataClass.IDENTITY in result.held:
        # Outside any transaction of this service: the refusal stays in the trail.
        rule, until = result.held[DataClass.IDENTITY]
        audit_record(
            action=PrivacyAction.ERASURE_REFUSED,
            request=request,
            actor=actor,
            obj=client,
            detail=tag(client, data_class=DataClass.IDENTITY, until=until),
        )
        raise DomainError(
            _("A retention rule (%(basis)s) requires keeping the identity until %(date)s.")
            % {"basis": rule.legal_basis, "date": f"{until:%Y-%m-%d}"},
            code="retention_hold",
            status=409,
            details={"data_class": DataClass.IDENTITY, "until": until.isoformat()},
        )
    with transaction.atomic():
        _erase_now(actor=actor, request=request, client=client, dsr=dsr, rules=rules, result=result, now=now)
    return result


def _erase_now(
    *,
    actor: Any,
    request: HttpRequest | None,
    client: Any,
    dsr: DataSubjectRequest | None,
    rules: dict[str, RetentionRule],
    result: ErasureResult,
    now: datetime,
) -> None:
    from pulih.clients.models import Client

    client = Client.objects.select_for_update().get(pk=client.pk)
    for cls in ERASABLE:
        if cls in result.held:
            continue
        for done, rows in destroy_classes(client, cls).items():
            rule = rules.get(done)
            record_destruction(
                data_class=done,
                action=rule.action if rule else "anonymise",
                trigger="request",
                now=now,
                clients=[client],
                rows=rows,
                rule=rule,
                dsr=dsr,
                actor=actor,
                request=request,
            )
            result.erased.append(done)
    audit_record(
        action=PrivacyAction.CLIENT_ERASED,
        request=request,
        actor=actor,
        obj=client,
        detail=tag(
            client,
            erased=result.erased,
            held={k: v[1] for k, v in result.held.items()},
            request=str(dsr.pk) if dsr else None,
        ),
    )
