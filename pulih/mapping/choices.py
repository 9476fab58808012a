"""Demographic bands shared by the aggregate records of mapping and prevention.

Counts are only ever kept per sex and age band: never a list of people.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class AgeBand(models.TextChoices):
    UNDER_15 = "0-14", _("Under 15")
    AGE_15_24 = "15-24", _("15–24")
    AGE_25_34 = "25-34", _("25–34")
    AGE_35_49 = "35-49", _("35–49")
    AGE_50_PLUS = "50+", _("50 and over")


class Substance(models.TextChoices):
    """Substance classes of WHO ASSIST (domain.md §2), without tobacco."""

    ALCOHOL = "alcohol", _("Alcohol (miras)")
    CANNABIS = "cannabis", _("Cannabis (ganja)")
    ATS = "ats", _("Stimulants (shabu, ecstasy)")
    INHALANTS = "inhalants", _("Inhalants (glue, thinner)")
    SEDATIVES = "sedatives", _("Sedatives (pil koplo)")
    OPIOIDS = "opioids", _("Opioids (heroin)")
    HALLUCINOGENS = "hallucinogens", _("Hallucinogens (kecubung)")
    COCAINE = "cocaine", _("Cocaine")
    OTHER = "other", _("Other (tramadol, dextro)")
