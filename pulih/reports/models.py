"""Rollups, monthly unit reports and export jobs.

* :class:`Fact` — the monthly fact table: one count per unit × month ×
  indicator × breakdown member (``dim=""`` is the total). Village-level facts
  (IKRN, Desa Bersinar, activities in villages without a unit) have no unit.
* :class:`AreaFact` — the same counts summed per regency, province and the
  nation, so that no dashboard sums thousands of unit rows on a page load.
* ``hidden`` on both — one small-count suppression pattern for the whole
  hierarchy, so the same cell is hidden on every page, API response and export.
* :class:`RefreshState` — the freshness of the rollups and the audit-trail
  watermark of the incremental refresh.
* :class:`MonthlyReport` and :class:`ReportEvent` — the laporan bulanan and its
  workflow history.
* :class:`ExportJob` — a background export with its progress and file.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.organisations.models import Unit
from pulih.regions.models import Province, Regency


class Fact(models.Model):
    month = models.DateField(_("month"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=40)
    dim = models.CharField(max_length=20, blank=True)
    member = models.CharField(max_length=40, blank=True)
    value = models.BigIntegerField(default=0)
    # Shown as "<5" or "×" to anyone outside the unit: set by the one suppression
    # pattern computed over the whole hierarchy (pulih.reports.pattern). A new
    # row is hidden until the pattern has been computed (fail closed).
    hidden = models.BooleanField(_("hidden"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "indicator", "dim", "member"],
                condition=Q(unit__isnull=False),
                name="fact_unique_unit_cell",
            ),
            models.UniqueConstraint(
                fields=["regency", "month", "indicator", "dim", "member"],
                condition=Q(unit__isnull=True),
                name="fact_unique_village_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "month", "indicator"], name="fact_unit_month"),
            models.Index(fields=["regency", "month", "indicator"], name="fact_regency_month"),
        ]
        verbose_name = _("monthly fact")
        verbose_name_plural = _("monthly facts")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id or self.regency_id} {self.indicator} {self.dim}={self.member}"


class AreaLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")


class AreaFact(models.Model):
    level = models.CharField(max_length=10, choices=AreaLevel.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    month = models.DateField(_("month"))
    indicator = models.CharField(_("indicator"), max_length=40)
    dim = models.CharField(max_length=20, blank=True)
    member = models.CharField(max_length=40, blank=True)
    value = models.BigIntegerField(default=0)
    # Shown as "<5" or "×" to anyone outside the unit: set by the one suppression
    # pattern computed over the whole hierarchy (pulih.reports.pattern). A new
    # row is hidden until the pattern has been computed (fail closed).
    hidden = models.BooleanField(_("hidden"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(level="national", province__isnull=True, regency__isnull=True)
                | Q(level="province", province__isnull=False, regency__isnull=True)
                | Q(level="regency", province__isnull=False, regency__isnull=False),
                name="areafact_level_keys",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "province", "month", "indicator"], name="areafact_province"),
            models.Index(fields=["level", "regency", "month", "indicator"], name="areafact_regency"),
        ]
        verbose_name = _("area rollup")
        verbose_name_plural = _("area rollups")

    def __str__(self) -> str:
        return f"{self.level} {self.regency_id or self.province_id or ''} {self.month:%Y-%m} {self.indicator}"


class RefreshState(models.Model):
    """One row: when the rollups were last brought up to date."""

    name = models.CharField(max_length=20, unique=True, default="facts")
    audit_watermark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    full_rebuild_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(default=0)
    last_units = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rollup freshness")
        verbose_name_plural = _("rollup freshness")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at}"


class PatternCache(models.Model):
    """The last suppression pattern of one indicator in one month, with the cells it was computed for.

    ``fingerprint`` is a SHA-256 of every cell (node, its parent, dimension,
    member, value) of the indicator-month; when a refresh finds the same
    fingerprint the problem is the same, and ``hidden`` (one bit per cell, in
    the fingerprint's order) is applied again instead of solving it anew.
    """

    month = models.DateField()
    indicator = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=64)
    hidden = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "indicator"], name="patterncache_month_indicator")]
        verbose_name = _("suppression pattern")
        verbose_name_plural = _("suppression patterns")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.indicator}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    VERIFIED = "verified", _("Verified")
    FINAL = "final", _("Final")


LOCKED_STATUSES = frozenset({ReportStatus.VERIFIED, ReportStatus.FINAL})
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class MonthlyReport(models.Model):
    """The laporan bulanan of one unit for one month."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    challenges = models.TextField(_("challenges and support needed"), blank=True)
    plans_next_month = models.TextField(_("plans for next month"), blank=True)
    due_on = models.DateField(_("due date"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(_("comments of the supervising office"), blank=True)
    corrections = models.PositiveSmallIntegerField(_("corrections"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="monthlyreport_one_per_unit_month"),
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "final"]) | Q(verified_at__isnull=False),
                name="monthlyreport_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="monthlyreport_month_status")]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportAction(models.TextChoices):
    CREATE = "create", _("Created")
    COMPILE = "compile", _("Figures compiled")
    EDIT = "edit", _("Narrative edited")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned with comments")
    VERIFY = "verify", _("Verified")
    FINALISE = "finalise", _("Made final")
    REOPEN = "reopen", _("Reopened for correction")


class ReportEvent(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=ReportAction.choices)
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"
    PDF = "pdf", "PDF"


class ExportKind(models.TextChoices):
    FACTS = "facts", _("Indicator values (table)")
    DASHBOARD = "dashboard", _("Dashboard")
    REPORT = "report", _("Monthly report")
    RECAP = "recap", _("Monthly client recap (Perka BNN 4/2015)")
    REPORTS = "reports", _("Monthly reports")
    LATE = "late", _("Late monthly reports")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what"), max_length=10, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.BigIntegerField(default=0)
    rows_total = models.BigIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exportjob_user_created")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.title} ({self.format})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))
