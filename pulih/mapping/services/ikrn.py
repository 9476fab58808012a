"""Writes for IKRN: recording, importing (a background job) and the rule.

Import contract: every row is checked first; if any row is bad, nothing is
written and the job keeps the list of errors. Otherwise all rows are written
in one transaction. A file is the data set of its years for the uploader's
work area: re-importing a year replaces every record of that year in the
uploader's work area (the whole country for national staff), including
villages the new file no longer lists; records outside the work area are
never touched. The replaced values go into the audit event.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import regency_in_scope, require, scope_for, user_can
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, NotAllowed
from pulih.mapping import ikrn_files
from pulih.mapping.access import MappingPerm
from pulih.mapping.audit_codes import MappingAction
from pulih.mapping.classification import Threshold, classify, current_rule
from pulih.mapping.indicators import MAIN_INDICATORS, SUPPORTING_INDICATORS
from pulih.mapping.models import (
    CategorySource,
    IkrnAssessment,
    IkrnCategory,
    IkrnImport,
    IkrnImportStatus,
    IkrnThreshold,
    ProvinceProneFigure,
)
from pulih.mapping.models.ikrn import CATEGORY_ORDER
from pulih.regions.models import Province, Village

log = logging.getLogger(__name__)

INDICATOR_FIELDS = [f for f, _c, _l in MAIN_INDICATORS + SUPPORTING_INDICATORS]
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class IkrnData:
    year: int
    source: str
    category: str = ""
    drug_prone: bool | None = None
    indicators: dict[str, bool | None] = field(default_factory=dict)
    respondents_residents: int | None = None
    respondents_village_head: int | None = None
    respondents_law_enforcement: int | None = None
    note: str = ""


def _build(village: Village, data: IkrnData, rule: list[Threshold]) -> IkrnAssessment:
    if data.category and data.category not in IkrnCategory.values:
        raise DomainError(_("Unknown IKRN category."), field="category")
    category, source = data.category, CategorySource.RECORDED if data.category else CategorySource.NONE
    if not category:
        category = classify(data.indicators, rule)
        source = CategorySource.DERIVED if category else CategorySource.NONE
    record = IkrnAssessment(
        village=village,
        year=data.year,
        category=category,
        category_source=source,
        drug_prone=data.drug_prone,
        respondents_residents=data.respondents_residents,
        respondents_village_head=data.respondents_village_head,
        respondents_law_enforcement=data.respondents_law_enforcement,
        source=data.source.strip(),
        note=data.note.strip(),
    )
    for name in INDICATOR_FIELDS:
        setattr(record, name, data.indicators.get(name))
    return record


def _snapshot(record: IkrnAssessment) -> dict[str, Any]:
    return {
        "village": record.village_id,
        "year": record.year,
        "category": record.category,
        "category_source": record.category_source,
        "drug_prone": record.drug_prone,
        "source": record.source,
        **{name: getattr(record, name) for name in INDICATOR_FIELDS},
    }


@transaction.atomic
def ikrn_record(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    village: Village,
    data: IkrnData,
    is_demo: bool = False,
) -> IkrnAssessment:
    """Record one village's IKRN result for a year (replacing an earlier one)."""
    if actor is not None:
        require(actor, MappingPerm.IKRN_MANAGE)
        if not regency_in_scope(actor, village.regency_id):
            raise NotAllowed(_("This village is outside your work area."), code="out_of_scope")
    if not data.source.strip():
        raise DomainError(_("Name the source of this IKRN result."), field="source")
    record = _build(village, data, current_rule())
    record.is_demo = is_demo
    old = IkrnAssessment.objects.filter(village=village, year=data.year).first()
    replaced = _snapshot(old) if old else None
    if old is not None:
        old.delete()
    record.full_clean()
    record.save()
    audit_record(
        action=MappingAction.IKRN_RECORDED,
        request=request,
        actor=actor,
        obj=record,
        detail={"replaced": replaced, "category": record.category, "category_source": record.category_source},
    )
    return record


@transaction.atomic
def prone_figure_record(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    province: Province,
    year: int,
    prone_areas: int,
    source: str,
    note: str = "",
) -> ProvinceProneFigure:
    """A published province count of drug-prone areas, kept with its source."""
    if actor is not None:
        require(actor, MappingPerm.IKRN_MANAGE)
    figure, _created = ProvinceProneFigure.objects.update_or_create(
        province=province, year=year, source=source, defaults={"prone_areas": prone_areas, "note": note}
    )
    audit_record(action=MappingAction.PRONE_FIGURE_RECORDED, request=request, actor=actor, obj=figure)
    return figure


