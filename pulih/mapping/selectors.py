"""Every read of the mapping app, always through the scoping module."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Subquery, Value, When

from pulih.accounts.scoping import get_scoped_or_404, scope_for, scope_queryset, user_can
from pulih.mapping.access import MappingPerm
from pulih.mapping.classification import prone_categories
from pulih.mapping.models import (
    BersinarVillage,
    Hotspot,
    IkrnAssessment,
    IkrnImport,
    ProvinceProneFigure,
    SituationMapping,
    VillagePoint,
)
from pulih.organisations.models import Unit, UnitStatus
from pulih.regions.models import Province
from pulih.regions.selectors import within

# --- situation mapping -------------------------------------------------------


def situation_list(*, user: Any, unit_id: int | None = None) -> QuerySet[SituationMapping]:
    qs = scope_queryset(user, SituationMapping.objects.all(), MappingPerm.SITUATION_VIEW)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "unit__village", "unit__village__regency").order_by(
        "unit__name", "-period_start"
    )


def situation_get(*, user: Any, pk: int) -> SituationMapping:
    return get_scoped_or_404(
        user,
        SituationMapping.objects.select_related("unit", "unit__village", "unit__village__regency"),
        MappingPerm.SITUATION_VIEW,
        pk=pk,
    )


def hotspot_list(*, user: Any, mapping: SituationMapping | None = None) -> QuerySet[Hotspot]:
    qs = scope_queryset(user, Hotspot.objects.all(), MappingPerm.HOTSPOTS_VIEW)
    if mapping is not None:
        qs = qs.filter(mapping=mapping)
    return qs.select_related("mapping", "mapping__unit", "mapping__unit__village").order_by("label")


def hotspot_get(*, user: Any, pk: UUID) -> Hotspot:
    return get_scoped_or_404(
        user,
        Hotspot.objects.select_related("mapping", "mapping__unit", "mapping__unit__village"),
        MappingPerm.HOTSPOTS_VIEW,
        pk=pk,
    )


def editable_units(*, user: Any) -> QuerySet[Unit]:
    """Units whose situation mapping this user may write: a unit user's own unit."""
    if not user_can(user, MappingPerm.EDIT) or scope_for(user).level != "unit":
        return Unit.objects.none()
    return Unit.objects.filter(pk=scope_for(user).unit_id or 0)


@dataclass
class SituationSummary:
    """One period in numbers, for the detail and compare pages."""

    mapping: SituationMapping
    total: int = 0
    by_substance: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    hotspots_by_kind: dict[str, int] | None = None
    hotspot_total: int | None = None
    risk_factors: list[str] = field(default_factory=list)
    resources_by_kind: dict[str, int] = field(default_factory=dict)
    stakeholders: int = 0


def situation_summary(*, user: Any, mapping: SituationMapping) -> SituationSummary:
    from pulih.mapping.indicators import RISK_FACTORS

    s = SituationSummary(mapping=mapping)
    for e in mapping.estimates.all():
        s.total += e.count
        s.by_substance[e.get_substance_display()] = s.by_substance.get(e.get_substance_display(), 0) + e.count
        s.by_sex[e.get_sex_display()] = s.by_sex.get(e.get_sex_display(), 0) + e.count
        s.by_age[e.get_age_band_display()] = s.by_age.get(e.get_age_band_display(), 0) + e.count
    if user_can(user, MappingPerm.HOTSPOTS_VIEW):
        kinds = Counter(h.get_kind_display() for h in hotspot_list(user=user, mapping=mapping))
        s.hotspots_by_kind = dict(kinds)
        s.hotspot_total = sum(kinds.values())
    s.risk_factors = [str(label) for name, label in RISK_FACTORS if getattr(mapping, name)]
    s.resources_by_kind = dict(Counter(r.get_kind_display() for r in mapping.resources.all()))
    s.stakeholders = mapping.stakeholders.count()
    return s


# --- IKRN ----------------------------------------------------------------------


def _open_unit(village_ref: str = "village_id") -> QuerySet[Unit]:
    return Unit.objects.filter(village_id=OuterRef(village_ref)).exclude(status=UnitStatus.INACTIVE)


