"""Helpers shared by the client journey's services."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.db import models
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.clients.consents import require_not_restricted
from pulih.clients.models import Client, Episode
from pulih.core.errors import ConflictError, DomainError, NotAllowed

M = TypeVar("M", bound=models.Model)


def require_unit_actor(actor: Any) -> int:
    """Writes are made by an agent or coordinator of a unit; return the unit id."""
    require(actor, Perm.CLIENTS_EDIT)
    if not getattr(actor, "unit_id", None):
        raise NotAllowed(
            _("Only agents and coordinators of an IBM unit record client work."), code="not_allowed"
        )
    return int(actor.unit_id)


def require_own_client(actor: Any, client: Client) -> None:
    """The actor's unit holds ``client`` and its processing is not restricted."""
    unit_id = require_unit_actor(actor)
    if client.unit_id != unit_id:
        # Outside the unit a client does not exist for the actor.
        raise DomainError(_("Client not found."), code="not_found", status=404)
    require_not_restricted(client=client)


def insert_new(obj: M, pk: UUID | None) -> M:
    """Validate and insert a new record, under the client-generated id when given."""
    if pk is not None:
        obj.pk = pk
    obj.full_clean()
    obj.save(force_insert=True)
    return obj


def existing(model: type[M], pk: UUID | None, *, client: Client | None = None) -> M | None:
    """Idempotent create: the record already sent with this id, if any.

    An id that exists for another client (or unit) is a conflict, never a
    way to read somebody else's record.
    """
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        return None
    if client is not None and getattr(found, "client_id", client.pk) != client.pk:
        raise ConflictError(_("This id is already used by another record."), code="id_conflict", field="id")
    return found


def open_episode(client: Client) -> Episode:
    episode = client.episodes.filter(closed_at__isnull=True).first()
    if episode is None:
        raise DomainError(
            _("The client's episode is closed: reopen it (a new episode) before recording care."),
            code="episode_closed",
        )
    return episode


def audit_detail(client: Client, **extra: Any) -> dict[str, Any]:
    return {"client": str(client.pk), "client_code": client.code, **extra}
