"""Service providers (the referral network, domain.md §3) and referrals.

A referral follows the state machine of :mod:`pulih.referrals.states`; each
state it enters is stamped on the referral (``sent_at`` …) and written as a
:class:`ReferralEvent` with who recorded it and, for the destination's
answers, who at the destination gave them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.referrals.overdue import is_overdue
from pulih.referrals.states import ReferralAction, ReferralState
from pulih.regions.models import Regency


class ProviderType(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Community health centre (Puskesmas)")
    HOSPITAL = "hospital", _("Hospital")
    RSJ = "rsj", _("Mental hospital (RSJ)")
    BNN_CLINIC_PRATAMA = "bnn_klinik_pratama", _("BNN clinic (Klinik Pratama)")
    BNN_CLINIC_UTAMA = "bnn_klinik_utama", _("BNN clinic (Klinik Utama)")
    BALAI_LOKA = "balai_loka", _("BNN rehabilitation centre (Balai/Loka Rehabilitasi)")
    BALAI_BESAR_LIDO = "balai_besar_lido", _("Balai Besar Rehabilitasi BNN Lido")
    IPWL_MEDICAL = "ipwl_medical", _("Medical IPWL")
    IPWL_SOCIAL = "ipwl_social", _("Social IPWL")
    LKS = "lks", _("Social welfare institution (LKS)")
    DINAS_SOSIAL = "dinas_sosial", _("Social affairs office (Dinas Sosial)")
    PTRM = "ptrm", _("Methadone programme (PTRM)")


# Types that are IPWL by definition; other types may be designated IPWL too.
IPWL_TYPES = frozenset({ProviderType.IPWL_MEDICAL, ProviderType.IPWL_SOCIAL})


class ServiceProvider(models.Model):
    """A place a client can be referred to: one row of the provider directory."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=24, choices=ProviderType.choices)
    is_ipwl = models.BooleanField(
        _("IPWL"),
        default=False,
        help_text=_("Designated to receive the compulsory self-report (Institusi Penerima Wajib Lapor)."),
    )
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    services = models.TextField(_("services offered"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("illustrative demo data"), default=False, help_text=_("Set on records made up for the demo.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="provider_unique_name_in_regency"),
            models.CheckConstraint(
                condition=~Q(type__in=sorted(IPWL_TYPES)) | Q(is_ipwl=True),
                name="provider_ipwl_type_is_ipwl",
            ),
        ]
        indexes = [models.Index(fields=["type", "regency"], name="provider_type_regency")]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name


class Pathway(models.TextChoices):
    """What the referral is for (the pathways of domain.md §2's eligibility policy)."""

    OUTPATIENT = "outpatient", _("Outpatient rehabilitation")
    INPATIENT = "inpatient", _("Inpatient rehabilitation")
    SOCIAL = "social", _("Social rehabilitation")
    METHADONE = "methadone", _("Methadone (PTRM)")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    MEDICAL = "medical", _("Medical care")
    SELF_REPORT = "self_report", _("Compulsory self-report (wajib lapor) at an IPWL")
    SOCIAL_SUPPORT = "social_support", _("Social support")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon (within a week)")
    URGENT = "urgent", _("Urgent (same day)")


class Outcome(models.TextChoices):
    """The destination's feedback on how the referral ended."""

    COMPLETED = "completed", _("Completed the programme")
    PARTIAL = "partial", _("Partly completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    REFERRED_ON = "referred_on", _("Referred on elsewhere")
    OTHER = "other", _("Other")


class SharedItem(models.TextChoices):
    """What may travel with a referral. Identity only with an explicit consent."""

    CODE = "code", _("Client code")
    SEX = "sex", _("Sex")
    AGE_BAND = "age_band", _("Age band")
    ASSIST = "assist", _("ASSIST risk summary")
    IDENTITY = "identity", _("Name and NIK")


DEFAULT_SHARED = (SharedItem.CODE, SharedItem.SEX, SharedItem.AGE_BAND, SharedItem.ASSIST)


class Referral(models.Model):
    """A referral of one client to one provider, closed when the loop is closed.

    ``id`` may be generated by the client (offline app); creating the same id
    twice returns the first referral. ``shared`` lists what the sharing
    consent allowed to travel at the time the referral was made, and
    ``summary`` holds the pseudonymous part of it as sent (code, sex, age
    band, ASSIST summary); identity is never copied here, it is read from the
    client record when a letter is printed and only if ``shared`` allows it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="referrals"
    )
    # The client's unit, copied at creation (a client never changes unit): the
    # scope of a referral list is a set of units, read through one index.
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("IBM unit"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # referral_unit_newest (unit, -created_at) serves it
    )
    episode = models.ForeignKey(
        "clients.Episode",
        verbose_name=_("episode"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    provider = models.ForeignKey(
        ServiceProvider, verbose_name=_("referred to"), on_delete=models.PROTECT, related_name="referrals"
    )
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    reason = models.TextField(_("reason for referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    shared = models.JSONField(_("shared with the destination"), default=list)
    summary = models.JSONField(_("shared summary"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ReferralState.choices, default=ReferralState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    started_at = models.DateTimeField(_("services started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned for aftercare"), null=True, blank=True)
    feedback = models.TextField(_("feedback from the destination"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                # A draft can be cancelled before it was ever sent.
                condition=Q(state__in=[ReferralState.DRAFT, ReferralState.CANCELLED])
                | Q(sent_at__isnull=False),
                name="referral_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[ReferralState.COMPLETED, ReferralState.RETURNED])
                | (~Q(outcome="") & Q(completed_at__isnull=False)),
                name="referral_completed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "sent_at"], name="referral_state_sent"),
            models.Index(fields=["client", "created_at"], name="referral_client_created"),
            models.Index(fields=["unit", "-created_at"], name="referral_unit_newest"),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.client_id} → {self.provider_id} ({self.state})"

    @property
    def shares_identity(self) -> bool:
        return SharedItem.IDENTITY in self.shared

    def get_shared_labels(self) -> list[str]:
        return [str(SharedItem(s).label) for s in self.shared if s in SharedItem.values]

    @property
    def is_overdue(self) -> bool:
        return is_overdue(state=self.state, sent_at=self.sent_at)


class ReferralEvent(models.Model):
    """One step of a referral's history: which state, when, recorded by whom.

    ``at`` is when the step happened (the destination's date when recorded on
    its behalf); ``recorded_at`` is when it was written. ``counterpart_*``
    names the person at the destination who gave the answer.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=ReferralAction.choices, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReferralState.choices)
    at = models.DateTimeField(_("at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_name = models.CharField(_("name at the destination"), max_length=150, blank=True)
    counterpart_role = models.CharField(_("role at the destination"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_at")]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.state} {self.at:%Y-%m-%d}"