def _format_of(file_name: str) -> str:
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    raise DomainError(_("Upload a .csv or .xlsx file (download the template)."), field="file")


@transaction.atomic
def ikrn_import_request(
    *, actor: Any, request: HttpRequest | None = None, file_name: str, content: bytes, enqueue: bool = True
) -> IkrnImport:
    """Keep the uploaded file and queue its import; the result appears on the job's page."""
    require(actor, MappingPerm.IKRN_MANAGE)
    fmt = _format_of(file_name)
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(_("The file is larger than 5 MB; split it."), field="file")
    job = IkrnImport.objects.create(
        uploaded_by=actor, file_name=file_name[:200], file_format=fmt, content=content
    )
    audit_record(
        action=MappingAction.IKRN_IMPORT_REQUESTED,
        request=request,
        actor=actor,
        obj=job,
        detail={"file_name": job.file_name, "bytes": len(content)},
    )
    if enqueue:
        from pulih.mapping.tasks import ikrn_import_task

        job_id = str(job.pk)
        transaction.on_commit(lambda: ikrn_import_task(job_id))
    return job


def _check_villages(
    rows: list[ikrn_files.ParsedRow], actor: Any
) -> tuple[dict[str, Village], list[ikrn_files.RowError]]:
    codes = {r.village_code for r in rows}
    villages = {v.code: v for v in Village.objects.filter(code__in=codes)}
    errors: list[ikrn_files.RowError] = []
    seen: dict[tuple[str, int], int] = {}
    for r in rows:
        village = villages.get(r.village_code)
        if village is None:
            errors.append(ikrn_files.RowError(r.row, "kode_desa", "unknown_village", r.village_code))
            continue
        if not regency_in_scope(actor, village.regency_id):
            errors.append(ikrn_files.RowError(r.row, "kode_desa", "out_of_scope", r.village_code))
            continue
        key = (r.village_code, r.year)
        if key in seen:
            errors.append(
                ikrn_files.RowError(r.row, "kode_desa", "duplicate", r.village_code, {"other": seen[key]})
            )
        else:
            seen[key] = r.row
    return villages, errors


def _finish(job: IkrnImport, status: str, errors: list[dict[str, Any]], **counts: int) -> None:
    job.status = status
    job.errors = errors
    job.finished_at = timezone.now()
    for name, value in counts.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "errors", "finished_at", *counts.keys()])


def ikrn_import_run(*, import_id: uuid.UUID | str) -> IkrnImport:
    """Run one queued import: check everything, then write all rows or none."""
    job = IkrnImport.objects.select_related("uploaded_by").get(pk=import_id)
    if job.status in (IkrnImportStatus.DONE, IkrnImportStatus.FAILED):
        return job  # a retried task must not import twice
    actor = job.uploaded_by
    IkrnImport.objects.filter(pk=job.pk).update(status=IkrnImportStatus.RUNNING)
    try:
        table = ikrn_files.read_table(bytes(job.content), job.file_format)
    except ikrn_files.FileUnreadable:
        err = ikrn_files.RowError(0, "", "unreadable", extra={"format": job.file_format.upper()})
        _finish(job, IkrnImportStatus.FAILED, [err.as_dict()], rows_total=0, rows_imported=0)
        _audit_rejected(job, 1)
        return job
    rows, errors = ikrn_files.parse(table)
    villages, village_errors = _check_villages(rows, actor)
    errors = sorted(errors + village_errors, key=lambda e: (e.row, e.column))
    total = max(len(table) - 1, 0)
    if errors or not user_can(actor, MappingPerm.IKRN_MANAGE):
        _finish(
            job, IkrnImportStatus.FAILED, [e.as_dict() for e in errors], rows_total=total, rows_imported=0
        )
        _audit_rejected(job, len(errors))
        return job
    try:
        replaced = _write_rows(job, rows, villages)
    except Exception:
        log.exception("IKRN import %s failed while writing", job.pk)
        err = ikrn_files.RowError(0, "", "unreadable", extra={"format": job.file_format.upper()})
        _finish(job, IkrnImportStatus.FAILED, [err.as_dict()], rows_total=total, rows_imported=0)
        _audit_rejected(job, 1)
        return job
    _finish(
        job, IkrnImportStatus.DONE, [], rows_total=total, rows_imported=len(rows), rows_replaced=len(replaced)
    )
    return job


