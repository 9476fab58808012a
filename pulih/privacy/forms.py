"""Shape validation for the privacy pages (meaning is checked by the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.privacy.models import RequestKind, RequestStatus, RetentionAction

# What a phone's datetime-local input sends, plus typed forms.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class RequestForm(forms.Form):
    client_code = forms.CharField(
        label=_("Client code"), max_length=24, help_text=_("For example PLH-15-7K3QXD.")
    )
    kind = forms.ChoiceField(label=_("Type of request"), choices=RequestKind.choices)
    received_at = forms.DateTimeField(
        label=_("Received"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty means now."),
    )
    channel = forms.CharField(label=_("Received how"), max_length=100, required=False)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("How the identity was verified"), max_length=300)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (RequestStatus.COMPLETED, RequestStatus.COMPLETED.label),
            (RequestStatus.REFUSED, RequestStatus.REFUSED.label),
        ],
    )
    outcome = forms.CharField(
        label=_("Outcome given to the requester"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RectifyForm(forms.Form):
    name = forms.CharField(label=_("Name or alias"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    rw = forms.CharField(label=_("RW"), max_length=20, required=False)


class ConfirmForm(forms.Form):
    """A confirmed POST with no fields (the page asks with ``data-confirm``)."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RetentionRuleForm(forms.Form):
    keep_for_days = forms.IntegerField(label=_("Keep for (days) after the record closes"), min_value=0)
    action = forms.ChoiceField(label=_("Then"), choices=RetentionAction.choices)
    legal_basis = forms.CharField(label=_("Legal basis or reason"), widget=forms.Textarea(attrs={"rows": 3}))
    holds_erasure = forms.BooleanField(
        label=_("A legal obligation holds it for the whole period (erasure requests refused)"), required=False
    )
    active = forms.BooleanField(label=_("Applied by the retention job"), required=False)


class BreachForm(forms.Form):
    account = forms.CharField(
        label=_("Account (username)"),
        max_length=150,
        required=False,
        help_text=_("Several: separate with commas."),
    )
    device = forms.CharField(
        label=_("Device or token"),
        max_length=64,
        required=False,
        help_text=_("As in the audit trail, e.g. token:ab12cd34."),
    )
    start = forms.DateTimeField(
        label=_("From"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label=_("Until"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("account") and not data.get("device"):
            raise forms.ValidationError(_("Give an account or a device."))
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The end must be after the start."))
        return data
