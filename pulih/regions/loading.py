"""Loading the Kemendagri region codes shipped with Pulih.

The data is the CSV files of the npm package ``idn-area-data`` 3.1.2
(© its contributors, ODbL 1.0; see NOTICE), stored gzip-compressed in
``pulih/regions/data``. Loading is an upsert, so running it again changes
nothing, and a stored checksum makes a repeated load return at once.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pulih.core.crypto import normalise
from pulih.regions.models import (
    District,
    Province,
    Regency,
    RegencyKind,
    RegionDataVersion,
    TimeZone,
    Village,
    VillageKind,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "idn-area-data@3.1.2"
FORMAT = 2  # bump when the stored form (names, search keys) changes
FILES = ("provinces", "regencies", "districts", "villages")

# Province codes by time zone (UU/Perpres on Indonesian time zones): WITA for
# Bali, Nusa Tenggara, South/East/North Kalimantan and Sulawesi; WIT for
# Maluku and Papua; WIB for the rest.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}

_KEEP_UPPER = {"DKI", "DI"}
_KEEP_LOWER = {"dan"}


def province_timezone(code: str) -> str:
    if code in WIT_PROVINCES:
        return TimeZone.WIT
    if code in WITA_PROVINCES:
        return TimeZone.WITA
    return TimeZone.WIB


def nice_case(name: str) -> str:
    """'KEPULAUAN BANGKA BELITUNG' -> 'Kepulauan Bangka Belitung' (keeps 'DKI')."""
    if name != name.upper():
        return name.strip()
    words = []
    for word in name.split():
        if word in _KEEP_UPPER:
            words.append(word)
        elif word.lower() in _KEEP_LOWER and words:
            words.append(word.lower())
        else:
            words.append(word.title())
    return " ".join(words)


def split_regency_name(raw: str) -> tuple[str, str]:
    name = nice_case(raw)
    for prefix, kind in (("Kabupaten ", RegencyKind.KABUPATEN), ("Kota ", RegencyKind.KOTA)):
        if name.startswith(prefix):
            return name[len(prefix) :], kind
    return name, RegencyKind.KABUPATEN


def search_key(name: str) -> str:
    """Normalised name plus its spaceless form: 'Pangkalpinang' finds 'Pangkal Pinang'."""
    norm = normalise(name)
    return f"{norm}|{norm.replace(' ', '')}"


def village_kind(code: str) -> str:
    # The first digit of the last segment is 1 for a kelurahan, 2 for a desa.
    return VillageKind.KELURAHAN if code.split(".")[-1].startswith("1") else VillageKind.DESA


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def data_checksum() -> str:
    digest = hashlib.sha256(f"format{FORMAT}".encode())
    for name in FILES:
        digest.update((DATA_DIR / f"{name}.csv.gz").read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    regencies: int
    districts: int
    villages: int
    skipped: bool


def _upsert(model: type, objs: Iterable[object], fields: list[str]) -> None:
    model.objects.bulk_create(  # type: ignore[attr-defined]
        list(objs),
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=fields,
    )


def load_regions(*, provinces: Iterable[str] | None = None, force: bool = False) -> LoadResult:
    """Load (or refresh) the region tables; idempotent.

    ``provinces`` limits the load to some province codes (used by tests to
    keep the database small); the full load is the default.
    """
    only = sorted(set(provinces)) if provinces else None
    source = SOURCE if only is None else f"{SOURCE}:{','.join(only)}"
    checksum = data_checksum()
    existing = RegionDataVersion.objects.filter(source=source).first()
    if (
        not force
        and existing is not None
        and existing.checksum == checksum
        and Village.objects.count() >= existing.villages
    ):
        return LoadResult(existing.provinces, existing.regencies, existing.districts, existing.villages, True)

    def wanted(code: str) -> bool:
        return only is None or code[:2] in only

    province_objs = []
    for row in _rows("provinces"):
        if not wanted(row["code"]):
            continue
        name = nice_case(row["name"])
        province_objs.append(
            Province(
                code=row["code"],
                name=name,
                timezone=province_timezone(row["code"]),
                search_name=search_key(name),
            )
        )

    regency_objs = []
    for row in _rows("regencies"):
        if not wanted(row["code"]):
            continue
        name, kind = split_regency_name(row["name"])
        regency_objs.append(
            Regency(
                code=row["code"],
                province_id=row["province_code"],
                name=name,
                kind=kind,
                search_name=search_key(name),
            )
        )

    district_objs = []
    for row in _rows("districts"):
        if not wanted(row["code"]):
            continue
        name = nice_case(row["name"])
        district_objs.append(
            District(
                code=row["code"],
                regency_id=row["regency_code"],
                province_id=row["code"][:2],
                name=name,
                search_name=search_key(name),
            )
        )

    village_objs = []
    for row in _rows("villages"):
        code = row["code"]
        if not wanted(code):
            continue
        name = nice_case(row["name"])
        village_objs.append(
            Village(
                code=code,
                district_id=row["district_code"],
                regency_id=code[:5],
                province_id=code[:2],
                name=name,
                kind=village_kind(code),
                search_name=search_key(name),
            )
        )

    with transaction.atomic():
        _upsert(Province, province_objs, ["name", "timezone", "search_name"])
        _upsert(Regency, regency_objs, ["province", "name", "kind", "search_name"])
        _upsert(District, district_objs, ["regency", "province", "name", "search_name"])
        _upsert(Village, village_objs, ["district", "regency", "province", "name", "kind", "search_name"])
        RegionDataVersion.objects.update_or_create(
            source=source,
            defaults={
                "checksum": checksum,
                "provinces": len(province_objs),
                "regencies": len(regency_objs),
                "districts": len(district_objs),
                "villages": len(village_objs),
            },
        )
    return LoadResult(len(province_objs), len(regency_objs), len(district_objs), len(village_objs), False)