def _prone_case(categories: list[str]) -> Case:
    return Case(
        When(drug_prone=True, then=Value(True)),
        When(drug_prone=False, then=Value(False)),
        When(category__in=categories, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def ikrn_list(
    *,
    user: Any,
    area: str = "",
    year: int | None = None,
    category: str = "",
    prone_only: bool = False,
) -> QuerySet[IkrnAssessment]:
    qs = scope_queryset(user, IkrnAssessment.objects.all(), MappingPerm.VIEW)
    qs = qs.annotate(
        prone=_prone_case(prone_categories()),
        has_ibm=Exists(_open_unit()),
        unit_name=Subquery(_open_unit().values("name")[:1]),
    )
    if area:
        qs = qs.filter(within(area))
    if year:
        qs = qs.filter(year=year)
    if category == "none":
        qs = qs.filter(category="")
    elif category:
        qs = qs.filter(category=category)
    if prone_only:
        qs = qs.filter(prone=True)
    return qs.select_related("village", "village__district", "village__regency").order_by(
        "-year", "village__code"
    )


def ikrn_get(*, user: Any, pk: int) -> IkrnAssessment:
    return get_scoped_or_404(user, ikrn_list(user=user), MappingPerm.VIEW, pk=pk)


def ikrn_years(*, user: Any) -> list[int]:
    qs = scope_queryset(user, IkrnAssessment.objects.all(), MappingPerm.VIEW)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


def ikrn_import_get(*, user: Any, pk: UUID) -> IkrnImport:
    return get_scoped_or_404(user, IkrnImport.objects.all(), MappingPerm.IKRN_MANAGE, pk=pk)


def ikrn_import_list(*, user: Any) -> QuerySet[IkrnImport]:
    return scope_queryset(user, IkrnImport.objects.all(), MappingPerm.IKRN_MANAGE).defer("content")[:10]


@dataclass
class YearLine:
    year: int
    recorded: int
    prone: int
    prone_with_ibm: int
    published: list[ProvinceProneFigure]
    change: int | None = None

    @property
    def coverage_percent(self) -> int | None:
        return round(100 * self.prone_with_ibm / self.prone) if self.prone else None


def prone_area_report(*, user: Any, province: str, year: int | None) -> dict[str, Any]:
    """The drug-prone villages of a province in a year, with IBM coverage and the trend."""
    all_years = ikrn_list(user=user, area=province)
    lines: dict[int, YearLine] = {}
    for row in all_years.values("year", "prone", "has_ibm"):  # type: ignore[misc]
        line = lines.setdefault(row["year"], YearLine(row["year"], 0, 0, 0, []))
        line.recorded += 1
        if row["prone"]:
            line.prone += 1
            if row["has_ibm"]:
                line.prone_with_ibm += 1
    figures = scope_queryset(
        user, ProvinceProneFigure.objects.filter(province_id=province), MappingPerm.VIEW
    ).order_by("-year")
    for fig in figures:
        lines.setdefault(fig.year, YearLine(fig.year, 0, 0, 0, [])).published.append(fig)
    ordered = [lines[y] for y in sorted(lines)]
    for prev, cur in pairwise(ordered):
        cur.change = cur.prone - prev.prone
    if year is None and ordered:
        year = ordered[-1].year
    villages = ikrn_list(user=user, area=province, year=year, prone_only=True) if year else None
    return {
        "year": year,
        "lines": list(reversed(ordered)),
        "current": lines.get(year) if year else None,
        "villages": villages,
    }


def provinces_in_scope(*, user: Any) -> QuerySet[Province]:
    scope = scope_for(user)
    if scope.is_national:
        return Province.objects.all()
    return Province.objects.filter(regencies__code__in=scope.regency_codes).distinct()


# --- Desa Bersinar -------------------------------------------------------------


def bersinar_list(*, user: Any, status: str = "", area: str = "") -> QuerySet[BersinarVillage]:
    qs = scope_queryset(user, BersinarVillage.objects.all(), MappingPerm.VIEW)
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(within(area))
    return (
        qs.annotate(
            has_ibm=Exists(_open_unit()),
            unit_name=Subquery(_open_unit().values("name")[:1]),
            unit_status=Subquery(_open_unit().values("status")[:1]),
        )
        .select_related("village", "village__district", "village__regency", "village__province")
        .order_by("village__code")
    )


def bersinar_get(*, user: Any, pk: int) -> BersinarVillage:
    return get_scoped_or_404(user, bersinar_list(user=user), MappingPerm.VIEW, pk=pk)


# --- the map -------------------------------------------------------------------


def _f(value: Any) -> float | None:
    return float(value) if value is not None else None


def map_data(*, user: Any, year: int | None = None) -> dict[str, Any]:
    """Layers for the map page: villages (units, Desa Bersinar, IKRN) and hotspots.

    Villages carry a point only where one was recorded (``VillagePoint``):
    the region data has no coordinates, and the page lists the others.
    Hotspots are present only for roles that may see them, in their scope.
    """
    years = ikrn_years(user=user)
    if year is None and years:
        year = years[0]
    villages: dict[str, dict[str, Any]] = {}

    def village_entry(v: Any) -> dict[str, Any]:
        if v.code not in villages:
            villages[v.code] = {
                "code": v.code,
                "name": v.name,
                "label": f"{v.name}, {v.regency.short_label}",
                "lat": None,
                "lon": None,
                "unit": None,
                "bersinar": None,
                "ikrn": None,
            }
        return villages[v.code]

    units = scope_queryset(
        user, Unit.objects.exclude(status=UnitStatus.INACTIVE), MappingPerm.VIEW
    ).select_related("village", "village__regency")
    for unit in units:
        village_entry(unit.village)["unit"] = {
            "id": unit.pk,
            "name": unit.name,
            "status": unit.status,
            "status_label": unit.get_status_display(),
        }
    for b in bersinar_list(user=user):
        village_entry(b.village)["bersinar"] = {"status": b.status, "status_label": b.get_status_display()}
    if year:
        for a in ikrn_list(user=user, year=year):
            village_entry(a.village)["ikrn"] = {
                "year": a.year,
                "category": a.category or "none",
                "category_label": a.get_category_display() if a.category else "",
                "prone": bool(a.prone),  # type: ignore[attr-defined]
            }
    for point in VillagePoint.objects.filter(village_id__in=list(villages)):
        villages[point.village_id]["lat"] = _f(point.latitude)
        villages[point.village_id]["lon"] = _f(point.longitude)
    hotspots: list[dict[str, Any]] | None = None
    if user_can(user, MappingPerm.HOTSPOTS_VIEW):
        latest: dict[int, int] = {}
        for m in (
            scope_queryset(user, SituationMapping.objects.all(), MappingPerm.HOTSPOTS_VIEW)
            .order_by("unit_id", "-period_start")
            .values("pk", "unit_id")
        ):
            latest.setdefault(m["unit_id"], m["pk"])
        hotspots = [
            {
                "id": str(h.pk),
                "label": h.label,
                "kind": h.kind,
                "kind_label": h.get_kind_display(),
                "rw": h.rw,
                "lat": _f(h.latitude),
                "lon": _f(h.longitude),
                "village": h.mapping.unit.village.name,
            }
            for h in hotspot_list(user=user).filter(mapping_id__in=list(latest.values()))
        ]
    ordered = sorted(villages.values(), key=lambda v: v["code"])
    return {
        "tile_url": settings.MAP_TILE_URL,
        "year": year,
        "years": years,
        "villages": ordered,
        "villages_without_point": sum(1 for v in ordered if v["lat"] is None),
        "hotspots": hotspots,
        "hotspots_allowed": hotspots is not None,
    }


def filter_map_villages(villages: list[dict[str, Any]], layers: set[str]) -> list[dict[str, Any]]:
    """The villages that belong to at least one of the chosen layers."""
    out = []
    for v in villages:
        if (
            ("units" in layers and v["unit"])
            or ("bersinar" in layers and v["bersinar"])
            or ("ikrn" in layers and v["ikrn"])
        ):
            out.append(v)
    return out
