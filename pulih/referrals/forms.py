"""Shape validation for referral pages; meaning is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pulih.referrals.models import Outcome, Pathway, ProviderType, ServiceProvider, Urgency
from pulih.referrals.states import NOTE_REQUIRED, ON_BEHALF_OF_DESTINATION, ReferralAction
from pulih.regions.forms import RegionField


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=ProviderType.choices)
    is_ipwl = forms.BooleanField(
        label=_("IPWL (receives the compulsory self-report)"),
        required=False,
        help_text=_("Medical and social IPWL types are always IPWL."),
    )
    regency = RegionField("regency", label=_("Regency/city"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    services = forms.CharField(
        label=_("Services offered"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        ipwl = " · IPWL" if obj.is_ipwl else ""
        return f"{obj.name} ({obj.regency.short_label}){ipwl}"


class ReferralForm(forms.Form):
    # Generated when the form is shown: submitting the same form twice (a
    # double tap, a retry on a slow network) creates one referral.
    id = forms.UUIDField(widget=forms.HiddenInput)
    provider = ProviderChoiceField(label=_("Refer to"), queryset=ServiceProvider.objects.none())
    pathway = forms.ChoiceField(label=_("Referred for"), choices=[("", "—"), *Pathway.choices])
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    reason = forms.CharField(
        label=_("Reason for referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the destination needs to know. Do not write the client's name here."),
    )

    def __init__(self, *args: Any, providers: QuerySet[ServiceProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, ProviderChoiceField)
        field.queryset = providers


class TransitionForm(forms.Form):
    """The details one step needs; fields not needed by the action are removed."""

    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When it happened. Empty means today."),
    )
    counterpart_name = forms.CharField(label=_("Name at the destination"), max_length=150, required=False)
    counterpart_role = forms.CharField(label=_("Their role"), max_length=150, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action not in ON_BEHALF_OF_DESTINATION:
            del self.fields["counterpart_name"], self.fields["counterpart_role"]
        else:
            self.fields["counterpart_name"].required = True
        if action != ReferralAction.COMPLETE:
            del self.fields["outcome"]
        else:
            self.fields["outcome"].required = True
            self.fields["note"].label = _("Feedback from the destination")
        if action in NOTE_REQUIRED:
            self.fields["note"].required = True
            if action in (ReferralAction.CANCEL, ReferralAction.REJECT):
                self.fields["note"].label = _("Reason")
