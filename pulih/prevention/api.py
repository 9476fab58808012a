"""JSON API of community activities: ``/api/v1/prevention/``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from pulih.accounts.scoping import require
from pulih.mapping.api_auth import requiring
from pulih.prevention.access import PreventionPerm
from pulih.prevention.models import CommunityActivity
from pulih.prevention.selectors import activity_get, activity_list, activity_summary
from pulih.prevention.services import ActivityData, activity_create
from pulih.regions.models import Village

router = Router(tags=["prevention"])


class ParticipantIO(Schema):
    sex: str
    age_band: str
    count: int


class ActivityOut(Schema):
    id: UUID
    kind: str
    held_on: date
    village_code: str
    unit_id: int | None
    rw: str
    place: str
    partners: list[str]
    partners_other: str
    newcomers_count: int | None
    description: str
    participants: list[ParticipantIO]
    participant_total: int
    is_demo: bool

    @staticmethod
    def resolve_village_code(obj: CommunityActivity) -> str:
        return obj.village_id

    @staticmethod
    def resolve_participants(obj: CommunityActivity) -> list[Any]:
        return list(obj.participants.all())


class ActivityIn(Schema):
    id: UUID | None = None
    kind: str
    held_on: date
    village_code: str
    rw: str = ""
    place: str = ""
    partners: list[str] = []
    partners_other: str = ""
    newcomers_count: int | None = None
    description: str = ""
    participants: list[ParticipantIO] = []


class SummaryRow(Schema):
    regency: str
    kind: str
    activities: int
    participants: str


# A year filter outside the calendar's range is a 422, not a 500 from the date lookup.
Year = Annotated[int | None, Query(None, ge=1900, le=2200)]

@router.get(
    "/activities",
    response=list[ActivityOut],
    url_name="prevention_activity_list",
    summary="Community activities in scope (participants as counts only)",
)
def activities(
    request: HttpRequest, kind: str = "", year: Year = None, village: str = ""
) -> list[CommunityActivity]:
    require(request.user, PreventionPerm.VIEW)
    return list(activity_list(user=request.user, kind=kind, year=year, village=village)[:1000])


@router.get(
    "/activities/summary",
    response=list[SummaryRow],
    url_name="prevention_activity_summary",
    summary="Activities and participants per regency and type (1–4 suppressed as <5 above village level)",
)
def summary(request: HttpRequest, year: Year = None) -> list[dict[str, Any]]:
    require(request.user, PreventionPerm.VIEW)
    # Labels are lazy translations in the selector; the API sends plain text.
    return [
        {**row, "regency": str(row["regency"]), "kind": str(row["kind"]), "participants": str(row["participants"])}
        for row in activity_summary(user=request.user, year=year)["rows"]
    ]


@router.post(
    "/activities",
    response={200: ActivityOut, 201: ActivityOut},
    url_name="prevention_activity_create",
    auth=requiring(PreventionPerm.EDIT),
    summary="Record a community activity (idempotent with a client-generated id)",
)
def activity_new(request: HttpRequest, payload: ActivityIn) -> Status:
    village = get_object_or_404(Village, pk=payload.village_code)
    participants: dict[tuple[str, str], int] = {}
    for p in payload.participants:
        key = (p.sex, p.age_band)
        participants[key] = participants.get(key, 0) + p.count
    activity, created = activity_create(
        actor=request.user,
        request=request,
        activity_id=payload.id,
        data=ActivityData(
            kind=payload.kind,
            held_on=payload.held_on,
            village=village,
            rw=payload.rw,
            place=payload.place,
            partners=payload.partners,
            partners_other=payload.partners_other,
            newcomers_count=payload.newcomers_count,
            description=payload.description,
            participants=participants,
        ),
    )
    return Status(201 if created else 200, activity)


@router.get(
    "/activities/{activity_id}",
    response=ActivityOut,
    url_name="prevention_activity_get",
    summary="One community activity",
)
def activity(request: HttpRequest, activity_id: UUID) -> CommunityActivity:
    return activity_get(user=request.user, pk=activity_id)
