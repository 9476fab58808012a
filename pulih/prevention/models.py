"""Community prevention activities, kept as aggregate logs.

Participants are counted by sex and age band; newcomers to the village only
as a number. No record names a resident.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.mapping.choices import AgeBand, Sex
from pulih.organisations.models import Unit
from pulih.regions.models import Village


class ActivityKind(models.TextChoices):
    SOCIALISATION = "socialisation", _("Socialisation")
    HOUSE_TO_HOUSE = "house_to_house", _("House-to-house education")
    WORSHIP_APPEAL = "worship_appeal", _("Appeal in a mosque or church")
    SECURITY_COORDINATION = "security", _("Coordination with Bhabinkamtibmas/Babinsa")
    FAMILY_SUPPORT = "family_support", _("Family support group")
    URINE_TEST = "urine_test", _("Urine-test campaign")
    MEDIA = "media", _("Media campaign")


class Partner(models.TextChoices):
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas")
    BABINSA = "babinsa", _("Babinsa")
    RELIGIOUS = "religious", _("Religious leaders")
    COMMUNITY = "community", _("Community leaders")
    VILLAGE_GOVERNMENT = "village_gov", _("Village government")
    PUSKESMAS = "puskesmas", _("Puskesmas / health cadres")
    SCHOOL = "school", _("School")
    BNN = "bnn", _("BNN / BNNP / BNNK")
    YOUTH = "youth", _("Youth organisation")


class CommunityActivity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("type"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"))
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="community_activities"
    )
    # The IBM unit of the village when the activity was recorded: derived, so
    # that the unit's own users see the activities of their village.
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="community_activities"
    )
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    place = models.CharField(
        _("place"), max_length=150, blank=True, help_text=_("For example “Masjid, RW 02”.")
    )
    partners = models.JSONField(_("partners"), default=list, blank=True)
    partners_other = models.CharField(_("other partners"), max_length=200, blank=True)
    newcomers_count = models.PositiveIntegerField(
        _("newcomers recorded (number only)"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True, help_text=_("No names of residents."))
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    source_note = models.CharField(_("source"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["village", "held_on"], name="activity_village_date")]
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def participant_total(self) -> int:
        return sum(p.count for p in self.participants.all())


class ParticipantCount(models.Model):
    activity = models.ForeignKey(CommunityActivity, on_delete=models.CASCADE, related_name="participants")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["sex", "age_band"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "sex", "age_band"], name="participants_one_per_cell"),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="participants_positive"),
        ]
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")

    def __str__(self) -> str:
        return f"{self.sex} {self.age_band}: {self.count}"
