"""Writing export files in the background: CSV, XLSX (our streaming writer) and PDF.

Every export runs as the user who asked for it: the scope is applied again
when the job runs, and above the unit every count is suppressed exactly as on
the screen. Rows are streamed from the database (``iterator``) straight into
the file, so memory stays flat whatever the size; XLSX sheets roll over at
Excel's row limit, so there is no row cap.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import scope_for, scope_queryset, unit_in_scope, user_can
from pulih.organisations.models import Office, Unit
from pulih.reports.access import ReportPerm
from pulih.reports.areas import Area, resolve_area, suppressed_for
from pulih.reports.catalogue import DIMENSIONS, INDICATOR_MAP
from pulih.reports.models import ExportFormat, ExportJob, ExportKind, ExportStatus, Fact, MonthlyReport
from pulih.reports.months import add_months, current_month, parse_month, start_of
from pulih.reports.pattern import UNSUPPRESSED_INDICATORS as UNSUPPRESSED
from pulih.reports.suppression import HIDDEN, SMALL, Group, Shown, is_small, plain, suppress
from pulih.reports.xlsx import XlsxWriter, clean_text

XLSX_MAX_ROWS = 1_048_576
PROGRESS_EVERY = 2000


def export_dir() -> Path:
    path = Path(getattr(settings, "PULIH_EXPORT_DIR", Path(settings.VAR_DIR) / "exports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Table:
    """One table of an export: a title, a header and a stream of rows."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    estimate: int = 0


@dataclass
class Document:
    title: str
    subtitle: str
    office: Office | None
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Progress:
    def __init__(self, job: ExportJob, total: int) -> None:
        self.job = job
        self.done = 0
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.done % PROGRESS_EVERY < n:
            ExportJob.objects.filter(pk=self.job.pk).update(rows_done=self.done)


# --- Datasets --------------------------------------------------------------------------------


def stored_shown(value: int, hidden: bool, *, hide: bool, indicator: str) -> Shown:
    """A rollup cell as its stored flag (the one pattern of the whole hierarchy) says it may be shown."""
    if not hide or indicator in UNSUPPRESSED:
        return Shown(value)
    hidden = bool(value) and (hidden or is_small(value))
    return Shown(value, hidden, is_small(value))


def stored_text(value: int, hidden: bool, *, hide: bool, indicator: str) -> str:
    """``stored_shown(...).text`` without building the cell: the export's per-row hot path."""
    if hide and value and (hidden or is_small(value)) and indicator not in UNSUPPRESSED:
        return SMALL if is_small(value) else HIDDEN
    return str(value)


class _Labels:
    """Month texts and member labels of an export, looked up once each."""

    def __init__(self) -> None:
        self.months: dict[dt.date, str] = {}
        self.members: dict[tuple[str, str], str] = {}
        self._by_dim: dict[str, dict[str, str]] = {}

    def month(self, month: dt.date) -> str:
        text = self.months.get(month)
        if text is None:
            text = self.months[month] = month.strftime("%Y-%m")
        return text

    def member(self, dim: str, member: str) -> str:
        key = (dim, member)
        label = self.members.get(key)
        if label is None:
            label = self.members[key] = _member_label(dim, member, self._by_dim)
        return label


def _suppressed_block(rows: list[tuple[str, str, int]], hide: bool) -> dict[tuple[str, str], Shown]:
    """Suppress one indicator of one unit-month (or area-month): rows are (dim, member, value)."""
    values: dict[Hashable, int] = {(d, m): v for d, m, v in rows}
    if not hide:
        return {k: s for k, s in plain(values).items()}  # type: ignore[misc]
    groups = []
    total = ("", "")
    by_dim: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d, m, _v in rows:
        if d:
            by_dim[d].append((d, m))
    if total in values:
        for d, members in by_dim.items():
            if DIMENSIONS.get(d) is not None and DIMENSIONS[d].additive:
                groups.append(Group(tuple(members), total))
    return suppress(values, groups)  # type: ignore[return-value]


