"""The client journey's own records: outreach, clients, episodes, consent, care.

Identity is minimal and encrypted at rest (``EncryptedTextField``): the name or
alias, the optional NIK, the optional phone number and the RW. The NIK is
searchable only through its blind index, so a duplicate can be found without
decrypting or revealing anybody. Everything else a supervisor may see is
pseudonymous: the client code, sex, birth year or age band, village.

Primary keys are UUIDs so that the offline app can create records on a phone
and send them later; the same id sent twice is the same record.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.core.crypto import EncryptedTextField
from pulih.organisations.models import Unit
from pulih.regions.models import Village

# --- Choices -------------------------------------------------------------------


class OutreachChannel(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    FAMILY = "family", _("Via family")
    COMMUNITY_FIGURE = "community_figure", _("Via community figure")
    CLINIC = "clinic", _("From a clinic")
    SELF = "self", _("Self-referral")
    AFTER_REHAB = "after_rehab", _("After formal rehabilitation")


class OutreachOutcome(models.TextChoices):
    INFORMED = "informed", _("Informed, no decision yet")
    FOLLOW_UP = "follow_up", _("Agreed to a follow-up contact")
    CONSENTED = "consented", _("Consented and registered")
    DECLINED = "declined", _("Declined")
    NOT_REACHED = "not_reached", _("Not reached")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class AgeBand(models.TextChoices):
    UNDER_15 = "0-14", _("Under 15")
    AGE_15_17 = "15-17", _("15–17")
    AGE_18_24 = "18-24", _("18–24")
    AGE_25_34 = "25-34", _("25–34")
    AGE_35_44 = "35-44", _("35–44")
    AGE_45_PLUS = "45+", _("45 and over")


MINOR_AGE_BANDS = frozenset({AgeBand.UNDER_15, AgeBand.AGE_15_17})


class ReferralSource(models.TextChoices):
    OUTREACH = "outreach", _("Agent outreach")
    FAMILY = "family", _("Family")
    COMMUNITY_FIGURE = "community_figure", _("Community figure")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    SELF = "self", _("Self-referral")
    AFTER_REHAB = "after_rehab", _("After formal rehabilitation (aftercare)")
    OTHER = "other", _("Other")


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class EpisodeStatus(models.TextChoices):
    """The client workflow of domain.md §6 (one episode = one pass through it)."""

    REGISTERED = "registered", _("Consented and registered")
    SCREENED = "screened", _("Screened")
    PLANNED = "planned", _("Planned")
    IN_INTERVENTION = "in_intervention", _("In intervention")
    MONITORING = "monitoring", _("Monitoring")
    COMPLETED = "completed", _("Completed")
    AFTERCARE = "aftercare", _("Aftercare")
    REFERRED = "referred", _("Referred")
    RETURNED = "returned", _("Returned for aftercare")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    REFERRED_OUT = "referred_out", _("Referred out")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    LOST = "lost_to_follow_up", _("Lost to follow-up")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("Consent to services")
    DATA_PROCESSING = "data_processing", _("Consent to data processing")
    SHARING = "sharing", _("Consent to share with a referral destination")
    GUARDIAN = "guardian", _("Guardian consent (minor)")


class ConsentGiver(models.TextChoices):
    CLIENT = "client", _("The client")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Legal guardian")
    FAMILY = "family", _("Other family member")


class PlanModality(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    FAMILY = "family", _("Family")


class SessionKind(models.TextChoices):
    BRIEF_INTERVENTION = "brief_intervention", _("Brief intervention")
    INDIVIDUAL = "individual", _("Individual counselling")
    GROUP = "group", _("Group session")
    FAMILY = "family", _("Family session")
    HOME_VISIT = "home_visit", _("Home visit")


class UrineTestMethod(models.TextChoices):
    KIT = "kit", _("Rapid test kit")
    FACILITY = "facility", _("Health facility")


class UrineResult(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")


class ContactMode(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone or message")
    AT_POST = "at_post", _("At the IBM post")


class ContactOutcome(models.TextChoices):
    STABLE = "stable", _("Stable")
    STRUGGLING = "struggling", _("Struggling, needs support")
    RELAPSE = "relapse", _("Relapse")
    NOT_REACHED = "not_reached", _("Not reached")


# --- Outreach ----------------------------------------------------------------------


class OutreachContact(models.Model):
    """A first contact with a person, before any consent: no name is stored.

    ``client`` is set only once the person consents and is registered.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=OutreachChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=OutreachOutcome.choices)
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("No names or other identifying details before consent.")
    )
    client = models.ForeignKey(
        "Client",
        verbose_name=_("registered client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_contacts",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        indexes = [models.Index(fields=["unit", "contacted_on"], name="outreach_unit_date")]
        verbose_name = _("outreach contact")
        verbose_name_plural = _("outreach contacts")

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_channel_display()}"


# --- Client, episode, consent -------------------------------------------------------


class Client(models.Model):
    """A person served by an IBM unit, known outside the unit only by ``code``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("client code"), max_length=24, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="clients"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    # Identity: encrypted at rest, shown only where scoping allows, every read audited.
    name = EncryptedTextField(_("name or alias"))
    nik = EncryptedTextField(_("NIK"), blank=True)
    # NULL (not "") when there is no NIK, so that the unique constraint ignores it.
    nik_index = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    phone = EncryptedTextField(_("phone"), blank=True)
    rw = EncryptedTextField(_("RW"), blank=True)
    # Pseudonymous attributes.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    referral_source = models.CharField(_("referral source"), max_length=20, choices=ReferralSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    # Restriction of processing (UU 27/2022): the record is stored but every
    # processing service refuses it (``pulih.clients.consents.require_not_restricted``).
    # Set and lifted only by the data protection officer (``pulih.privacy``).
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    restriction_reason = models.CharField(_("reason for the restriction"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik_index"], condition=Q(nik_index__isnull=False), name="client_unique_nik_index"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=False) | ~Q(age_band=""), name="client_birth_year_or_age_band"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="client_unit_status"),
            # The scoped client list: newest 25 of a unit without sorting the unit's clients.
            models.Index(fields=["unit", "-created_at"], name="client_unit_newest"),
        ]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        # Never the name: str() ends up in logs and admin lists.
        return self.code

    @property
    def age(self) -> int | None:
        if self.birth_year is None:
            return None
        return timezone.localdate().year - self.birth_year

    @property
    def is_minor(self) -> bool:
        minor_age = getattr(settings, "PULIH_MINOR_AGE", 18)
        if self.age is not None:
            return self.age < minor_age
        return self.age_band in MINOR_AGE_BANDS


class Episode(models.Model):
    """One pass of a client through the programme; reopening starts a new one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="episodes"
    )
    number = models.PositiveSmallIntegerField(_("episode"))
    status = models.CharField(
        _("status"), max_length=16, choices=EpisodeStatus.choices, default=EpisodeStatus.REGISTERED
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["client", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["client", "number"], name="episode_unique_number"),
            models.UniqueConstraint(
                fields=["client"], condition=Q(closed_at__isnull=True), name="episode_one_open_per_client"
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True, closure_reason="") & ~Q(status=EpisodeStatus.CLOSED))
                | (Q(closed_at__isnull=False, status=EpisodeStatus.CLOSED) & ~Q(closure_reason="")),
                name="episode_closed_has_reason",
            ),
        ]
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")

    def __str__(self) -> str:
        return f"{self.client.code} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Consent(models.Model):
    """A recorded consent; withdrawal keeps the record and sets ``withdrawn_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    giver_name = EncryptedTextField(
        _("name of the person giving consent"), blank=True, help_text=_("For a parent or guardian.")
    )
    destination = models.CharField(
        _("referral destination"),
        max_length=200,
        blank=True,
        help_text=_(
            "For sharing: the service the data may be shared with; empty means any referral destination."
        ),
    )
    share_identity = models.BooleanField(
        _("identity may be shared"),
        default=False,
        help_text=_("For sharing: the name may appear on the referral letter."),
    )
    given_at = models.DateTimeField(_("given at"))
    evidence = models.FileField(_("evidence (photo or scan)"), upload_to="consents/%Y/%m/", blank=True)
    signature = models.TextField(
        _("signature"), blank=True, help_text=_("Signature drawn on the screen (image data).")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["client", "kind"], name="consent_client_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.client.code} {self.kind}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# --- Care: plans, sessions, notes, tests, monitoring ------------------------------------


class InterventionPlan(models.Model):
    """The rencana intervensi of one episode."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="plans"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField(_("goals"))
    modality = models.CharField(_("modality"), max_length=12, choices=PlanModality.choices)
    frequency = models.CharField(_("frequency"), max_length=100, help_text=_("For example: weekly."))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible agent"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_on = models.DateField(_("review date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("intervention plan")
        verbose_name_plural = _("intervention plans")

    def __str__(self) -> str:
        return f"{self.client.code} plan {self.created_at:%Y-%m-%d}"


