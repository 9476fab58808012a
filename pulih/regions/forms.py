"""The place picker used by every form that asks for a region.

It renders a search box wired (by ``static/pulih/app.js``) to the one region
search endpoint, ``/api/v1/regions/search``, and submits Kemendagri codes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.regions.models import District, Province, Regency, Village
from pulih.regions.selectors import region_get

MODELS: dict[str, type[models.Model]] = {
    "province": Province,
    "regency": Regency,
    "district": District,
    "village": Village,
}
# A picker of this level finds and accepts a region of any level (list filters).
ANY_LEVEL = ""


def _lookup(level: str, codes: list[str]) -> dict[str, Any]:
    """The regions with these codes, keyed by the code as given (any level when ``level`` is ANY_LEVEL)."""
    if level == ANY_LEVEL:
        found = ((code, region_get(code)) for code in codes)
        return {code: obj for code, obj in found if obj is not None}
    return {o.pk: o for o in MODELS[level]._default_manager.filter(pk__in=codes)}


class RegionPickerWidget(forms.Widget):
    template_name = "regions/widgets/picker.html"

    def __init__(self, level: str, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.level = level
        self.multiple = multiple

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value in (None, ""):
            return []
        if isinstance(value, list | tuple):
            return [str(getattr(v, "pk", v)) for v in value]
        return [str(getattr(value, "pk", value))]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else data.get(name)
        if self.multiple:
            return values
        if isinstance(values, list):
            return values[0] if values else ""
        return values

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        codes = self.format_value(value)
        objs = _lookup(self.level, codes)
        context["widget"].update(
            {
                "level": self.level,
                "multiple": self.multiple,
                "selected": [
                    {"code": code, "label": getattr(objs[code], "label", code) if code in objs else code}
                    for code in codes
                ],
            }
        )
        return context


class RegionField(forms.Field):
    """A region of one level (or of any level: ANY_LEVEL), picked by search; cleans to the model instance."""

    default_error_messages = {"invalid_code": _("Choose a place from the search results.")}

    def __init__(self, level: str, **kwargs: Any) -> None:
        self.level = level
        kwargs.setdefault("widget", RegionPickerWidget(level))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in (None, ""):
            return None
        obj = _lookup(self.level, [str(value)]).get(str(value))
        if obj is None:
            raise ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        return obj


class MultiRegionField(forms.Field):
    default_error_messages = {"invalid_code": _("Choose places from the search results.")}

    def __init__(self, level: str, **kwargs: Any) -> None:
        self.level = level
        kwargs.setdefault("widget", RegionPickerWidget(level, multiple=True))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        codes = [str(v) for v in (value or [])]
        if self.required and not codes:
            raise ValidationError(self.error_messages["required"], code="required")
        objs = list(MODELS[self.level]._default_manager.filter(pk__in=codes))
        if len(objs) != len(set(codes)):
            raise ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        return objs


class AreaFilterForm(forms.Form):
    """The place filter of list pages: one region of any level, picked with the region search.

    ``area`` cleans to a region; ``pulih.regions.selectors.within`` turns its code
    into the filter. A code that names no region is a form error (shown by the
    field), and the list it filters is empty, not unfiltered.
    """

    @classmethod
    def from_query(cls, params: Any) -> AreaFilterForm:
        """Bound to the request's query when it names an area, else unbound (nothing chosen)."""
        return cls(params if params.get("area") else None)

    area = RegionField(ANY_LEVEL, label=_("Area"), required=False)

    def __init__(self, data: Any = None, *, level: str = ANY_LEVEL, label: Any = None) -> None:
        super().__init__(data)
        if level != ANY_LEVEL:
            self.fields["area"] = RegionField(level, label=label or _("Area"), required=False)
        elif label is not None:
            self.fields["area"].label = label
        self.fields["area"].widget.attrs["id"] = "area"

    def code(self) -> str:
        """The chosen region's code, or "" (nothing chosen, or not a region)."""
        if not self.is_bound or not self.is_valid():
            return ""
        region = self.cleaned_data.get("area")
        return str(region.pk) if region is not None else ""

    def narrow(self, queryset: Any) -> Any:
        """The filtered list, or none of it when the area named no region."""
        return queryset.none() if self.errors else queryset
