"""Shape validation for the client journey's pages (meaning is checked in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import User
from pulih.accounts.roles import UNIT_ROLES
from pulih.clients.models import (
    AgeBand,
    Client,
    ClosureReason,
    ConsentGiver,
    ConsentKind,
    ContactMode,
    ContactOutcome,
    OutreachChannel,
    OutreachOutcome,
    PlanModality,
    ReferralSource,
    SessionKind,
    Sex,
    UrineResult,
    UrineTestMethod,
)
from pulih.regions.forms import RegionField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _today() -> Any:
    return timezone.localdate()


class OutreachForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    channel = forms.ChoiceField(label=_("Channel"), choices=OutreachChannel.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in OutreachOutcome.choices if c[0] != OutreachOutcome.CONSENTED]
    )
    village = RegionField("village", label=_("Village"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names or other identifying details before consent."),
    )


class RegisterForm(forms.Form):
    consent_data = forms.BooleanField(
        label=_("The person agrees that their data is recorded and processed"), required=False
    )
    consent_services = forms.BooleanField(
        label=_("The person agrees to receive IBM services"), required=False
    )
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentGiver.choices)
    consent_guardian = forms.BooleanField(
        label=_("A parent or guardian consents (required for a minor)"), required=False
    )
    giver_name = forms.CharField(label=_("Name of the parent or guardian"), max_length=150, required=False)
    evidence = forms.FileField(
        label=_("Consent evidence (photo of the signed form)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )
    name = forms.CharField(label=_("Name or alias"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900, max_value=2100)
    age_band = forms.ChoiceField(
        label=_("Age band (if the birth year is not known)"),
        choices=[("", "—"), *AgeBand.choices],
        required=False,
    )
    village = RegionField("village", label=_("Village"))
    rw = forms.CharField(label=_("RW"), max_length=10, required=False)
    nik = forms.CharField(
        label=_("NIK (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    referral_source = forms.ChoiceField(label=_("Referral source"), choices=ReferralSource.choices)


class ClientEditForm(forms.Form):
    name = forms.CharField(label=_("Name or alias"), max_length=150)
    rw = forms.CharField(label=_("RW"), max_length=10, required=False)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    village = RegionField("village", label=_("Village"))


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent"), choices=ConsentKind.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(label=_("Name of the parent or guardian"), max_length=150, required=False)
    destination = forms.CharField(
        label=_("Referral destination (sharing only)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to allow sharing with any referral destination."),
    )
    share_identity = forms.BooleanField(
        label=_("The name may appear on the referral letter (sharing only)"), required=False
    )
    evidence = forms.FileField(
        label=_("Evidence (photo of the signed form)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def unit_agents(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True).order_by("full_name")


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}))
    modality = forms.ChoiceField(label=_("Modality"), choices=PlanModality.choices)
    frequency = forms.CharField(label=_("Frequency"), max_length=100, help_text=_("For example: weekly."))
    responsible = AgentChoiceField(label=_("Responsible agent"), queryset=User.objects.none())
    review_on = forms.DateField(label=_("Review date"), widget=DateInput())

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = unit_agents(unit_id)  # type: ignore[attr-defined]


class ClientChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    clients = ClientChoices(
        label=_("Attending clients"), queryset=Client.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=1)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    written_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}))


class UrineTestForm(forms.Form):
    tested_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    method = forms.ChoiceField(label=_("Kit or facility"), choices=UrineTestMethod.choices)
    facility = forms.CharField(label=_("Facility"), max_length=200, required=False)
    substances = forms.CharField(
        label=_("Substances tested"), max_length=200, help_text=_("For example: MET, AMP, THC, MOR, BZO.")
    )
    result = forms.ChoiceField(label=_("Result"), choices=UrineResult.choices)


class ContactForm(forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Mode"), choices=ContactMode.choices)
    agent = AgentChoiceField(label=_("Agent"), queryset=User.objects.none())

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = unit_agents(unit_id)  # type: ignore[attr-defined]


class ContactDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput(), initial=_today)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
