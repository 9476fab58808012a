from __future__ import annotations

from typing import Any

import pytest

from pulih.clients.nik import validate_nik
from pulih.core.errors import DomainError

MALE_1995 = "1505021203950001"  # Kab. Muaro Jambi, 12-03-1995
FEMALE_1995 = "1505025203950002"  # same date, women add 40 to the day


@pytest.mark.django_db
def test_it_accepts_a_plausible_nik_and_strips_spaces(regions: Any) -> None:
    assert validate_nik("1505 0212 0395 0001", sex="m", birth_year=1995) == MALE_1995
    assert validate_nik(FEMALE_1995, sex="f") == FEMALE_1995


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nik",
    [
        "150502120395000",  # 15 digits
        "15050212039500011",  # 17 digits
        "15050212039500A1",  # not digits
        "9905021203950001",  # no province 99
        "1599021203950001",  # no regency 15.99
        "1505023203950001",  # day 32
        "1505027203950001",  # day 72 (32 + 40)
        "1505021213950001",  # month 13
        "1505023002950001",  # 30 February
        "1505021203950000",  # serial 0000
    ],
)
def test_it_refuses_an_implausible_nik(regions: Any, nik: str) -> None:
    with pytest.raises(DomainError) as exc:
        validate_nik(nik)
    assert exc.value.code == "nik_invalid"
    assert exc.value.field == "nik"


@pytest.mark.django_db
def test_it_refuses_a_nik_whose_date_does_not_match_sex_or_birth_year(regions: Any) -> None:
    with pytest.raises(DomainError):
        validate_nik(MALE_1995, sex="f")
    with pytest.raises(DomainError):
        validate_nik(FEMALE_1995, sex="m")
    with pytest.raises(DomainError):
        validate_nik(MALE_1995, birth_year=1996)
