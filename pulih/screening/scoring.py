"""Skip logic and scoring: pure functions of an :class:`InstrumentSpec` and an answers dict.

Nothing here touches the database, so the rules can be tested exhaustively
(see ``tests/test_scoring.py``, including property tests).

Answers are a dict keyed by question code: a per-class question maps class
code → option code (``{"Q2": {"b": "weekly"}}``), a question asked once maps
to an option code (``{"Q8": "never"}``).

For WHO ASSIST v3.1 this gives the Specific Substance Involvement Score
(SSIS = Q2+Q3+Q4+Q5+Q6+Q7 per substance class; tobacco has no Q5) and its
risk level from the class's thresholds, all read from the instrument data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulih.screening.spec import Condition, InstrumentSpec, QuestionSpec

Answers = dict[str, Any]

_ANSWERED, _UNANSWERED, _SKIPPED = "answered", "unanswered", "skipped"


@dataclass(frozen=True)
class Step:
    """One screen of the interview.

    ``kind`` is ``checklist`` (one question for several classes at once),
    ``probe`` (the same checklist again after "no" to everything),
    ``question`` (one question for one class, or once for the interview).
    """

    key: str
    kind: str
    question: str
    class_code: str | None = None
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    # True while later steps depend on answers not given yet (the total is an estimate).
    uncertain: bool
    # True when the stop rule ended the interview (no to everything after the probe).
    ended_early: bool

    def index(self, key: str) -> int | None:
        for i, step in enumerate(self.steps):
            if step.key == key:
                return i
        return None


@dataclass(frozen=True)
class ClassResult:
    code: str
    score: int
    level: str
    max_score: int
    involved: bool  # asked any scored question for this class


@dataclass(frozen=True)
class Outcome:
    results: tuple[ClassResult, ...]
    flags: dict[str, str]
    forces_referral: bool
    highest_level: str
    ended_early: bool


class AnswersError(ValueError):
    """Submitted answers do not fit the instrument; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _answer(answers: Answers, question: QuestionSpec, class_code: str | None) -> str | None:
    """The option code given for one question/class, or None when missing or not an option."""
    raw = answers.get(question.code)
    value = raw
    if question.per_class:
        value = raw.get(class_code) if isinstance(raw, dict) else None
    if isinstance(value, str) and question.option(value) is not None:
        return value
    return None


def _holds(
    spec: InstrumentSpec,
    condition: Condition | None,
    answers: Answers,
    status: dict[tuple[str, str | None], str],
    class_code: str | None,
) -> bool | None:
    """Whether ``condition`` holds: True, False, or None while its answer is still missing."""
    if condition is None:
        return True
    ref = spec.question(condition.question)
    targets: list[str | None] = [class_code] if class_code is not None or not ref.per_class else []
    if not targets:  # a question asked once, depending on a per-class one: any class
        targets = [c.code for c in spec.classes]
    seen_unknown = False
    for target in targets:
        state = status.get((ref.code, target), _SKIPPED)
        if state == _SKIPPED:
            continue
        if state == _UNANSWERED:
            seen_unknown = True
            continue
        code = _answer(answers, ref, target)
        if code is not None and condition.matches(code):
            return True
    return None if seen_unknown else False


def plan(spec: InstrumentSpec, answers: Answers, *, probed: bool = False) -> Plan:
    """The steps of the interview given the answers so far, in the order they are asked.

    Steps whose asking depends on a missing answer are included (the plan
    shrinks as answers arrive); ``uncertain`` says so.
    """
    status: dict[tuple[str, str | None], str] = {}
    steps: list[Step] = []
    uncertain = False
    for q in spec.questions:
        if not q.per_class:
            holds = _holds(spec, q.ask_if, answers, status, None)
            if holds is False:
                status[(q.code, None)] = _SKIPPED
                continue
            uncertain = uncertain or holds is None
            status[(q.code, None)] = _ANSWERED if _answer(answers, q, None) else _UNANSWERED
            steps.append(Step(key=q.code, kind="question", question=q.code))
            continue
        targets: list[str] = []
        for c in spec.classes:
            holds = None if c.code in q.skip_classes else _holds(spec, q.ask_if, answers, status, c.code)
            if c.code in q.skip_classes or holds is False:
                status[(q.code, c.code)] = _SKIPPED
                continue
            uncertain = uncertain or holds is None
            status[(q.code, c.code)] = _ANSWERED if _answer(answers, q, c.code) else _UNANSWERED
            targets.append(c.code)
        if not targets:
            continue
        if q.layout == "checklist":
            steps.append(Step(key=q.code, kind="checklist", question=q.code, classes=tuple(targets)))
            given = [_answer(answers, q, c) for c in targets]
            if q.stop_if_all and all(code == q.stop_if_all for code in given):
                if q.probe is not None:
                    steps.append(
                        Step(key=f"{q.code}-probe", kind="probe", question=q.code, classes=tuple(targets))
                    )
                return Plan(tuple(steps), uncertain=not probed and q.probe is not None, ended_early=True)
        else:
            steps.extend(
                Step(key=f"{q.code}-{c}", kind="question", question=q.code, class_code=c) for c in targets
            )
    return Plan(tuple(steps), uncertain=uncertain, ended_early=False)


