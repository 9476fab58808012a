"""Desa Bersinar (Desa Bersih Narkoba): the village prevention programme.

Whether the village has an IBM unit is never typed here: it is read from
``organisations.Unit`` (:func:`pulih.mapping.selectors.bersinar_list`
annotates it), so the two cannot disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.regions.models import Village


class BersinarStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DESIGNATED = "designated", _("Designated")
    ACTIVE = "active", _("Active")
    EVALUATED = "evaluated", _("Evaluated")


# Components of a Desa Bersinar (domain.md §1). IBM is the sixth component; it
# is derived from the unit table.
COMPONENTS = [
    ("comp_education", _("Education")),
    ("comp_campaign", _("Campaign")),
    ("comp_economic", _("Economic empowerment")),
    ("comp_family", _("Family resilience")),
    ("comp_peer", _("Peer groups")),
]

FUNDING = [
    ("fund_dipa", _("DIPA")),
    ("fund_non_dipa", _("Non-DIPA")),
    ("fund_apbdes", _("APBDes")),
    ("fund_csr", _("CSR")),
]


class BersinarVillage(models.Model):
    village = models.OneToOneField(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="bersinar"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BersinarStatus.choices, default=BersinarStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_signer = models.CharField(_("decree signed by"), max_length=150, blank=True)
    launched_on = models.DateField(_("launch date (pencanangan)"), null=True, blank=True)
    working_group = models.TextField(
        _("working group (pokja)"), blank=True, help_text=_("Members by role or institution.")
    )
    fund_dipa = models.BooleanField(_("DIPA"), default=False)
    fund_non_dipa = models.BooleanField(_("Non-DIPA"), default=False)
    fund_apbdes = models.BooleanField(_("APBDes"), default=False)
    fund_csr = models.BooleanField(_("CSR"), default=False)
    volunteers_count = models.PositiveIntegerField(
        _("anti-drug volunteers (penggiat)"), null=True, blank=True
    )
    task_force_count = models.PositiveIntegerField(_("task force members (satgas)"), null=True, blank=True)
    comp_education = models.BooleanField(_("Education"), default=False)
    comp_campaign = models.BooleanField(_("Campaign"), default=False)
    comp_economic = models.BooleanField(_("Economic empowerment"), default=False)
    comp_family = models.BooleanField(_("Family resilience"), default=False)
    comp_peer = models.BooleanField(_("Peer groups"), default=False)
    person_in_charge = models.CharField(
        _("person in charge"), max_length=150, blank=True, help_text=_("Role and name of the official.")
    )
    source_note = models.TextField(_("source / note"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["village"]
        constraints = [
            # A village is designated by decree: no later status without one.
            models.CheckConstraint(
                condition=Q(status=BersinarStatus.PROPOSED)
                | (~Q(decree_number="") & Q(decree_date__isnull=False)),
                name="bersinar_decree_after_proposal",
            ),
        ]
        verbose_name = _("Desa Bersinar")
        verbose_name_plural = _("Desa Bersinar")

    def __str__(self) -> str:
        return f"Desa Bersinar {self.village.name}"


class BersinarEvaluation(models.Model):
    bersinar = models.ForeignKey(BersinarVillage, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("evaluation date"))
    evaluator = models.CharField(_("evaluated by"), max_length=150, help_text=_("Office or team."))
    summary = models.TextField(_("findings"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        verbose_name = _("Desa Bersinar evaluation")
        verbose_name_plural = _("Desa Bersinar evaluations")

    def __str__(self) -> str:
        return f"{self.bersinar_id} {self.evaluated_on}"
