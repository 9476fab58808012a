"""Screening instruments as versioned data, and the screenings recorded with them.

The instrument tables (``Instrument`` → ``SubstanceClass``, ``RiskLevel``,
``RiskThreshold``, ``Question``, ``Option``, ``OptionClassScore``) hold
everything WHO ASSIST v3.1 defines — questions, answer weights, skip logic,
thresholds — in Indonesian and English; no instrument is written in Python.
They are filled from ``instruments/*.json`` by ``manage.py load_instruments``
(see ``loading.py``) and never edited once a screening uses them: a change is
a new version.

A ``Screening`` keeps the raw answers and the computed per-class results; once
completed it is immutable (the service refuses, and a database trigger rejects
any ``UPDATE``). A correction is a new screening that points to the previous.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.screening.eligibility import Pathway


def _pick(id_text: str, en_text: str) -> str:
    lang = get_language() or "id"
    if lang.startswith("en"):
        return en_text or id_text
    return id_text or en_text


class Instrument(models.Model):
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.TextField(_("source and credit"), blank=True)
    illustrative = models.BooleanField(_("illustrative example, not an official instrument"), default=False)
    active = models.BooleanField(_("offered for new screenings"), default=True)
    # The document the rows were loaded from (served to the offline app as is).
    content = models.JSONField(_("instrument document"))
    content_hash = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_unique_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(active=True), name="instrument_one_active_version"
            ),
        ]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def name(self) -> str:
        return _pick(self.name_id, self.name_en)


class SubstanceClass(models.Model):
    """One item class an instrument asks about (ASSIST: a–j, tobacco … other)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="classes")
    code = models.CharField(_("code"), max_length=40)
    key = models.CharField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField()
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    examples_id = models.CharField(_("local names (Indonesian)"), max_length=200, blank=True)
    examples_en = models.CharField(_("local names (English)"), max_length=200, blank=True)
    specify = models.BooleanField(_("asks to specify"), default=False)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="substanceclass_unique_code"),
        ]
        verbose_name = _("substance class")
        verbose_name_plural = _("substance classes")

    def __str__(self) -> str:
        return f"{self.instrument} {self.code}"


class RiskLevel(models.Model):
    class Tone(models.TextChoices):
        OK = "ok", _("Green")
        WARN = "warn", _("Amber")
        DANGER = "danger", _("Red")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(help_text=_("From the least to the most severe."))
    label_id = models.CharField(_("label (Indonesian)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    action_id = models.TextField(_("action (Indonesian)"))
    action_en = models.TextField(_("action (English)"))
    tone = models.CharField(_("colour"), max_length=8, choices=Tone.choices)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="risklevel_unique_code")]
        verbose_name = _("risk level")
        verbose_name_plural = _("risk levels")

    def __str__(self) -> str:
        return f"{self.instrument} {self.code}"


class RiskThreshold(models.Model):
    substance_class = models.ForeignKey(SubstanceClass, on_delete=models.CASCADE, related_name="thresholds")
    level = models.ForeignKey(RiskLevel, on_delete=models.CASCADE, related_name="+")
    min_score = models.PositiveSmallIntegerField(_("lowest score"))
    max_score = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True)

    class Meta:
        ordering = ["substance_class", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["substance_class", "level"], name="riskthreshold_unique_level"),
            models.CheckConstraint(
                condition=Q(max_score__isnull=True) | Q(max_score__gte=models.F("min_score")),
                name="riskthreshold_range",
            ),
        ]
        verbose_name = _("risk threshold")
        verbose_name_plural = _("risk thresholds")

    def __str__(self) -> str:
        return f"{self.substance_class} {self.min_score}–{self.max_score or ''}"


