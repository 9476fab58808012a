"""IKRN: the drug-prone area index (Indeks Kawasan Rawan Narkoba) per village per year.

IKRN is owned by another BNN directorate; Pulih imports or records its
results. A record carries the category when the source states one
(``category_source = recorded``); when only indicator values are given, the
configurable rule in :class:`IkrnThreshold` derives it (``derived``); when
neither gives a category it stays unclassified (``none``) rather than being
guessed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.regions.models import Province, Village


class IkrnCategory(models.TextChoices):
    BAHAYA = "bahaya", _("Bahaya (danger)")
    WASPADA = "waspada", _("Waspada (alert)")
    SIAGA = "siaga", _("Siaga (standby)")
    AMAN = "aman", _("Aman (safe)")


# Most to least severe: the classifier tries the thresholds in this order.
CATEGORY_ORDER = [IkrnCategory.BAHAYA, IkrnCategory.WASPADA, IkrnCategory.SIAGA, IkrnCategory.AMAN]


class CategorySource(models.TextChoices):
    RECORDED = "recorded", _("As stated by the source")
    DERIVED = "derived", _("Derived from the indicators by the rule")
    NONE = "none", _("Unclassified")


class IkrnThreshold(models.Model):
    """One line of the classification rule: a category and its minimum counts.

    A category whose minimums are empty is never derived (only recorded). The
    one rule found in the sources is the default: Bahaya when at least 5 main
    and 4 supporting indicators are met. ``counts_as_prone`` says which
    categories make a village a *kawasan rawan* in the drug-prone area view.
    """

    category = models.CharField(_("category"), max_length=8, choices=IkrnCategory.choices, unique=True)
    min_main = models.PositiveSmallIntegerField(_("main indicators met, at least"), null=True, blank=True)
    min_supporting = models.PositiveSmallIntegerField(
        _("supporting indicators met, at least"), null=True, blank=True
    )
    counts_as_prone = models.BooleanField(_("counts as drug-prone area"), default=False)
    source = models.CharField(_("source of the rule"), max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_main__isnull=True) | Q(min_main__lte=8), name="ikrn_threshold_main_max"
            ),
            models.CheckConstraint(
                condition=Q(min_supporting__isnull=True) | Q(min_supporting__lte=5),
                name="ikrn_threshold_supporting_max",
            ),
            models.CheckConstraint(
                condition=Q(min_main__isnull=True, min_supporting__isnull=True)
                | Q(min_main__isnull=False, min_supporting__isnull=False),
                name="ikrn_threshold_both_or_neither",
            ),
        ]
        verbose_name = _("IKRN classification threshold")
        verbose_name_plural = _("IKRN classification thresholds")

    def __str__(self) -> str:
        return f"{self.category}: {self.min_main}/{self.min_supporting}"


class IkrnImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Rejected")


class IkrnImport(models.Model):
    """One uploaded IKRN file and the result of importing it (a background job)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4)
    content = models.BinaryField(_("file content"))
    status = models.CharField(
        _("status"), max_length=8, choices=IkrnImportStatus.choices, default=IkrnImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_replaced = models.PositiveIntegerField(_("records replaced"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("IKRN import")
        verbose_name_plural = _("IKRN imports")

    def __str__(self) -> str:
        return self.file_name


class IkrnAssessment(models.Model):
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="ikrn_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=8, choices=IkrnCategory.choices, blank=True)
    category_source = models.CharField(
        _("category source"), max_length=8, choices=CategorySource.choices, default=CategorySource.NONE
    )
    drug_prone = models.BooleanField(
        _("drug-prone area (kawasan rawan)"),
        null=True,
        blank=True,
        help_text=_("Empty when the source does not say; then the category decides."),
    )
    main_drug_cases = models.BooleanField(_("Drug crime cases"), null=True, blank=True)
    main_crime_violence = models.BooleanField(_("Crime and violence rate"), null=True, blank=True)
    main_dealers = models.BooleanField(_("Dealers"), null=True, blank=True)
    main_production = models.BooleanField(_("Production"), null=True, blank=True)
    main_users = models.BooleanField(_("Users"), null=True, blank=True)
    main_seized_evidence = models.BooleanField(_("Seized evidence"), null=True, blank=True)
    main_entry_points = models.BooleanField(_("Entry points"), null=True, blank=True)
    main_couriers = models.BooleanField(_("Couriers"), null=True, blank=True)
    supp_entertainment = models.BooleanField(_("Entertainment venues"), null=True, blank=True)
    supp_boarding_houses = models.BooleanField(
        _("Boarding houses / high-privacy housing"), null=True, blank=True
    )
    supp_poverty = models.BooleanField(_("Poverty"), null=True, blank=True)
    supp_public_facilities = models.BooleanField(_("Lack of public facilities"), null=True, blank=True)
    supp_social_interaction = models.BooleanField(_("Low social interaction"), null=True, blank=True)
    respondents_residents = models.PositiveSmallIntegerField(_("resident respondents"), null=True, blank=True)
    respondents_village_head = models.PositiveSmallIntegerField(
        _("village head respondents"), null=True, blank=True
    )
    respondents_law_enforcement = models.PositiveSmallIntegerField(
        _("law-enforcement respondents"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=250)
    note = models.TextField(_("note"), blank=True)
    import_batch = models.ForeignKey(
        IkrnImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "village"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="ikrn_one_per_village_year"),
            models.CheckConstraint(
                condition=Q(category="", category_source="none")
                | (~Q(category="") & ~Q(category_source="none")),
                name="ikrn_category_source_consistent",
            ),
        ]
        indexes = [models.Index(fields=["year", "category"], name="ikrn_year_category")]
        verbose_name = _("IKRN assessment")
        verbose_name_plural = _("IKRN assessments")

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}: {self.category or '-'}"


class ProvinceProneFigure(models.Model):
    """A published province-level count of drug-prone areas, kept with its source.

    The 2021 article gives "12 kawasan rawan narkoba in Jambi" without naming
    them: the figure is recorded as such, never as invented villages.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    prone_areas = models.PositiveIntegerField(_("drug-prone areas"))
    source = models.CharField(_("source"), max_length=250)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["province", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "source"], name="prone_figure_unique"),
        ]
        verbose_name = _("published drug-prone area figure")
        verbose_name_plural = _("published drug-prone area figures")

    def __str__(self) -> str:
        return f"{self.province_id} {self.year}: {self.prone_areas}"