class Session(models.Model):
    """One intervention session; a group session is one record with many clients."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("IBM unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    clients: models.ManyToManyField[Client, SessionAttendance] = models.ManyToManyField(
        Client, through="SessionAttendance", related_name="sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        # The monthly compile and the rollups count a unit's sessions of a window
        # (measured on the national set: docs/performance.md).
        indexes = [models.Index(fields=["unit", "held_on"], name="session_unit_held")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "client"], name="attendance_unique")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.session_id} {self.client_id}"


class ProgressNote(models.Model):
    """An entry of the buku raport klien."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="notes"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.client.code} {self.written_on}"


class UrineTest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="urine_tests"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="urine_tests")
    tested_on = models.DateField(_("date"))
    method = models.CharField(_("kit or facility"), max_length=10, choices=UrineTestMethod.choices)
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    substances = models.CharField(
        _("substances tested"), max_length=200, help_text=_("For example: MET, AMP, THC, MOR, BZO.")
    )
    result = models.CharField(_("result"), max_length=10, choices=UrineResult.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tested_on", "-created_at"]
        verbose_name = _("urine test")
        verbose_name_plural = _("urine tests")

    def __str__(self) -> str:
        return f"{self.client.code} {self.tested_on} {self.result}"


class MonitoringContact(models.Model):
    """A scheduled monitoring or aftercare contact; done when ``done_on`` is set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contacts")
    due_on = models.DateField(_("due"))
    mode = models.CharField(_("mode"), max_length=10, choices=ContactMode.choices, default=ContactMode.VISIT)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ContactOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, outcome="") | (Q(done_on__isnull=False) & ~Q(outcome="")),
                name="contact_done_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["agent", "done_on", "due_on"], name="contact_agent_due")]
        verbose_name = _("monitoring contact")
        verbose_name_plural = _("monitoring contacts")

    def __str__(self) -> str:
        return f"{self.client.code} {self.due_on}"
