"""Shape checks for pushed record data: a malformed value names its record and field.

A :class:`PayloadError` is a bug in the device's app, not a refusal of the
domain: the whole batch is rejected (HTTP 422) and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _


class PayloadError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


_MISSING = object()


def text(data: dict[str, Any], name: str, *, required: bool = False, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise PayloadError(name, _("Expected text."))
    if required and not value.strip():
        raise PayloadError(name, _("This field is required."))
    return value


def integer(data: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise PayloadError(name, _("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayloadError(name, _("Expected a whole number."))
    try:
        return int(value)
    except ValueError as exc:
        raise PayloadError(name, _("Expected a whole number.")) from exc


def boolean(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise PayloadError(name, _("Expected true or false."))
    return value


def day(data: dict[str, Any], name: str, *, required: bool = True) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise PayloadError(name, _("This field is required."))
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise PayloadError(name, _("Expected a date (YYYY-MM-DD).")) from exc


def moment(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise PayloadError(name, _("Expected a date and time (ISO 8601)."))
    return parsed


def uuid(data: dict[str, Any], name: str, *, required: bool = True) -> UUID | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise PayloadError(name, _("This field is required."))
        return None
    try:
        return UUID(str(value))
    except ValueError as exc:
        raise PayloadError(name, _("Expected an id (UUID).")) from exc


def uuids(data: dict[str, Any], name: str) -> list[UUID]:
    value = data.get(name)
    if not isinstance(value, list):
        raise PayloadError(name, _("Expected a list of ids."))
    try:
        return [UUID(str(v)) for v in value]
    except ValueError as exc:
        raise PayloadError(name, _("Expected a list of ids.")) from exc


def decimal(data: dict[str, Any], name: str) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise PayloadError(name, _("Expected a number."))
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise PayloadError(name, _("Expected a number.")) from exc


def mapping(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise PayloadError(name, _("Expected an object."))
    return value
