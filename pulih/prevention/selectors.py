"""Reads of community activities, through the scoping module."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.db.models import QuerySet, Sum

from pulih.accounts.scoping import get_scoped_or_404, scope_for, scope_queryset
from pulih.prevention.access import PreventionPerm
from pulih.prevention.models import ActivityKind, CommunityActivity, ParticipantCount

SMALL = 5


def suppress(count: int) -> str:
    """Counts of 1–4 shown above the village level become "<5"."""
    return "<5" if 0 < count < SMALL else str(count)


def activity_list(
    *, user: Any, kind: str = "", year: int | None = None, village: str = ""
) -> QuerySet[CommunityActivity]:
    qs = scope_queryset(user, CommunityActivity.objects.all(), PreventionPerm.VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    if village:
        qs = qs.filter(village_id=village)
    return qs.select_related("village", "village__regency", "unit").prefetch_related("participants")


def activity_get(*, user: Any, pk: UUID) -> CommunityActivity:
    return get_scoped_or_404(
        user,
        CommunityActivity.objects.select_related("village", "village__regency", "village__district", "unit"),
        PreventionPerm.VIEW,
        pk=pk,
    )


def activity_summary(*, user: Any, year: int | None = None) -> dict[str, Any]:
    """Activities and participants per regency and type, for staff above the village.

    Participant totals of 1–4 are suppressed as "<5" (this summary leaves the
    village level); a unit user sees their own village, unsuppressed.
    """
    activities = activity_list(user=user, year=year)
    counts = (
        scope_queryset(user, ParticipantCount.objects.all(), PreventionPerm.VIEW)
        .filter(activity__in=activities.values("pk"))
        .values("activity__village__regency__name", "activity__kind")
        .annotate(total=Sum("count"))
    )
    by_regency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for act in activities.values("village__regency__name", "kind"):
        by_regency[act["village__regency__name"]]["activities:" + act["kind"]] += 1
    for people in counts:
        regency, kind = people["activity__village__regency__name"], people["activity__kind"]
        by_regency[regency]["people:" + kind] += people["total"] or 0
    above_village = scope_for(user).level != "unit"
    labels = dict(ActivityKind.choices)
    rows = []
    for regency, values in sorted(by_regency.items()):
        for kind, label in labels.items():
            n = values.get("activities:" + kind, 0)
            if not n:
                continue
            n_people = values.get("people:" + kind, 0)
            rows.append(
                {
                    "regency": regency,
                    "kind": label,
                    "activities": n,
                    "participants": suppress(n_people) if above_village else str(n_people),
                }
            )
    return {"rows": rows, "suppressed": above_village}
