from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import get_scoped_or_404, scope_queryset
from pulih.organisations.models import Office


def office_list(*, user: Any, search: str = "", kind: str = "") -> QuerySet[Office]:
    qs = scope_queryset(user, Office.objects.all(), Perm.OFFICES_VIEW)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(province__name__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("parent", "province", "seat")
        .annotate(area_size=Count("work_area", distinct=True))
        .order_by("kind", "name")
    )


def office_get(*, user: Any, pk: int) -> Office:
    return get_scoped_or_404(
        user, Office.objects.select_related("parent", "province", "seat"), Perm.OFFICES_VIEW, pk=pk
    )
