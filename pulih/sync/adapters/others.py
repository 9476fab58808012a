"""Sync adapters for screening, referrals, mapping (hotspots) and prevention (activities)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Model
from django.http import HttpRequest

from pulih.accounts.scoping import get_scoped_or_404
from pulih.sync import payload as p
from pulih.sync.adapters.clients import own_client, village


def screening_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.screening.models import Instrument
    from pulih.screening.services import screening_submit

    instrument = Instrument.objects.filter(
        code=p.text(data, "instrument", required=True),
        version=p.text(data, "instrument_version", required=True),
    ).first()
    if instrument is None:
        raise p.PayloadError("instrument", "unknown instrument version")
    answers = p.mapping(data, "answers")
    screening, created = screening_submit(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        instrument=instrument,
        answers=answers,
        purpose=p.text(data, "purpose", default="initial") or "initial",
        started_at=p.moment(data, "started_at"),
        completed_at=p.moment(data, "completed_at"),
    )
    return screening, created


def referral_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.referrals.access import ReferralPerm
    from pulih.referrals.models import ServiceProvider
    from pulih.referrals.services.referrals import referral_create as create

    provider = get_scoped_or_404(
        actor,
        ServiceProvider.objects.all(),
        ReferralPerm.PROVIDERS_VIEW,
        pk=p.integer(data, "provider", required=True),
    )
    referral, created = create(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        provider=provider,
        pathway=p.text(data, "pathway", required=True),
        reason=p.text(data, "reason", required=True),
        urgency=p.text(data, "urgency", default="routine") or "routine",
        send=p.boolean(data, "send", default=True),
    )
    return referral, created


def hotspot_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.mapping.access import MappingPerm
    from pulih.mapping.models import SituationMapping
    from pulih.mapping.services.situation import hotspot_create as create

    mapping = get_scoped_or_404(
        actor,
        SituationMapping.objects.select_related("unit"),
        MappingPerm.EDIT,
        pk=p.integer(data, "mapping", required=True),
    )
    hotspot, created = create(
        actor=actor,
        request=request,
        hotspot_id=pk,
        mapping=mapping,
        label=p.text(data, "label", required=True),
        kind=p.text(data, "kind", required=True),
        rw=p.text(data, "rw"),
        latitude=p.decimal(data, "latitude"),
        longitude=p.decimal(data, "longitude"),
        notes=p.text(data, "notes"),
    )
    return hotspot, created


def _coordinate(value: Any) -> str | None:
    return None if value is None else f"{float(value):.6f}"


def hotspot_values(obj: Any) -> dict[str, Any]:
    return {
        "label": obj.label,
        "kind": obj.kind,
        "rw": obj.rw,
        "latitude": _coordinate(obj.latitude),
        "longitude": _coordinate(obj.longitude),
        "notes": obj.notes,
    }


def hotspot_normalise(field: str, value: Any) -> Any:
    return _coordinate(value) if field in ("latitude", "longitude") and value not in (None, "") else value


def hotspot_update(actor: Any, request: HttpRequest | None, obj: Any, values: dict[str, Any]) -> Model:
    from pulih.mapping.services.situation import hotspot_update as update

    return update(
        actor=actor,
        request=request,
        hotspot=obj,
        label=p.text(values, "label", required=True),
        kind=p.text(values, "kind", required=True),
        rw=p.text(values, "rw"),
        latitude=p.decimal(values, "latitude"),
        longitude=p.decimal(values, "longitude"),
        notes=p.text(values, "notes"),
    )


def hotspot_get(actor: Any, pk: UUID) -> Model:
    from pulih.mapping.access import MappingPerm
    from pulih.mapping.models import Hotspot

    return get_scoped_or_404(actor, Hotspot.objects.select_related("mapping__unit"), MappingPerm.EDIT, pk=pk)


def activity_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.prevention.services import ActivityData
    from pulih.prevention.services import activity_create as create

    participants: dict[tuple[str, str], int] = {}
    for cell in data.get("participants") or []:
        if not isinstance(cell, dict):
            raise p.PayloadError("participants", "expected a list of {sex, age_band, count}")
        count = p.integer(cell, "count", required=True) or 0
        participants[(p.text(cell, "sex", required=True), p.text(cell, "age_band", required=True))] = count
    partners = data.get("partners") or []
    if not isinstance(partners, list) or not all(isinstance(x, str) for x in partners):
        raise p.PayloadError("partners", "expected a list of partner codes")
    activity, created = create(
        actor=actor,
        request=request,
        activity_id=pk,
        data=ActivityData(
            kind=p.text(data, "kind", required=True),
            held_on=p.day(data, "held_on"),  # type: ignore[arg-type]
            village=village(data),  # type: ignore[arg-type]
            rw=p.text(data, "rw"),
            place=p.text(data, "place"),
            partners=partners,
            partners_other=p.text(data, "partners_other"),
            newcomers_count=p.integer(data, "newcomers_count"),
            description=p.text(data, "description"),
            participants=participants,
        ),
    )
    return activity, created
