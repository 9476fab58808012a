"""What the pages show: interview steps, results and the bar chart, in the request's language.

The chart is plain SVG markup produced here and rendered by the template; it
uses only classes from ``static/screening/screening.css`` (no inline style or
script, which the CSP forbids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulih.screening.eligibility import Pathway
from pulih.screening.models import Screening
from pulih.screening.scoring import Plan, Step, step_answered
from pulih.screening.spec import ClassSpec, InstrumentSpec, QuestionSpec


def _lang() -> str:
    return get_language() or "id"


def _inline_name(klass: ClassSpec, specify: dict[str, str]) -> str:
    """The class name as it reads inside a question ("seberapa sering … minuman beralkohol")."""
    if klass.specify and specify.get(klass.code):
        return specify[klass.code]
    name = klass.name.get(_lang())
    if len(name) > 1 and name[1].islower():
        name = name[0].lower() + name[1:]
    return name


def question_text(question: QuestionSpec, klass: ClassSpec | None, specify: dict[str, str]) -> str:
    text = question.text.get(_lang())
    if klass is not None:
        text = text.replace("{substance}", _inline_name(klass, specify))
    return text.replace("{substance}", _("the substances you mentioned"))


@dataclass(frozen=True)
class ChoiceRow:
    """One class of a checklist (or the only row of a single question) with its options."""

    field: str
    name: str
    examples: str
    options: list[dict[str, Any]]
    specify_field: str = ""
    specify_value: str = ""


def step_view(
    spec: InstrumentSpec,
    step: Step,
    answers: dict[str, Any],
    specify: dict[str, str],
) -> dict[str, Any]:
    lang = _lang()
    question = spec.question(step.question)
    klass = spec.klass(step.class_code) if step.class_code else None

    def options(current: str | None) -> list[dict[str, Any]]:
        return [
            {"code": o.code, "label": o.label.get(lang), "checked": o.code == current}
            for o in question.options
        ]

    rows: list[ChoiceRow] = []
    if step.kind in {"checklist", "probe"}:
        given = answers.get(question.code) or {}
        for code in step.classes:
            c = spec.klass(code)
            rows.append(
                ChoiceRow(
                    field=f"c-{code}",
                    name=c.name.get(lang),
                    examples=c.examples.get(lang),
                    options=options(given.get(code) if isinstance(given, dict) else None),
                    specify_field=f"specify-{code}" if c.specify else "",
                    specify_value=specify.get(code, ""),
                )
            )
    else:
        raw = answers.get(question.code)
        current = raw.get(step.class_code) if isinstance(raw, dict) else raw
        rows.append(
            ChoiceRow(
                field="answer",
                name=klass.name.get(lang) if klass else "",
                examples=klass.examples.get(lang) if klass else "",
                options=options(current if isinstance(current, str) else None),
            )
        )
    return {
        "key": step.key,
        "kind": step.kind,
        "code": question.code,
        "text": question_text(question, klass, specify),
        "probe": question.probe.get(lang) if (step.kind == "probe" and question.probe) else "",
        "klass": {"name": klass.name.get(lang), "examples": klass.examples.get(lang)} if klass else None,
        "rows": rows,
    }


def progress(
    spec: InstrumentSpec, current_plan: Plan, key: str | None, answers: dict[str, Any], probed: bool
) -> dict[str, Any]:
    total = len(current_plan.steps)
    index = current_plan.index(key) if key else None
    done = sum(1 for s in current_plan.steps if step_answered(spec, s, answers, probed=probed))
    position = (index + 1) if index is not None else total
    # Before the first checklist is answered the plan could be anything: show no total yet.
    checklists = [s for s in current_plan.steps if s.kind == "checklist"]
    unknown = any(not step_answered(spec, s, answers, probed=probed) for s in checklists)
    return {
        "unknown_total": unknown,
        "position": position,
        "total": total,
        "estimate": current_plan.uncertain,
        "percent": int(100 * done / total) if total else 100,
        "done": done,
    }


def review_rows(
    spec: InstrumentSpec, current_plan: Plan, answers: dict[str, Any], specify: dict[str, str]
) -> list[dict[str, Any]]:
    lang = _lang()
    rows = []
    for step in current_plan.steps:
        if step.kind == "probe":
            continue
        question = spec.question(step.question)
        if step.kind == "checklist":
            given = answers.get(question.code) or {}
            yes = [
                spec.klass(c).name.get(lang)
                for c in step.classes
                if given.get(c) and given.get(c) != question.stop_if_all
            ]
            answer = ", ".join(yes) if yes else _("none")
            label = question.text.get(lang)
        else:
            raw = answers.get(question.code)
            code = raw.get(step.class_code) if isinstance(raw, dict) else raw
            option = question.option(code) if isinstance(code, str) else None
            answer = option.label.get(lang) if option else "—"
            klass = spec.klass(step.class_code) if step.class_code else None
            label = question_text(question, klass, specify)
        rows.append({"key": step.key, "code": question.code, "label": label, "answer": answer})
    return rows


# --- results ------------------------------------------------------------------

CHART_WIDTH = 320
LABEL_WIDTH = 0
ROW_HEIGHT = 46
BAR_HEIGHT = 16


def results_view(spec: InstrumentSpec, screening: Screening) -> dict[str, Any]:
    lang = _lang()
    results = sorted(screening.results.all(), key=lambda r: r.order)
    shown = [r for r in results if r.involved] or results
    rows = []
    for n, r in enumerate(shown):
        klass = spec.klass(r.class_code)
        level = spec.level(r.level)
        y = n * ROW_HEIGHT
        scale = (CHART_WIDTH - 40) / max(r.max_score, 1)
        marks = [{"x": _num(low * scale)} for (_code, low, _high) in klass.thresholds[1:]]
        name = klass.name.get(lang)
        if klass.specify and screening.specify.get(klass.code):
            name = f"{name}: {screening.specify[klass.code]}"
        rows.append(
            {
                "code": r.class_code,
                "name": name,
                "score": r.score,
                "max_score": r.max_score,
                "level": level.label.get(lang),
                "tone": level.tone,
                "action": level.action.get(lang),
                "involved": r.involved,
                # SVG coordinates as strings: the template must not localise them ("12,5").
                "label_y": _num(y + 13),
                "bar_y": _num(y + 20),
                "mark_end": _num(y + 20 + BAR_HEIGHT),
                "text_y": _num(y + 20 + BAR_HEIGHT - 3),
                "text_x": _num(r.score * scale + 4),
                "track_width": _num(r.max_score * scale),
                "width": _num(r.score * scale),
                "marks": marks,
                "range": _range_text(klass),
            }
        )
    not_used = [spec.klass(r.class_code).name.get(lang) for r in results if not r.involved]
    levels_present = {r.level for r in results}
    actions = [
        {"label": lv.label.get(lang), "action": lv.action.get(lang), "tone": lv.tone}
        for lv in spec.levels
        if lv.code in levels_present
    ]
    return {
        "rows": rows,
        "not_used": not_used if len(shown) != len(results) else [],
        "chart_height": max(len(rows), 1) * ROW_HEIGHT,
        "chart_width": CHART_WIDTH,
        "bar_height": BAR_HEIGHT,
        "actions": actions,
        "highest": spec.level(screening.highest_level).label.get(lang) if screening.highest_level else "",
        "highest_tone": spec.level(screening.highest_level).tone if screening.highest_level else "",
        "pathway_label": Pathway(screening.pathway).label if screening.pathway else "",
        "reasons": reason_texts(spec, screening),
        "injecting": injecting_text(spec, screening),
        "injecting_recent": _injecting_forces(spec, screening),
    }


def _num(value: float) -> str:
    return f"{value:.1f}"


def _range_text(klass: ClassSpec) -> str:
    parts = []
    for _code, low, high in klass.thresholds:
        parts.append(f"{low}–{high}" if high is not None else f"{low}+")
    return " / ".join(parts)


def _injecting_forces(spec: InstrumentSpec, screening: Screening) -> bool:
    for question in spec.questions:
        if question.flag == "injecting":
            option = question.option(screening.injecting)
            return bool(option and option.forces_referral)
    return False


def injecting_text(spec: InstrumentSpec, screening: Screening) -> str:
    for question in spec.questions:
        if question.flag == "injecting":
            option = question.option(screening.injecting)
            return option.label.get(_lang()) if option else _("not asked")
    return ""


def reason_texts(spec: InstrumentSpec, screening: Screening) -> list[str]:
    lang = _lang()
    out = []
    for reason in screening.pathway_reasons:
        code = reason.get("code")
        if code == "forced":
            question = spec.question(reason["question"])
            option = question.option(reason["option"])
            out.append(
                _("%(question)s: %(answer)s — refer for testing and specialist assessment")
                % {"question": reason["question"], "answer": option.label.get(lang) if option else ""}
            )
        elif code == "risk":
            out.append(
                _("%(substance)s: %(level)s")
                % {
                    "substance": spec.klass(reason["class"]).name.get(lang),
                    "level": spec.level(reason["level"]).label.get(lang),
                }
            )
        elif code == "aftercare":
            out.append(_("The client is in aftercare after formal rehabilitation."))
    return out
