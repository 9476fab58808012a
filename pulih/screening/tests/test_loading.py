"""Instruments are data: loading, idempotence, versioning, and rows read back as the same spec."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from pulih.screening import demo
from pulih.screening.loading import load_instrument, read_document, spec_from_rows
from pulih.screening.models import Instrument, Option, Question, RiskThreshold
from pulih.screening.spec import InstrumentError, parse_instrument
from pulih.screening.tests.conftest import ASSIST_FILE, TOY_FILE


@pytest.mark.django_db
def test_load_instruments_is_idempotent() -> None:
    out = StringIO()
    call_command("load_instruments", stdout=out)
    call_command("load_instruments", stdout=out)
    assert "ASSIST 3.1: created" in out.getvalue()
    assert "ASSIST 3.1: unchanged" in out.getvalue()
    assert Instrument.objects.filter(code="ASSIST").count() == 1
    assert Question.objects.filter(instrument__code="ASSIST").count() == 8


@pytest.mark.django_db
def test_the_demo_loader_loads_assist() -> None:
    lines: list[str] = []
    demo.load(lines.append)
    demo.load(lines.append)
    assert Instrument.objects.get(code="ASSIST", version="3.1").active
    assert lines[-1].endswith("unchanged")


@pytest.mark.django_db
def test_the_rows_read_back_as_the_document(assist: Instrument) -> None:
    from_rows = spec_from_rows(assist)
    from_file = parse_instrument(read_document(ASSIST_FILE))
    assert from_rows == from_file
    q5 = Question.objects.get(instrument=assist, code="Q5")
    assert [c.key for c in q5.skip_classes.all()] == ["tobacco"]
    alcohol = RiskThreshold.objects.filter(substance_class__instrument=assist, substance_class__key="alcohol")
    assert sorted((t.level.code, t.min_score, t.max_score) for t in alcohol) == [
        ("high", 27, None),
        ("low", 0, 10),
        ("moderate", 11, 26),
    ]
    assert Option.objects.get(question=q5, code="daily").score == 8
    assert "World Health Organization" in assist.source


@pytest.mark.django_db
def test_a_changed_document_replaces_an_unused_version_only(assist: Instrument, client_ka: Any) -> None:
    from pulih.screening.services import screening_start

    data = read_document(ASSIST_FILE)
    changed = copy.deepcopy(data)
    changed["name"]["en"] = "WHO ASSIST v3.1 (reworded)"
    screening_start(actor=client_ka.registered_by, client=client_ka, instrument=assist)
    with pytest.raises(InstrumentError, match="new version"):
        load_instrument(changed)
    toy = json.loads(Path(TOY_FILE).read_text())
    load_instrument(toy)
    toy["name"]["en"] = "Short screening, reworded (illustrative)"
    assert load_instrument(toy).action == "replaced"


@pytest.mark.django_db
def test_a_new_active_version_retires_the_old_one(toy: Instrument) -> None:
    data = read_document(TOY_FILE)
    data["version"] = "0.2"
    newer = load_instrument(data).instrument
    toy.refresh_from_db()
    assert newer.active and not toy.active


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["classes"][1]["thresholds"].update(low=[0, 9]), "without gaps"),
        (lambda d: d["questions"][2].update(ask_if={"question": "Q9", "any_of": ["x"]}), "earlier question"),
        (lambda d: d["questions"][4].update(skip_classes=["z"]), "unknown class"),
        (lambda d: d["questions"][1]["options"][0].update(score=-1), "whole number"),
        (lambda d: d["classes"][0]["name"].update(id=""), "both 'id' and 'en'"),
        (lambda d: d["classes"][0]["thresholds"].update(high=[27, 40]), "open-ended"),
    ],
)
def test_invalid_documents_are_refused_with_a_message_naming_the_place(mutate: Any, message: str) -> None:
    data = read_document(ASSIST_FILE)
    mutate(data)
    with pytest.raises(InstrumentError, match=message):
        parse_instrument(data)
