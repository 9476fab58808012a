"""Checks shared by the services of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.core.errors import DomainError
from pulih.organisations.models import Office, OfficeKind, Unit
from pulih.regions.models import Village
from pulih.units.access import can_edit_roster, can_manage


def today() -> dt.date:
    return timezone.localdate()


def not_in_future(value: dt.date | None, field: str) -> None:
    if value is not None and value > today():
        raise DomainError(_("This date cannot be in the future."), field=field, code="future_date")


def office_covers(office: Office, village: Village) -> bool:
    """Whether the office's work area contains the village's regency (BNN RI covers all)."""
    if office.kind == OfficeKind.RI:
        return True
    return office.work_area.filter(code=village.regency_id).exists()


def require_manage(actor: Any, unit: Unit) -> None:
    if not can_manage(actor, unit):
        raise PermissionDenied("units.manage")


def require_roster(actor: Any, unit: Unit) -> None:
    if not can_edit_roster(actor, unit):
        raise PermissionDenied("units.edit_own")


def clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field=field, code="required")
    return value
