"""Loading instrument documents into the database, and reading them back as specs.

``load_instrument`` is idempotent: the same document again changes nothing; a
changed document replaces an instrument version only while no screening uses
it (otherwise publish the change as a new version). Loading an active version
retires the other versions of the same code for new screenings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from pulih.audit.services import audit_record
from pulih.screening.audit_codes import ScreeningAction
from pulih.screening.models import (
    Instrument,
    Option,
    OptionClassScore,
    Question,
    RiskLevel,
    RiskThreshold,
    SubstanceClass,
)
from pulih.screening.spec import (
    ClassSpec,
    Condition,
    InstrumentError,
    InstrumentSpec,
    LevelSpec,
    OptionSpec,
    QuestionSpec,
    Text,
    parse_instrument,
)

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    action: str  # "created" | "unchanged" | "replaced"


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_document(path: Path | str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InstrumentError(f"{path}: the instrument must be a JSON object")
    return data


@transaction.atomic
def load_instrument(data: dict[str, Any], *, actor: Any = None) -> LoadResult:
    """Validate ``data`` (raises :class:`InstrumentError`) and store it as instrument rows."""
    spec = parse_instrument(data)
    digest = content_hash(data)
    existing = Instrument.objects.select_for_update().filter(code=spec.code, version=spec.version).first()
    action = "created"
    if existing is not None:
        if existing.content_hash == digest:
            return LoadResult(existing, "unchanged")
        used = existing.screenings.count()
        if used:
            raise InstrumentError(
                f"{spec.code} {spec.version} is used by {used} screening(s) and cannot change; "
                "publish the change under a new version"
            )
        existing.delete()
        action = "replaced"
    if spec.active:
        Instrument.objects.filter(code=spec.code, active=True).update(active=False)
    instrument = Instrument.objects.create(
        code=spec.code,
        version=spec.version,
        name_id=spec.name.id,
        name_en=spec.name.en,
        source=spec.source,
        illustrative=spec.illustrative,
        active=spec.active,
        content=data,
        content_hash=digest,
    )
    levels = {
        lv.code: RiskLevel.objects.create(
            instrument=instrument,
            code=lv.code,
            order=n,
            label_id=lv.label.id,
            label_en=lv.label.en,
            action_id=lv.action.id,
            action_en=lv.action.en,
            tone=lv.tone,
        )
        for n, lv in enumerate(spec.levels)
    }
    classes: dict[str, SubstanceClass] = {}
    for n, c in enumerate(spec.classes):
        row = SubstanceClass.objects.create(
            instrument=instrument,
            code=c.code,
            key=c.key,
            order=n,
            name_id=c.name.id,
            name_en=c.name.en,
            examples_id=c.examples.id,
            examples_en=c.examples.en,
            specify=c.specify,
        )
        classes[c.code] = row
        RiskThreshold.objects.bulk_create(
            RiskThreshold(substance_class=row, level=levels[code], min_score=low, max_score=high)
            for code, low, high in c.thresholds
        )
    for n, q in enumerate(spec.questions):
        question = Question.objects.create(
            instrument=instrument,
            code=q.code,
            order=n,
            text_id=q.text.id,
            text_en=q.text.en,
            per_class=q.per_class,
            layout=q.layout,
            scored=q.scored,
            ask_if=q.ask_if.as_dict() if q.ask_if else None,
            flag=q.flag,
            stop_if_all=q.stop_if_all,
            probe_id=q.probe.id if q.probe else "",
            probe_en=q.probe.en if q.probe else "",
        )
        if q.skip_classes:
            question.skip_classes.set([classes[code] for code in q.skip_classes])
        for m, o in enumerate(q.options):
            option = Option.objects.create(
                question=question,
                code=o.code,
                order=m,
                label_id=o.label.id,
                label_en=o.label.en,
                score=o.score,
                forces_referral=o.forces_referral,
            )
            OptionClassScore.objects.bulk_create(
                OptionClassScore(option=option, substance_class=classes[code], score=score)
                for code, score in o.class_scores
            )
    audit_record(
        action=ScreeningAction.INSTRUMENT_LOADED,
        actor=actor,
        obj=instrument,
        detail={"code": spec.code, "version": spec.version, "action": action, "hash": digest},
    )
    _SPEC_CACHE.clear()
    return LoadResult(instrument, action)


def load_instrument_file(path: Path | str, *, actor: Any = None) -> LoadResult:
    return load_instrument(read_document(path), actor=actor)


def shipped_instrument_files() -> list[Path]:
    return sorted(INSTRUMENT_DIR.glob("*.json"))


def load_shipped_instruments(*, actor: Any = None) -> list[LoadResult]:
    """Every instrument shipped in ``pulih/screening/instruments/`` (idempotent)."""
    return [load_instrument_file(path, actor=actor) for path in shipped_instrument_files()]


# --- rows → spec ----------------------------------------------------------------

_SPEC_CACHE: dict[tuple[int, str], InstrumentSpec] = {}


def spec_for(instrument: Instrument) -> InstrumentSpec:
    """The instrument's rows as an :class:`InstrumentSpec` (cached: a loaded version never changes)."""
    key = (instrument.pk, instrument.content_hash)
    cached = _SPEC_CACHE.get(key)
    if cached is None:
        cached = _SPEC_CACHE[key] = spec_from_rows(instrument)
    return cached


