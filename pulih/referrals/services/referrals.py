"""Writes for referrals: create (idempotent), every state change, the letter.

The transitions themselves are the table in :mod:`pulih.referrals.states`;
this module checks who may make them, what each needs (the destination's
representative, a note, an outcome), stamps the time and writes the event
and its audit record in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import can_see_client_identity, require, scope_queryset
from pulih.audit.services import audit_record
from pulih.clients.consents import require_not_restricted
from pulih.clients.models import AgeBand, Client, ClientStatus
from pulih.core.errors import ConflictError, DomainError
from pulih.referrals import integrations
from pulih.referrals.access import ReferralPerm
from pulih.referrals.audit_codes import ReferralAuditAction
from pulih.referrals.letter import letter_content, render_pdf
from pulih.referrals.models import (
    DEFAULT_SHARED,
    Outcome,
    Pathway,
    Referral,
    ReferralEvent,
    ServiceProvider,
    SharedItem,
    Urgency,
)
from pulih.referrals.states import (
    ACKNOWLEDGES,
    NOTE_REQUIRED,
    ON_BEHALF_OF_DESTINATION,
    STAMP,
    IllegalTransition,
    ReferralAction,
    ReferralState,
    next_state,
)

AUDIT_FOR_STATE: dict[str, ReferralAuditAction] = {
    ReferralState.SENT: ReferralAuditAction.REFERRAL_SENT,
    ReferralState.RECEIVED: ReferralAuditAction.REFERRAL_RECEIVED,
    ReferralState.ACCEPTED: ReferralAuditAction.REFERRAL_ACCEPTED,
    ReferralState.REJECTED: ReferralAuditAction.REFERRAL_REJECTED,
    ReferralState.IN_PROGRESS: ReferralAuditAction.REFERRAL_STARTED,
    ReferralState.COMPLETED: ReferralAuditAction.REFERRAL_COMPLETED,
    ReferralState.CANCELLED: ReferralAuditAction.REFERRAL_CANCELLED,
    ReferralState.RETURNED: ReferralAuditAction.REFERRAL_RETURNED,
}


def _age_band(client: Client) -> str:
    if client.age_band:
        return str(client.age_band)
    age = client.age
    if age is None:
        return ""
    for band, low in (
        (AgeBand.AGE_45_PLUS, 45),
        (AgeBand.AGE_35_44, 35),
        (AgeBand.AGE_25_34, 25),
        (AgeBand.AGE_18_24, 18),
        (AgeBand.AGE_15_17, 15),
    ):
        if age >= low:
            return str(band)
    return str(AgeBand.UNDER_15)


def _sharing(client: Client, provider: ServiceProvider) -> tuple[list[str], dict[str, Any]]:
    """What may travel to ``provider`` now, and the pseudonymous summary as sent.

    Refuses (``consent_missing``, naming the sharing consent) without an active
    consent covering this destination.
    """
    consent = integrations.sharing_consent(client=client, destination=provider.name)
    shared = [str(item) for item in DEFAULT_SHARED]
    if consent.share_identity:
        shared.append(str(SharedItem.IDENTITY))
    summary = {
        "code": client.code,
        "sex": client.sex,
        "age_band": _age_band(client),
        "assist": integrations.assist_summary(client),
    }
    return shared, summary


def _require_own_unit(actor: Any, client: Client) -> None:
    """Referrals are made by the client's own unit; elsewhere the client does not exist."""
    require(actor, ReferralPerm.MANAGE)
    if not scope_queryset(actor, Client.objects.filter(pk=client.pk), ReferralPerm.MANAGE).exists():
        raise DomainError(_("Client not found."), code="not_found", status=404)
    # A restricted client is stored, not processed: no referral step either.
    require_not_restricted(client=client)