def _member_label(dim: str, member: str, cache: dict[str, dict[str, str]]) -> str:
    if not dim:
        return ""
    if dim not in cache:
        cache[dim] = DIMENSIONS[dim].member_labels() if dim in DIMENSIONS else {}
    return cache[dim].get(member, member)


def _area_filter(user: Any, area: Area, qs: QuerySet[Fact]) -> QuerySet[Fact]:
    if area.level == "unit":
        return qs.filter(unit_id=int(area.code))
    if area.level == "regency":
        return qs.filter(regency_id=area.code)
    if area.level == "province":
        return qs.filter(province_id=area.code)
    return qs  # national, or the work area (the scope narrows it)


def facts_table(user: Any, params: dict[str, Any]) -> Table:
    area = resolve_area(user, params["level"], params.get("area", ""))
    first = parse_month(params["from"]) or dt.date.today().replace(day=1)
    last = parse_month(params["to"]) or first
    keys = params.get("indicators")
    header = [
        _("Month"),
        _("Province"),
        _("Regency/city"),
        _("IBM unit"),
        _("Indicator key"),
        _("Indicator"),
        _("Breakdown"),
        _("Member"),
        _("Value"),
    ]
    names = {k: i.name for k, i in INDICATOR_MAP.items()}
    dims = {k: d.name for k, d in DIMENSIONS.items()}
    if params.get("by") == "unit":
        qs = _area_filter(user, area, scope_queryset(user, Fact.objects.all(), ReportPerm.DASHBOARD))
        qs = qs.filter(month__gte=first, month__lte=last, unit__isnull=False)
        if keys:
            qs = qs.filter(indicator__in=keys)
        scope = scope_for(user)
        own_unit = scope.unit_id if scope.level == "unit" else None
        units = {
            pk: (name, reg, prov)
            for pk, name, reg, prov in Unit.objects.filter(
                pk__in=qs.values("unit_id").distinct()
            ).values_list("pk", "name", "village__regency__name", "village__province__name")
        }
        ordered = qs.order_by("unit_id", "month", "indicator", "dim", "member").values_list(
            "unit_id", "month", "indicator", "dim", "member", "value", "hidden"
        )

        def unit_rows() -> Iterator[list[Any]]:
            cache = _Labels()
            month_text, member_label = cache.month, cache.member
            no_unit = ("", "", "")
            for unit_id, month, indicator, dim, member, value, hidden in ordered.iterator(chunk_size=5000):
                name, reg, prov = units.get(unit_id, no_unit)
                yield [
                    month_text(month),
                    prov,
                    reg,
                    name,
                    indicator,
                    names.get(indicator, indicator),
                    dims.get(dim, dim),
                    member_label(dim, member),
                    stored_text(value, hidden, hide=unit_id != own_unit, indicator=indicator),
                ]

        return Table(_("Indicator values by unit"), header, unit_rows(), qs.count())

    from pulih.reports.selectors import _province_flags, _rollup_rows

    rows = _rollup_rows(user, area, first, last, keys).order_by("month", "indicator", "dim", "member")
    hide = suppressed_for(user, area)

    province_flags = (
        _province_flags(area, first, last, keys)
        if area.level == "province" and not scope_for(user).is_national
        else None
    )

    def area_rows() -> Iterator[list[Any]]:
        cache = _Labels()
        prov_label = area.label if area.level in {"province", "national"} else ""
        reg_label = area.label if area.level in {"regency", "workarea"} else ""
        unit_label = area.label if area.level == "unit" else ""
        for r in rows.iterator(chunk_size=5000):
            month, indicator, dim, member = r["month"], r["indicator"], r["dim"], r["member"]
            flag = (
                (month, indicator, dim, member) in province_flags
                if province_flags is not None
                else bool(r["h"])
            )
            yield [
                cache.month(month),
                prov_label,
                reg_label,
                unit_label,
                indicator,
                names.get(indicator, indicator),
                dims.get(dim, dim),
                cache.member(dim, member),
                stored_text(int(r["v"] or 0), flag, hide=hide, indicator=indicator),
            ]

    return Table(_("Indicator values") + f" · {area.label}", header, area_rows(), rows.count())


