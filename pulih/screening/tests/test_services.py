"""Screening services: consent gate, flow, completion, immutability (service and database), corrections."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from pulih.audit.models import AuditEvent
from pulih.clients.models import ConsentKind, EpisodeStatus
from pulih.clients.services import consent_withdraw
from pulih.core.errors import DomainError
from pulih.screening.audit_codes import ScreeningAction
from pulih.screening.loading import spec_for
from pulih.screening.models import Instrument, Screening, ScreeningStatus, SubstanceResult
from pulih.screening.scoring import missing_steps
from pulih.screening.selectors import screening_latest, screening_summary
from pulih.screening.services import (
    screening_answer,
    screening_complete,
    screening_correct,
    screening_start,
    screening_submit,
)
from pulih.screening.tests.builders import assist_answers


def _walk(screening: Screening, answers: dict[str, Any], actor: Any) -> Screening:
    """Answer every step the flow asks, taking the answers from ``answers``."""
    spec = spec_for(screening.instrument)
    for _ in range(100):
        missing = missing_steps(spec, screening.answers, probed=screening.probed)
        if not missing:
            return screening
        step = missing[0]
        if step.kind in {"checklist", "probe"}:
            values = {c: answers[step.question][c] for c in step.classes}
        elif step.class_code:
            values = {step.class_code: answers[step.question][step.class_code]}
        else:
            values = {"": answers[step.question]}
        screening = screening_answer(actor=actor, screening=screening, step_key=step.key, values=values)
    raise AssertionError("interview did not end")


# Alcohol weekly (4) + urge weekly (5) + problems once or twice (4) = 13: moderate (11–26).
MODERATE_ALCOHOL = {
    "b": {"Q2": "weekly", "Q3": "weekly", "Q4": "once_twice", "Q5": "never", "Q6": "never", "Q7": "never"}
}


@pytest.mark.django_db
def test_it_refuses_to_start_without_the_services_consent(
    world: Any, client_ka: Any, assist: Instrument
) -> None:
    consent = client_ka.consents.get(kind=ConsentKind.SERVICES)
    consent_withdraw(actor=world.alice, consent=consent)
    with pytest.raises(DomainError) as exc:
        screening_start(actor=world.alice, client=client_ka)
    assert exc.value.code == "consent_missing"
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_agents_of_another_unit_and_supervisors_cannot_screen(world: Any, client_ka: Any) -> None:
    for outsider in (world.bob, world.sam):
        with pytest.raises(Http404):
            screening_start(actor=outsider, client=client_ka)


@pytest.mark.django_db
def test_a_full_interview_scores_stores_results_and_marks_the_episode(world: Any, client_ka: Any) -> None:
    screening = screening_start(actor=world.alice, client=client_ka)
    answers = assist_answers(spec_for(screening.instrument), MODERATE_ALCOHOL)
    screening = _walk(screening, answers, world.alice)
    done = screening_complete(actor=world.alice, screening=screening)
    assert done.status == ScreeningStatus.COMPLETED
    assert done.answers == answers
    assert (done.highest_level, done.pathway, done.injecting) == ("moderate", "referral", "never")
    alcohol = done.results.get(class_code="b")
    assert (alcohol.score, alcohol.level, alcohol.involved) == (13, "moderate", True)
    assert SubstanceResult.objects.filter(screening=done).count() == 10
    assert client_ka.episodes.get().status == EpisodeStatus.SCREENED
    assert screening_latest(client=client_ka) == done
    summary = screening_summary(done)
    assert summary["substances"] == [
        {"code": "b", "key": "alcohol", "name": "Minuman beralkohol", "score": 13, "level": "moderate"}
    ]
    actions = set(AuditEvent.objects.filter(object_id=str(done.pk)).values_list("action", flat=True))
    assert {ScreeningAction.SCREENING_STARTED, ScreeningAction.SCREENING_ANSWERED} <= actions
    assert ScreeningAction.SCREENING_COMPLETED in actions


@pytest.mark.django_db
def test_completing_an_unfinished_interview_names_the_missing_step(world: Any, client_ka: Any) -> None:
    screening = screening_start(actor=world.alice, client=client_ka)
    spec = spec_for(screening.instrument)
    q1 = assist_answers(spec, MODERATE_ALCOHOL)["Q1"]
    screening = screening_answer(actor=world.alice, screening=screening, step_key="Q1", values=q1)
    with pytest.raises(DomainError) as exc:
        screening_complete(actor=world.alice, screening=screening)
    assert exc.value.code == "answers_invalid"
    assert "Q2-b: answer missing" in exc.value.details["problems"]


@pytest.mark.django_db
def test_a_completed_screening_is_immutable_in_the_service_and_the_database(
    world: Any, client_ka: Any
) -> None:
    screening = screening_start(actor=world.alice, client=client_ka)
    spec = spec_for(screening.instrument)
    done = screening_complete(
        actor=world.alice, screening=_walk(screening, assist_answers(spec, MODERATE_ALCOHOL), world.alice)
    )
    with pytest.raises(DomainError) as exc:
        screening_answer(actor=world.alice, screening=done, step_key="Q8", values={"": "recent"})
    assert exc.value.code == "screening_completed"
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=done.pk).update(pathway="ibm")
    with pytest.raises(IntegrityError), transaction.atomic():
        SubstanceResult.objects.filter(screening=done).update(score=0)
    done.refresh_from_db()
    assert done.pathway == "referral"


@pytest.mark.django_db
def test_a_correction_is_a_new_version_that_replaces_the_latest(world: Any, client_ka: Any) -> None:
    screening = screening_start(actor=world.alice, client=client_ka)
    spec = spec_for(screening.instrument)
    first = screening_complete(
        actor=world.alice, screening=_walk(screening, assist_answers(spec, MODERATE_ALCOHOL), world.alice)
    )
    with pytest.raises(DomainError):
        screening_correct(actor=world.alice, screening=first, reason="  ")
    draft = screening_correct(actor=world.alice, screening=first, reason="Q3 was misheard")
    assert (draft.version, draft.previous, draft.status) == (2, first, ScreeningStatus.DRAFT)
    assert screening_latest(client=client_ka) == first
    draft = screening_answer(actor=world.alice, screening=draft, step_key="Q3-b", values={"b": "never"})
    second = screening_complete(actor=world.alice, screening=draft)
    assert second.results.get(class_code="b").score == 8
    assert (second.highest_level, second.pathway) == ("low", "ibm")
    assert screening_latest(client=client_ka) == second
    first.refresh_from_db()
    assert first.answers["Q3"]["b"] == "weekly"
    assert not first.is_current
    with pytest.raises(DomainError) as exc:
        screening_correct(actor=world.alice, screening=first, reason="again")
    assert exc.value.code == "already_corrected"


@pytest.mark.django_db
def test_submit_is_idempotent_on_the_client_generated_id(
    world: Any, client_ka: Any, assist: Instrument
) -> None:
    spec = spec_for(assist)
    answers = assist_answers(spec, {"c": {"Q2": "never", "Q6": "never", "Q7": "never"}}, q8="recent")
    sid = uuid.uuid4()
    first, created = screening_submit(
        actor=world.alice, id=sid, client=client_ka, instrument=assist, answers=answers
    )
    again, created_again = screening_submit(
        actor=world.alice, id=sid, client=client_ka, instrument=assist, answers={}
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk == sid
    assert Screening.objects.count() == 1
    assert (first.pathway, first.injecting, first.highest_level) == ("referral", "recent", "low")


@pytest.mark.django_db
def test_the_illustrative_instrument_works_through_the_same_services(
    world: Any, client_ka: Any, toy: Instrument
) -> None:
    screening = screening_start(actor=world.alice, client=client_ka, instrument=toy)
    answers = {"S1": {"alk": "no", "nar": "yes"}, "S2": {"nar": "often"}, "S3": "no"}
    done = screening_complete(actor=world.alice, screening=_walk(screening, answers, world.alice))
    assert done.results.get(class_code="nar").score == 4  # yes (1) + often for drugs (3, class override)
    assert done.results.get(class_code="nar").level == "high"
    assert done.results.get(class_code="alk").score == 0
    assert (done.highest_level, done.pathway) == ("high", "referral")
