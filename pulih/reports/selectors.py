"""Every read of the reports app, always through the scoping module.

Dashboards read the rollup tables only (``Fact`` for units, ``AreaFact`` for
regencies, provinces and the nation): a page load never touches the client,
session or referral tables. Outside a unit's own users, every count is shown
through the ``hidden`` flags stored with the rollups — one suppression pattern
computed over the whole hierarchy (:mod:`pulih.reports.pattern`) — so a cell
hidden on one page is hidden on every page, in the API and in exports. A
figure derived from several stored cells (a period of months, a work area, a
rate) is shown only when every cell it is made of is visible and it is not
itself a count from 1 to 4: it then tells nothing that the visible cells do
not already tell.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Max, Q, QuerySet, Sum, When
from django.utils.translation import gettext as _

from pulih.accounts.scoping import get_scoped_or_404, scope_for, scope_queryset
from pulih.organisations.models import Office, Unit
from pulih.reports.access import ReportPerm
from pulih.reports.areas import Area, children, suppressed_for
from pulih.reports.catalogue import (
    DIMENSIONS,
    INDICATOR_MAP,
    TARGET_ACTUALS,
    Indicator,
    headline,
)
from pulih.reports.models import (
    AreaFact,
    AreaLevel,
    ExportJob,
    Fact,
    MonthlyReport,
    ReportEvent,
    ReportStatus,
)
from pulih.reports.months import add_months, current_month, month_range
from pulih.reports.rollups import freshness
from pulih.reports.suppression import HIDDEN, SMALL, Shown, is_small

Cell = tuple[dt.date, str, str, str]


# --- Reading rollups -------------------------------------------------------------------------


def _rollup_rows(
    user: Any, area: Area, first: dt.date, last: dt.date, indicators: Iterable[str] | None = None
) -> QuerySet[Any]:
    """Summed rollup rows (month, indicator, dim, member, v) of one area."""
    scope = scope_for(user)
    perm = ReportPerm.DASHBOARD
    if area.level == "unit":
        qs: QuerySet[Any] = scope_queryset(user, Fact.objects.filter(unit_id=int(area.code)), perm)
    elif area.level == "national":
        qs = scope_queryset(user, AreaFact.objects.filter(level=AreaLevel.NATIONAL), perm)
    elif area.level == "province" and scope.is_national:
        qs = scope_queryset(
            user, AreaFact.objects.filter(level=AreaLevel.PROVINCE, province_id=area.code), perm
        )
    elif area.level == "province":
        qs = scope_queryset(
            user, AreaFact.objects.filter(level=AreaLevel.REGENCY, province_id=area.code), perm
        )
    elif area.level == "regency":
        qs = scope_queryset(
            user, AreaFact.objects.filter(level=AreaLevel.REGENCY, regency_id=area.code), perm
        )
    else:  # work area: the regencies of the office, through the scope
        qs = scope_queryset(user, AreaFact.objects.filter(level=AreaLevel.REGENCY), perm)
    qs = qs.filter(month__gte=first, month__lte=last)
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    return qs.values("month", "indicator", "dim", "member").annotate(v=Sum("value"), h=ANY_HIDDEN)


# 1 when any of the summed rollup rows is hidden (portable: no bool_or on SQLite).
ANY_HIDDEN = Max(Case(When(hidden=True, then=1), default=0, output_field=IntegerField()))


def _province_flags(area: Area, first: dt.date, last: dt.date, indicators: Iterable[str] | None) -> set[Cell]:
    """The stored flags of a province's own rollup rows.

    An office user reads a province's values as the sum of its regency rows
    (the scope is by regency); :func:`pulih.reports.areas.resolve_area` has
    checked that the user covers the whole province, so its cells are shown
    with the province row's own flags, as for national users.
    """
    qs = AreaFact.objects.filter(
        level=AreaLevel.PROVINCE, province_id=area.code, month__gte=first, month__lte=last, hidden=True
    )
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    return {(m, i, d, mm) for m, i, d, mm in qs.values_list("month", "indicator", "dim", "member")}


class Figures:
    """Counts of one area for a run of months, read from the rollups, with their stored flags.

    ``suppressed`` says whether the reader is outside the unit: then
    :meth:`shown` hides what the stored pattern hides.
    """

    def __init__(
        self,
        rows: Iterable[dict[str, Any]],
        months: Sequence[dt.date],
        *,
        suppressed: bool = True,
        hidden: set[Cell] | None = None,
    ) -> None:
        self.months = list(months)
        self.suppressed = suppressed
        self.data: dict[Cell, int] = defaultdict(int)
        self.hidden: set[Cell] = set()
        self.members_seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            cell = (r["month"], r["indicator"], r["dim"], r["member"])
            self.data[cell] += int(r["v"] or 0)
            if r.get("h"):
                self.hidden.add(cell)
            if r["dim"]:
                self.members_seen[(r["indicator"], r["dim"])].add(r["member"])
        if hidden is not None:
            self.hidden = set(hidden)

    def cells(
        self, key: str, dim: str = "", member: str = "", months: Sequence[dt.date] | None = None
    ) -> list[Cell]:
        return [(m, key, dim, member) for m in self._months(INDICATOR_MAP[key], months)]

    def is_hidden(self, cells: Iterable[Cell]) -> bool:
        """True when a stored cell among ``cells`` is hidden (never for the unit's own users)."""
        return self.suppressed and any(c in self.hidden and self.data.get(c, 0) for c in cells)

    def shown(
        self, key: str, dim: str = "", member: str = "", months: Sequence[dt.date] | None = None
    ) -> Shown:
        """The value of a cell or of a sum of cells (months), as the reader may see it."""
        if key in UNSUPPRESSED:
            return Shown(self.value(key, dim, member, months))
        cells = self.cells(key, dim, member, months)
        return self.shown_sum(cells)

    def shown_sum(self, cells: Sequence[Cell], extra_hidden: bool = False) -> Shown:
        value = sum(self.data.get(c, 0) for c in cells)
        hidden = self.suppressed and (extra_hidden or self.is_hidden(cells) or is_small(value))
        return Shown(value, hidden, is_small(value))

    def _months(self, ind: Indicator, months: Sequence[dt.date] | None) -> list[dt.date]:
        run = list(months or self.months)
        return run[-1:] if ind.aggregation == "last" else run

    def value(
        self, key: str, dim: str = "", member: str = "", months: Sequence[dt.date] | None = None
    ) -> int:
        ind = INDICATOR_MAP[key]
        return sum(self.data.get((m, key, dim, member), 0) for m in self._months(ind, months))

    def members(self, key: str, dim: str) -> dict[str, int]:
        labels = list(DIMENSIONS[dim].member_labels())
        extra = sorted(self.members_seen.get((key, dim), set()) - set(labels), key=_natural)
        return {m: self.value(key, dim, m) for m in labels + extra}

    def series(self, key: str) -> list[tuple[dt.date, int]]:
        return [(m, self.data.get((m, key, "", ""), 0)) for m in self.months]


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (10**9, value)


def figures(
    user: Any, area: Area, first: dt.date, last: dt.date, indicators: Iterable[str] | None = None
) -> Figures:
    fig = Figures(
        _rollup_rows(user, area, first, last, indicators),
        month_range(first, last),
        suppressed=suppressed_for(user, area),
    )
    if area.level == "province" and not scope_for(user).is_national:
        fig.hidden = _province_flags(area, first, last, indicators)
    return fig


# Plans, not counts of people or events (see pulih.reports.pattern).
UNSUPPRESSED = frozenset({"workplan_targets"})


# --- Derived values ----------------------------------------------------------------------------


def rate_parts(fig: Figures, ind: Indicator) -> tuple[int, int]:
    if ind.rate_members:
        dim, members = ind.rate_members
        numerator = sum(fig.value(ind.rate_of, dim, m) for m in members)
    else:
        numerator = fig.value(ind.rate_of)
    return numerator, fig.value(ind.rate_over)


def median_from_histogram(histogram: dict[str, int]) -> float | None:
    items = sorted(((int(k), v) for k, v in histogram.items() if k.isdigit() and v > 0))
    n = sum(v for _k, v in items)
    if not n:
        return None
    positions = [(n - 1) // 2, n // 2]
    values = []
    for pos in positions:
        seen = 0
        for k, v in items:
            seen += v
            if pos < seen:
                values.append(k)
                break
    return sum(values) / 2


@dataclass
class Tile:
    key: str
    label: str
    text: str
    hint: str = ""
    hidden: bool = False


def _hidden_text(shown: Shown) -> str:
    return SMALL if shown.primary else HIDDEN


def tile_for(fig: Figures, ind: Indicator, *, suppressed: bool) -> Tile:
    if ind.kind == "rate":
        num, den = rate_parts(fig, ind)
        parts = rate_cells(fig, ind)
        hidden = suppressed and (fig.is_hidden(parts) or is_small(num) or is_small(den))
        if hidden:
            return Tile(ind.key, ind.name, SMALL if is_small(num) or is_small(den) else HIDDEN, "", True)
        text = "–" if not den else f"{100 * num / den:.0f}%"
        return Tile(ind.key, ind.name, text, f"{num}/{den}" if not suppressed else "", False)
    if ind.kind == "median":
        hist = fig.members(ind.median_of, "days")
        n = sum(hist.values())
        total = fig.shown(ind.median_of)
        if suppressed and (is_small(n) or total.hidden):
            return Tile(ind.key, ind.name, SMALL if is_small(n) else HIDDEN, _("too few referrals"), True)
        med = median_from_histogram(hist)
        text = "–" if med is None else (_("%(days)s days") % {"days": f"{med:g}"})
        return Tile(ind.key, ind.name, text, _("%(n)s accepted") % {"n": n})
    shown = fig.shown(ind.key) if suppressed else Shown(fig.value(ind.key))
    hint = _("at the end of the period") if ind.aggregation == "last" else _("in the period")
    return Tile(ind.key, ind.name, shown.text, hint, shown.hidden)


def rate_cells(fig: Figures, ind: Indicator) -> list[Cell]:
    """The stored cells a rate is computed from."""
    if ind.rate_members:
        dim, members = ind.rate_members
        num = [c for m in members for c in fig.cells(ind.rate_of, dim, m)]
    else:
        num = fig.cells(ind.rate_of)
    return num + fig.cells(ind.rate_over)


@dataclass
class Breakdown:
    indicator: Indicator
    dim: str
    name: str
    rows: list[tuple[str, Shown]]
    total: Shown | None
    additive: bool


def breakdown(fig: Figures, ind: Indicator, dim: str, *, suppressed: bool) -> Breakdown:
    dimension = DIMENSIONS[dim]
    labels = dimension.member_labels()
    members = fig.members(ind.key, dim)
    if suppressed:
        rows = [(labels.get(k, k), fig.shown(ind.key, dim, k)) for k in members]
        total = fig.shown(ind.key)
    else:
        rows = [(labels.get(k, k), Shown(v)) for k, v in members.items()]
        total = Shown(fig.value(ind.key))
    return Breakdown(ind, dim, dimension.name, rows, total, dimension.additive)


@dataclass
class Trend:
    indicator: Indicator
    points: list[tuple[dt.date, Shown]]
    total: Shown | None


def trend(fig: Figures, ind: Indicator, *, suppressed: bool) -> Trend:
    if not suppressed:
        series = fig.series(ind.key)
        points = [(m, Shown(v)) for m, v in series]
        total = Shown(sum(v for _m, v in series)) if ind.aggregation == "sum" else None
        return Trend(ind, points, total)
    points = [(m, fig.shown(ind.key, months=[m])) for m in fig.months]
    total = fig.shown_sum(fig.cells(ind.key)) if ind.aggregation == "sum" else None
    return Trend(ind, points, total)


@dataclass
class LeagueRow:
    area: Area
    cells: list[Shown]
    sort_value: int


@dataclass
class League:
    columns: list[Indicator]
    rows: list[LeagueRow]
    other: list[Shown] | None
    total: list[Shown]
    child_level: str


def _children_values(
    user: Any, area: Area, kids: list[Area], first: dt.date, last: dt.date, keys: list[str]
) -> dict[str, Figures]:
    perm = ReportPerm.DASHBOARD
    months = month_range(first, last)
    rows_by_child: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not kids:
        return {}
    level = kids[0].level
    base = Q(month__gte=first, month__lte=last, indicator__in=keys, dim="")
    if level == "province":
        qs = scope_queryset(user, AreaFact.objects.filter(base, level=AreaLevel.PROVINCE), perm)
        rows = qs.values("province_id", "month", "indicator", "dim", "member").annotate(
            v=Sum("value"), h=ANY_HIDDEN
        )
        for r in rows:
            rows_by_child[r["province_id"]].append(r)
    elif level == "regency":
        qs = scope_queryset(
            user,
            AreaFact.objects.filter(base, level=AreaLevel.REGENCY, regency_id__in=[k.code for k in kids]),
            perm,
        )
        for r in qs.values("regency_id", "month", "indicator", "dim", "member").annotate(
            v=Sum("value"), h=ANY_HIDDEN
        ):
            rows_by_child[r["regency_id"]].append(r)
    else:
        unit_qs = scope_queryset(
            user, Fact.objects.filter(base, unit_id__in=[int(k.code) for k in kids]), perm
        )
        for r in unit_qs.values("unit_id", "month", "indicator", "dim", "member").annotate(
            v=Sum("value"), h=ANY_HIDDEN
        ):
            rows_by_child[str(r["unit_id"])].append(r)
    return {k.code: Figures(rows_by_child.get(k.code, []), months) for k in kids}


def league(
    user: Any, area: Area, fig: Figures, first: dt.date, last: dt.date, *, suppressed: bool, sort: str = ""
) -> League | None:
    kids = children(user, area)
    if not kids:
        return None
    columns = [i for i in headline() if i.is_count and not i.village_level]
    keys = [c.key for c in columns]
    per_child = _children_values(user, area, kids, first, last, keys)
    for child in per_child.values():
        child.suppressed = suppressed
    cells: dict[Hashable, Shown] = {}
    has_other = False
    for col in columns:
        total = fig.shown(col.key)
        child_sum = 0
        any_child_hidden = False
        for k in kids:
            shown = per_child[k.code].shown(col.key)
            cells[(k.code, col.key)] = shown
            child_sum += shown.value
            any_child_hidden = any_child_hidden or shown.hidden
        other = total.value - child_sum
        has_other = has_other or other != 0
        # Areas not listed (e.g. villages without a unit): the difference, shown only when it
        # follows from visible cells anyway and is not itself a small count.
        other_value = max(other, 0)
        cells[("_other", col.key)] = Shown(
            other_value,
            suppressed and (total.hidden or any_child_hidden or is_small(other_value)),
            is_small(other_value),
        )
        cells[("_total", col.key)] = total
    sort_key = sort if sort in keys else keys[0]
    rows = [
        LeagueRow(
            k,
            [cells[(k.code, c.key)] for c in columns],
            -1 if cells[(k.code, sort_key)].hidden else cells[(k.code, sort_key)].value,
        )
        for k in kids
    ]
    rows.sort(key=lambda r: (-r.sort_value, r.area.label))
    return League(
        columns,
        rows,
        [cells[("_other", c.key)] for c in columns] if has_other else None,
        [cells[("_total", c.key)] for c in columns],
        kids[0].level,
    )


@dataclass
class TargetRow:
    key: str
    label: str
    target: int
    actual: Shown
    percent: str


def targets(user: Any, area: Area, last: dt.date, *, suppressed: bool) -> tuple[int, list[TargetRow]]:
    year = last.year
    first = dt.date(year, 1, 1)
    keys = ["workplan_targets", *TARGET_ACTUALS.values()]
    fig = figures(user, area, first, last, keys)
    labels = DIMENSIONS["target"].member_labels()
    rows = []
    for target_key, actual_key in TARGET_ACTUALS.items():
        target = fig.data.get((first, "workplan_targets", "target", target_key), 0)
        shown = fig.shown(actual_key) if suppressed else Shown(fig.value(actual_key))
        actual, hidden = shown.value, shown.hidden
        percent = "–" if not target or hidden else f"{100 * actual / target:.0f}%"
        rows.append(TargetRow(target_key, labels.get(target_key, target_key), target, shown, percent))
    return year, rows


@dataclass
class Dashboard:
    area: Area
    first: dt.date
    last: dt.date
    suppressed: bool
    tiles: list[Tile]
    trends: list[Trend]
    breakdowns: list[Breakdown]
    focus: Indicator
    league: League | None
    target_year: int
    targets: list[TargetRow]
    refreshed_at: dt.datetime | None
    children: list[Area] = field(default_factory=list)


FOCUS_DEFAULT = "clients_active"


def default_period() -> tuple[dt.date, dt.date]:
    last = current_month()
    return add_months(last, -11), last


def dashboard(
    user: Any, area: Area, first: dt.date, last: dt.date, *, focus: str = "", sort: str = ""
) -> Dashboard:
    suppressed = suppressed_for(user, area)
    fig = figures(user, area, first, last)
    focus_ind = INDICATOR_MAP.get(focus) or INDICATOR_MAP[FOCUS_DEFAULT]
    if not focus_ind.is_count:
        focus_ind = INDICATOR_MAP[FOCUS_DEFAULT]
    tiles = [tile_for(fig, i, suppressed=suppressed) for i in headline()]
    trends = [
        trend(fig, i, suppressed=suppressed) for i in headline() if i.is_count and i.aggregation == "sum"
    ]
    breakdowns = [
        breakdown(fig, focus_ind, d, suppressed=suppressed) for d in focus_ind.dimensions if d != "days"
    ]
    year, target_rows = targets(user, area, last, suppressed=suppressed)
    return Dashboard(
        area=area,
        first=first,
        last=last,
        suppressed=suppressed,
        tiles=tiles,
        trends=trends,
        breakdowns=breakdowns,
        focus=focus_ind,
        league=league(user, area, fig, first, last, suppressed=suppressed, sort=sort),
        target_year=year,
        targets=target_rows,
        refreshed_at=freshness(),
    )


def indicator_table(user: Any, area: Area, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Every indicator of the catalogue for an area and period (for the API and small exports)."""
    suppressed = suppressed_for(user, area)
    fig = figures(user, area, first, last)
    out = []
    for ind in INDICATOR_MAP.values():
        tile = tile_for(fig, ind, suppressed=suppressed)
        row: dict[str, Any] = {"key": ind.key, "name": ind.name, "kind": ind.kind, "value": tile.text}
        if ind.is_count:
            row["breakdowns"] = {
                d: {label: s.text for label, s in breakdown(fig, ind, d, suppressed=suppressed).rows}
                for d in ind.dimensions
                if d != "days"
            }
        out.append(row)
    return out


# --- Monthly reports -------------------------------------------------------------------------------


def report_list(
    *, user: Any, month: dt.date | None = None, status: str = "", unit_id: int | None = None
) -> QuerySet[MonthlyReport]:
    qs = scope_queryset(user, MonthlyReport.objects.all(), ReportPerm.VIEW)
    if month is not None:
        qs = qs.filter(month=month)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "unit__office", "unit__village").order_by("-month", "unit__name")


def report_get(*, user: Any, pk: Any) -> MonthlyReport:
    return get_scoped_or_404(
        user,
        MonthlyReport.objects.select_related(
            "unit", "unit__office", "unit__village__regency", "submitted_by", "verified_by"
        ),
        ReportPerm.VIEW,
        pk=pk,
    )


def report_events(*, report: MonthlyReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("by").order_by("at", "id")


def units_for_reports(*, user: Any) -> QuerySet[Unit]:
    """Units whose reports the user may see (for the late list and filters)."""
    from pulih.accounts.roles import Perm

    return scope_queryset(user, Unit.objects.all(), Perm.UNITS_VIEW).select_related("office", "village")


@dataclass
class LateUnit:
    unit: Unit
    report: MonthlyReport | None
    due_on: dt.date
    days_late: int


def late_units(*, user: Any, month: dt.date, today: dt.date, office: Office | None = None) -> list[LateUnit]:
    """Active units of the user's area whose report for ``month`` is not submitted by its due date."""
    from pulih.reports.services import due_date

    due = due_date(month)
    units = units_for_reports(user=user).exclude(status__in=["proposed", "inactive"])
    if office is not None:
        units = units.filter(office=office)
    reports = {r.unit_id: r for r in report_list(user=user, month=month)}
    out = []
    for unit in units.order_by("office__name", "name"):
        report = reports.get(unit.pk)
        submitted = report is not None and report.status not in {ReportStatus.DRAFT, ReportStatus.RETURNED}
        if submitted:
            continue
        days_late = (today - (report.due_on if report else due)).days
        if days_late > 0:
            out.append(LateUnit(unit, report, report.due_on if report else due, days_late))
    return out


# --- Exports ---------------------------------------------------------------------------------------


def export_list(*, user: Any) -> QuerySet[ExportJob]:
    return scope_queryset(user, ExportJob.objects.all(), ReportPerm.EXPORT).order_by("-created_at")


def export_get(*, user: Any, pk: Any) -> ExportJob:
    return get_scoped_or_404(user, ExportJob.objects.all(), ReportPerm.EXPORT, pk=pk)