def dashboard_document(user: Any, params: dict[str, Any]) -> Document:
    from pulih.reports.selectors import dashboard

    area = resolve_area(user, params["level"], params.get("area", ""))
    first = parse_month(params["from"]) or dt.date.today().replace(day=1)
    last = parse_month(params["to"]) or first
    board = dashboard(user, area, first, last, focus=params.get("focus", ""))
    office = area.unit.office if area.unit is not None else getattr(user, "office", None)
    doc = Document(
        _("Dashboard") + f": {area.label}",
        _("Period %(first)s – %(last)s") % {"first": f"{first:%m/%Y}", "last": f"{last:%m/%Y}"},
        office,
    )
    doc.tables.append(
        Table(
            _("Headline figures"),
            [_("Indicator"), _("Value"), _("Note")],
            [[t.label, t.text, t.hint] for t in board.tiles],
        )
    )
    if board.trends:
        months = [p[0] for p in board.trends[0].points]
        doc.tables.append(
            Table(
                _("Monthly trends"),
                [_("Indicator")] + [f"{m:%m/%y}" for m in months] + [_("Total")],
                [
                    [t.indicator.name] + [s.text for _m, s in t.points] + [t.total.text if t.total else ""]
                    for t in board.trends
                ],
            )
        )
    for b in board.breakdowns:
        doc.tables.append(
            Table(
                f"{b.indicator.name} — {b.name}",
                [b.name, _("Value")],
                [[label, s.text] for label, s in b.rows] + ([[_("Total"), b.total.text]] if b.total else []),
            )
        )
    if board.league:
        lg = board.league
        rows = [[r.area.label] + [c.text for c in r.cells] for r in lg.rows]
        if lg.other:
            rows.append([_("Not attributed to a listed area")] + [c.text for c in lg.other])
        rows.append([_("Total")] + [c.text for c in lg.total])
        doc.tables.append(Table(_("League table"), [_("Area")] + [c.name for c in lg.columns], rows))
    doc.tables.append(
        Table(
            _("Work-plan targets %(year)s") % {"year": board.target_year},
            [_("Target"), pgettext("work plan", "Planned"), _("Achieved"), _("Achievement")],
            [[t.label, t.target, t.actual.text, t.percent] for t in board.targets],
        )
    )
    if board.refreshed_at:
        doc.notes.append(
            _("Figures as of %(time)s.")
            % {"time": timezone.localtime(board.refreshed_at).strftime("%d/%m/%Y %H:%M")}
        )
    if board.suppressed:
        doc.notes.append(
            _(
                "Counts from 1 to 4 are shown as <5; × marks a cell hidden so that they cannot be worked out from totals."  # noqa: E501
            )
        )
    return doc


def report_suppressed(user: Any, report: MonthlyReport) -> bool:
    """A unit's report is shown in full to the unit and to supervisors who may read its clients."""
    scope = scope_for(user)
    if scope.level == "unit" and scope.unit_id == report.unit_id:
        return False
    return not (user_can(user, Perm.CLIENTS_VIEW) and unit_in_scope(user, report.unit))


