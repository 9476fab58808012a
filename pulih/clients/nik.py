"""Plausibility check of an Indonesian NIK (Nomor Induk Kependudukan).

Layout: PP KK CC DDMMYY SSSS — province, regency/city, district codes, the
birth date (women add 40 to the day) and a serial. The check catches typing
mistakes; it cannot prove a NIK belongs to anybody. Region codes in old NIKs
can predate later splits, so the district part is not checked.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from pulih.core.errors import DomainError
from pulih.regions.models import Province, Regency


def _error(message: str) -> DomainError:
    return DomainError(message, code="nik_invalid", field="nik")


def nik_birth_date(nik: str) -> tuple[date | None, bool]:
    """The birth date encoded in a NIK (``None`` if impossible) and whether it is a woman's."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    today = date.today()
    year = 2000 + year2 if 2000 + year2 <= today.year else 1900 + year2
    try:
        return date(year, month, day), female
    except ValueError:
        return None, female


def validate_nik(nik: str, *, sex: str = "", birth_year: int | None = None) -> str:
    """Return the NIK with spaces removed, or raise ``DomainError(code="nik_invalid")``."""
    nik = "".join(nik.split())
    if len(nik) != 16 or not nik.isdigit():
        raise _error(_("A NIK has exactly 16 digits."))
    province = nik[:2]
    if not Province.objects.filter(code=province).exists():
        raise _error(_("The first two digits of the NIK are not a province code."))
    regency = f"{province}.{nik[2:4]}"
    if (
        Regency.objects.filter(province_id=province).exists()
        and not Regency.objects.filter(code=regency).exists()
    ):
        raise _error(_("Digits 3–4 of the NIK are not a regency or city of that province."))
    born, female = nik_birth_date(nik)
    if born is None:
        raise _error(
            _("Digits 7–12 of the NIK are not a valid birth date (DDMMYY; women add 40 to the day).")
        )
    if sex and (sex == "f") != female:
        raise _error(
            _("The birth date part of the NIK does not match the sex entered (women add 40 to the day).")
        )
    if birth_year and birth_year % 100 != born.year % 100:
        raise _error(_("The birth date part of the NIK does not match the birth year entered."))
    if nik[12:] == "0000":
        raise _error(_("The last four digits of the NIK cannot be 0000."))
    return nik
