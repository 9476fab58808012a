"""Keeping the rollup tables up to date (run by background jobs only).

* :func:`refresh_incremental` — every few minutes: the units touched since
  the last run (read from the audit trail, which every write goes through)
  get their recent months recomputed; their regencies, provinces and the
  nation are summed again. A new month, or a first run, triggers a full
  rebuild.
* :func:`rebuild_all` — nightly and on demand: every unit, the last
  ``PULIH_REPORTS_HISTORY_MONTHS`` months (default 24).
* :func:`refresh_units` — on demand for given units and months (also used
  when a monthly report is compiled).

Facts are replaced per (unit, month) inside one transaction, so readers see
either the old or the new figures, never a half-written month. After the
areas are summed, :func:`write_pattern` computes one small-count suppression
pattern per month over the whole hierarchy (:mod:`pulih.reports.pattern`) and
stores it in the ``hidden`` flag of every rollup row; rows are written hidden
and only the pattern makes them visible, so a reader between the two steps
sees too little, never too much.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from pulih.audit.codes import read_only_codes
from pulih.audit.models import AuditEvent
from pulih.organisations.models import Office, Unit
from pulih.reports.catalogue import DIMENSIONS
from pulih.reports.compute import compute_units, compute_villages
from pulih.reports.models import AreaFact, AreaLevel, Fact, PatternCache, RefreshState
from pulih.reports.months import add_months, current_month
from pulih.reports.pattern import UNSUPPRESSED_INDICATORS, fingerprint, pack, protect_many, unpack

BATCH_UNITS = 100
WRITE_BATCH = 5000


def history_months() -> int:
    return int(getattr(settings, "PULIH_REPORTS_HISTORY_MONTHS", 24))


def recent_months() -> int:
    return int(getattr(settings, "PULIH_REPORTS_REFRESH_MONTHS", 3))


def last_months(n: int, until: dt.date | None = None) -> list[dt.date]:
    end = until or current_month()
    return [add_months(end, -i) for i in range(n - 1, -1, -1)]


def state() -> RefreshState:
    obj, _created = RefreshState.objects.get_or_create(name="facts")
    return obj


def _province_of(regency: str) -> str:
    return regency.split(".")[0]


def write_unit_facts(unit_ids: Sequence[int], months: Sequence[dt.date]) -> set[str]:
    """Recompute and replace the facts of these units and months; returns their regencies."""
    geo = {
        pk: (regency, province)
        for pk, regency, province in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "village__regency_id", "village__province_id"
        )
    }
    acc = compute_units(list(geo), months)
    rows = []
    for (unit, month, indicator, dim, member), value in acc.items():
        if unit not in geo or not value:
            continue
        regency, province = geo[unit]
        rows.append(
            Fact(
                unit_id=unit,
                month=month,
                regency_id=regency,
                province_id=province,
                indicator=indicator,
                dim=dim,
                member=member[:40],
                value=value,
            )
        )
    with transaction.atomic():
        Fact.objects.filter(unit_id__in=list(geo), month__in=list(months)).delete()
        Fact.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return {g[0] for g in geo.values()}


def write_village_facts(months: Sequence[dt.date], regencies: Iterable[str] | None = None) -> set[str]:
    regency_list = sorted(set(regencies)) if regencies is not None else None
    acc = compute_villages(months, regency_list)
    rows = [
        Fact(
            unit=None,
            month=month,
            regency_id=regency,
            province_id=_province_of(regency),
            indicator=indicator,
            dim=dim,
            member=member[:40],
            value=value,
        )
        for (regency, month, indicator, dim, member), value in acc.items()
        if value
    ]
    with transaction.atomic():
        old = Fact.objects.filter(unit__isnull=True, month__in=list(months))
        if regency_list is not None:
            old = old.filter(regency_id__in=regency_list)
        old.delete()
        Fact.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return {r[0] for r in acc}


def write_area_facts(months: Sequence[dt.date], regencies: Iterable[str] | None = None) -> None:
    """Sum the facts of these regencies (all when None) up to regency, province and nation."""
    regency_list = sorted(set(regencies)) if regencies is not None else None
    provinces = sorted({_province_of(r) for r in regency_list}) if regency_list is not None else None
    cell = ("month", "indicator", "dim", "member")
    for month in months:
        with transaction.atomic():
            # Regencies, from the unit and village facts.
            source = Fact.objects.filter(month=month)
            old = AreaFact.objects.filter(level=AreaLevel.REGENCY, month=month)
            if regency_list is not None:
                source = source.filter(regency_id__in=regency_list)
                old = old.filter(regency_id__in=regency_list)
            old.delete()
            batch: list[AreaFact] = []
            for row in source.values("regency_id", "province_id", *cell).annotate(v=Sum("value")).iterator():
                batch.append(
                    AreaFact(
                        level=AreaLevel.REGENCY,
                        regency_id=row["regency_id"],
                        province_id=row["province_id"],
                        month=month,
                        indicator=row["indicator"],
                        dim=row["dim"],
                        member=row["member"],
                        value=row["v"],
                    )
                )
                if len(batch) >= WRITE_BATCH:
                    AreaFact.objects.bulk_create(batch)
                    batch = []
            AreaFact.objects.bulk_create(batch)
            # Provinces, from the regency rollups.
            reg = AreaFact.objects.filter(level=AreaLevel.REGENCY, month=month)
            oldp = AreaFact.objects.filter(level=AreaLevel.PROVINCE, month=month)
            if provinces is not None:
                reg = reg.filter(province_id__in=provinces)
                oldp = oldp.filter(province_id__in=provinces)
            oldp.delete()
            AreaFact.objects.bulk_create(
                [
                    AreaFact(
                        level=AreaLevel.PROVINCE,
                        province_id=row["province_id"],
                        month=month,
                        indicator=row["indicator"],
                        dim=row["dim"],
                        member=row["member"],
                        value=row["v"],
                    )
                    for row in reg.values("province_id", *cell).annotate(v=Sum("value")).iterator()
                ],
                batch_size=WRITE_BATCH,
            )
            # The nation, from the province rollups.
            AreaFact.objects.filter(level=AreaLevel.NATIONAL, month=month).delete()
            AreaFact.objects.bulk_create(
                [
                    AreaFact(
                        level=AreaLevel.NATIONAL,
                        month=month,
                        indicator=row["indicator"],
                        dim=row["dim"],
                        member=row["member"],
                        value=row["v"],
                    )
                    for row in AreaFact.objects.filter(level=AreaLevel.PROVINCE, month=month)
                    .values(*cell)
                    .annotate(v=Sum("value"))
                    .iterator()
                ],
                batch_size=WRITE_BATCH,
            )


_ADDITIVE = frozenset(name for name, dim in DIMENSIONS.items() if dim.additive)
# Below this many cells in a month the pattern is solved in this process (starting
# interpreters would cost more than it saves; the tests' months are all below it).
PATTERN_PARALLEL_CELLS = 20_000


def pattern_processes() -> int:
    """Processes for the pattern of a large month (``PULIH_PATTERN_PROCESSES``, default: the CPUs)."""
    configured = int(getattr(settings, "PULIH_PATTERN_PROCESSES", 0))
    return configured if configured > 0 else max(1, os.cpu_count() or 1)


def write_pattern(months: Sequence[dt.date]) -> int:
    """Compute and store the suppression pattern of these months over the whole hierarchy.

    The pattern of a month depends on every area of the month (a cell hidden
    in one regency can make a cell of another one, or of the province,
    hidden), so it is always computed for the whole nation. Each indicator is
    a problem of its own: one whose cells did not change since the last time
    (same fingerprint, :class:`~pulih.reports.models.PatternCache`) gets its
    stored pattern, the others are solved, in several processes when the
    month is large (:func:`pattern_processes`). Returns the number of hidden
    cells.
    """
    hidden_total = 0
    for month in sorted(set(months)):
        with transaction.atomic():
            # node, dim, member, value, (model, pk) per indicator
            cells: dict[str, dict[Any, int]] = defaultdict(dict)
            rows: dict[str, dict[Any, tuple[str, int]]] = defaultdict(dict)
            hidden_now: dict[str, set[int]] = {"f": set(), "a": set()}  # rows flagged now
            node: Any
            parent: dict[Any, Any] = {"N": None}
            for fpk, unit, regency, province, indicator, dim, member, value, was_hidden in (
                Fact.objects.select_for_update()
                .filter(month=month)
                .values_list(
                    "pk", "unit_id", "regency_id", "province_id", "indicator", "dim", "member", "value", "hidden"
                )
                .iterator(chunk_size=WRITE_BATCH)
            ):
                node = ("U", unit) if unit is not None else ("V", regency)
                parent[node] = ("R", regency)
                parent.setdefault(("R", regency), ("P", province))
                parent.setdefault(("P", province), "N")
                cells[indicator][(node, dim, member)] = value
                rows[indicator][(node, dim, member)] = ("f", fpk)
                if was_hidden:
                    hidden_now["f"].add(fpk)
            for apk, level, regency, province, indicator, dim, member, value, was_hidden in (
                AreaFact.objects.select_for_update()
                .filter(month=month)
                .values_list(
                    "pk", "level", "regency_id", "province_id", "indicator", "dim", "member", "value", "hidden"
                )
                .iterator(chunk_size=WRITE_BATCH)
            ):
                if level == AreaLevel.REGENCY:
                    node = ("R", regency)
                    parent.setdefault(node, ("P", province))
                    parent.setdefault(("P", province), "N")
                elif level == AreaLevel.PROVINCE:
                    node = ("P", province)
                    parent.setdefault(node, "N")
                else:
                    node = "N"
                cells[indicator][(node, dim, member)] = value
                rows[indicator][(node, dim, member)] = ("a", apk)
                if was_hidden:
                    hidden_now["a"].add(apk)
            hide: dict[str, list[int]] = {"f": [], "a": []}
            # An indicator-month whose cells did not change since its pattern was
            # computed gets the stored pattern; the others are solved.
            stored = {p.indicator: p for p in PatternCache.objects.filter(month=month)}
            patterns: dict[str, set[Any]] = {}
            todo: list[tuple[str, dict[Any, int]]] = []
            digests: dict[str, tuple[str, list[Any]]] = {}
            for indicator, values in cells.items():
                if indicator in UNSUPPRESSED_INDICATORS:
                    continue
                nonzero = {k: v for k, v in values.items() if v}
                digest, order = digests[indicator] = fingerprint(nonzero, parent, _ADDITIVE)
                previous = stored.get(indicator)
                if previous is not None and previous.fingerprint == digest:
                    patterns[indicator] = unpack(order, bytes(previous.hidden))
                else:
                    todo.append((indicator, nonzero))
            size = sum(len(values) for _indicator, values in todo)
            processes = pattern_processes() if size >= PATTERN_PARALLEL_CELLS else 1
            solved = protect_many(todo, parent, _ADDITIVE, processes=processes)
            for indicator, hidden in solved.items():
                digest, order = digests[indicator]
                PatternCache.objects.update_or_create(
                    month=month, indicator=indicator, defaults={"fingerprint": digest, "hidden": pack(order, hidden)}
                )
            patterns.update(solved)
            for indicator, hidden in patterns.items():
                for key in hidden:
                    model, row_pk = rows[indicator][key]
                    hide[model].append(row_pk)
            # Only the rows whose flag changes are written (``hidden_now`` holds the
            # hidden ones): an unchanged month costs no writes.
            for model, pks in (("f", hide["f"]), ("a", hide["a"])):
                manager = Fact.objects if model == "f" else AreaFact.objects
                keep = set(pks)
                to_hide = sorted(pk for pk in keep if pk not in hidden_now[model])
                to_show = sorted(hidden_now[model] - keep)
                for flag, changed in ((True, to_hide), (False, to_show)):
                    for i in range(0, len(changed), WRITE_BATCH):
                        manager.filter(pk__in=changed[i : i + WRITE_BATCH]).update(hidden=flag)
            hidden_total += len(hide["f"]) + len(hide["a"])
    return hidden_total


@dataclass(frozen=True)
class RefreshResult:
    units: int
    months: int
    full: bool
    duration_ms: int


def refresh_units(unit_ids: Sequence[int], months: Sequence[dt.date], *, villages: bool = False) -> RefreshResult:
    """Recompute the given units and months and the areas above them."""
    started = time.monotonic()
    months = sorted(set(months))
    regencies: set[str] = set()
    ids = sorted(set(unit_ids))
    for i in range(0, len(ids), BATCH_UNITS):
        regencies |= write_unit_facts(ids[i : i + BATCH_UNITS], months)
    if villages:
        regencies |= write_village_facts(months, regencies or None)
    if regencies:
        write_area_facts(months, regencies)
        write_pattern(months)
    return RefreshResult(len(ids), len(months), False, int((time.monotonic() - started) * 1000))


def _analyze_rollups() -> None:
    """Refresh the planner's statistics of the rollup tables after a full rebuild.

    Measured on the national set: right after a rebuild, before autovacuum had
    analysed the new rows, the province dashboard's per-regency query was planned
    for one row and scanned every regency row of the year (145 ms); with
    statistics it uses the regency index (30 ms).
    """
    with connection.cursor() as cursor:
        for model in (Fact, AreaFact):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rebuild_all(months: Sequence[dt.date] | None = None) -> RefreshResult:
    """Recompute every unit, every village fact and every area for the history window."""
    started = time.monotonic()
    months = sorted(set(months or last_months(history_months())))
    watermark = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), BATCH_UNITS):
        write_unit_facts(ids[i : i + BATCH_UNITS], months)
    write_village_facts(months)
    # Units deleted since: their facts go with them (CASCADE); areas are summed again.
    write_area_facts(months)
    write_pattern(months)
    _analyze_rollups()
    now = timezone.now()
    duration = int((time.monotonic() - started) * 1000)
    RefreshState.objects.update_or_create(
        name="facts",
        defaults={
            "audit_watermark": watermark,
            "refreshed_at": now,
            "full_rebuild_at": now,
            "last_duration_ms": duration,
            "last_units": len(ids),
        },
    )
    return RefreshResult(len(ids), len(months), True, duration)


# Audit code ranges whose events may change village-level facts or unit status.
_VILLAGE_CODES = (600, 699)
_UNIT_CODES = (300, 399)


def _dirty_since(watermark: int) -> tuple[int, set[int], set[str], bool]:
    """Units and regencies touched by audited writes after ``watermark``.

    Events that only read (``READS`` of each app's audit codes: a client record
    opened, a list shown, a restore delivered) are skipped: on a busy day they
    are most of the trail, and recomputing the units they name changed nothing.
    """
    all_events = AuditEvent.objects.filter(id__gt=watermark)
    top = all_events.aggregate(m=Max("id"))["m"]
    if top is None:
        return watermark, set(), set(), False
    events = all_events.exclude(action__in=sorted(read_only_codes()))
    units = {u for u in events.filter(unit_id__isnull=False).values_list("unit_id", flat=True).distinct()}
    regencies: set[str] = set()
    villages = events.filter(action__gte=_VILLAGE_CODES[0], action__lte=_VILLAGE_CODES[1]).exists()
    office_ids = set(
        events.filter(unit_id__isnull=True, office_id__isnull=False)
        .filter(action__gte=_UNIT_CODES[0], action__lte=_VILLAGE_CODES[1])
        .values_list("office_id", flat=True)
        .distinct()
    )
    for office in Office.objects.filter(pk__in=office_ids):
        if office.is_national:
            regencies = set(Unit.objects.values_list("village__regency_id", flat=True))
            break
        regencies |= set(office.work_area.values_list("code", flat=True))
    if regencies:
        units |= set(Unit.objects.filter(village__regency_id__in=regencies).values_list("pk", flat=True))
    regencies |= set(Unit.objects.filter(pk__in=units).values_list("village__regency_id", flat=True))
    return int(top or 0), {int(u) for u in units if u is not None}, regencies, villages


def refresh_incremental() -> RefreshResult:
    """Bring the rollups up to date with what was written since the last run."""
    current = state()
    if current.full_rebuild_at is None or current.full_rebuild_at < _month_start_aware():
        return rebuild_all()
    started = time.monotonic()
    top, units, regencies, villages = _dirty_since(current.audit_watermark)
    months = last_months(recent_months())
    ids = sorted(Unit.objects.filter(pk__in=units).values_list("pk", flat=True))
    for i in range(0, len(ids), BATCH_UNITS):
        write_unit_facts(ids[i : i + BATCH_UNITS], months)
    if villages:
        regencies |= write_village_facts(months, regencies or None) if regencies else write_village_facts(months)
    if regencies or villages:
        write_area_facts(months, regencies or None)
        write_pattern(months)
    duration = int((time.monotonic() - started) * 1000)
    RefreshState.objects.filter(pk=current.pk).update(
        audit_watermark=top, refreshed_at=timezone.now(), last_duration_ms=duration, last_units=len(ids)
    )
    return RefreshResult(len(ids), len(months), False, duration)


def _month_start_aware() -> dt.datetime:
    from pulih.reports.months import start_of

    return start_of(current_month())


def freshness() -> dt.datetime | None:
    return RefreshState.objects.filter(name="facts").values_list("refreshed_at", flat=True).first()


def fresh_unit_figures(unit_id: int, month: dt.date) -> dict[str, dict[str, dict[str, int]]] | None:
    """The unit's month from its facts, when they are known to equal a live compile; else None.

    The facts are ``compute_units`` output, so they equal a live compile when
    (1) the month is one the periodic refresh recomputes (the recent months;
    an older month may miss a back-dated entry until the monthly rebuild),
    (2) a refresh has run since the last full rebuild of this month's window,
    and (3) no audited write since the refresh's watermark touches the unit
    (``_dirty_since``: the unit's own writes and office-level ones over its
    area; audit events are appended under one lock, so ids follow commit order
    and the watermark leaves no gap).
    """
    current = RefreshState.objects.filter(name="facts").first()
    if current is None or current.refreshed_at is None or current.full_rebuild_at is None:
        return None
    if current.full_rebuild_at < _month_start_aware() or month not in last_months(recent_months()):
        return None
    _top, dirty_units, _regencies, _villages = _dirty_since(current.audit_watermark)
    if unit_id in dirty_units:
        return None
    figures: dict[str, dict[str, dict[str, int]]] = {}
    rows = Fact.objects.filter(unit_id=unit_id, month=month).order_by("indicator", "dim", "member")
    for indicator, dim, member, value in rows.values_list("indicator", "dim", "member", "value"):
        figures.setdefault(indicator, {}).setdefault(dim, {})[member] = int(value)
    return figures
