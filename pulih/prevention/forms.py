"""Shape validation for community activities; meaning is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.mapping.choices import AgeBand, Sex
from pulih.prevention.models import ActivityKind, Partner
from pulih.regions.forms import RegionField


def participant_field(sex: str, band: str) -> str:
    return f"p_{sex}_{band.replace('-', '_').replace('+', 'plus')}"


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rw = forms.CharField(label=_("RW"), max_length=4, required=False)
    place = forms.CharField(
        label=_("Place"), max_length=150, required=False, help_text=_("For example “Masjid, RW 02”.")
    )
    partners = forms.MultipleChoiceField(
        label=_("Partners involved"),
        choices=Partner.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners_other = forms.CharField(label=_("Other partners"), max_length=200, required=False)
    newcomers_count = forms.IntegerField(
        label=_("Newcomers recorded (number only)"), min_value=0, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, help_text=_("No names of residents.")
    )

    def __init__(self, *args: Any, with_village: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_village:
            self.fields["village"] = RegionField("village", label=_("Village"))
            self.order_fields(["kind", "held_on", "village"])
        for sex, sex_label in Sex.choices:
            for band, band_label in AgeBand.choices:
                self.fields[participant_field(sex, band)] = forms.IntegerField(
                    label=f"{sex_label}, {band_label}",
                    min_value=0,
                    max_value=100000,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def participants(self) -> dict[tuple[str, str], int]:
        out = {}
        for sex in Sex.values:
            for band in AgeBand.values:
                value = self.cleaned_data.get(participant_field(sex, band))
                if value:
                    out[(sex, band)] = value
        return out

    def participant_fields(self) -> list[Any]:
        return [self[participant_field(s, b)] for s in Sex.values for b in AgeBand.values]

    def main_fields(self) -> list[Any]:
        names = {participant_field(s, b) for s in Sex.values for b in AgeBand.values}
        return [f for f in self.visible_fields() if f.name not in names]
