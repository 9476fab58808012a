"""An instrument as plain, immutable data: what the scorer and the interview flow read.

A screening instrument (WHO ASSIST v3.1 is the one shipped, see
``instruments/assist-3.1.json``) is described by a JSON document and stored in
the database by :mod:`pulih.screening.loading`. Both sources are turned into
the same :class:`InstrumentSpec`, so scoring and skip logic are pure functions
of data and never of Python code per instrument.

The JSON document (one file per instrument version)::

    {"code": "ASSIST", "version": "3.1", "name": {"id": …, "en": …},
     "source": "credit", "illustrative": false, "active": true,
     "risk_levels": [{"code", "tone": ok|warn|danger, "label", "action"}],  # least to most severe
     "classes": [{"code", "key", "name", "examples", "specify"?,
                  "thresholds": {"<level code>": [min, max|null]}}],
     "questions": [{"code", "per_class", "layout": single|checklist, "scored"?,
                    "text" ({substance} is replaced by the class name),
                    "ask_if"?: {"question", "any_of"|"none_of": [option codes]},
                    "skip_classes"?: [class codes], "flag"?: name,
                    "stop_if_all"?: option code, "probe"?: text,
                    "options": [{"code", "label", "score", "forces_referral"?,
                                 "class_scores"?: {"<class code>": score}}]}]}

Texts are ``{"id": "…", "en": "…"}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("id", "en")
LAYOUTS = ("single", "checklist")
TONES = ("ok", "warn", "danger")


class InstrumentError(ValueError):
    """The instrument document is not valid; the message says where."""


@dataclass(frozen=True)
class Text:
    id: str
    en: str

    def get(self, language: str | None) -> str:
        if language and language.startswith("en"):
            return self.en or self.id
        return self.id or self.en

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class Condition:
    """``ask_if``: ask when the answer to ``question`` is (any_of) / is not (none_of) one of ``codes``.

    For a per-class question it looks at the same class's answer; for a
    question asked once it holds when it holds for any class.
    """

    question: str
    codes: frozenset[str]
    negate: bool = False

    def matches(self, code: str) -> bool:
        return (code in self.codes) != self.negate

    def as_dict(self) -> dict[str, Any]:
        return {"question": self.question, ("none_of" if self.negate else "any_of"): sorted(self.codes)}


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: Text
    score: int
    forces_referral: bool = False
    class_scores: tuple[tuple[str, int], ...] = ()

    def score_for(self, class_code: str | None) -> int:
        for code, score in self.class_scores:
            if code == class_code:
                return score
        return self.score


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: Text
    options: tuple[OptionSpec, ...]
    per_class: bool = True
    layout: str = "single"
    scored: bool = True
    ask_if: Condition | None = None
    skip_classes: frozenset[str] = frozenset()
    flag: str = ""
    stop_if_all: str = ""
    probe: Text | None = None

    def option(self, code: str) -> OptionSpec | None:
        for option in self.options:
            if option.code == code:
                return option
        return None

    def max_score(self, class_code: str | None) -> int:
        return max(o.score_for(class_code) for o in self.options)


@dataclass(frozen=True)
class LevelSpec:
    code: str
    label: Text
    action: Text
    tone: str


@dataclass(frozen=True)
class ClassSpec:
    code: str
    key: str
    name: Text
    examples: Text
    # (level code, min, max or None), ordered from the lowest score.
    thresholds: tuple[tuple[str, int, int | None], ...]
    specify: bool = False

    def level_for(self, score: int) -> str:
        for code, low, high in self.thresholds:
            if score >= low and (high is None or score <= high):
                return code
        raise InstrumentError(f"class {self.code}: no risk level covers score {score}")


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    version: str
    name: Text
    source: str
    classes: tuple[ClassSpec, ...]
    questions: tuple[QuestionSpec, ...]
    levels: tuple[LevelSpec, ...]
    illustrative: bool = False
    active: bool = True
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def question(self, code: str) -> QuestionSpec:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)

    def klass(self, code: str) -> ClassSpec:
        for c in self.classes:
            if c.code == code:
                return c
        raise KeyError(code)

    def level(self, code: str) -> LevelSpec:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def severity(self, level_code: str) -> int:
        return [level.code for level in self.levels].index(level_code)

    def max_score(self, class_code: str) -> int:
        """The highest involvement score a class can reach (39 for ASSIST, 31 for tobacco)."""
        return sum(
            q.max_score(class_code)
            for q in self.questions
            if q.per_class and q.scored and class_code not in q.skip_classes
        )


# --- parsing and validation ---------------------------------------------------


def _text(value: Any, where: str, *, required: bool = True) -> Text:
    if not isinstance(value, dict):
        raise InstrumentError(f"{where}: expected {{'id': …, 'en': …}}")
    texts = {lang: str(value.get(lang, "") or "").strip() for lang in LANGUAGES}
    if required and not all(texts.values()):
        raise InstrumentError(f"{where}: both 'id' and 'en' texts are required")
    return Text(id=texts["id"], en=texts["en"])


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise InstrumentError(f"{where}: a short code is required")
    return value.strip()


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InstrumentError(f"{where}: expected a whole number ≥ 0")
    return value


def _unique(codes: list[str], where: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InstrumentError(f"{where}: code {code!r} appears twice")
        seen.add(code)


def parse_instrument(data: Any) -> InstrumentSpec:
    """Validate an instrument document and return its spec (raises :class:`InstrumentError`)."""
    if not isinstance(data, dict):
        raise InstrumentError("the instrument must be a JSON object")
    code = _code(data.get("code"), "code")
    version = _code(data.get("version"), "version")
    where = f"{code} {version}"

    levels = []
    for i, item in enumerate(data.get("risk_levels") or []):
        w = f"{where} risk_levels[{i}]"
        tone = item.get("tone", "ok")
        if tone not in TONES:
            raise InstrumentError(f"{w}: tone must be one of {', '.join(TONES)}")
        levels.append(
            LevelSpec(
                code=_code(item.get("code"), w),
                label=_text(item.get("label"), f"{w} label"),
                action=_text(item.get("action"), f"{w} action"),
                tone=tone,
            )
        )
    if not levels:
        raise InstrumentError(f"{where}: at least one risk level is required")
    level_codes = [level.code for level in levels]
    _unique(level_codes, f"{where} risk_levels")

    classes_raw = data.get("classes") or []
    if not classes_raw:
        raise InstrumentError(f"{where}: at least one class is required")
    class_codes = [_code(c.get("code"), f"{where} classes[{i}]") for i, c in enumerate(classes_raw)]
    _unique(class_codes, f"{where} classes")

    questions: list[QuestionSpec] = []
    seen_questions: list[str] = []
    for i, item in enumerate(data.get("questions") or []):
        w = f"{where} question {item.get('code', i)}"
        qcode = _code(item.get("code"), w)
        per_class = bool(item.get("per_class", True))
        layout = item.get("layout", "single")
        if layout not in LAYOUTS:
            raise InstrumentError(f"{w}: layout must be one of {', '.join(LAYOUTS)}")
        if layout == "checklist" and not per_class:
            raise InstrumentError(f"{w}: a checklist is asked per class")
        options = []
        for j, o in enumerate(item.get("options") or []):
            ow = f"{w} option {j}"
            overrides = o.get("class_scores") or {}
            for cc in overrides:
                if cc not in class_codes:
                    raise InstrumentError(f"{ow}: class_scores names unknown class {cc!r}")
            options.append(
                OptionSpec(
                    code=_code(o.get("code"), ow),
                    label=_text(o.get("label"), f"{ow} label"),
                    score=_int(o.get("score", 0), f"{ow} score"),
                    forces_referral=bool(o.get("forces_referral", False)),
                    class_scores=tuple(
                        sorted((cc, _int(s, f"{ow} class_scores")) for cc, s in overrides.items())
                    ),
                )
            )
        if len(options) < 2:
            raise InstrumentError(f"{w}: at least two options are required")
        option_codes = [o.code for o in options]
        _unique(option_codes, f"{w} options")
        condition = None
        if item.get("ask_if"):
            raw = item["ask_if"]
            ref = raw.get("question")
            if ref not in seen_questions:
                raise InstrumentError(f"{w}: ask_if must refer to an earlier question, not {ref!r}")
            ref_q = next(q for q in questions if q.code == ref)
            if per_class and not ref_q.per_class:
                raise InstrumentError(f"{w}: a per-class question can only depend on a per-class one")
            negate = "none_of" in raw
            codes = raw.get("none_of" if negate else "any_of") or []
            unknown = [c for c in codes if ref_q.option(c) is None]
            if not codes or unknown:
                raise InstrumentError(f"{w}: ask_if needs option codes of {ref} (unknown: {unknown})")
            condition = Condition(question=ref, codes=frozenset(codes), negate=negate)
        skip = item.get("skip_classes") or []
        for cc in skip:
            if cc not in class_codes:
                raise InstrumentError(f"{w}: skip_classes names unknown class {cc!r}")
        stop = item.get("stop_if_all", "") or ""
        if stop and (layout != "checklist" or stop not in option_codes):
            raise InstrumentError(f"{w}: stop_if_all needs a checklist and one of its option codes")
        probe = _text(item["probe"], f"{w} probe") if item.get("probe") else None
        if probe is not None and not stop:
            raise InstrumentError(f"{w}: a probe is only asked with stop_if_all")
        flag = str(item.get("flag", "") or "")
        scored = bool(item.get("scored", True))
        if flag and (per_class or scored):
            raise InstrumentError(f"{w}: a flag question is asked once and not scored")
        questions.append(
            QuestionSpec(
                code=qcode,
                text=_text(item.get("text"), f"{w} text"),
                options=tuple(options),
                per_class=per_class,
                layout=layout,
                scored=scored,
                ask_if=condition,
                skip_classes=frozenset(skip),
                flag=flag,
                stop_if_all=stop,
                probe=probe,
            )
        )
        seen_questions.append(qcode)
    if not questions:
        raise InstrumentError(f"{where}: at least one question is required")
    _unique(seen_questions, f"{where} questions")

    classes = []
    for i, item in enumerate(classes_raw):
        w = f"{where} class {class_codes[i]}"
        raw_th = item.get("thresholds") or {}
        if set(raw_th) != set(level_codes):
            raise InstrumentError(f"{w}: thresholds must name every risk level ({', '.join(level_codes)})")
        bounds: list[tuple[str, int, int | None]] = []
        for level_code in level_codes:
            pair = raw_th[level_code]
            if not isinstance(pair, list) or len(pair) != 2:
                raise InstrumentError(f"{w}: threshold {level_code} must be [min, max or null]")
            low = _int(pair[0], f"{w} threshold {level_code}")
            high = None if pair[1] is None else _int(pair[1], f"{w} threshold {level_code}")
            bounds.append((level_code, low, high))
        expected = 0
        for n, (level_code, low, high) in enumerate(bounds):
            if low != expected or (high is not None and high < low):
                raise InstrumentError(f"{w}: thresholds must run without gaps from 0 (at {level_code})")
            if high is None and n != len(bounds) - 1:
                raise InstrumentError(f"{w}: only the most severe level may be open-ended")
            expected = (high + 1) if high is not None else expected
        if bounds[-1][2] is not None:
            raise InstrumentError(f"{w}: the most severe level must be open-ended (max null)")
        classes.append(
            ClassSpec(
                code=class_codes[i],
                key=str(item.get("key", "") or class_codes[i]),
                name=_text(item.get("name"), f"{w} name"),
                examples=_text(item.get("examples") or {"id": "", "en": ""}, f"{w} examples", required=False),
                thresholds=tuple(bounds),
                specify=bool(item.get("specify", False)),
            )
        )

    return InstrumentSpec(
        code=code,
        version=version,
        name=_text(data.get("name"), f"{where} name"),
        source=str(data.get("source", "") or ""),
        classes=tuple(classes),
        questions=tuple(questions),
        levels=tuple(levels),
        illustrative=bool(data.get("illustrative", False)),
        active=bool(data.get("active", True)),
        raw=data,
    )