def report_rows(report: MonthlyReport, *, hide: bool) -> list[list[Any]]:
    """The figures of a monthly report; hidden for readers outside the unit.

    The unit's cells are also on the regency page and in the regency's league
    table, so a cell the stored pattern hides there is hidden here as well
    (and so is a figure that no longer matches the rollup, whose flag cannot
    vouch for it); the table is then suppressed on its own on top of that.
    """
    labels: dict[str, dict[str, str]] = {}
    rows: list[list[Any]] = []
    stored: dict[tuple[str, str, str], tuple[int, bool]] = {}
    if hide:
        stored = {
            (i, d, m): (v, h)
            for i, d, m, v, h in Fact.objects.filter(unit_id=report.unit_id, month=report.month).values_list(
                "indicator", "dim", "member", "value", "hidden"
            )
        }
    for key, ind in INDICATOR_MAP.items():
        block_map = report.figures.get(key)
        if not block_map:
            continue
        block = [(dim, member, int(v)) for dim, members in block_map.items() for member, v in members.items()]
        block.sort(key=lambda r: (r[0] != "", r[0], r[1]))
        shown = _suppressed_block(block, hide=hide)
        for dim, member, v in block:
            cell = shown[(dim, member)]
            if hide and v and key not in UNSUPPRESSED and not cell.hidden:
                value, flag = stored.get((key, dim, member), (None, True))
                if flag or value != v:
                    cell = Shown(v, True, is_small(v))
            rows.append(
                [
                    ind.name,
                    DIMENSIONS[dim].name if dim in DIMENSIONS else "",
                    _member_label(dim, member, labels),
                    cell.text,
                ]
            )
    return rows


def report_document(user: Any, params: dict[str, Any]) -> Document:
    from pulih.reports.selectors import report_get

    report = report_get(user=user, pk=params["report"])
    doc = Document(
        _("Monthly report (laporan bulanan)") + f": {report.unit.name}",
        f"{report.month:%m/%Y} · {report.get_status_display()}",
        report.unit.office,
    )
    doc.notes += [
        _("Village: %(village)s") % {"village": report.unit.village.label},
        _("Due date: %(date)s") % {"date": f"{report.due_on:%d/%m/%Y}"},
    ]
    for title, text in (
        (_("Narrative"), report.narrative),
        (_("Challenges and support needed"), report.challenges),
        (_("Plans for next month"), report.plans_next_month),
    ):
        if text:
            doc.tables.append(Table(title, [title], [[text]]))
    doc.tables.append(
        Table(
            _("Figures of the month"),
            [_("Indicator"), _("Breakdown"), _("Member"), _("Value")],
            report_rows(report, hide=report_suppressed(user, report)),
        )
    )
    return doc


def recap_table(user: Any, params: dict[str, Any]) -> Table:
    """The Perka BNN 4/2015-style monthly client recap of ONE unit: codes, never names."""
    from pulih.clients.models import Episode, SessionAttendance
    from pulih.reports.compute import ScreeningHistory

    unit_id = int(params["unit"])
    if not (user_can(user, ReportPerm.RECAP) and getattr(user, "unit_id", None) == unit_id):
        raise PermissionError("recap")
    month = parse_month(params["month"]) or dt.date.today().replace(day=1)
    start, end = start_of(month), start_of(add_months(month, 1))
    episodes = list(
        Episode.objects.filter(opened_at__lt=end, opened_by__unit_id=unit_id)
        .exclude(closed_at__lt=start)
        .select_related("client")
        .order_by("client__code", "-number")
    )
    history = ScreeningHistory((e.client_id for e in episodes), end)
    from pulih.screening.models import Screening

    injecting = dict(
        Screening.objects.filter(
            client_id__in=[e.client_id for e in episodes], status="completed", completed_at__lt=end
        )
        .order_by("client_id", "completed_at")
        .values_list("client_id", "injecting")
    )
    services: dict[Any, set[str]] = defaultdict(set)
    for client_id, kind in SessionAttendance.objects.filter(
        session__unit_id=unit_id, session__held_on__gte=month, session__held_on__lt=add_months(month, 1)
    ).values_list("client_id", "session__kind"):
        services[client_id].add(kind)
    kinds = DIMENSIONS["kind"].member_labels()
    risks = DIMENSIONS["risk"].member_labels()
    subs = DIMENSIONS["substance"].member_labels()
    header = [
        _("No."),
        _("Client code"),
        _("Sex"),
        _("Age"),
        _("Substance"),
        _("Route"),
        _("Risk level"),
        _("Services this month"),
        _("Episode status"),
    ]

    def rows() -> Iterator[list[Any]]:
        seen = set()
        n = 0
        for e in episodes:
            if e.client_id in seen:
                continue
            seen.add(e.client_id)
            n += 1
            c = e.client
            risk, substances = history.at(c.pk, end)
            inj = injecting.get(c.pk, "")
            age = str(month.year - c.birth_year) if c.birth_year else (c.age_band or "")
            route = (
                _("injecting")
                if inj in {"recent", "earlier"}
                else (_("not injecting") if inj else _("unknown"))
            )
            yield [
                n,
                c.code,
                c.get_sex_display(),
                age,
                ", ".join(subs.get(s, s) for s in substances) or "–",
                route,
                risks.get(risk, risk),
                ", ".join(str(kinds.get(k, k)) for k in sorted(services.get(c.pk, ()))) or "–",
                e.get_status_display(),
            ]

    return Table(_("Monthly client recap"), header, rows(), len(episodes))


