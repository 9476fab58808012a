"""Shape validation only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.reports.models import ExportFormat, ExportKind


class MonthInput(forms.DateInput):
    input_type = "month"


class MonthField(forms.DateField):
    widget = MonthInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)

    def prepare_value(self, value: object) -> object:
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value


class OpenReportForm(forms.Form):
    month = MonthField(label=_("Month"))


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the unit did this month, in your own words. No names of clients."),
    )
    challenges = forms.CharField(
        label=_("Challenges and support needed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plans_next_month = forms.CharField(
        label=_("Plans for next month"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", "submit"),
            ("return", "return"),
            ("verify", "verify"),
            ("finalise", "finalise"),
            ("reopen", "reopen"),
            ("compile", "compile"),
        ]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ExportKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    level = forms.CharField(required=False)
    area = forms.CharField(required=False)
    by = forms.CharField(required=False)
    focus = forms.CharField(required=False)
    report = forms.UUIDField(required=False)
    month = forms.CharField(required=False)
    indicators = forms.CharField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["from"] = forms.CharField(required=False)
        self.fields["to"] = forms.CharField(required=False)

    def params(self) -> dict[str, object]:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in {"kind", "format"} and v not in (None, "")
        }
        if "report" in data:
            data["report"] = str(data["report"])
        if "indicators" in data:
            data["indicators"] = [k for k in str(data["indicators"]).split(",") if k]
        return data
