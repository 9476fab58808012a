"""The episode workflow: status changes, closure with a reason, reopening."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.clients.audit_codes import ClientAction
from pulih.clients.consents import require_consent
from pulih.clients.models import Client, ClientStatus, ClosureReason, ConsentKind, Episode, EpisodeStatus
from pulih.clients.services._common import audit_detail, open_episode, require_own_client
from pulih.core.errors import DomainError


@transaction.atomic
def episode_set_status(
    *, actor: Any, request: HttpRequest | None = None, client: Client, status: str
) -> Episode:
    """Move the open episode to ``status`` (any open state; closing goes through ``episode_close``).

    Other apps call this: screening sets ``screened``, referrals ``referred`` and
    ``returned``. Setting the current status again changes nothing.
    """
    require_own_client(actor, client)
    if status == EpisodeStatus.CLOSED or status not in EpisodeStatus.values:
        raise DomainError(_("Choose an open episode status; close an episode with a reason."), code="invalid")
    episode = open_episode(client)
    if episode.status == status:
        return episode
    previous = episode.status
    episode.status = status
    episode.full_clean()
    episode.save(update_fields=["status"])
    audit_record(
        action=ClientAction.EPISODE_STATUS_CHANGED,
        request=request,
        actor=actor,
        obj=episode,
        detail=audit_detail(client, previous=previous, status=status, episode=episode.number),
    )
    return episode


def episode_advance(
    *, actor: Any, request: HttpRequest | None, client: Client, status: str, only_from: set[EpisodeStatus]
) -> None:
    """Move forward only from an earlier state (a plan never demotes ``monitoring``)."""
    episode = client.episodes.filter(closed_at__isnull=True).first()
    if episode is not None and episode.status in only_from:
        episode_set_status(actor=actor, request=request, client=client, status=status)


@transaction.atomic
def episode_close(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    reason: str,
    note: str = "",
    _skip_gate: bool = False,
) -> Episode:
    """Close the open episode with one of the closure reasons; history is kept."""
    require_own_client(actor, client)
    if reason not in ClosureReason.values:
        raise DomainError(_("Choose a closure reason."), code="invalid", field="reason")
    episode = open_episode(client)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_at = timezone.now()
    episode.closure_reason = reason
    episode.closure_note = note
    episode.closed_by = actor
    episode.full_clean()
    episode.save()
    client.status = ClientStatus.CLOSED
    client.version += 1
    client.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        action=ClientAction.EPISODE_CLOSED,
        request=request,
        actor=actor,
        obj=episode,
        detail=audit_detail(client, reason=reason, episode=episode.number),
    )
    return episode


@transaction.atomic
def episode_reopen(*, actor: Any, request: HttpRequest | None = None, client: Client) -> Episode:
    """Start a new episode for a closed client; needs active services and data consent."""
    require_own_client(actor, client)
    if client.episodes.filter(closed_at__isnull=True).exists():
        raise DomainError(_("The client already has an open episode."), code="episode_open")
    require_consent(client=client, kind=ConsentKind.DATA_PROCESSING)
    require_consent(client=client, kind=ConsentKind.SERVICES)
    last = client.episodes.order_by("-number").first()
    episode = Episode.objects.create(
        client=client, number=(last.number + 1) if last else 1, opened_at=timezone.now(), opened_by=actor
    )
    client.status = ClientStatus.ACTIVE
    client.version += 1
    client.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        action=ClientAction.EPISODE_REOPENED,
        request=request,
        actor=actor,
        obj=episode,
        detail=audit_detail(client, episode=episode.number),
    )
    return episode
