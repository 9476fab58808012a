"""Shape validation for the mapping pages; meaning is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.mapping.choices import AgeBand, Sex, Substance
from pulih.mapping.models import (
    BersinarStatus,
    HotspotKind,
    IkrnCategory,
    ResourceKind,
    StakeholderKind,
    Support,
)
from pulih.mapping.models.bersinar import COMPONENTS, FUNDING
from pulih.mapping.models.ikrn import CATEGORY_ORDER
from pulih.regions.forms import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SituationForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    title = forms.CharField(
        label=_("Title"), max_length=100, required=False, help_text=_("For example “2024 semester 1”.")
    )
    risk_entertainment = forms.BooleanField(label=_("Entertainment venues"), required=False)
    risk_boarding_houses = forms.BooleanField(
        label=_("Boarding houses / high-privacy housing"), required=False
    )
    risk_poverty = forms.BooleanField(label=_("Poverty"), required=False)
    risk_public_facilities = forms.BooleanField(label=_("Lack of public facilities"), required=False)
    risk_social_interaction = forms.BooleanField(label=_("Low social interaction"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea, required=False, help_text=_("No names of people.")
    )


class EstimateForm(forms.Form):
    substance = forms.ChoiceField(label=_("Substance"), choices=Substance.choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    count = forms.IntegerField(
        label=_("Estimated number"), min_value=0, max_value=100000, help_text=_("0 removes the estimate.")
    )


class HotspotForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100, help_text=_("A place, never a person."))
    kind = forms.ChoiceField(label=_("Type"), choices=HotspotKind.choices)
    rw = forms.CharField(label=_("RW"), max_length=4, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "data-gps-lat": ""}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "data-gps-lon": ""}),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea, required=False, help_text=_("No names of people.")
    )


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("Name of the facility or group"), max_length=150)
    rw = forms.CharField(label=_("RW"), max_length=4, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=250, required=False)


class StakeholderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=StakeholderKind.choices)
    description = forms.CharField(
        label=_("Role or institution"),
        max_length=150,
        help_text=_("For example “Ketua RW 03”; no private names."),
    )
    support = forms.ChoiceField(label=_("Support"), choices=Support.choices, initial=Support.UNKNOWN)


class VillagePointForm(forms.Form):
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "data-gps-lat": ""}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "data-gps-lon": ""}),
    )
    source = forms.CharField(
        label=_("What the point marks"),
        max_length=200,
        required=False,
        help_text=_("For example “kantor desa”."),
    )


class IkrnImportForm(forms.Form):
    file = forms.FileField(label=_("IKRN file (.csv or .xlsx)"))


class IkrnRuleForm(forms.Form):
    """One line per category: minimum main and supporting indicators met."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in CATEGORY_ORDER:
            label = IkrnCategory(category).label
            self.fields[f"{category}_min_main"] = forms.IntegerField(
                label=_("%(category)s: main indicators met, at least") % {"category": label},
                min_value=0,
                max_value=8,
                required=False,
            )
            self.fields[f"{category}_min_supporting"] = forms.IntegerField(
                label=_("%(category)s: supporting indicators met, at least") % {"category": label},
                min_value=0,
                max_value=5,
                required=False,
            )
            self.fields[f"{category}_prone"] = forms.BooleanField(
                label=_("%(category)s counts as drug-prone area") % {"category": label}, required=False
            )
            self.fields[f"{category}_source"] = forms.CharField(
                label=_("%(category)s: source of the rule") % {"category": label},
                max_length=250,
                required=False,
            )


class BersinarForm(forms.Form):
    decree_number = forms.CharField(label=_("Decree number"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Decree date"), required=False, widget=DATE)
    decree_signer = forms.CharField(label=_("Decree signed by"), max_length=150, required=False)
    launched_on = forms.DateField(label=_("Launch date (pencanangan)"), required=False, widget=DATE)
    working_group = forms.CharField(
        label=_("Working group (pokja)"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Members by role or institution."),
    )
    volunteers_count = forms.IntegerField(
        label=_("Anti-drug volunteers (penggiat)"), min_value=0, required=False
    )
    task_force_count = forms.IntegerField(label=_("Task force members (satgas)"), min_value=0, required=False)
    person_in_charge = forms.CharField(
        label=_("Person in charge"),
        max_length=150,
        required=False,
        help_text=_("Role and name of the official."),
    )
    source_note = forms.CharField(label=_("Source / note"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FUNDING:
            self.fields[name] = forms.BooleanField(
                label=_("Funding: %(source)s") % {"source": label}, required=False
            )
        for name, label in COMPONENTS:
            self.fields[name] = forms.BooleanField(
                label=_("Component: %(name)s") % {"name": label}, required=False
            )
        if creating:
            self.fields["village"] = RegionField("village", label=_("Village"))
            self.order_fields(["village"])


class BersinarEvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Evaluation date"), widget=DATE)
    evaluator = forms.CharField(label=_("Evaluated by"), max_length=150, help_text=_("Office or team."))
    summary = forms.CharField(label=_("Findings"), widget=forms.Textarea)


class BersinarFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", _("All statuses")), *BersinarStatus.choices], required=False)
