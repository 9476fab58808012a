"""Demo community activities of Desa Air Mesu Timur (Bangka Terkini, 12 May 2022).

The village head names three activities: house-to-house education, appeals
to the congregations of the mosques, and counselling with the
Bhabinkamtibmas. The article gives neither dates nor numbers: the date is the
article's date and the participant counts are illustrative (``is_demo``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pulih.organisations.models import Unit, UnitStatus
from pulih.prevention.models import ActivityKind, CommunityActivity, ParticipantCount
from pulih.regions.models import Village

SOURCE = "Bangka Terkini, 12 Mei 2022 (keterangan Kepala Desa Air Mesu Timur)"
NOTE = "(ilustrasi) Tanggal dan jumlah peserta tidak disebutkan dalam artikel."

ACTIVITIES = [
    (
        ActivityKind.HOUSE_TO_HOUSE,
        "Rumah-rumah warga",
        ["village_gov", "community"],
        "Edukasi ke rumah-rumah tentang pencegahan penyalahgunaan narkoba.",
        {("m", "25-34"): 6, ("f", "25-34"): 8},
    ),
    (
        ActivityKind.WORSHIP_APPEAL,
        "Masjid-masjid desa",
        ["religious"],
        "Himbauan kepada para jemaah di masjid-masjid.",
        {("m", "35-49"): 30, ("m", "50+"): 20},
    ),
    (
        ActivityKind.SECURITY_COORDINATION,
        "Desa Air Mesu Timur",
        ["bhabinkamtibmas", "community", "religious"],
        "Penyuluhan bahaya narkoba bersama Bhabinkamtibmas.",
        {("m", "15-24"): 12, ("f", "15-24"): 10},
    ),
]


def load(log: Callable[[str], object]) -> None:
    village = Village.objects.filter(code="19.04.02.2020").first()
    if village is None:
        log("Prevention demo skipped: load the regions of Bangka Belitung first.")
        return
    unit = Unit.objects.filter(village=village).exclude(status=UnitStatus.INACTIVE).first()
    for kind, place, partners, description, counts in ACTIVITIES:
        if CommunityActivity.objects.filter(village=village, kind=kind, source_note=SOURCE).exists():
            continue
        activity = CommunityActivity.objects.create(
            kind=kind,
            held_on=dt.date(2022, 5, 12),
            village=village,
            unit=unit,
            place=place,
            partners=partners,
            description=f"{description} {NOTE}",
            is_demo=True,
            source_note=SOURCE,
        )
        ParticipantCount.objects.bulk_create(
            [ParticipantCount(activity=activity, sex=s, age_band=b, count=n) for (s, b), n in counts.items()]
        )
    log("Demo community activities of Air Mesu Timur ready.")
