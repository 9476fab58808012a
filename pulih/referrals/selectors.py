"""Every read of the referrals app, always through the scoping module."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from pulih.accounts.scoping import get_scoped_or_404, scope_queryset
from pulih.referrals.access import ReferralPerm
from pulih.referrals.models import ProviderType, Referral, ReferralEvent, ServiceProvider
from pulih.referrals.overdue import overdue_cutoff
from pulih.referrals.states import ReferralState


def provider_list(
    *,
    user: Any,
    search: str = "",
    type: str = "",
    regency: str = "",
    province: str = "",
    ipwl: bool | None = None,
    active_only: bool = False,
) -> QuerySet[ServiceProvider]:
    qs = scope_queryset(user, ServiceProvider.objects.all(), ReferralPerm.PROVIDERS_VIEW)
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(address__icontains=search) | Q(regency__name__icontains=search)
        )
    if type:
        qs = qs.filter(type=type)
    if regency:
        qs = qs.filter(regency_id=regency)
    if province:
        qs = qs.filter(regency__province_id=province)
    if ipwl is not None:
        qs = qs.filter(is_ipwl=ipwl)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("regency").order_by("name", "pk")


def provider_get(*, user: Any, pk: int) -> ServiceProvider:
    return get_scoped_or_404(
        user, ServiceProvider.objects.select_related("regency__province"), ReferralPerm.PROVIDERS_VIEW, pk=pk
    )


def referral_list(
    *,
    user: Any,
    state: str = "",
    overdue: bool = False,
    client: Any = None,
    now: datetime | None = None,
) -> QuerySet[Referral]:
    """Referrals the user may read, newest first; ``overdue`` keeps the unacknowledged ones past due."""
    qs = scope_queryset(user, Referral.objects.all(), ReferralPerm.VIEW)
    if client is not None:
        qs = qs.filter(client=client)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=ReferralState.SENT, sent_at__lt=overdue_cutoff(now))
    # Prefetched, not joined: joined, a province's 11,000 referrals were each joined
    # to their (wide) client row before the sort kept 25 (133 ms against 9 ms).
    return qs.prefetch_related("client", "provider__regency").order_by("-created_at", "pk")


def referral_get(*, user: Any, pk: UUID | str) -> Referral:
    """One referral the user may read; anything else is a 404."""
    return get_scoped_or_404(
        user,
        Referral.objects.select_related(
            "client__unit__office", "client__unit__village", "provider__regency", "created_by", "episode"
        ),
        ReferralPerm.VIEW,
        pk=pk,
    )


def referral_get_for_action(*, user: Any, pk: UUID | str) -> Referral:
    """One referral the user may act on (the client's own unit); else 404/403."""
    return get_scoped_or_404(
        user, Referral.objects.select_related("client", "provider"), ReferralPerm.MANAGE, pk=pk
    )


def referral_events(*, referral: Referral) -> QuerySet[ReferralEvent]:
    """The history of a referral already read through :func:`referral_get`."""
    return referral.events.select_related("by").order_by("at", "id")


def referral_counts(*, user: Any, now: datetime | None = None) -> dict[str, int]:
    """How many referrals the user may read are in each state, plus ``overdue``."""
    qs = scope_queryset(user, Referral.objects.all(), ReferralPerm.VIEW)
    # One pass over the scope: a province's scope is thousands of referrals.
    late = Q(state=ReferralState.SENT, sent_at__lt=overdue_cutoff(now))
    rows = qs.values("state").annotate(n=Count("pk"), late=Count("pk", filter=late)).order_by()
    counts = {row["state"]: row["n"] for row in rows}
    counts["overdue"] = sum(row["late"] for row in rows)
    return counts


# Types that serve the whole country, offered to every unit.
NATIONAL_TYPES = (ProviderType.BALAI_BESAR_LIDO,)


def provider_choices(*, user: Any, province: str) -> QuerySet[ServiceProvider]:
    """Active providers a unit in ``province`` refers to: its province's and the national ones."""
    return (
        provider_list(user=user, active_only=True)
        .filter(Q(regency__province_id=province) | Q(type__in=NATIONAL_TYPES))
        .order_by("regency_id", "name")
    )
