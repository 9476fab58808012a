"""Situation mapping (pemetaan) of a unit's village, per period.

Everything here is aggregate or about places: estimated numbers of people who
use drugs per substance, sex and age band, places where use or trade is seen
(hotspots), observed risk factors, resources and stakeholders. No record holds
the name of a resident; stakeholders are described by role or institution.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.mapping.choices import AgeBand, Sex, Substance
from pulih.organisations.models import Unit
from pulih.regions.models import Village


def _point_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_point_complete",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]


class SituationMapping(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="situation_mappings"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For example “2024 semester 1”.")
    )
    risk_entertainment = models.BooleanField(_("Entertainment venues"), default=False)
    risk_boarding_houses = models.BooleanField(_("Boarding houses / high-privacy housing"), default=False)
    risk_poverty = models.BooleanField(_("Poverty"), default=False)
    risk_public_facilities = models.BooleanField(_("Lack of public facilities"), default=False)
    risk_social_interaction = models.BooleanField(_("Low social interaction"), default=False)
    notes = models.TextField(_("notes"), blank=True, help_text=_("No names of people."))
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start"],
                name="situation_one_per_unit_period",
                violation_error_message=_("This unit already has a mapping starting on that date."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="situation_period_order"
            ),
        ]
        verbose_name = _("situation mapping")
        verbose_name_plural = _("situation mappings")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        period = f"{self.period_start:%d-%m-%Y} – {self.period_end:%d-%m-%Y}"
        return f"{self.title} ({period})" if self.title else period


class UseEstimate(models.Model):
    """Estimated number of people using one substance, for one sex and age band."""

    mapping = models.ForeignKey(SituationMapping, on_delete=models.CASCADE, related_name="estimates")
    substance = models.CharField(_("substance"), max_length=16, choices=Substance.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("estimated number"))

    class Meta:
        ordering = ["substance", "sex", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["mapping", "substance", "sex", "age_band"], name="estimate_one_per_cell"
            ),
        ]
        verbose_name = _("use estimate")
        verbose_name_plural = _("use estimates")

    def __str__(self) -> str:
        return f"{self.substance} {self.sex} {self.age_band}: {self.count}"


class HotspotKind(models.TextChoices):
    STALL = "stall", _("Stall (warung)")
    BOARDING_HOUSE = "boarding_house", _("Boarding house (kos)")
    PORT = "port", _("Port / jetty")
    TERMINAL = "terminal", _("Terminal")
    ENTERTAINMENT = "entertainment", _("Entertainment venue")
    SCHOOL = "school", _("School surroundings")
    OTHER = "other", _("Other")


class Hotspot(models.Model):
    """A place where drug use or trade is seen (titik rawan). Sensitive."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mapping = models.ForeignKey(SituationMapping, on_delete=models.CASCADE, related_name="hotspots")
    label = models.CharField(_("label"), max_length=100, help_text=_("A place, never a person."))
    kind = models.CharField(_("type"), max_length=16, choices=HotspotKind.choices)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("No names of people."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["mapping", "label"]
        constraints = _point_constraints("hotspot")
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")

    def __str__(self) -> str:
        return self.label

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ResourceKind(models.TextChoices):
    HEALTH = "health", _("Health facility")
    WORSHIP = "worship", _("House of worship")
    YOUTH = "youth", _("Youth group")
    COMMUNITY = "community", _("Community group")
    OTHER = "other", _("Other")


class Resource(models.Model):
    mapping = models.ForeignKey(SituationMapping, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("type"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("name of the facility or group"), max_length=150)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    notes = models.CharField(_("notes"), max_length=250, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name


class StakeholderKind(models.TextChoices):
    VILLAGE_GOVERNMENT = "village_gov", _("Village government")
    RT_RW = "rt_rw", _("RT/RW head")
    RELIGIOUS = "religious", _("Religious leader")
    COMMUNITY = "community", _("Community leader")
    POLICE = "police", _("Bhabinkamtibmas")
    MILITARY = "military", _("Babinsa")
    HEALTH = "health", _("Health cadre / puskesmas")
    YOUTH = "youth", _("Youth organisation")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Support(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    NEUTRAL = "neutral", _("Neutral")
    RESISTANT = "resistant", _("Resistant")
    UNKNOWN = "unknown", _("Not known yet")


class MappingStakeholder(models.Model):
    mapping = models.ForeignKey(SituationMapping, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(_("type"), max_length=12, choices=StakeholderKind.choices)
    description = models.CharField(
        _("role or institution"), max_length=150, help_text=_("For example “Ketua RW 03”; no private names.")
    )
    support = models.CharField(_("support"), max_length=10, choices=Support.choices, default=Support.UNKNOWN)

    class Meta:
        ordering = ["kind", "description"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return self.description


class VillagePoint(models.Model):
    """Where a village is drawn on the map (e.g. its village office).

    The region reference data has no coordinates; a village without a point
    appears in the map page's list only.
    """

    village = models.OneToOneField(Village, on_delete=models.CASCADE, related_name="map_point")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="vpoint_lat_range"),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="vpoint_lon_range"
            ),
        ]
        verbose_name = _("village map point")
        verbose_name_plural = _("village map points")

    def __str__(self) -> str:
        return f"{self.village_id} ({self.latitude}, {self.longitude})"
