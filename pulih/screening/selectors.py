"""Every read of screening, scoped through ``pulih.accounts.scoping``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import get_scoped_or_404, scope_queryset
from pulih.clients.models import Client
from pulih.screening.access import INSTRUMENTS_VIEW
from pulih.screening.loading import spec_for
from pulih.screening.models import Instrument, Screening, ScreeningStatus

_RELATED = ("client", "client__unit", "instrument", "interviewer", "episode", "previous", "correction")


def screening_get(*, user: Any, pk: UUID | str) -> Screening:
    """One screening the user may read (``clients.view`` in scope); else 404."""
    return get_scoped_or_404(
        user,
        Screening.objects.select_related(*_RELATED).prefetch_related("results"),
        Perm.CLIENTS_VIEW,
        pk=pk,
    )


def screening_get_for_edit(*, user: Any, pk: UUID | str) -> Screening:
    """One screening the user may work on (``clients.edit``, own unit); else 404."""
    return get_scoped_or_404(user, Screening.objects.select_related(*_RELATED), Perm.CLIENTS_EDIT, pk=pk)


def screening_for_client(*, user: Any, client: Client) -> QuerySet[Screening]:
    """The client's screenings the user may read, newest first."""
    return (
        scope_queryset(user, Screening.objects.filter(client=client), Perm.CLIENTS_VIEW)
        .select_related("instrument", "interviewer", "previous", "correction")
        .prefetch_related("results")
        .order_by("-started_at")
    )


def screening_latest(*, client: Client) -> Screening | None:
    """The newest completed screening of ``client`` that no completed correction replaced.

    Not scoped: call it for a client the caller has already read through a
    scoped selector. A correction counts from the time it was completed.
    """
    return (
        Screening.objects.filter(client=client, status=ScreeningStatus.COMPLETED)
        .exclude(correction__status=ScreeningStatus.COMPLETED)
        .select_related("instrument")
        .prefetch_related("results")
        .order_by("-completed_at")
        .first()
    )


def screening_draft(*, client: Client, instrument: Instrument) -> Screening | None:
    """An unfinished (non-correction) screening of the client with this instrument, if any."""
    return (
        Screening.objects.filter(
            client=client, instrument=instrument, status=ScreeningStatus.DRAFT, previous__isnull=True
        )
        .order_by("-started_at")
        .first()
    )


def screening_summary(screening: Screening) -> dict[str, Any]:
    """Pseudonymous, JSON-safe summary for other apps (see CONTRACT.md)."""
    spec = spec_for(screening.instrument)
    involved = [r for r in screening.results.all() if r.involved]
    involved.sort(key=lambda r: (-spec.severity(r.level), -r.score, r.order))
    return {
        "id": str(screening.pk),
        "instrument": screening.instrument.code,
        "instrument_version": screening.instrument.version,
        "completed_at": screening.completed_at.isoformat() if screening.completed_at else None,
        "version": screening.version,
        "highest_level": screening.highest_level,
        "injecting": screening.injecting,
        "pathway": screening.pathway,
        "substances": [
            {
                "code": r.class_code,
                "key": r.class_key,
                "name": spec.klass(r.class_code).name.get(None),
                "score": r.score,
                "level": r.level,
            }
            for r in involved
        ],
    }


def instrument_list(*, user: Any, include_inactive: bool = False) -> QuerySet[Instrument]:
    """Instruments (public reference data for every signed-in user)."""
    qs = scope_queryset(user, Instrument.objects.all(), INSTRUMENTS_VIEW)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("code", "-version")


def instrument_get(*, user: Any, pk: int) -> Instrument:
    return get_scoped_or_404(user, Instrument.objects.all(), INSTRUMENTS_VIEW, pk=pk)


def instrument_by_version(*, user: Any, code: str, version: str) -> Instrument:
    return get_scoped_or_404(user, Instrument.objects.all(), INSTRUMENTS_VIEW, code=code, version=version)