# --- Writers ---------------------------------------------------------------------------------------


def write_csv(path: Path, doc: Document, progress: Progress) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        multiple = len(doc.tables) > 1
        for table in doc.tables:
            if multiple:
                writer.writerow([table.title])
            writer.writerow(table.header)
            for row in table.rows:
                writer.writerow(row)
                progress.tick()
            if multiple:
                writer.writerow([])


def write_xlsx(path: Path, doc: Document, progress: Progress) -> None:
    """One worksheet per table (rolled over at Excel's row limit), streamed by :mod:`pulih.reports.xlsx`."""
    with XlsxWriter(path, title=doc.title) as book:
        for t_index, table in enumerate(doc.tables):
            sheet_no = 1
            base = _sheet_title(table.title, t_index)
            sheet = book.sheet(base, header=table.header)
            rows_in_sheet = 1
            append = sheet.append
            for row in table.rows:
                if rows_in_sheet >= XLSX_MAX_ROWS:
                    sheet_no += 1
                    sheet = book.sheet(_sheet_title(table.title, t_index, part=sheet_no), header=table.header)
                    append = sheet.append
                    rows_in_sheet = 1
                append(row)
                rows_in_sheet += 1
                progress.tick()


def _sheet_title(title: str, index: int, *, part: int = 1) -> str:
    """``"<n> <title>"`` (``"<n> <title> (<part>)"`` past the first sheet) within Excel's 31 characters."""
    clean = clean_text("".join(ch for ch in title if ch not in "[]:*?/\\"))
    suffix = f" ({part})" if part > 1 else ""
    return (f"{index + 1} {clean}")[: 31 - len(suffix)].rstrip("' ") + suffix


def write_pdf(path: Path, doc: Document, progress: Progress) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    wide = any(len(t.header) > 6 for t in doc.tables)
    pagesize = landscape(A4) if wide else A4
    story: list[Any] = []
    office = doc.office
    if office is not None:
        story.append(Paragraph(f"<b>{escape(office.name.upper())}</b>", styles["Title"]))
        for line in (office.letterhead, office.address, office.phone):
            if line:
                story.append(Paragraph(escape(line), styles["Normal"]))
        story.append(HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=4, spaceAfter=8))
    story.append(Paragraph(escape(doc.title), styles["Heading1"]))
    story.append(Paragraph(escape(doc.subtitle), styles["Normal"]))
    for note in doc.notes:
        story.append(Paragraph(escape(note), small))
    for table in doc.tables:
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(escape(table.title), styles["Heading3"]))
        data = [[Paragraph(f"<b>{escape(str(h))}</b>", small) for h in table.header]]
        for row in table.rows:
            data.append([Paragraph(escape(str(cell)), small) for cell in row])
            progress.tick()
        lt = LongTable(data, repeatRows=1, hAlign="LEFT")
        lt.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5f2ee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(lt)
    story.append(Spacer(1, 8 * mm))
    story.append(
        Paragraph(
            escape(
                _("Printed by Pulih on %(time)s") % {"time": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
            ),
            small,
        )
    )
    SimpleDocTemplate(
        str(path), pagesize=pagesize, title=doc.title, leftMargin=15 * mm, rightMargin=15 * mm
    ).build(story)


WRITERS: dict[str, Callable[[Path, Document, Progress], None]] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.XLSX: write_xlsx,
    ExportFormat.PDF: write_pdf,
}


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def reports_table(user: Any, params: dict[str, Any]) -> Table:
    """The monthly reports the user may read (the report list page as a table)."""
    from pulih.reports.selectors import report_list

    month = parse_month(params.get("month") or None)
    qs = report_list(user=user, month=month, status=str(params.get("status") or ""))
    header = [_("IBM unit"), _("Supervising office"), _("Month"), _("Status"), _("Due"), _("Submitted"), _("Verified")]

    def rows() -> Iterator[list[Any]]:
        for r in qs.iterator(chunk_size=500):
            yield [
                r.unit.name, r.unit.office.name, f"{r.month:%Y-%m}", r.get_status_display(),
                _date(r.due_on), _date(r.submitted_at), _date(r.verified_at),
            ]  # fmt: skip

    return Table(_("Monthly reports"), header, rows(), qs.count())


