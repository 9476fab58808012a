from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from pulih.organisations.models import Office
from pulih.organisations.selectors import office_get, office_list

router = Router(tags=["offices"])


class OfficeOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    province_code: str | None
    seat_code: str | None
    work_area: list[str]
    is_active: bool

    @staticmethod
    def resolve_province_code(obj: Office) -> str | None:
        return obj.province_id

    @staticmethod
    def resolve_seat_code(obj: Office) -> str | None:
        return obj.seat_id

    @staticmethod
    def resolve_work_area(obj: Office) -> list[str]:
        return sorted(r.code for r in obj.work_area.all())


class OfficeFilters(Schema):
    q: str = ""
    kind: str = ""


@router.get("/", response=list[OfficeOut], summary="BNN offices with their work areas")
def offices(request: HttpRequest, filters: Query[OfficeFilters]) -> list[Office]:
    return list(
        office_list(user=request.user, search=filters.q, kind=filters.kind).prefetch_related("work_area")
    )


@router.get("/{office_id}", response=OfficeOut, summary="One office")
def office(request: HttpRequest, office_id: int) -> Office:
    return office_get(user=request.user, pk=office_id)
