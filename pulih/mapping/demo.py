"""Demo mapping data from the two source articles (shared seeds).

Stated by the articles and recorded as such:

* 2021 (Dirgantara7): Jambi had 12 drug-prone areas in 2021 and Desa Pulau
  Kayu Aro was one of them. The IKRN category is not stated, so the village
  is recorded as drug-prone with no category; the "12" is kept as a published
  province figure, not as twelve invented villages.
* 2022 (Bangka Terkini): the bimtek in Air Mesu Timur was part of preparing
  its Desa Bersinar launch ("pencanangan … sebentar lagi akan terealisasi"),
  so its Desa Bersinar status is *proposed*; the village head speaks of
  house-to-house education.

Everything else (map points, the situation mapping of Kayu Aro) is
illustrative and marked ``is_demo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from pulih.mapping.models import (
    BersinarVillage,
    CategorySource,
    Hotspot,
    IkrnAssessment,
    ProvinceProneFigure,
    SituationMapping,
    UseEstimate,
    VillagePoint,
)
from pulih.organisations.models import Unit
from pulih.regions.models import Province, Village

KAYU_ARO = "15.05.02.2003"
AIR_MESU_TIMUR = "19.04.02.2020"
SOURCE_2021 = "Dirgantara7, peresmian IBM Bina Masyarakat, 12 April 2021 (sambutan Kepala BNNP Jambi)"
SOURCE_2022 = "Bangka Terkini, 12 Mei 2022: bimtek IBM di Desa Air Mesu Timur"


def load(log: Callable[[str], object]) -> None:
    kayu = Village.objects.filter(code=KAYU_ARO).first()
    mesu = Village.objects.filter(code=AIR_MESU_TIMUR).first()
    jambi = Province.objects.filter(code="15").first()
    if kayu is None or mesu is None or jambi is None:
        log("Mapping demo skipped: load the regions of Jambi and Bangka Belitung first.")
        return

    IkrnAssessment.objects.get_or_create(
        village=kayu,
        year=2021,
        defaults={
            "category": "",
            "category_source": CategorySource.NONE,
            "drug_prone": True,
            "source": SOURCE_2021,
            "note": (
                "Artikel: salah satu dari 12 kawasan rawan narkoba di Provinsi Jambi tahun 2021. "
                "Kategori IKRN dan nilai indikator tidak disebutkan."
            ),
        },
    )
    ProvinceProneFigure.objects.get_or_create(
        province=jambi,
        year=2021,
        source=SOURCE_2021,
        defaults={
            "prone_areas": 12,
            "note": "Hasil evaluasi bersama RPJMN (turunan Inpres 2/2020); nama kawasan tidak disebutkan.",
        },
    )
    BersinarVillage.objects.get_or_create(
        village=mesu,
        defaults={
            "status": "proposed",
            "comp_education": True,
            "source_note": (
                f"{SOURCE_2022}. Bimtek 11–13 Mei 2022 adalah rangkaian persiapan pencanangan Desa Bersinar "
                "“yang sebentar lagi akan terealisasi”. Kepala desa: edukasi ke rumah-rumah, himbauan di "
                "masjid-masjid, penyuluhan bersama Bhabinkamtibmas."
            ),
        },
    )
    # Map points: the articles give no coordinates; these are rough positions
    # of the two villages, for the demo only.
    for village, lat, lon in ((kayu, "-1.520000", "103.700000"), (mesu, "-2.170000", "106.140000")):
        VillagePoint.objects.get_or_create(
            village=village,
            defaults={
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "source": "(ilustrasi) perkiraan lokasi desa",
                "is_demo": True,
            },
        )
    unit = Unit.objects.filter(village=kayu).first()
    if unit is not None:
        mapping, created = SituationMapping.objects.get_or_create(
            unit=unit,
            period_start=dt.date(2021, 4, 1),
            defaults={
                "period_end": dt.date(2021, 9, 30),
                "title": "Pemetaan awal 2021 (ilustrasi)",
                "risk_boarding_houses": True,
                "risk_social_interaction": True,
                "notes": "(ilustrasi) Data demo; artikel hanya menyebut bahwa IBM melakukan pemetaan.",
                "is_demo": True,
            },
        )
        if created:
            UseEstimate.objects.create(mapping=mapping, substance="ats", sex="m", age_band="15-24", count=6)
            UseEstimate.objects.create(
                mapping=mapping, substance="inhalants", sex="m", age_band="0-14", count=3
            )
            Hotspot.objects.create(
                mapping=mapping,
                label="Dermaga kecil (ilustrasi)",
                kind="port",
                rw="02",
                latitude=Decimal("-1.521500"),
                longitude=Decimal("103.702000"),
                notes="(ilustrasi) titik demo",
            )
    log(
        "Demo mapping ready: Pulau Kayu Aro 2021, Jambi 2021 figure, Desa Bersinar Air Mesu Timur."
    )
