"""Fuzzing the screening scorer with arbitrary answer dicts (hypothesis).

Answers arrive from the offline app as JSON. Whatever JSON arrives,
``validate_complete`` either returns the answers it keeps or raises
``AnswersError`` naming the problems — never another exception — and what it
keeps always scores within the instrument's bounds. The service wraps this in
a ``DomainError``; the API test at the end checks that path over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulih.screening.scoring import AnswersError, score, validate_complete
from pulih.screening.spec import InstrumentSpec
from pulih.screening.tests import test_scoring as base

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def _spec() -> InstrumentSpec:
    return base._spec()


def _codes(spec: InstrumentSpec) -> tuple[list[str], list[str], list[str]]:
    questions = [q.code for q in spec.questions]
    classes = [c.code for c in spec.classes]
    options = sorted({o.code for q in spec.questions for o in q.options})
    return questions, classes, options


@st.composite
def near_answers(draw: Any) -> Any:
    """Answers built from the instrument's own codes, mixed with junk, in any shape."""
    spec = _spec()
    questions, classes, options = _codes(spec)
    key = st.sampled_from(questions) | st.text(max_size=4)
    code = st.sampled_from(options) | json_scalars
    per_class = st.dictionaries(
        st.sampled_from(classes) | st.text(max_size=3), code, max_size=len(classes) + 1
    )
    return draw(st.dictionaries(key, per_class | code | json_values, max_size=len(questions) + 2))


@st.composite
def damaged_interviews(draw: Any) -> dict[str, Any]:
    """A complete interview with a few answers removed, replaced or added."""
    answers: dict[str, Any] = json.loads(json.dumps(draw(base.interviews())))
    spec = _spec()
    questions, classes, options = _codes(spec)
    for _ in range(draw(st.integers(1, 4))):
        q = draw(st.sampled_from(questions))
        action = draw(st.sampled_from(["drop", "junk", "option", "class"]))
        if action == "drop":
            answers.pop(q, None)
        elif action == "junk":
            answers[q] = draw(json_values)
        elif action == "option":
            value = answers.get(q)
            if isinstance(value, dict) and value:
                value[draw(st.sampled_from(sorted(value)))] = draw(st.sampled_from(options))
            else:
                answers[q] = draw(st.sampled_from(options))
        else:
            bucket = answers.setdefault(q, {})
            if isinstance(bucket, dict):
                bucket[draw(st.sampled_from(classes))] = draw(st.sampled_from(options))
    return answers


def _check(answers: Any) -> None:
    spec = _spec()
    try:
        kept = validate_complete(spec, answers)
    except AnswersError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    outcome = score(spec, kept)
    for result in outcome.results:
        assert 0 <= result.score <= result.max_score
        assert result.level
    assert outcome.highest_level in {r.level for r in outcome.results}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_value_is_either_kept_and_scored_or_refused_with_answers_error(answers: Any) -> None:
    _check(answers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_answers())
def test_answers_made_of_the_instruments_codes_in_any_shape_never_raise_anything_else(answers: Any) -> None:
    _check(answers)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_interviews())
def test_a_damaged_complete_interview_is_refused_or_still_scores_within_bounds(
    answers: dict[str, Any],
) -> None:
    _check(answers)


def test_the_harness_would_notice_a_crash() -> None:
    # A value that is not JSON at all must still be refused, not crash.
    with pytest.raises(AnswersError):
        validate_complete(_spec(), {"Q1": {object(): object()}})