def _audit_rejected(job: IkrnImport, error_count: int) -> None:
    audit_record(
        action=MappingAction.IKRN_IMPORT_REJECTED,
        actor=job.uploaded_by,
        obj=job,
        detail={"errors": error_count, "file_name": job.file_name},
    )


@transaction.atomic
def _write_rows(
    job: IkrnImport, rows: list[ikrn_files.ParsedRow], villages: dict[str, Village]
) -> list[dict[str, Any]]:
    rule = current_rule()
    years = sorted({r.year for r in rows})
    # The years of the file, in the uploader's work area (every row was checked to lie in it).
    scope = scope_for(job.uploaded_by)
    in_years = IkrnAssessment.objects.filter(year__in=years)
    if not scope.is_national:
        in_years = in_years.filter(village__regency_id__in=scope.regency_codes)
    existing = list(in_years.order_by("year", "village_id"))
    replaced = [_snapshot(a) for a in existing]
    IkrnAssessment.objects.filter(pk__in=[a.pk for a in existing]).delete()
    records = []
    for r in rows:
        data = IkrnData(
            year=r.year,
            source=r.source,
            category=r.category,
            drug_prone=r.drug_prone,
            indicators=r.indicators,
            note=r.note,
            **r.counts,
        )
        record = _build(villages[r.village_code], data, rule)
        record.import_batch = job
        records.append(record)
    IkrnAssessment.objects.bulk_create(records, batch_size=1000)
    audit_record(
        action=MappingAction.IKRN_IMPORTED,
        actor=job.uploaded_by,
        obj=job,
        detail={
            "file_name": job.file_name,
            "years": years,
            "rows": len(records),
            "replaced_count": len(replaced),
            # Capped so that a national re-import keeps the event readable.
            "replaced": replaced[:500],
        },
    )
    return replaced


@dataclass
class ThresholdInput:
    category: str
    min_main: int | None
    min_supporting: int | None
    counts_as_prone: bool
    source: str = ""


@transaction.atomic
def ikrn_rule_update(
    *, actor: Any, request: HttpRequest | None = None, thresholds: list[ThresholdInput]
) -> int:
    """Replace the rule and re-derive every category the rule had derived.

    Recorded categories (stated by a source) are never touched. Returns how
    many records changed category.
    """
    require(actor, MappingPerm.IKRN_MANAGE)
    # The rule is national data: one area changing it would reclassify every area.
    if not _is_national(actor):
        raise NotAllowed(_("Only national staff can change the classification rule."), code="forbidden")
    by_category = {t.category: t for t in thresholds}
    if set(by_category) != set(IkrnCategory.values):
        raise DomainError(_("Give a line for every category."), field="thresholds")
    before = current_rule()
    for category in CATEGORY_ORDER:
        t = by_category[category]
        if (t.min_main is None) != (t.min_supporting is None):
            raise DomainError(
                _("%(category)s: give both minimums or neither.") % {"category": category.label},
                field=f"{category}_min_main",
            )
        if t.min_main is not None and not (0 <= t.min_main <= 8):
            raise DomainError(_("There are 8 main indicators."), field=f"{category}_min_main")
        if t.min_supporting is not None and not (0 <= t.min_supporting <= 5):
            raise DomainError(_("There are 5 supporting indicators."), field=f"{category}_min_supporting")
        IkrnThreshold.objects.update_or_create(
            category=category,
            defaults={
                "min_main": t.min_main,
                "min_supporting": t.min_supporting,
                "counts_as_prone": t.counts_as_prone,
                "source": t.source.strip(),
            },
        )
    changed = ikrn_reclassify()
    audit_record(
        action=MappingAction.IKRN_RULE_CHANGED,
        request=request,
        actor=actor,
        object_type="mapping.ikrnthreshold",
        object_id="rule",
        detail={
            "before": [t.__dict__ for t in before],
            "after": [t.__dict__ for t in current_rule()],
            "reclassified": changed,
        },
    )
    return changed


def _is_national(actor: Any) -> bool:
    return scope_for(actor).is_national


def ikrn_reclassify() -> int:
    """Apply the current rule to every record whose category is not recorded."""
    rule = current_rule()
    changed = 0
    qs = IkrnAssessment.objects.exclude(category_source=CategorySource.RECORDED)
    for record in qs.iterator():
        values = {name: getattr(record, name) for name in INDICATOR_FIELDS}
        category = classify(values, rule)
        source = CategorySource.DERIVED if category else CategorySource.NONE
        if category != record.category or source != record.category_source:
            IkrnAssessment.objects.filter(pk=record.pk).update(category=category, category_source=source)
            changed += 1
    return changed
