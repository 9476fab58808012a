"""Small builders for mapping tests: records for the two units of the shared world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pulih.accounts.scoping import scope_for, unit_in_scope
from pulih.mapping.models import BersinarVillage, Hotspot, IkrnAssessment, IkrnImport, SituationMapping
from pulih.organisations.models import Unit
from pulih.testing.world import World


def other_unit(w: World, user: Any) -> Unit | None:
    """A unit outside ``user``'s scope (None for national roles)."""
    if scope_for(user).is_national:
        return None
    return w.unit_air_mesu if unit_in_scope(user, w.unit_kayu_aro) else w.unit_kayu_aro


def mapping_for(unit: Unit, start: dt.date = dt.date(2024, 1, 1)) -> SituationMapping:
    mapping, _ = SituationMapping.objects.get_or_create(
        unit=unit, period_start=start, defaults={"period_end": start + dt.timedelta(days=180)}
    )
    return mapping


def hotspot_for(unit: Unit) -> Hotspot:
    mapping = mapping_for(unit)
    hotspot = mapping.hotspots.first()
    if hotspot is None:
        hotspot = Hotspot.objects.create(
            mapping=mapping,
            label="Warung dekat dermaga",
            kind="stall",
            rw="02",
            latitude=Decimal("-1.52"),
            longitude=Decimal("103.70"),
        )
    return hotspot


def ikrn_for(unit: Unit, year: int = 2024) -> IkrnAssessment:
    record, _ = IkrnAssessment.objects.get_or_create(
        village=unit.village,
        year=year,
        defaults={"category": "bahaya", "category_source": "recorded", "source": "test"},
    )
    return record


def bersinar_for(unit: Unit) -> BersinarVillage:
    record, _ = BersinarVillage.objects.get_or_create(village=unit.village)
    return record


def import_by(user: Any) -> IkrnImport:
    job = IkrnImport.objects.filter(uploaded_by=user).first()
    if job is None:
        job = IkrnImport.objects.create(uploaded_by=user, file_name="x.csv", file_format="csv", content=b"")
    return job
