"""The data-subject request register: receive, verify identity, close with an outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.models import RESPONSE_HOURS, DataSubjectRequest, RequestKind, RequestStatus
from pulih.privacy.services._common import require_dpo, tag


@transaction.atomic
def request_receive(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Any,
    kind: str,
    received_at: datetime | None = None,
    channel: str = "",
) -> DataSubjectRequest:
    """Enter a request in the register; it is due 3 × 24 hours after it was received."""
    require_dpo(actor)
    if kind not in RequestKind.values:
        raise DomainError(_("Choose the type of request."), code="required", field="kind")
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(_("The request cannot be received in the future."), field="received_at")
    dsr = DataSubjectRequest(
        client=client,
        kind=kind,
        received_at=received_at,
        due_at=received_at + timedelta(hours=RESPONSE_HOURS),
        channel=channel.strip(),
        handled_by=actor,
    )
    dsr.full_clean()
    dsr.save(force_insert=True)
    audit_record(
        action=PrivacyAction.REQUEST_RECEIVED,
        request=request,
        actor=actor,
        obj=dsr,
        detail=tag(client, kind=kind, due_at=dsr.due_at),
    )
    return dsr


def _require_open(dsr: DataSubjectRequest) -> None:
    if not dsr.is_open:
        raise ConflictError(_("This request is already closed."), code="request_closed")


@transaction.atomic
def request_verify(
    *, actor: Any, request: HttpRequest | None = None, dsr: DataSubjectRequest, note: str
) -> DataSubjectRequest:
    """Note how the requester's identity was verified; nothing is done for an unverified request."""
    require_dpo(actor)
    dsr = DataSubjectRequest.objects.select_for_update().select_related("client").get(pk=dsr.pk)
    _require_open(dsr)
    note = note.strip()
    if not note:
        raise DomainError(
            _("Write how the identity of the requester was verified."), code="required", field="note"
        )
    dsr.identity_verified_at = timezone.now()
    dsr.verification_note = note
    dsr.status = RequestStatus.IN_PROGRESS
    dsr.full_clean()
    dsr.save(update_fields=["identity_verified_at", "verification_note", "status"])
    audit_record(
        action=PrivacyAction.REQUEST_VERIFIED, request=request, actor=actor, obj=dsr, detail=tag(dsr.client)
    )
    return dsr


def require_verified(dsr: DataSubjectRequest | None, client: Any, kind: str) -> None:
    """An action taken for a request needs that request open, verified, of this client and kind."""
    if dsr is None:
        return
    dsr.refresh_from_db()
    _require_open(dsr)
    if dsr.client_id != client.pk or dsr.kind != kind:
        raise DomainError(_("This request is about another client or right."), code="request_mismatch")
    if dsr.identity_verified_at is None:
        raise DomainError(
            _("Verify the identity of the requester before acting on the request."), code="not_verified"
        )


@transaction.atomic
def request_close(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    dsr: DataSubjectRequest,
    status: str,
    outcome: str,
) -> DataSubjectRequest:
    """Close a request as completed or refused, with the outcome told to the requester."""
    require_dpo(actor)
    dsr = DataSubjectRequest.objects.select_for_update().select_related("client").get(pk=dsr.pk)
    _require_open(dsr)
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise DomainError(_("Choose completed or refused."), code="invalid", field="status")
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Write the outcome given to the requester."), code="required", field="outcome")
    if status == RequestStatus.COMPLETED and dsr.identity_verified_at is None:
        raise DomainError(
            _("Verify the identity of the requester before acting on the request."), code="not_verified"
        )
    dsr.status, dsr.outcome, dsr.closed_at = status, outcome, timezone.now()
    dsr.full_clean()
    dsr.save(update_fields=["status", "outcome", "closed_at"])
    audit_record(
        action=PrivacyAction.REQUEST_CLOSED,
        request=request,
        actor=actor,
        obj=dsr,
        detail=tag(dsr.client, status=status, late=dsr.closed_at > dsr.due_at),
    )
    return dsr
