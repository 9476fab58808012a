from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.organisations.models import Office, OfficeKind
from pulih.regions.forms import MultiRegionField, RegionField


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Level"), choices=OfficeKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent office"), queryset=Office.objects.exclude(kind=OfficeKind.BNNK), required=False
    )
    province = RegionField("province", label=_("Province"), required=False)
    seat = RegionField("regency", label=_("Seat (regency/city)"), required=False)
    work_area = MultiRegionField(
        "regency",
        label=_("Work area"),
        required=False,
        help_text=_("Regencies/cities this office supervises. A BNNP covers its whole province."),
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    letterhead = forms.CharField(label=_("Letterhead line"), max_length=250, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            self.fields["kind"].disabled = True
        else:
            del self.fields["is_active"]
