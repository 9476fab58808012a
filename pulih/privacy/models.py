"""The data-subject request register, the retention schedule and the destruction log.

The retention schedule is data (:class:`RetentionRule`), one row per data
class: the defaults created by the migration are a starting point for the data
protection officer to set from the organisation's legal advice, not legal
advice themselves.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# UU 27/2022 answers access, rectification, restriction and erasure within 3 × 24 hours.
RESPONSE_HOURS = 72


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (copy of the data and its processing history)")
    RECTIFICATION = "rectification", _("Rectification")
    RESTRICTION = "restriction", _("Restriction of processing")
    ERASURE = "erasure", _("Erasure or anonymisation")
    OBJECTION = "objection", _("Objection to processing")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Identity verified, in progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class DataSubjectRequest(models.Model):
    """One request of a client (or their guardian) exercising a right under UU 27/2022."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="privacy_requests",
    )
    kind = models.CharField(_("type"), max_length=16, choices=RequestKind.choices)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"))
    channel = models.CharField(
        _("received how"), max_length=100, blank=True, help_text=_("For example: in person at the unit.")
    )
    identity_verified_at = models.DateTimeField(_("identity verified"), null=True, blank=True)
    verification_note = models.CharField(
        _("how the identity was verified"),
        max_length=300,
        blank=True,
        help_text=_("For example: KTP seen by the coordinator. Do not write the NIK here."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("received_at")), name="dsr_due_after_received"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["received", "in_progress"], closed_at__isnull=True))
                | (Q(status__in=["completed", "refused"], closed_at__isnull=False) & ~Q(outcome="")),
                name="dsr_closed_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="dsr_status_due")]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.is_open and timezone.now() > self.due_at


class DataClass(models.TextChoices):
    """What a retention rule applies to (see docs/privacy.md for the fields in each)."""

    IDENTITY = "identity", _("Client identity (name, NIK, phone, RW, consent givers' names and evidence)")
    CASE_NOTES = "case_notes", _("Free-text case notes (progress, sessions, monitoring, referrals)")
    CARE_RECORD = "care_record", _("Structured care record (exact birth year; kept as age band)")
    OUTREACH = "outreach", _("Outreach contacts that never led to a registration")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise")
    DELETE = "delete", _("Delete")


class RetentionRule(models.Model):
    """How long one data class is kept after the client's record closes, and what happens then.

    ``holds_erasure``: a legal obligation requires keeping the class for the
    whole period, so an erasure request made earlier is refused for it.
    """

    data_class = models.CharField(_("data class"), max_length=16, choices=DataClass.choices, unique=True)
    keep_for_days = models.PositiveIntegerField(_("keep for (days)"))
    action = models.CharField(_("then"), max_length=10, choices=RetentionAction.choices)
    legal_basis = models.TextField(_("legal basis or reason"))
    holds_erasure = models.BooleanField(
        _("a legal obligation holds it for the whole period"),
        default=False,
        help_text=_("If set, an erasure request made within the period is refused for this class."),
    )
    active = models.BooleanField(_("applied by the retention job"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["data_class"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.data_class}: {self.keep_for_days} d, {self.action}"


class DestructionRecord(models.Model):
    """One destruction (anonymisation or deletion) of one data class, by the job or on request."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Retention schedule")
        REQUEST = "request", _("Erasure request")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_class = models.CharField(_("data class"), max_length=16, choices=DataClass.choices)
    action = models.CharField(_("action"), max_length=10, choices=RetentionAction.choices)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    rule = models.ForeignKey(
        RetentionRule,
        verbose_name=_("rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    keep_for_days = models.PositiveIntegerField(_("retention period applied (days)"), null=True, blank=True)
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="destructions",
    )
    subjects = models.PositiveIntegerField(_("clients or records"))
    rows = models.PositiveIntegerField(_("rows changed or deleted"), default=0)
    cutoff = models.DateTimeField(_("closed before"), null=True, blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.data_class} {self.action} ×{self.subjects}"


class ClientDestruction(models.Model):
    """Which data class of which client is already destroyed (makes the job idempotent)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="privacy_destructions"
    )
    data_class = models.CharField(max_length=16, choices=DataClass.choices)
    record = models.ForeignKey(DestructionRecord, on_delete=models.PROTECT, related_name="clients")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "data_class"], name="client_destruction_once"),
        ]
        verbose_name = _("destroyed client data class")
        verbose_name_plural = _("destroyed client data classes")

    def __str__(self) -> str:
        return f"{self.client_id} {self.data_class}"
