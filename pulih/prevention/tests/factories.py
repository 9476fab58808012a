from __future__ import annotations

import datetime as dt

from pulih.organisations.models import Unit
from pulih.prevention.models import CommunityActivity, ParticipantCount


def activity_for(unit: Unit) -> CommunityActivity:
    activity = CommunityActivity.objects.filter(unit=unit).first()
    if activity is None:
        activity = CommunityActivity.objects.create(
            kind="socialisation", held_on=dt.date(2024, 3, 1), village=unit.village, unit=unit
        )
        ParticipantCount.objects.create(activity=activity, sex="f", age_band="15-24", count=3)
    return activity
