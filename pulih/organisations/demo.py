"""Offices and units named in the source articles (see shared seeds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pulih.organisations.models import Office, OfficeKind, Unit, UnitStatus
from pulih.regions.models import Province, Regency, Village


def _office(
    name: str, kind: str, parent: Office | None, province: str | None, seat: str | None, area: list[str]
) -> Office:
    office, _ = Office.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "parent": parent,
            "province": Province.objects.get(code=province) if province else None,
            "seat": Regency.objects.get(code=seat) if seat else None,
        },
    )
    if area and not office.work_area.exists():
        office.work_area.set(Regency.objects.filter(code__in=area))
    return office


def load(log: Callable[[str], object]) -> None:
    ri = _office("BNN RI", OfficeKind.RI, None, None, None, [])
    jambi_area = list(Regency.objects.filter(province_id="15").values_list("code", flat=True))
    babel_area = list(Regency.objects.filter(province_id="19").values_list("code", flat=True))
    bnnp_jambi = _office("BNNP Jambi", OfficeKind.BNNP, ri, "15", "15.71", jambi_area)
    bnnp_babel = _office("BNNP Kepulauan Bangka Belitung", OfficeKind.BNNP, ri, "19", "19.71", babel_area)
    # The 2022 article: BNNK Kota Pangkalpinang ran the bimtek in Desa Air Mesu
    # Timur, which lies in Kabupaten Bangka Tengah, so both are in its work area.
    bnnk = _office("BNNK Kota Pangkalpinang", OfficeKind.BNNK, bnnp_babel, "19", "19.71", ["19.71", "19.04"])

    # 2021 article: unit "IBM Bina Masyarakat", Desa Pulau Kayu Aro, inaugurated
    # by BNNP Jambi on 12 April 2021.
    Unit.objects.get_or_create(
        village=Village.objects.get(code="15.05.02.2003"),
        defaults={
            "name": "IBM Bina Masyarakat",
            "office": bnnp_jambi,
            "status": UnitStatus.ACTIVE,
            "inaugurated_on": dt.date(2021, 4, 12),
            "notes": "Diresmikan oleh BNNP Jambi, 12 April 2021 (sumber: berita Dirgantara7). "
            "Status aktif: ilustrasi (tidak disebut berita).",
        },
    )
    # 2022 article: bimtek for the IBM programme in Desa Air Mesu Timur. The
    # unit's name and status are not stated: illustrative.
    Unit.objects.get_or_create(
        village=Village.objects.get(code="19.04.02.2020"),
        defaults={
            "name": "IBM Desa Air Mesu Timur",
            "office": bnnk,
            "status": UnitStatus.TRAINED,
            "is_demo": True,
            "notes": (
                "Nama unit dan status: data ilustrasi demo. "
                "Bimtek 11–13 Mei 2022 (sumber: Bangka Terkini)."
            ),
        },
    )
    log("Demo offices and units ready.")
