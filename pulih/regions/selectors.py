"""Reading regions: the one region search used by every place picker."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from pulih.core.crypto import normalise
from pulih.regions.models import District, Province, Regency, Village

LEVELS = ("province", "regency", "district", "village")
_CODE = re.compile(r"^[0-9][0-9.]*$")


@dataclass(frozen=True)
class RegionHit:
    level: str
    code: str
    name: str
    label: str


def _ranked(qs: QuerySet, q: str) -> QuerySet:
    return qs.annotate(
        rank=Case(
            When(search_name__startswith=f"{q}|", then=Value(0)),
            When(search_name__startswith=q, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "code")


def _dotted(digits: str) -> str:
    """A Kemendagri code typed without its dots ("1505022003") in its dotted form (15.05.02.2003)."""
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


def region_search(
    query: str,
    *,
    levels: Iterable[str] = LEVELS,
    limit: int = 20,
    regency_codes: Iterable[str] | None = None,
) -> list[RegionHit]:
    """Find regions by name or Kemendagri code at any level.

    Matching is case- and accent-insensitive and finds the query anywhere in
    the name ("Kayu Aro" finds "Pulau Kayu Aro"). Exact names rank first,
    then names that start with the query. ``regency_codes`` restricts the
    search to an area (an office's work area).
    """
    q = normalise(query or "")
    if len(q) < 2:
        return []
    wanted = [level for level in LEVELS if level in set(levels)]
    area = list(regency_codes) if regency_codes is not None else None
    is_code = bool(_CODE.match(q))
    if is_code and "." not in q and len(q) > 2:
        q = _dotted(q)
    hits: list[tuple[int, int, RegionHit]] = []
    for order, level in enumerate(wanted):
        if level == "province":
            qs: QuerySet = Province.objects.all()
            if area is not None:
                qs = qs.filter(regencies__code__in=area).distinct()
        elif level == "regency":
            qs = Regency.objects.select_related("province")
            if area is not None:
                qs = qs.filter(code__in=area)
        elif level == "district":
            qs = District.objects.select_related("regency", "province")
            if area is not None:
                qs = qs.filter(regency_id__in=area)
        else:
            qs = Village.objects.select_related("district", "regency", "province")
            if area is not None:
                qs = qs.filter(regency_id__in=area)
        if is_code:
            qs = (
                qs.filter(code__startswith=q)
                .order_by("code")
                .annotate(rank=Value(0, output_field=IntegerField()))
            )
        else:
            compact = q.replace(" ", "")
            qs = _ranked(qs.filter(Q(search_name__contains=q) | Q(search_name__contains=compact)), q)
        for obj in qs[:limit]:
            hits.append((obj.rank, order, RegionHit(level, obj.code, obj.name, obj.label)))
    hits.sort(key=lambda item: (item[0], item[1]))
    return [hit for _, _, hit in hits[:limit]]


def village_get(code: str) -> Village | None:
    return Village.objects.select_related("district", "regency", "province").filter(code=code).first()


def level_of(code: str) -> str | None:
    """The level a Kemendagri code names, from its shape: 15, 15.05, 15.05.02, 15.05.02.2003."""
    if not code or not _CODE.match(code):
        return None
    depth = code.count(".")
    return LEVELS[depth] if depth < len(LEVELS) else None


def region_get(code: str) -> Province | Regency | District | Village | None:
    """The region of any level with this Kemendagri code, or None."""
    code = (code or "").strip()
    if code.isdigit() and len(code) > 2:
        code = _dotted(code)
    level = level_of(code)
    if level == "province":
        return Province.objects.filter(code=code).first()
    if level == "regency":
        return Regency.objects.select_related("province").filter(code=code).first()
    if level == "district":
        return District.objects.select_related("regency", "province").filter(code=code).first()
    if level == "village":
        return village_get(code)
    return None


def within(code: str, village_field: str = "village") -> Q:
    """Rows whose village lies in the region ``code`` of any level.

    Uses the ancestor codes every village carries (``province``, ``regency``,
    ``district``), so each level is an indexed equality, not a prefix match.
    """
    level = level_of(code)
    if level is None:
        return Q(pk__in=[])
    column = f"{village_field}_id" if level == "village" else f"{village_field}__{level}_id"
    return Q(**{column: code})
