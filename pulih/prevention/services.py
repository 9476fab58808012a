"""Writes for community activities."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import regency_in_scope, require, scope_for
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, NotAllowed
from pulih.mapping.choices import AgeBand, Sex
from pulih.organisations.models import Unit, UnitStatus
from pulih.prevention.access import PreventionPerm
from pulih.prevention.audit_codes import PreventionAction
from pulih.prevention.models import ActivityKind, CommunityActivity, ParticipantCount, Partner
from pulih.regions.models import Village


@dataclass
class ActivityData:
    kind: str
    held_on: date
    village: Village
    rw: str = ""
    place: str = ""
    partners: list[str] = field(default_factory=list)
    partners_other: str = ""
    newcomers_count: int | None = None
    description: str = ""
    # (sex, age band) → number of participants
    participants: dict[tuple[str, str], int] = field(default_factory=dict)


def _check(actor: Any, data: ActivityData) -> None:
    if actor is not None:
        require(actor, PreventionPerm.EDIT)
        scope = scope_for(actor)
        if scope.level == "unit":
            unit = actor.unit
            if unit is None or unit.village_id != data.village.pk:
                raise NotAllowed(_("Record activities of your own unit's village."), code="out_of_scope")
        elif not regency_in_scope(actor, data.village.regency_id):
            raise NotAllowed(_("This village is outside your work area."), code="out_of_scope")
    if data.kind not in ActivityKind.values:
        raise DomainError(_("Choose an activity type from the list."), field="kind")
    if data.held_on > timezone.localdate():
        raise DomainError(_("The activity date cannot be in the future."), field="held_on")
    unknown = [p for p in data.partners if p not in Partner.values]
    if unknown:
        raise DomainError(_("Choose partners from the list."), field="partners")
    for (sex, band), count in data.participants.items():
        if sex not in Sex.values or band not in AgeBand.values:
            raise DomainError(_("Participants are counted by sex and age band."), field="participants")
        if count < 0:
            raise DomainError(_("A number of participants cannot be negative."), field="participants")


def _open_unit(village: Village) -> Unit | None:
    return Unit.objects.filter(village=village).exclude(status=UnitStatus.INACTIVE).first()


def _write_participants(activity: CommunityActivity, participants: dict[tuple[str, str], int]) -> None:
    activity.participants.all().delete()
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(activity=activity, sex=sex, age_band=band, count=count)
            for (sex, band), count in sorted(participants.items())
            if count > 0
        ]
    )


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    data: ActivityData,
    activity_id: uuid.UUID | None = None,
    is_demo: bool = False,
    source_note: str = "",
) -> tuple[CommunityActivity, bool]:
    """Record an activity. A client-generated ``activity_id`` makes the call
    idempotent: the same id again returns the existing record (``created`` False)."""
    if activity_id is not None:
        existing = CommunityActivity.objects.filter(pk=activity_id).first()
        if existing is not None:
            if actor is not None and existing.created_by_id != getattr(actor, "pk", None):
                raise DomainError(
                    _("This id is already used by another record."), code="conflict", status=409
                )
            return existing, False
    _check(actor, data)
    activity = CommunityActivity(
        kind=data.kind,
        held_on=data.held_on,
        village=data.village,
        unit=_open_unit(data.village),
        rw=data.rw.strip(),
        place=data.place.strip(),
        partners=sorted(set(data.partners)),
        partners_other=data.partners_other.strip(),
        newcomers_count=data.newcomers_count,
        description=data.description.strip(),
        is_demo=is_demo,
        source_note=source_note,
        created_by=actor,
    )
    if activity_id is not None:
        activity.id = activity_id
    activity.full_clean()
    activity.save(force_insert=True)
    _write_participants(activity, data.participants)
    audit_record(
        action=PreventionAction.ACTIVITY_CREATED,
        request=request,
        actor=actor,
        obj=activity,
        detail={
            "kind": data.kind,
            "village": data.village.pk,
            "participants": sum(data.participants.values()),
        },
    )
    return activity, True


@transaction.atomic
def activity_update(
    *, actor: Any, request: HttpRequest | None = None, activity: CommunityActivity, data: ActivityData
) -> CommunityActivity:
    _check(actor, data)
    activity.kind, activity.held_on, activity.village = data.kind, data.held_on, data.village
    activity.unit = _open_unit(data.village)
    activity.rw, activity.place = data.rw.strip(), data.place.strip()
    activity.partners, activity.partners_other = sorted(set(data.partners)), data.partners_other.strip()
    activity.newcomers_count, activity.description = data.newcomers_count, data.description.strip()
    activity.full_clean()
    activity.save()
    _write_participants(activity, data.participants)
    audit_record(action=PreventionAction.ACTIVITY_UPDATED, request=request, actor=actor, obj=activity)
    return activity