def _record_event(
    *,
    referral: Referral,
    action: str,
    state: str,
    at: datetime,
    actor: Any,
    counterpart_name: str = "",
    counterpart_role: str = "",
    note: str = "",
) -> ReferralEvent:
    event = ReferralEvent(
        referral=referral,
        action=action,
        state=state,
        at=at,
        recorded_at=timezone.now(),
        by=actor,
        counterpart_name=counterpart_name,
        counterpart_role=counterpart_role,
        note=note,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    provider: ServiceProvider,
    pathway: str,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    id: UUID | None = None,
    send: bool = False,
) -> tuple[Referral, bool]:
    """Create a referral (a draft, or sent at once with ``send``); returns it and whether it is new.

    The same ``id`` again returns the existing referral unchanged (offline
    retries); an id used by a referral of another client is a conflict.
    Refused without the client's consent to share with this destination.
    """
    _require_own_unit(actor, client)
    if id is not None:
        found = Referral.objects.filter(pk=id).first()
        if found is not None:
            if found.client_id != client.pk:
                raise ConflictError(
                    _("This id is already used by another record."), code="id_conflict", field="id"
                )
            return found, False
    if client.status != ClientStatus.ACTIVE:
        raise DomainError(
            _("The client's record is closed: reopen it before referring."), code="client_closed"
        )
    if not provider.is_active:
        raise DomainError(
            _("This provider is no longer active: choose another."),
            code="provider_inactive",
            field="provider",
        )
    if pathway not in Pathway.values:
        raise DomainError(_("Choose what the referral is for."), code="required", field="pathway")
    if urgency not in Urgency.values:
        raise DomainError(_("Choose the urgency."), code="required", field="urgency")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Write the reason for the referral."), code="required", field="reason")
    shared, summary = _sharing(client, provider)
    now = timezone.now()
    referral = Referral(
        client=client,
        unit_id=client.unit_id,
        episode=integrations.current_episode(client),
        provider=provider,
        pathway=pathway,
        reason=reason,
        urgency=urgency,
        shared=shared,
        summary=summary,
        created_by=actor,
        created_at=now,
    )
    if id is not None:
        referral.id = id
    referral.full_clean()
    referral.save(force_insert=True)
    _record_event(referral=referral, action="", state=ReferralState.DRAFT, at=now, actor=actor)
    audit_record(
        action=ReferralAuditAction.REFERRAL_CREATED,
        request=request,
        actor=actor,
        obj=referral,
        detail={
            "client": client.code,
            "provider": provider.pk,
            "pathway": pathway,
            "shared": shared,
        },
    )
    if send:
        referral = referral_transition(
            actor=actor, request=request, referral=referral, action=ReferralAction.SEND
        )
    return referral, True


def moment_of(day: date | None, referral: Referral) -> datetime | None:
    """A day entered on a form as a moment: now for today, otherwise noon of that day.

    Never earlier than a previous step recorded on the same day, so that a
    step dated "yesterday" can follow one recorded yesterday afternoon.
    """
    if day is None or day == timezone.localdate():
        return None
    at = timezone.make_aware(datetime.combine(day, time(12, 0)))
    last = referral.events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and timezone.localtime(last).date() == day and at < last:
        at = last
    return at


def _check_time(referral: Referral, at: datetime | None) -> datetime:
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise DomainError(_("The date cannot be in the future."), code="invalid", field="at")
    last = referral.events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise DomainError(
            _("The date cannot be before the previous step of this referral."), code="invalid", field="at"
        )
    return at


