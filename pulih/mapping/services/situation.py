"""Writes for situation mappings, hotspots, resources, stakeholders and village points."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.scoping import regency_in_scope, require, unit_in_scope, user_can
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, NotAllowed
from pulih.mapping.access import MappingPerm
from pulih.mapping.audit_codes import MappingAction
from pulih.mapping.choices import AgeBand, Sex, Substance
from pulih.mapping.models import (
    Hotspot,
    HotspotKind,
    MappingStakeholder,
    Resource,
    SituationMapping,
    UseEstimate,
    VillagePoint,
)
from pulih.organisations.models import Unit
from pulih.regions.models import Village

# Indonesia's bounding box, with a margin: a point outside is a typo or a
# phone that has not found its position yet.
LAT_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LON_RANGE = (Decimal("94.5"), Decimal("141.5"))


@dataclass
class SituationData:
    period_start: date
    period_end: date
    title: str = ""
    risk_entertainment: bool = False
    risk_boarding_houses: bool = False
    risk_poverty: bool = False
    risk_public_facilities: bool = False
    risk_social_interaction: bool = False
    notes: str = ""


def _require_unit_editor(actor: Any, unit: Unit) -> None:
    require(actor, MappingPerm.EDIT)
    if not unit_in_scope(actor, unit):
        raise NotAllowed(_("You can only map your own unit's village."), code="out_of_scope")


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc


def check_point(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """Both or neither coordinate, and inside Indonesia."""
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is None or longitude is None:
        return
    if not LAT_RANGE[0] <= latitude <= LAT_RANGE[1]:
        raise DomainError(_("The latitude is outside Indonesia."), field="latitude")
    if not LON_RANGE[0] <= longitude <= LON_RANGE[1]:
        raise DomainError(_("The longitude is outside Indonesia."), field="longitude")


@transaction.atomic
def situation_create(
    *, actor: Any, request: HttpRequest | None = None, unit: Unit, data: SituationData, is_demo: bool = False
) -> SituationMapping:
    _require_unit_editor(actor, unit)
    if data.period_end < data.period_start:
        raise DomainError(_("The period cannot end before it starts."), field="period_end")
    if SituationMapping.objects.filter(unit=unit, period_start=data.period_start).exists():
        raise DomainError(
            _("This unit already has a mapping starting on that date."),
            field="period_start",
            code="duplicate",
        )
    mapping = SituationMapping(unit=unit, created_by=actor, is_demo=is_demo, **asdict(data))
    _full_clean(mapping)
    mapping.save()
    audit_record(
        action=MappingAction.SITUATION_CREATED,
        request=request,
        actor=actor,
        obj=mapping,
        detail={"unit": unit.pk, "period_start": data.period_start},
    )
    return mapping


@transaction.atomic
def situation_update(
    *, actor: Any, request: HttpRequest | None = None, mapping: SituationMapping, data: SituationData
) -> SituationMapping:
    _require_unit_editor(actor, mapping.unit)
    if data.period_end < data.period_start:
        raise DomainError(_("The period cannot end before it starts."), field="period_end")
    clash = SituationMapping.objects.filter(unit=mapping.unit, period_start=data.period_start)
    if clash.exclude(pk=mapping.pk).exists():
        raise DomainError(
            _("This unit already has a mapping starting on that date."),
            field="period_start",
            code="duplicate",
        )
    for key, value in asdict(data).items():
        setattr(mapping, key, value)
    _full_clean(mapping)
    mapping.save()
    audit_record(action=MappingAction.SITUATION_UPDATED, request=request, actor=actor, obj=mapping)
    return mapping


@transaction.atomic
def estimate_set(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    mapping: SituationMapping,
    substance: str,
    sex: str,
    age_band: str,
    count: int,
) -> UseEstimate | None:
    """Set one cell of the estimate table; a count of 0 removes the cell."""
    _require_unit_editor(actor, mapping.unit)
    if substance not in Substance.values or sex not in Sex.values or age_band not in AgeBand.values:
        raise DomainError(_("Choose a substance, sex and age band from the lists."), field="substance")
    if count < 0:
        raise DomainError(_("The number cannot be negative."), field="count")
    cell = {"mapping": mapping, "substance": substance, "sex": sex, "age_band": age_band}
    estimate: UseEstimate | None = None
    if count == 0:
        UseEstimate.objects.filter(**cell).delete()
    else:
        estimate, _created = UseEstimate.objects.update_or_create(
            mapping=mapping, substance=substance, sex=sex, age_band=age_band, defaults={"count": count}
        )
    audit_record(
        action=MappingAction.ESTIMATE_SET,
        request=request,
        actor=actor,
        obj=mapping,
        detail={"substance": substance, "sex": sex, "age_band": age_band, "count": count},
    )
    return estimate


@transaction.atomic
def hotspot_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    mapping: SituationMapping,
    label: str,
    kind: str,
    rw: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    notes: str = "",
    hotspot_id: uuid.UUID | None = None,
) -> tuple[Hotspot, bool]:
    """Record a hotspot. With a client-generated ``hotspot_id`` the call is
    idempotent: the same id again returns the existing hotspot (``created`` False)."""
    _require_unit_editor(actor, mapping.unit)
    if not user_can(actor, MappingPerm.HOTSPOTS_VIEW):
        raise NotAllowed(_("Your role cannot see hotspots."), code="forbidden")
    if hotspot_id is not None:
        existing = Hotspot.objects.filter(pk=hotspot_id).first()
        if existing is not None:
            if existing.mapping_id != mapping.pk:
                raise DomainError(
                    _("This id is already used by another record."), code="conflict", status=409
                )
            return existing, False
    if kind not in HotspotKind.values:
        raise DomainError(_("Choose a hotspot type from the list."), field="kind")
    check_point(latitude, longitude)
    hotspot = Hotspot(
        mapping=mapping,
        label=label.strip(),
        kind=kind,
        rw=rw.strip(),
        latitude=latitude,
        longitude=longitude,
        notes=notes.strip(),
        created_by=actor,
    )
    if hotspot_id is not None:
        hotspot.id = hotspot_id
    _full_clean(hotspot)
    hotspot.save(force_insert=True)
    audit_record(
        action=MappingAction.HOTSPOT_CREATED,
        request=request,
        actor=actor,
        obj=hotspot,
        detail={"mapping": mapping.pk, "kind": kind, "has_point": hotspot.has_point},
    )
    return hotspot, True


@transaction.atomic
def hotspot_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    hotspot: Hotspot,
    label: str,
    kind: str,
    rw: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    notes: str = "",
) -> Hotspot:
    _require_unit_editor(actor, hotspot.mapping.unit)
    if kind not in HotspotKind.values:
        raise DomainError(_("Choose a hotspot type from the list."), field="kind")
    check_point(latitude, longitude)
    hotspot.label, hotspot.kind, hotspot.rw = label.strip(), kind, rw.strip()
    hotspot.latitude, hotspot.longitude, hotspot.notes = latitude, longitude, notes.strip()
    _full_clean(hotspot)
    hotspot.save()
    audit_record(action=MappingAction.HOTSPOT_UPDATED, request=request, actor=actor, obj=hotspot)
    return hotspot


@transaction.atomic
def hotspot_delete(*, actor: Any, request: HttpRequest | None = None, hotspot: Hotspot) -> None:
    _require_unit_editor(actor, hotspot.mapping.unit)
    audit_record(
        action=MappingAction.HOTSPOT_DELETED,
        request=request,
        actor=actor,
        obj=hotspot,
        detail={"mapping": hotspot.mapping_id},
    )
    hotspot.delete()


@transaction.atomic
def resource_add(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    mapping: SituationMapping,
    kind: str,
    name: str,
    rw: str = "",
    notes: str = "",
) -> Resource:
    _require_unit_editor(actor, mapping.unit)
    resource = Resource(mapping=mapping, kind=kind, name=name.strip(), rw=rw.strip(), notes=notes.strip())
    _full_clean(resource)
    resource.save()
    audit_record(action=MappingAction.RESOURCE_ADDED, request=request, actor=actor, obj=resource)
    return resource


@transaction.atomic
def stakeholder_add(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    mapping: SituationMapping,
    kind: str,
    description: str,
    support: str,
) -> MappingStakeholder:
    _require_unit_editor(actor, mapping.unit)
    stakeholder = MappingStakeholder(
        mapping=mapping, kind=kind, description=description.strip(), support=support
    )
    _full_clean(stakeholder)
    stakeholder.save()
    audit_record(action=MappingAction.STAKEHOLDER_ADDED, request=request, actor=actor, obj=stakeholder)
    return stakeholder


def can_set_village_point(actor: Any, village: Village) -> bool:
    """The unit of the village (mapping editors) or IKRN managers of its area."""
    if user_can(actor, MappingPerm.IKRN_MANAGE) and regency_in_scope(actor, village.regency_id):
        return True
    unit = getattr(actor, "unit", None)
    return bool(user_can(actor, MappingPerm.EDIT) and unit is not None and unit.village_id == village.pk)


@transaction.atomic
def village_point_set(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    village: Village,
    latitude: Decimal,
    longitude: Decimal,
    source: str = "",
    is_demo: bool = False,
) -> VillagePoint:
    if actor is not None and not can_set_village_point(actor, village):
        raise NotAllowed(_("You cannot place this village on the map."), code="forbidden")
    check_point(latitude, longitude)
    point, _created = VillagePoint.objects.update_or_create(
        village=village,
        defaults={"latitude": latitude, "longitude": longitude, "source": source.strip(), "is_demo": is_demo},
    )
    audit_record(
        action=MappingAction.VILLAGE_POINT_SET,
        request=request,
        actor=actor,
        obj=point,
        detail={"village": village.pk},
    )
    return point