def late_table(user: Any, params: dict[str, Any]) -> Table:
    """The units of the user's area whose report of the month is late (the late list page as a table)."""
    from pulih.reports.selectors import late_units

    if scope_for(user).level == "unit":
        raise PermissionError("late")
    month = parse_month(params.get("month")) or add_months(current_month(), -1)
    office = None
    if str(params.get("office") or "").isdigit():
        office = Office.objects.filter(pk=int(params["office"])).first()
    late = late_units(user=user, month=month, today=timezone.localdate(), office=office)
    header = [_("IBM unit"), _("Supervising office"), _("Status"), _("Due"), _("Days late")]
    rows = [
        [row.unit.name, row.unit.office.name, row.report.get_status_display() if row.report else _("Not started"),
         _date(row.due_on), row.days_late]
        for row in late
    ]  # fmt: skip
    return Table(_("Late monthly reports"), header, rows, len(rows))


def build_document(job: ExportJob) -> Document:
    user = job.requested_by
    if job.kind == ExportKind.FACTS:
        table = facts_table(user, job.params)
        return Document(job.title, "", getattr(user, "office", None), [table])
    if job.kind == ExportKind.DASHBOARD:
        return dashboard_document(user, job.params)
    if job.kind == ExportKind.REPORT:
        return report_document(user, job.params)
    if job.kind == ExportKind.RECAP:
        unit = Unit.objects.select_related("office").get(pk=int(job.params["unit"]))
        return Document(job.title, job.params["month"], unit.office, [recap_table(user, job.params)])
    if job.kind == ExportKind.REPORTS:
        return Document(job.title, "", getattr(user, "office", None), [reports_table(user, job.params)])
    if job.kind == ExportKind.LATE:
        return Document(job.title, job.params["month"], getattr(user, "office", None), [late_table(user, job.params)])
    raise ValueError(job.kind)


def export_run(job_id: str) -> str:
    """Write one export's file (the background job)."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job.status
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), error=""
    )
    ext = job.format
    name = f"{job.pk}.{ext}"
    path = export_dir() / name
    tmp = path.with_suffix(f".{ext}.part")
    try:
        with translation.override(getattr(job.requested_by, "language", None) or settings.LANGUAGE_CODE):
            doc = build_document(job)
            progress = Progress(job, sum(t.estimate for t in doc.tables) or sum(1 for _t in doc.tables))
            WRITERS[job.format](tmp, doc, progress)
        os.replace(tmp, path)
    except Exception as exc:
        if tmp.exists():
            tmp.unlink()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:500]
        )
        return ExportStatus.FAILED
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
        file_name=name,
        file_size=path.stat().st_size,
        rows_done=progress.done,
        rows_total=max(progress.done, 1),
    )
    return ExportStatus.DONE


def export_path(job: ExportJob) -> Path | None:
    if job.status != ExportStatus.DONE or not job.file_name:
        return None
    path = export_dir() / job.file_name
    return path if path.exists() else None


CONTENT_TYPES: dict[str, str] = {
    ExportFormat.CSV: "text/csv",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
