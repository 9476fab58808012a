"""Every write of screening: start, answer, complete, submit (offline), correct, discard.

A completed screening is immutable: these services refuse to change one, and
a database trigger (migration 0002) rejects any ``UPDATE`` of it. A correction
is a new screening that points to the one it corrects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.clients.consents import require_consent
from pulih.clients.models import Client, ConsentKind, EpisodeStatus, ReferralSource
from pulih.clients.selectors import client_get_for_edit, episode_current
from pulih.core.errors import ConflictError, DomainError
from pulih.screening.audit_codes import ScreeningAction
from pulih.screening.eligibility import recommend_pathway
from pulih.screening.loading import spec_for
from pulih.screening.models import (
    Instrument,
    Screening,
    ScreeningPurpose,
    ScreeningStatus,
    SubstanceClass,
    SubstanceResult,
)
from pulih.screening.scoring import AnswersError, plan, prune, score, validate_complete
from pulih.screening.selectors import screening_draft

DEFAULT_INSTRUMENT = "ASSIST"


def _writable_client(actor: Any, client: Client) -> Client:
    """The client, if ``actor`` may work on it (own unit, ``clients.edit``); else 404."""
    return client_get_for_edit(user=actor, pk=client.pk)


def _require_draft(screening: Screening) -> None:
    if screening.status != ScreeningStatus.DRAFT:
        raise ConflictError(
            _("This screening is completed and cannot be changed; record a correction instead."),
            code="screening_completed",
        )


def _detail(screening: Screening, **extra: Any) -> dict[str, Any]:
    return {
        "client": str(screening.client_id),
        "instrument": str(screening.instrument),
        "version": screening.version,
        **extra,
    }


def in_aftercare(client: Client) -> bool:
    """Whether the client is in aftercare (came from formal rehab, or the episode says so)."""
    if client.referral_source == ReferralSource.AFTER_REHAB:
        return True
    episode = episode_current(client=client)
    return episode is not None and episode.status in {EpisodeStatus.AFTERCARE, EpisodeStatus.RETURNED}


def default_instrument() -> Instrument | None:
    return (
        Instrument.objects.filter(code=DEFAULT_INSTRUMENT, active=True).first()
        or Instrument.objects.filter(active=True, illustrative=False).order_by("code").first()
    )


@transaction.atomic
def screening_start(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    instrument: Instrument | None = None,
    aftercare: bool | None = None,
    purpose: str = ScreeningPurpose.INITIAL,
) -> Screening:
    """Open a draft screening (or return the unfinished one of the same instrument)."""
    client = _writable_client(actor, client)
    require_consent(client=client, kind=ConsentKind.SERVICES)
    instrument = instrument or default_instrument()
    if instrument is None or not instrument.active:
        raise DomainError(
            _("No screening instrument is available. An administrator loads one with load_instruments."),
            code="no_instrument",
            field="instrument",
        )
    if purpose not in ScreeningPurpose.values:
        purpose = ScreeningPurpose.INITIAL
    draft = screening_draft(client=client, instrument=instrument)
    if draft is not None:
        return draft
    screening = Screening(
        client=client,
        episode=episode_current(client=client),
        instrument=instrument,
        interviewer=actor,
        purpose=purpose,
        aftercare=in_aftercare(client) if aftercare is None else aftercare,
        started_at=timezone.now(),
    )
    screening.full_clean()
    screening.save(force_insert=True)
    audit_record(
        action=ScreeningAction.SCREENING_STARTED,
        request=request,
        actor=actor,
        obj=screening,
        detail=_detail(screening, purpose=purpose),
    )
    return screening


@transaction.atomic
def screening_answer(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    screening: Screening,
    step_key: str,
    values: dict[str, str],
    specify: dict[str, str] | None = None,
) -> Screening:
    """Record the answer(s) of one interview step.

    ``values`` maps class code → option code (for a question asked once, the
    key is ``""``). Answers to steps that the skip logic drops are kept in the
    draft, so going back and forth loses nothing; completion keeps only the
    asked ones.
    """
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    _writable_client(actor, screening.client)
    _require_draft(screening)
    spec = spec_for(screening.instrument)
    current = plan(spec, screening.answers, probed=screening.probed)
    step = next((s for s in current.steps if s.key == step_key), None)
    if step is None:
        raise DomainError(_("This question is not asked now."), code="step_not_asked", field="step")
    question = spec.question(step.question)
    targets: tuple[str | None, ...] = step.classes or ((step.class_code,) if question.per_class else (None,))
    answers = dict(screening.answers)
    bucket = dict(answers.get(question.code) or {}) if question.per_class else None
    for target in targets:
        code = values.get(target or "", "")
        if question.option(code) is None:
            raise DomainError(_("Choose an answer."), code="answer_missing", field=target or "answer")
        if bucket is not None and target is not None:
            bucket[target] = code
        else:
            answers[question.code] = code
    if bucket is not None:
        answers[question.code] = bucket
    screening.answers = answers
    if step.kind == "probe":
        screening.probed = True
    if specify is not None:
        allowed = {c.code for c in spec.classes if c.specify}
        screening.specify = {k: v.strip()[:100] for k, v in specify.items() if k in allowed and v.strip()}
    screening.save(update_fields=["answers", "probed", "specify"])
    audit_record(
        action=ScreeningAction.SCREENING_ANSWERED,
        request=request,
        actor=actor,
        obj=screening,
        detail=_detail(screening, step=step_key),
    )
    return screening


def _finalise(screening: Screening, answers: dict[str, Any], completed_at: datetime) -> None:
    """Score, recommend, and write the results of a screening about to be completed."""
    spec = spec_for(screening.instrument)
    outcome = score(spec, answers)
    recommendation = recommend_pathway(spec=spec, outcome=outcome, aftercare=screening.aftercare)
    screening.answers = answers
    screening.status = ScreeningStatus.COMPLETED
    screening.completed_at = completed_at
    screening.highest_level = outcome.highest_level
    screening.injecting = outcome.flags.get("injecting", "")
    screening.pathway = recommendation.pathway
    screening.pathway_reasons = list(recommendation.reasons)
    screening.full_clean()
    classes = {c.code: c for c in SubstanceClass.objects.filter(instrument=screening.instrument)}
    screening.save()
    SubstanceResult.objects.bulk_create(
        SubstanceResult(
            screening=screening,
            substance_class=classes[r.code],
            class_code=r.code,
            class_key=classes[r.code].key,
            order=classes[r.code].order,
            score=r.score,
            max_score=r.max_score,
            level=r.level,
            involved=r.involved,
        )
        for r in outcome.results
    )


def _episode_screened(actor: Any, request: HttpRequest | None, screening: Screening) -> None:
    from pulih.clients.services.episodes import episode_advance

    episode_advance(
        actor=actor,
        request=request,
        client=screening.client,
        status=EpisodeStatus.SCREENED,
        only_from={EpisodeStatus.REGISTERED},
    )


def _answers_error(exc: AnswersError) -> DomainError:
    return DomainError(
        _("The answers are incomplete or do not fit the instrument: %(problems)s")
        % {"problems": "; ".join(exc.problems[:10])},
        code="answers_invalid",
        field="answers",
        details={"problems": exc.problems},
    )


@transaction.atomic
def screening_complete(*, actor: Any, request: HttpRequest | None = None, screening: Screening) -> Screening:
    """Score a finished interview and freeze it."""
    screening = Screening.objects.select_for_update().select_related("client").get(pk=screening.pk)
    _writable_client(actor, screening.client)
    _require_draft(screening)
    require_consent(client=screening.client, kind=ConsentKind.SERVICES)
    spec = spec_for(screening.instrument)
    answers = prune(spec, screening.answers)
    try:
        answers = validate_complete(spec, answers)
    except AnswersError as exc:
        raise _answers_error(exc) from exc
    if screening.previous_id is not None:
        screening.previous = Screening.objects.get(pk=screening.previous_id)
        if screening.previous.status != ScreeningStatus.COMPLETED:
            raise ConflictError(_("Only a completed screening can be corrected."), code="not_completed")
    _finalise(screening, answers, timezone.now())
    _episode_screened(actor, request, screening)
    audit_record(
        action=ScreeningAction.SCREENING_COMPLETED,
        request=request,
        actor=actor,
        obj=screening,
        detail=_detail(
            screening,
            highest_level=screening.highest_level,
            pathway=screening.pathway,
            corrects=str(screening.previous_id or ""),
        ),
    )
    return screening


def _check_correctable(previous: Screening, client: Client) -> None:
    if previous.client_id != client.pk:
        raise DomainError(_("The corrected screening belongs to another client."), field="previous")
    if previous.status != ScreeningStatus.COMPLETED:
        raise ConflictError(_("Only a completed screening can be corrected."), code="not_completed")
    if Screening.objects.filter(previous=previous).exists():
        raise ConflictError(
            _("This screening has already been corrected; correct the newest version."),
            code="already_corrected",
            field="previous",
        )


@transaction.atomic
def screening_submit(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    id: UUID,
    client: Client,
    instrument: Instrument,
    answers: Any,
    aftercare: bool | None = None,
    purpose: str = ScreeningPurpose.INITIAL,
    previous: Screening | None = None,
    correction_reason: str = "",
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
    specify: dict[str, str] | None = None,
) -> tuple[Screening, bool]:
    """Record a screening done elsewhere (the offline app) in one step; idempotent on ``id``.

    Returns ``(screening, created)``; the same ``id`` again returns the stored
    screening unchanged.
    """
    existing = Screening.objects.filter(pk=id).first()
    if existing is not None:
        if existing.client_id != client.pk:
            raise ConflictError(_("This screening id is already used for another client."), field="id")
        _writable_client(actor, existing.client)
        return existing, False
    client = _writable_client(actor, client)
    require_consent(client=client, kind=ConsentKind.SERVICES)
    if purpose not in ScreeningPurpose.values:
        raise DomainError(_("Unknown purpose."), field="purpose")
    spec = spec_for(instrument)
    try:
        clean = validate_complete(spec, answers)
    except AnswersError as exc:
        raise _answers_error(exc) from exc
    version = 1
    if previous is not None:
        _check_correctable(previous, client)
        if not correction_reason.strip():
            raise DomainError(_("Say why the screening is corrected."), field="correction_reason")
        version = previous.version + 1
    now = timezone.now()
    allowed = {c.code for c in spec.classes if c.specify}
    screening = Screening(
        id=id,
        client=client,
        episode=episode_current(client=client),
        instrument=instrument,
        interviewer=actor,
        purpose=purpose,
        aftercare=in_aftercare(client) if aftercare is None else aftercare,
        probed=True,
        specify={k: str(v)[:100] for k, v in (specify or {}).items() if k in allowed},
        started_at=started_at or now,
        version=version,
        previous=previous,
        correction_reason=correction_reason.strip(),
        source="api",
    )
    try:
        with transaction.atomic():
            _finalise(screening, clean, min(completed_at or now, now))
    except IntegrityError:
        # The same id arrived twice at once: the other request stored it.
        stored = Screening.objects.filter(pk=id, client=client).first()
        if stored is None:
            raise
        return stored, False
    _episode_screened(actor, request, screening)
    audit_record(
        action=ScreeningAction.SCREENING_SUBMITTED,
        request=request,
        actor=actor,
        obj=screening,
        detail=_detail(screening, highest_level=screening.highest_level, pathway=screening.pathway),
    )
    return screening, True


@transaction.atomic
def screening_correct(
    *, actor: Any, request: HttpRequest | None = None, screening: Screening, reason: str
) -> Screening:
    """Open a correction of a completed screening: a new draft version with the same answers."""
    client = _writable_client(actor, screening.client)
    pending = Screening.objects.filter(previous=screening, status=ScreeningStatus.DRAFT).first()
    if pending is not None:
        return pending
    _check_correctable(screening, client)
    if not reason.strip():
        raise DomainError(_("Say why the screening is corrected."), field="reason")
    correction = Screening(
        client=client,
        episode=screening.episode,
        instrument=screening.instrument,
        interviewer=actor,
        purpose=screening.purpose,
        aftercare=screening.aftercare,
        answers=dict(screening.answers),
        probed=True,
        specify=dict(screening.specify),
        started_at=timezone.now(),
        version=screening.version + 1,
        previous=screening,
        correction_reason=reason.strip(),
    )
    correction.full_clean()
    correction.save(force_insert=True)
    audit_record(
        action=ScreeningAction.SCREENING_CORRECTION_STARTED,
        request=request,
        actor=actor,
        obj=correction,
        detail=_detail(correction, corrects=str(screening.pk)),
    )
    return correction


@transaction.atomic
def screening_discard(*, actor: Any, request: HttpRequest | None = None, screening: Screening) -> None:
    """Throw away an unfinished screening."""
    _writable_client(actor, screening.client)
    _require_draft(screening)
    detail = _detail(screening)
    pk = screening.pk
    screening.delete()
    audit_record(
        action=ScreeningAction.SCREENING_DISCARDED,
        request=request,
        actor=actor,
        object_type="screening.screening",
        object_id=str(pk),
        detail=detail,
    )
