"""ASSIST v3.1 scoring and skip logic, from the instrument data (no database)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulih.screening.eligibility import Pathway, recommend_pathway
from pulih.screening.scoring import AnswersError, missing_steps, plan, prune, score, validate_complete
from pulih.screening.spec import InstrumentSpec
from pulih.screening.tests.builders import answers_scoring, assist_answers
from pulih.screening.tests.conftest import ASSIST_FILE

CLASSES = "abcdefghij"


def _result(outcome: Any, code: str) -> Any:
    return next(r for r in outcome.results if r.code == code)


# --- WHO scoring: worked examples computed by hand from the WHO v3.1 answer weights
# (the weights and bands themselves are checked against published sources in test_scoring_who_examples.py)


def test_ssis_is_the_sum_of_q2_to_q7_for_a_class(assist_spec: InstrumentSpec) -> None:
    # Cannabis: weekly (4) + monthly urge (4) + problems once or twice (4)
    # + failed expectations weekly (7) + concern in past 3 months (6) + failed to cut down earlier (3) = 28.
    answers = assist_answers(
        assist_spec,
        {
            "c": {
                "Q2": "weekly",
                "Q3": "monthly",
                "Q4": "once_twice",
                "Q5": "weekly",
                "Q6": "recent",
                "Q7": "earlier",
            }
        },
    )
    outcome = score(assist_spec, answers)
    cannabis = _result(outcome, "c")
    assert cannabis.score == 28
    assert cannabis.level == "high"
    assert outcome.highest_level == "high"


def test_a_typical_alcohol_and_tobacco_client(assist_spec: InstrumentSpec) -> None:
    answers = assist_answers(
        assist_spec,
        {
            # Tobacco daily (6), urge daily (6), problems never (0), no Q5, concern earlier (3), Q7 never: 15.
            "a": {"Q2": "daily", "Q3": "daily", "Q4": "never", "Q6": "earlier", "Q7": "never"},
            # Alcohol monthly (3), urge once or twice (3), no problems or failures, concern recently (6): 12.
            "b": {
                "Q2": "monthly",
                "Q3": "once_twice",
                "Q4": "never",
                "Q5": "never",
                "Q6": "recent",
                "Q7": "never",
            },
        },
    )
    outcome = score(assist_spec, answers)
    assert (_result(outcome, "a").score, _result(outcome, "a").level) == (15, "moderate")
    assert (_result(outcome, "b").score, _result(outcome, "b").level) == (12, "moderate")
    assert all(_result(outcome, c).score == 0 and _result(outcome, c).level == "low" for c in "cdefghij")


def test_maximum_scores_are_39_and_31_for_tobacco(assist_spec: InstrumentSpec) -> None:
    assert assist_spec.max_score("a") == 31
    assert {assist_spec.max_score(c) for c in CLASSES[1:]} == {39}
    worst = {"Q2": "daily", "Q3": "daily", "Q4": "daily", "Q5": "daily", "Q6": "recent", "Q7": "recent"}
    tobacco_worst = {k: v for k, v in worst.items() if k != "Q5"}
    outcome = score(assist_spec, assist_answers(assist_spec, {"a": tobacco_worst, "i": worst}))
    assert _result(outcome, "a").score == 31
    assert _result(outcome, "i").score == 39


def test_tobacco_is_never_asked_q5(assist_spec: InstrumentSpec) -> None:
    answers = assist_answers(assist_spec, {"a": {"Q2": "daily"}, "b": {"Q2": "daily"}})
    keys = [s.key for s in plan(assist_spec, answers).steps]
    assert "Q5-b" in keys
    assert "Q5-a" not in keys
    complete = assist_answers(assist_spec, {"a": answers_scoring(assist_spec, "a", 20)})
    validate_complete(assist_spec, complete)
    complete["Q5"] = {"a": "daily"}
    with pytest.raises(AnswersError, match=r"Q5\.a: not asked"):
        validate_complete(assist_spec, complete)


@pytest.mark.parametrize(
    ("class_code", "score_", "level"),
    [
        ("b", 10, "low"),
        ("b", 11, "moderate"),
        ("b", 26, "moderate"),
        ("b", 27, "high"),
        ("c", 3, "low"),
        ("c", 4, "moderate"),
        ("c", 26, "moderate"),
        ("c", 27, "high"),
        ("a", 3, "low"),
        ("a", 4, "moderate"),
        ("a", 26, "moderate"),
        ("a", 27, "high"),
        ("a", 31, "high"),
        ("i", 39, "high"),
        ("b", 0, "low"),
    ],
)
def test_every_threshold_boundary(
    assist_spec: InstrumentSpec, class_code: str, score_: int, level: str
) -> None:
    given_answers = answers_scoring(assist_spec, class_code, score_)
    answers = assist_answers(assist_spec, {class_code: given_answers})
    validate_complete(assist_spec, answers)
    result = _result(score(assist_spec, answers), class_code)
    assert (result.score, result.level) == (score_, level)


def test_every_non_alcohol_class_shares_the_drug_thresholds(assist_spec: InstrumentSpec) -> None:
    for klass in assist_spec.classes:
        expected = (
            (("low", 0, 10), ("moderate", 11, 26), ("high", 27, None))
            if klass.key == "alcohol"
            else (("low", 0, 3), ("moderate", 4, 26), ("high", 27, None))
        )
        assert klass.thresholds == expected, klass.key


# --- skip logic


def test_q2_never_skips_q3_to_q5_but_not_q6_q7(assist_spec: InstrumentSpec) -> None:
    answers = assist_answers(assist_spec, {"c": {"Q2": "never"}})
    keys = [s.key for s in plan(assist_spec, answers).steps]
    assert keys == ["Q1", "Q2-c", "Q6-c", "Q7-c", "Q8"]


def test_no_to_everything_probes_once_then_ends(assist_spec: InstrumentSpec) -> None:
    answers = assist_answers(assist_spec, {})
    before = plan(assist_spec, answers, probed=False)
    assert [s.kind for s in before.steps] == ["checklist", "probe"]
    assert [s.key for s in missing_steps(assist_spec, answers, probed=False)] == ["Q1-probe"]
    assert missing_steps(assist_spec, answers, probed=True) == []
    outcome = score(assist_spec, validate_complete(assist_spec, answers))
    assert outcome.ended_early
    assert all(r.score == 0 and not r.involved for r in outcome.results)
    assert outcome.flags == {}


def test_q8_is_asked_once_and_is_a_flag_not_a_score(assist_spec: InstrumentSpec) -> None:
    base = {"i": {"Q2": "never", "Q6": "never", "Q7": "never"}}
    never = score(assist_spec, assist_answers(assist_spec, base, q8="never"))
    recent = score(assist_spec, assist_answers(assist_spec, base, q8="recent"))
    assert [s.key for s in plan(assist_spec, assist_answers(assist_spec, base)).steps].count("Q8") == 1
    assert [r.score for r in never.results] == [r.score for r in recent.results]
    assert recent.flags == {"injecting": "recent"}
    assert recent.forces_referral and not never.forces_referral


def test_missing_and_unknown_answers_are_named(assist_spec: InstrumentSpec) -> None:
    answers = assist_answers(assist_spec, {"b": {"Q2": "weekly"}})
    answers["Q9"] = "x"
    answers["Q2"]["b"] = "sometimes"
    with pytest.raises(AnswersError) as exc:
        validate_complete(assist_spec, answers)
    assert "Q9: not a question of ASSIST 3.1" in exc.value.problems
    assert any(p.startswith("Q2.b:") for p in exc.value.problems)
    del answers["Q9"]
    answers["Q2"]["b"] = "weekly"
    with pytest.raises(AnswersError) as exc:
        validate_complete(assist_spec, answers)
    assert "Q3-b: answer missing" in exc.value.problems


# --- eligibility policy


def test_default_policy_keeps_low_risk_in_ibm_and_refers_moderate(assist_spec: InstrumentSpec) -> None:
    low = score(assist_spec, assist_answers(assist_spec, {"b": answers_scoring(assist_spec, "b", 10)}))
    moderate = score(assist_spec, assist_answers(assist_spec, {"b": answers_scoring(assist_spec, "b", 11)}))
    assert recommend_pathway(spec=assist_spec, outcome=low).pathway == Pathway.IBM
    refer = recommend_pathway(spec=assist_spec, outcome=moderate)
    assert refer.pathway == Pathway.REFERRAL
    assert {"code": "risk", "class": "b", "level": "moderate"} in refer.reasons


def test_policy_is_read_from_settings(assist_spec: InstrumentSpec, settings: Any) -> None:
    moderate = score(assist_spec, assist_answers(assist_spec, {"c": answers_scoring(assist_spec, "c", 12)}))
    settings.PULIH_ELIGIBILITY_IN_IBM = ["low", "moderate"]
    assert recommend_pathway(spec=assist_spec, outcome=moderate).pathway == Pathway.IBM
    settings.PULIH_ELIGIBILITY_IN_IBM = ["low"]
    assert recommend_pathway(spec=assist_spec, outcome=moderate).pathway == Pathway.REFERRAL


def test_aftercare_clients_stay_in_ibm_unless_high_risk_or_injecting(assist_spec: InstrumentSpec) -> None:
    moderate = score(assist_spec, assist_answers(assist_spec, {"c": answers_scoring(assist_spec, "c", 12)}))
    high = score(assist_spec, assist_answers(assist_spec, {"c": answers_scoring(assist_spec, "c", 27)}))
    injecting = score(
        assist_spec, assist_answers(assist_spec, {"c": answers_scoring(assist_spec, "c", 0)}, q8="recent")
    )
    assert recommend_pathway(spec=assist_spec, outcome=moderate, aftercare=True).pathway == Pathway.IBM
    assert recommend_pathway(spec=assist_spec, outcome=high, aftercare=True).pathway == Pathway.REFERRAL
    assert recommend_pathway(spec=assist_spec, outcome=injecting, aftercare=True).pathway == Pathway.REFERRAL


def test_injecting_in_the_past_three_months_always_refers(assist_spec: InstrumentSpec) -> None:
    low = score(
        assist_spec, assist_answers(assist_spec, {"i": answers_scoring(assist_spec, "i", 0)}, q8="recent")
    )
    earlier = score(
        assist_spec, assist_answers(assist_spec, {"i": answers_scoring(assist_spec, "i", 0)}, q8="earlier")
    )
    everything = ["low", "moderate", "high"]
    forced = recommend_pathway(spec=assist_spec, outcome=low, in_ibm=everything)
    assert forced.pathway == Pathway.REFERRAL
    assert forced.reasons[0] == {"code": "forced", "question": "Q8", "option": "recent"}
    assert recommend_pathway(spec=assist_spec, outcome=earlier).pathway == Pathway.IBM


# --- properties (hypothesis)

_SPEC: InstrumentSpec | None = None


def _spec() -> InstrumentSpec:
    global _SPEC
    if _SPEC is None:
        from pulih.screening.loading import read_document
        from pulih.screening.spec import parse_instrument

        _SPEC = parse_instrument(read_document(ASSIST_FILE))
    return _SPEC


@st.composite
def interviews(draw: Any) -> dict[str, Any]:
    """A complete interview: walk the plan and pick any option at every step."""
    spec = _spec()
    answers: dict[str, Any] = {}
    for _ in range(200):
        missing = missing_steps(spec, answers, probed=True)
        if not missing:
            return answers
        step = missing[0]
        q = spec.question(step.question)
        codes = [o.code for o in q.options]
        if step.kind == "checklist":
            answers[q.code] = {c: draw(st.sampled_from(codes)) for c in step.classes}
        elif q.per_class:
            answers.setdefault(q.code, {})[step.class_code] = draw(st.sampled_from(codes))
        else:
            answers[q.code] = draw(st.sampled_from(codes))
    raise AssertionError("the interview did not end")


@settings(max_examples=150, deadline=None)
@given(interviews())
def test_property_every_complete_interview_validates_and_scores_within_bounds(
    answers: dict[str, Any],
) -> None:
    spec = _spec()
    assert validate_complete(spec, answers) == answers
    assert prune(spec, answers) == answers
    outcome = score(spec, answers)
    for r in outcome.results:
        klass = spec.klass(r.code)
        assert 0 <= r.score <= r.max_score == spec.max_score(r.code)
        assert r.level == klass.level_for(r.score)
        if answers["Q1"][r.code] == "no":
            assert r.score == 0 and not r.involved
    assert outcome.highest_level == max((r.level for r in outcome.results), key=spec.severity)


@settings(max_examples=100, deadline=None)
@given(interviews(), st.sampled_from(list(CLASSES)), st.sampled_from(["Q3", "Q4", "Q5"]))
def test_property_answers_to_skipped_questions_never_count(
    answers: dict[str, Any], klass: str, q: str
) -> None:
    spec = _spec()
    asked = {s.key for s in plan(spec, answers, probed=True).steps}
    if f"{q}-{klass}" in asked:
        return
    polluted = {k: (dict(v) if isinstance(v, dict) else v) for k, v in answers.items()}
    polluted.setdefault(q, {})[klass] = "daily"
    assert score(spec, polluted) == score(spec, answers)
    with pytest.raises(AnswersError):
        validate_complete(spec, polluted)


@settings(max_examples=100, deadline=None)
@given(interviews())
def test_property_pathway_is_referral_exactly_when_a_level_or_injecting_demands_it(
    answers: dict[str, Any],
) -> None:
    spec = _spec()
    outcome = score(spec, answers)
    for allowed in (["low"], ["low", "moderate"], ["low", "moderate", "high"]):
        rec = recommend_pathway(spec=spec, outcome=outcome, in_ibm=allowed)
        must_refer = answers.get("Q8") == "recent" or any(r.level not in allowed for r in outcome.results)
        assert (rec.pathway == Pathway.REFERRAL) == must_refer


@given(st.integers(min_value=0, max_value=39), st.integers(min_value=0, max_value=39))
def test_property_risk_never_falls_as_the_score_rises(a: int, b: int) -> None:
    spec = _spec()
    low, high = sorted((a, b))
    for klass in spec.classes:
        assert spec.severity(klass.level_for(low)) <= spec.severity(klass.level_for(high))


@settings(max_examples=100, deadline=None)
@given(interviews(), st.sampled_from(list(CLASSES)))
def test_property_a_higher_weighted_answer_never_lowers_the_score(
    answers: dict[str, Any], klass: str
) -> None:
    spec = _spec()
    before = next(r for r in score(spec, answers).results if r.code == klass).score
    for q in ("Q6", "Q7", "Q4", "Q3"):
        current = (answers.get(q) or {}).get(klass)
        if current is None:
            continue
        question = spec.question(q)
        best = max(question.options, key=lambda o: o.score_for(klass))
        raised = {k: (dict(v) if isinstance(v, dict) else v) for k, v in answers.items()}
        raised[q][klass] = best.code
        after = next(r for r in score(spec, raised).results if r.code == klass).score
        assert after >= before
