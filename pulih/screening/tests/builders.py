"""Building answer sets for tests."""

from __future__ import annotations

import itertools
from typing import Any

from pulih.screening.spec import InstrumentSpec

PER_CLASS = ("Q2", "Q3", "Q4", "Q5", "Q6", "Q7")


def assist_answers(
    spec: InstrumentSpec, used: dict[str, dict[str, str]] | None = None, q8: str | None = "never"
) -> dict[str, Any]:
    """Q1 yes for each class in ``used`` (no for the others) and the given per-class answers."""
    used = used or {}
    answers: dict[str, Any] = {"Q1": {c.code: ("yes" if c.code in used else "no") for c in spec.classes}}
    for class_code, given in used.items():
        for q, option in given.items():
            answers.setdefault(q, {})[class_code] = option
    if used and q8 is not None:
        answers["Q8"] = q8
    return answers


def answers_scoring(spec: InstrumentSpec, class_code: str, target: int) -> dict[str, str]:
    """Per-class answers (Q2–Q7) that the skip logic accepts and that add up to ``target``."""
    questions = [spec.question(q) for q in PER_CLASS if class_code not in spec.question(q).skip_classes]
    for combo in itertools.product(*(q.options for q in questions)):
        chosen = dict(zip((q.code for q in questions), combo, strict=True))
        if chosen["Q2"].code == "never":
            if any(chosen[q].code != "never" for q in ("Q3", "Q4", "Q5") if q in chosen):
                continue
            chosen = {k: v for k, v in chosen.items() if k not in ("Q3", "Q4", "Q5")}
        total = sum(o.score_for(class_code) for o in chosen.values())
        if total == target:
            return {k: v.code for k, v in chosen.items()}
    raise AssertionError(f"no answers give {target} for {class_code}")
