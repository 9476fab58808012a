"""Screening entries on the client timeline (registered in ``apps.ScreeningConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from pulih.clients.timeline import ClientRecord, TimelineEntry
from pulih.screening.eligibility import Pathway
from pulih.screening.loading import spec_for
from pulih.screening.selectors import screening_for_client

# What a timeline entry does not show: the answers, and the instrument's whole document.
_NOT_SHOWN = ("answers", "specify", "pathway_reasons", "correction_reason")


def screening_entries(record: ClientRecord) -> Iterable[TimelineEntry]:
    # The highest level, not the per-class results (not prefetched); whether a correction
    # replaced it (its status), not the correction itself or the screening it corrects.
    screenings = (
        screening_for_client(user=record.user, client=record.client)
        .prefetch_related(None)
        .select_related(None)
        .select_related("instrument", "correction")
        .defer(*_NOT_SHOWN, *(f"correction__{f}" for f in _NOT_SHOWN), "instrument__content")
    )
    for s in screenings:
        url = reverse("screening:detail", kwargs={"pk": s.pk})
        instrument = f"{s.instrument.code} {s.instrument.version}"
        if not s.is_completed:
            yield TimelineEntry(
                at=s.started_at,
                kind="screening",
                title=_("Screening %(instrument)s in progress") % {"instrument": instrument},
                url=url,
                icon="📝",
            )
            continue
        spec = spec_for(s.instrument)
        level = spec.level(s.highest_level).label.get(None) if s.highest_level else ""
        title = _("Screening %(instrument)s: %(level)s") % {"instrument": instrument, "level": level}
        if s.version > 1:
            title += " · " + _("correction, version %(v)s") % {"v": s.version}
        detail = str(Pathway(s.pathway).label)
        if not s.is_current:
            detail += " · " + _("corrected later")
        yield TimelineEntry(
            at=s.completed_at or s.started_at,
            kind="screening",
            title=title,
            detail=detail,
            url=url,
            icon="📋",
        )
