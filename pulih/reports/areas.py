"""The areas a dashboard can be about, and who may look at which.

National → province → regency/city → unit, plus an office's *work area*
(the regencies of a BNNK or any office whose area is not a whole province).
The decision is taken from :func:`pulih.accounts.scoping.scope_for`; every
read of figures then goes through ``scope_queryset`` as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from pulih.accounts.scoping import scope_for, user_can
from pulih.organisations.models import Unit
from pulih.regions.models import Province, Regency
from pulih.reports.access import ReportPerm

LEVELS = ("national", "province", "workarea", "regency", "unit")


@dataclass(frozen=True)
class Area:
    level: str
    code: str  # province or regency code, unit id, "" for national and work area
    label: str
    unit: Unit | None = None

    @property
    def key(self) -> str:
        return f"{self.level}:{self.code}"

    @property
    def is_unit(self) -> bool:
        return self.level == "unit"

    def query(self) -> str:
        return f"level={self.level}&area={self.code}" if self.code else f"level={self.level}"


def _covers_province(user: Any, province: str) -> bool:
    scope = scope_for(user)
    if scope.is_national:
        return True
    if scope.level != "area":
        return False
    codes = set(Regency.objects.filter(province_id=province).values_list("code", flat=True))
    return bool(codes) and codes <= scope.regency_codes


def default_area(user: Any) -> Area:
    scope = scope_for(user)
    if not user_can(user, ReportPerm.DASHBOARD) or scope.level == "none":
        raise Http404
    if scope.is_national:
        return Area("national", "", _("Indonesia (national)"))
    if scope.level == "unit":
        unit = Unit.objects.select_related("village").get(pk=int(scope.unit_id or 0))
        return Area("unit", str(unit.pk), unit.name, unit)
    office = getattr(user, "office", None)
    province = getattr(office, "province_id", None)
    if office is not None and office.kind == "bnnp" and province and _covers_province(user, province):
        return resolve_area(user, "province", province)
    return Area("workarea", "", _("Work area of %(office)s") % {"office": office.name if office else ""})


def resolve_area(user: Any, level: str, code: str) -> Area:
    """The area named by ``level`` and ``code`` if the user may see it; else 404."""
    scope = scope_for(user)
    if not user_can(user, ReportPerm.DASHBOARD) or scope.level == "none" or level not in LEVELS:
        raise Http404
    if level == "national":
        if not scope.is_national:
            raise Http404
        return Area("national", "", _("Indonesia (national)"))
    if level == "workarea":
        if scope.level != "area":
            raise Http404
        return Area("workarea", "", _("Work area of %(office)s") % {"office": user.office.name})
    if level == "province":
        province = Province.objects.filter(code=code).first()
        if province is None or scope.level == "unit" or not _covers_province(user, province.code):
            raise Http404
        return Area("province", province.code, province.name)
    if level == "regency":
        regency = Regency.objects.filter(code=code).first()
        if regency is None or scope.level == "unit":
            raise Http404
        if not (scope.is_national or regency.code in scope.regency_codes):
            raise Http404
        return Area("regency", regency.code, regency.full_name)
    # unit
    try:
        unit = Unit.objects.select_related("village").get(pk=int(code))
    except (ValueError, Unit.DoesNotExist) as exc:
        raise Http404 from exc
    if scope.level == "unit" and unit.pk != scope.unit_id:
        raise Http404
    if scope.level == "area" and unit.village.regency_id not in scope.regency_codes:
        raise Http404
    return Area("unit", str(unit.pk), unit.name, unit)


def area_from_request(user: Any, params: Any) -> Area:
    level = params.get("level") or ""
    if not level:
        return default_area(user)
    return resolve_area(user, level, params.get("area") or "")


def suppressed_for(user: Any, area: Area) -> bool:
    """Small counts are hidden unless a unit's own users look at their own unit."""
    scope = scope_for(user)
    return not (area.is_unit and scope.level == "unit" and str(scope.unit_id) == area.code)


def children(user: Any, area: Area) -> list[Area]:
    """The next level down (drill-down), limited to what the user may see."""
    scope = scope_for(user)
    if area.level == "national":
        codes = set(Unit.objects.values_list("village__province_id", flat=True).distinct())
        return [Area("province", p.code, p.name) for p in Province.objects.filter(code__in=codes)]
    if area.level in {"province", "workarea"}:
        regencies = Regency.objects.filter(code__in=Unit.objects.values("village__regency_id"))
        if area.level == "province":
            regencies = regencies.filter(province_id=area.code)
        if not scope.is_national:
            regencies = regencies.filter(code__in=scope.regency_codes)
        return [Area("regency", r.code, r.full_name) for r in regencies.order_by("code")]
    if area.level == "regency":
        units = Unit.objects.filter(village__regency_id=area.code).order_by("name")
        return [Area("unit", str(u.pk), u.name, u) for u in units]
    return []


def ancestors(user: Any, area: Area) -> list[Area]:
    """Breadcrumbs the user may follow upwards (outermost first)."""
    scope = scope_for(user)
    chain: list[Area] = []
    regency_code = province_code = None
    if area.level == "unit" and area.unit is not None:
        regency_code = area.unit.village.regency_id
        province_code = area.unit.village.province_id
    elif area.level == "regency":
        province_code = area.code.split(".")[0]
    elif area.level == "province":
        province_code = None
    if scope.is_national and area.level != "national":
        chain.append(Area("national", "", _("Indonesia (national)")))
    if scope.level == "area" and area.level in {"regency", "unit"}:
        if province_code and _covers_province(user, province_code):
            chain.append(resolve_area(user, "province", province_code))
        else:
            chain.append(resolve_area(user, "workarea", ""))
    elif scope.is_national and province_code and area.level in {"regency", "unit"}:
        chain.append(resolve_area(user, "province", province_code))
    if regency_code and scope.level != "unit":
        chain.append(resolve_area(user, "regency", regency_code))
    return chain
