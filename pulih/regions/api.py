from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.regions.models import Province
from pulih.regions.selectors import LEVELS, region_search

router = Router(tags=["regions"])


class RegionOut(Schema):
    level: str
    code: str
    name: str
    label: str


class ProvinceOut(Schema):
    code: str
    name: str
    timezone: str


class SearchParams(Schema):
    q: str
    level: list[str] = []
    limit: int = 20


@router.get("/search", response=list[RegionOut], summary="Search regions by name or code, any level")
def search(request: HttpRequest, params: Query[SearchParams]) -> list[object]:
    require(request.user, Perm.REGIONS_VIEW)
    levels = [lvl for lvl in params.level if lvl in LEVELS] or list(LEVELS)
    return list(region_search(params.q, levels=levels, limit=max(1, min(params.limit, 50))))


@router.get("/provinces", response=list[ProvinceOut], summary="All provinces with their time zone")
def provinces(request: HttpRequest) -> list[Province]:
    require(request.user, Perm.REGIONS_VIEW)
    return list(Province.objects.all())