def spec_from_rows(instrument: Instrument) -> InstrumentSpec:
    classes = list(instrument.classes.prefetch_related("thresholds__level").order_by("order"))
    by_id = {c.pk: c.code for c in classes}
    levels = list(instrument.levels.order_by("order"))
    questions = list(
        instrument.questions.prefetch_related("options__class_scores", "skip_classes").order_by("order")
    )

    def condition(raw: dict[str, Any] | None) -> Condition | None:
        if not raw:
            return None
        negate = "none_of" in raw
        return Condition(
            question=raw["question"], codes=frozenset(raw["none_of" if negate else "any_of"]), negate=negate
        )

    return InstrumentSpec(
        code=instrument.code,
        version=instrument.version,
        name=Text(instrument.name_id, instrument.name_en),
        source=instrument.source,
        illustrative=instrument.illustrative,
        active=instrument.active,
        levels=tuple(
            LevelSpec(
                code=lv.code,
                label=Text(lv.label_id, lv.label_en),
                action=Text(lv.action_id, lv.action_en),
                tone=lv.tone,
            )
            for lv in levels
        ),
        classes=tuple(
            ClassSpec(
                code=c.code,
                key=c.key,
                name=Text(c.name_id, c.name_en),
                examples=Text(c.examples_id, c.examples_en),
                thresholds=tuple(
                    (t.level.code, t.min_score, t.max_score)
                    for t in sorted(c.thresholds.all(), key=lambda t: t.min_score)
                ),
                specify=c.specify,
            )
            for c in classes
        ),
        questions=tuple(
            QuestionSpec(
                code=q.code,
                text=Text(q.text_id, q.text_en),
                per_class=q.per_class,
                layout=q.layout,
                scored=q.scored,
                ask_if=condition(q.ask_if),
                skip_classes=frozenset(by_id[c.pk] for c in q.skip_classes.all()),
                flag=q.flag,
                stop_if_all=q.stop_if_all,
                probe=Text(q.probe_id, q.probe_en) if (q.probe_id or q.probe_en) else None,
                options=tuple(
                    OptionSpec(
                        code=o.code,
                        label=Text(o.label_id, o.label_en),
                        score=o.score,
                        forces_referral=o.forces_referral,
                        class_scores=tuple(
                            sorted((by_id[s.substance_class_id], s.score) for s in o.class_scores.all())
                        ),
                    )
                    for o in sorted(q.options.all(), key=lambda o: o.order)
                ),
            )
            for q in questions
        ),
        raw=instrument.content,
    )
