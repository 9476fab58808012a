"""The organisation hierarchy: BNN offices and the village IBM units under them.

BNN RI → BNNP (province) → BNNK (city/regency). An office's *work area* is a
set of regencies; it decides which units, and through them which records, the
office's staff may see (``pulih.accounts.scoping``). An IBM unit belongs to a
village and is supervised by one office. The programme-management records
around units (agents, training, visits, plans) live in ``pulih.units``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.regions.models import Province, Regency, Village


class OfficeKind(models.TextChoices):
    RI = "ri", _("BNN RI (national)")
    BNNP = "bnnp", _("BNNP (province)")
    BNNK = "bnnk", _("BNNK (city/regency)")


class Office(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("level"), max_length=4, choices=OfficeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )
    seat = models.ForeignKey(
        Regency,
        verbose_name=_("seat (regency/city)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    work_area = models.ManyToManyField(
        Regency, verbose_name=_("work area"), blank=True, related_name="offices"
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    letterhead = models.CharField(
        _("letterhead line"), max_length=250, blank=True, help_text=_("Printed under the office name.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OfficeKind.RI, parent__isnull=True)
                | (~Q(kind=OfficeKind.RI) & Q(parent__isnull=False, province__isnull=False)),
                name="office_kind_parent_province",
            ),
        ]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.kind == OfficeKind.RI


class UnitStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FORMED = "formed", _("Formed")
    TRAINED = "trained", _("Trained")
    ACTIVE = "active", _("Active")
    NEEDS_SUPPORT = "needs_support", _("Needs support")
    INACTIVE = "inactive", _("Inactive")


class Unit(models.Model):
    """A village IBM unit (e.g. "IBM Bina Masyarakat", Desa Pulau Kayu Aro)."""

    name = models.CharField(_("name"), max_length=150)
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="ibm_units"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("supervising office"), on_delete=models.PROTECT, related_name="units"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True)
    decree_number = models.CharField(_("formation decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("formation decree date"), null=True, blank=True)
    decree_signer = models.CharField(_("decree signed by"), max_length=150, blank=True)
    inaugurated_on = models.DateField(_("inauguration date"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(
        _("illustrative demo data"), default=False, help_text=_("Set on records made up for the demo.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=~Q(status=UnitStatus.INACTIVE),
                name="unit_one_open_unit_per_village",
                violation_error_message=_("This village already has an IBM unit that is not inactive."),
            ),
        ]
        indexes = [models.Index(fields=["office", "status"], name="unit_office_status")]
        verbose_name = _("IBM unit")
        verbose_name_plural = _("IBM units")

    def __str__(self) -> str:
        return self.name