class Question(models.Model):
    class Layout(models.TextChoices):
        SINGLE = "single", _("One question per screen")
        CHECKLIST = "checklist", _("All classes on one screen")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField()
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"))
    per_class = models.BooleanField(_("asked for each class"), default=True)
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices, default=Layout.SINGLE)
    scored = models.BooleanField(_("counts towards the score"), default=True)
    # Skip logic as data: {"question": "Q2", "none_of": ["never"]} (see spec.py).
    ask_if = models.JSONField(_("asked if"), null=True, blank=True)
    skip_classes = models.ManyToManyField(SubstanceClass, blank=True, related_name="+")
    flag = models.CharField(_("flag recorded"), max_length=40, blank=True)
    stop_if_all = models.CharField(_("ends the interview if every class is"), max_length=40, blank=True)
    probe_id = models.TextField(_("probe (Indonesian)"), blank=True)
    probe_en = models.TextField(_("probe (English)"), blank=True)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="question_unique_code")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.instrument} {self.code}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField()
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    forces_referral = models.BooleanField(_("always leads to a referral"), default=False)

    class Meta:
        ordering = ["question", "order"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_unique_code")]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self) -> str:
        return f"{self.question} {self.code}"


class OptionClassScore(models.Model):
    """A different weight of one option for one class."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="class_scores")
    substance_class = models.ForeignKey(SubstanceClass, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "substance_class"], name="optionclassscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.option} {self.substance_class.code}={self.score}"


# --- Screenings ----------------------------------------------------------------


class ScreeningStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")


class ScreeningPurpose(models.TextChoices):
    INITIAL = "initial", _("First screening")
    FOLLOW_UP = "follow_up", _("Follow-up")
    RELAPSE = "relapse", _("After a relapse")
    OUTCOME = "outcome", _("Outcome at closure")


class Screening(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="screenings"
    )
    episode = models.ForeignKey(
        "clients.Episode",
        verbose_name=_("episode"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="screenings"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ScreeningStatus.choices, default=ScreeningStatus.DRAFT
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=ScreeningPurpose.choices, default=ScreeningPurpose.INITIAL
    )
    aftercare = models.BooleanField(_("client in aftercare after formal rehabilitation"), default=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    probed = models.BooleanField(default=False)
    specify = models.JSONField(_("substances specified"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    highest_level = models.CharField(_("highest risk"), max_length=40, blank=True)
    injecting = models.CharField(_("injecting"), max_length=40, blank=True)
    pathway = models.CharField(_("recommended pathway"), max_length=10, choices=Pathway.choices, blank=True)
    pathway_reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, default="web", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=ScreeningStatus.DRAFT, completed_at__isnull=True, pathway="")
                    | (
                        Q(status=ScreeningStatus.COMPLETED, completed_at__isnull=False)
                        & ~Q(pathway="")
                        & ~Q(highest_level="")
                    )
                ),
                name="screening_completed_has_results",
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True) | Q(version__gt=1, previous__isnull=False),
                name="screening_version_chain",
            ),
        ]
        indexes = [models.Index(fields=["client", "status", "-completed_at"], name="screening_client_latest")]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.instrument} {self.client} v{self.version}"

    @property
    def is_completed(self) -> bool:
        return self.status == ScreeningStatus.COMPLETED

    @property
    def is_current(self) -> bool:
        """Not replaced by a completed correction."""
        correction = getattr(self, "correction", None)
        return correction is None or correction.status != ScreeningStatus.COMPLETED


class SubstanceResult(models.Model):
    """The involvement score and risk of one class in one completed screening."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="results")
    substance_class = models.ForeignKey(SubstanceClass, on_delete=models.PROTECT, related_name="+")
    class_code = models.CharField(max_length=40)
    class_key = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField()
    level = models.CharField(_("risk"), max_length=40)
    involved = models.BooleanField(_("reported use"), default=False)

    class Meta:
        ordering = ["screening", "order"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "class_code"], name="substanceresult_unique_class"),
            models.CheckConstraint(condition=Q(score__lte=models.F("max_score")), name="substanceresult_max"),
        ]
        verbose_name = _("substance result")
        verbose_name_plural = _("substance results")

    def __str__(self) -> str:
        return f"{self.class_code}={self.score} ({self.level})"