@transaction.atomic
def referral_transition(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    referral: Referral,
    action: str,
    at: datetime | None = None,
    counterpart_name: str = "",
    counterpart_role: str = "",
    note: str = "",
    outcome: str = "",
) -> Referral:
    """Take ``action`` on ``referral`` (see :data:`pulih.referrals.states.TRANSITIONS`).

    The destination's answers (received, accepted, rejected, started,
    completed) are recorded by the unit on its behalf: ``counterpart_name``
    and ``counterpart_role`` say who gave them, ``at`` when (default now).
    Rejection and cancellation need a reason in ``note``; completion needs
    the destination's feedback in ``note`` and an ``outcome``.
    """
    referral = Referral.objects.select_for_update().select_related("client", "provider").get(pk=referral.pk)
    _require_own_unit(actor, referral.client)
    if action not in ReferralAction.values:
        raise DomainError(_("Choose an action."), code="invalid", field="action")
    try:
        target = next_state(referral.state, action)
    except IllegalTransition:
        raise ConflictError(
            _("A referral that is %(state)s cannot take the step “%(action)s”.")
            % {
                "state": ReferralState(referral.state).label.lower(),
                "action": ReferralAction(action).label.lower(),
            },
            code="illegal_transition",
            details={"state": referral.state, "action": action},
        ) from None
    counterpart_name, counterpart_role, note = (
        counterpart_name.strip(),
        counterpart_role.strip(),
        note.strip(),
    )
    if action in ON_BEHALF_OF_DESTINATION and not counterpart_name:
        raise DomainError(
            _("Write who at the destination gave this answer."), code="required", field="counterpart_name"
        )
    if action in NOTE_REQUIRED and not note:
        message = (
            _("Write the destination's feedback.")
            if action == ReferralAction.COMPLETE
            else _("Write the reason.")
        )
        raise DomainError(message, code="required", field="note")
    if action == ReferralAction.COMPLETE:
        if outcome not in Outcome.values:
            raise DomainError(_("Choose the outcome."), code="required", field="outcome")
        referral.feedback, referral.outcome = note, outcome
    when = _check_time(referral, at)
    if action == ReferralAction.SEND:
        # Consent may have been withdrawn since the draft: ask again, and send
        # exactly what it allows now.
        referral.shared, referral.summary = _sharing(referral.client, referral.provider)
    previous = referral.state
    referral.state = target
    setattr(referral, STAMP[target], when)
    if action in ACKNOWLEDGES and referral.received_at is None:
        # An answer from the destination acknowledges receipt.
        referral.received_at = when
    referral.full_clean()
    referral.save()
    _record_event(
        referral=referral,
        action=action,
        state=target,
        at=when,
        actor=actor,
        counterpart_name=counterpart_name,
        counterpart_role=counterpart_role,
        note=note,
    )
    if action == ReferralAction.SEND:
        integrations.episode_referred(actor=actor, request=request, client=referral.client)
    elif action == ReferralAction.RETURN:
        integrations.episode_returned(actor=actor, request=request, client=referral.client)
    audit_record(
        action=AUDIT_FOR_STATE[target],
        request=request,
        actor=actor,
        obj=referral,
        detail={
            "client": referral.client.code,
            "from": previous,
            "to": target,
            "at": when.isoformat(),
            "counterpart": bool(counterpart_name),
        },
    )
    return referral


@transaction.atomic
def referral_letter(
    *, actor: Any, request: HttpRequest | None = None, referral: Referral
) -> tuple[bytes, bool]:
    """The referral letter as PDF bytes, and whether it carries the client's identity.

    Printed by the client's unit only, while the sharing consent still holds;
    identity appears only if that consent explicitly covers it. Every download
    is audited (``identified`` when identity is on the letter).
    """
    _require_own_unit(actor, referral.client)
    if referral.state == ReferralState.CANCELLED:
        raise DomainError(_("This referral was cancelled: there is no letter to print."), code="cancelled")
    client = referral.client
    consent = integrations.sharing_consent(client=client, destination=referral.provider.name)
    identity = None
    if referral.shares_identity and consent.share_identity and can_see_client_identity(actor, client.unit_id):
        identity = {"name": str(client.name), "nik": str(client.nik or "")}
    pdf = render_pdf(letter_content(referral, identity=identity))
    audit_record(
        action=ReferralAuditAction.REFERRAL_LETTER_DOWNLOADED,
        request=request,
        actor=actor,
        obj=referral,
        identified=identity is not None,
        detail={"client": client.code, "identity": identity is not None, "shared": referral.shared},
    )
    return pdf, identity is not None