def step_answered(spec: InstrumentSpec, step: Step, answers: Answers, *, probed: bool) -> bool:
    q = spec.question(step.question)
    if step.kind == "probe":
        return probed
    if step.kind == "checklist":
        return all(_answer(answers, q, c) is not None for c in step.classes)
    return _answer(answers, q, step.class_code) is not None


def missing_steps(spec: InstrumentSpec, answers: Answers, *, probed: bool = False) -> list[Step]:
    current = plan(spec, answers, probed=probed)
    return [s for s in current.steps if not step_answered(spec, s, answers, probed=probed)]


def prune(spec: InstrumentSpec, answers: Answers) -> Answers:
    """Only the answers to steps that are asked (a changed answer can make later ones moot)."""
    current = plan(spec, answers, probed=True)
    kept: Answers = {}
    for step in current.steps:
        q = spec.question(step.question)
        if step.kind == "probe":
            continue
        if q.per_class:
            bucket = kept.setdefault(q.code, {})
            for c in step.classes or (step.class_code,):
                code = _answer(answers, q, c)
                if code is not None and c is not None:
                    bucket[c] = code
        else:
            code = _answer(answers, q, None)
            if code is not None:
                kept[q.code] = code
    return {k: v for k, v in kept.items() if v != {}}


def validate_complete(spec: InstrumentSpec, answers: Any) -> Answers:
    """Check a finished set of answers (e.g. from the offline app) and return it.

    Raises :class:`AnswersError` naming every unknown code, missing answer or
    answer to a question the skip logic does not ask.
    """
    if not isinstance(answers, dict):
        raise AnswersError(["answers must be an object keyed by question code"])
    problems: list[str] = []
    codes = {q.code for q in spec.questions}
    class_codes = {c.code for c in spec.classes}
    for key, value in answers.items():
        if key not in codes:
            problems.append(f"{key}: not a question of {spec.code} {spec.version}")
            continue
        q = spec.question(key)
        items = value.items() if q.per_class and isinstance(value, dict) else None
        if q.per_class and items is None:
            problems.append(f"{key}: expected an object keyed by class code")
            continue
        for class_code, code in items if items is not None else [(None, value)]:
            where = f"{key}.{class_code}" if class_code is not None else key
            if class_code is not None and class_code not in class_codes:
                problems.append(f"{where}: unknown class")
            elif not isinstance(code, str) or q.option(code) is None:
                problems.append(f"{where}: {code!r} is not an option")
    if problems:
        raise AnswersError(problems)
    for step in missing_steps(spec, answers, probed=True):
        problems.append(f"{step.key}: answer missing")
    if problems:
        raise AnswersError(problems)
    kept = prune(spec, answers)
    for key, value in answers.items():
        if isinstance(value, dict):
            for class_code in value:
                if class_code not in kept.get(key, {}):
                    problems.append(f"{key}.{class_code}: not asked (skip logic)")
        elif key not in kept:
            problems.append(f"{key}: not asked (skip logic)")
    if problems:
        raise AnswersError(problems)
    return kept


def score(spec: InstrumentSpec, answers: Answers) -> Outcome:
    """Per-class involvement scores, risk levels and flags from the asked, answered steps."""
    current = plan(spec, answers, probed=True)
    totals = {c.code: 0 for c in spec.classes}
    involved: set[str] = set()
    flags: dict[str, str] = {}
    forces = False
    for step in current.steps:
        q = spec.question(step.question)
        if step.kind == "probe":
            continue
        targets: tuple[str | None, ...] = step.classes or (step.class_code,)
        for class_code in targets:
            code = _answer(answers, q, class_code)
            if code is None:
                continue
            option = q.option(code)
            assert option is not None
            forces = forces or option.forces_referral
            if q.flag:
                flags[q.flag] = code
            if q.per_class and q.scored and class_code is not None:
                totals[class_code] += option.score_for(class_code)
                involved.add(class_code)
    results = tuple(
        ClassResult(
            code=c.code,
            score=totals[c.code],
            level=c.level_for(totals[c.code]),
            max_score=spec.max_score(c.code),
            involved=c.code in involved,
        )
        for c in spec.classes
    )
    highest = max((r.level for r in results), key=spec.severity)
    return Outcome(
        results=results,
        flags=flags,
        forces_referral=forces,
        highest_level=highest,
        ended_early=current.ended_early,
    )
