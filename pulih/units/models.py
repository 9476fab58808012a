"""Programme management around a village IBM unit (domain.md §1, §5, §6).

The unit itself (``organisations.Unit``) carries the current status; this app
keeps everything that grows around it: the dated history of its status, its
recovery agents (Agen Pemulihan) and their memberships, stakeholders,
capacity-building events with per-day attendance, supervision visits with
follow-ups, yearly evaluations and the yearly work plan.

Every write goes through ``pulih.units.services``; these models hold no
business logic.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pulih.core.crypto import EncryptedTextField
from pulih.organisations.models import Office, Unit, UnitStatus


class UnitStatusChange(models.Model):
    """One transition of a unit's status: dated, attributed and explained."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from status"), max_length=16, choices=UnitStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=UnitStatus.choices)
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    visit = models.ForeignKey(
        "units.Visit",
        verbose_name=_("supervision visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.from_status or '-'} → {self.to_status} ({self.changed_on})"


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class BackgroundTag(models.TextChoices):
    """Backgrounds of an agent. ``former user`` is sensitive and stored apart."""

    COMMUNITY_FIGURE = "community_figure", _("Community figure")
    RT_RW_HEAD = "rt_rw_head", _("RT/RW head")
    HEALTH_CADRE = "health_cadre", _("Health cadre")
    YOUTH = "youth", _("Youth")
    RELIGIOUS_FIGURE = "religious_figure", _("Religious figure")


class Agent(models.Model):
    """A recovery agent (Agen Pemulihan): minimal identity only.

    ``unit`` is the unit of the agent's open membership, or of the last one
    once the agent has left; the services keep it in step with
    :class:`Membership`, which holds the history.
    """

    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    phone = EncryptedTextField(_("phone"), blank=True)
    tags = models.JSONField(_("background"), default=list, blank=True)
    # Sensitive: a column of its own so no generic serialisation of ``tags``
    # can leak it; shown only through ``units.access.can_see_sensitive``.
    former_user = models.BooleanField(_("former user"), default=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="agents"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent_profile",
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1920, birth_year__lte=2100), name="agent_birth_year_range"
            ),
        ]
        verbose_name = _("recovery agent")
        verbose_name_plural = _("recovery agents")

    def __str__(self) -> str:
        return self.name

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(BackgroundTag.choices)
        return [str(labels[t]) for t in self.tags if t in labels]


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """An agent's time in one unit. Moving to another unit closes one and opens another."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role in the unit"), max_length=12, choices=MemberRole.choices)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"],
                condition=Q(active_to__isnull=True),
                name="membership_one_open_per_agent",
                violation_error_message=_("This agent is already active in a unit."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(active_to__isnull=True, role="coordinator"),
                name="membership_one_coordinator_per_unit",
                violation_error_message=_("This unit already has an active coordinator."),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="membership_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.agent_id} @ {self.unit_id} ({self.active_from}–{self.active_to or ''})"

    @property
    def is_open(self) -> bool:
        return self.active_to is None


class InstitutionType(models.TextChoices):
    REGENCY_GOVERNMENT = "regency_government", _("Regency/city government")
    DISTRICT = "district", _("District (kecamatan)")
    VILLAGE_GOVERNMENT = "village_government", _("Village government")
    POLICE = "police", _("Police (Polda/Polres/Polsek)")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas")
    BABINSA = "babinsa", _("Babinsa")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    FIGURE = "figure", _("Religious or community figure")
    BANK_CSR = "bank_csr", _("Bank / CSR")
    NGO = "ngo", _("NGO")
    BNN = "bnn", _("BNN office")


class Stakeholder(models.Model):
    """An institution that backs a unit, named by its role, not by a person's name unless known."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="stakeholders")
    institution_type = models.CharField(
        _("institution type"), max_length=20, choices=InstitutionType.choices
    )
    institution = models.CharField(_("institution"), max_length=150)
    role = models.CharField(_("role"), max_length=150, help_text=_("For example Kepala Desa, Camat."))
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    at_inauguration = models.BooleanField(_("attended the inauguration"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["institution_type", "institution", "id"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return f"{self.role} — {self.institution}"


class EventKind(models.TextChoices):
    BIMTEK = "bimtek", _("Bimtek (technical guidance)")
    PEMBEKALAN = "pembekalan", _("Pembekalan (briefing)")
    ASISTENSI = "asistensi", _("Asistensi (assistance)")
    SUPERVISI = "supervisi", _("Supervisi (supervision)")
    EVALUASI = "evaluasi", _("Evaluasi (evaluation)")


class Topic(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    MANAGEMENT = "management", _("Management")
    MONITORING = "monitoring", _("Monitoring")
    SCREENING = "screening", _("Screening")
    REFERRAL = "referral", _("Referral")
    REPORTING = "reporting", _("Reporting")


class TrainingEvent(models.Model):
    """A capacity-building event for one unit, organised by an office, over one or more days."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="training_events")
    office = models.ForeignKey(
        Office, verbose_name=_("organising office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]
        verbose_name = _("capacity-building event")
        verbose_name_plural = _("capacity-building events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def days(self) -> list[dt.date]:
        span = (self.ends_on - self.starts_on).days
        return [self.starts_on + dt.timedelta(days=i) for i in range(span + 1)]

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]


class Participant(models.Model):
    """An agent or a staff member taking part in an event."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="participants")
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agent__isnull=False, staff__isnull=True)
                | Q(agent__isnull=True, staff__isnull=False),
                name="participant_agent_xor_staff",
            ),
            models.UniqueConstraint(fields=["event", "agent"], name="participant_agent_once"),
            models.UniqueConstraint(fields=["event", "staff"], name="participant_staff_once"),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.agent or self.staff)


class Attendance(models.Model):
    """A participant was present on one day of the event."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="attendance_once_per_day"),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.day}"


class Visit(models.Model):
    """A supervision visit to a unit by office staff."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("visit date"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT,
        related_name="+",
    )
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    findings = models.TextField(_("findings"))
    flagged_needs_support = models.BooleanField(_("flagged as needing support"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.visited_on}"


class FollowUp(models.Model):
    """An action agreed at a visit, with a due date and its completion."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.CharField(_("completion note"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.action

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.completed_on is None and self.due_on < today


class Evaluation(models.Model):
    """The yearly evaluation of a unit: a score and a narrative."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.PositiveSmallIntegerField(_("score (0–100)"))
    narrative = models.TextField(_("narrative"))
    evaluated_on = models.DateField(_("evaluation date"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="evaluation_one_per_unit_year"),
            models.CheckConstraint(condition=Q(score__lte=100), name="evaluation_score_max_100"),
        ]
        verbose_name = _("yearly evaluation")
        verbose_name_plural = _("yearly evaluations")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.score}"


class WorkPlan(models.Model):
    """A unit's yearly plan: the targets monthly reports are compared against."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="work_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    clients_screened = models.PositiveIntegerField(_("clients screened"), default=0)
    clients_served = models.PositiveIntegerField(_("clients served"), default=0)
    referrals = models.PositiveIntegerField(_("referrals"), default=0)
    community_activities = models.PositiveIntegerField(_("community activities"), default=0)
    participants_reached = models.PositiveIntegerField(_("participants reached"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    TARGET_FIELDS = (
        "clients_screened",
        "clients_served",
        "referrals",
        "community_activities",
        "participants_reached",
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="workplan_one_per_unit_year"),
        ]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
