"""Screenings appear on the client timeline through the registered provider."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from pulih.clients.timeline import entries_for
from pulih.screening.models import Instrument
from pulih.screening.services import screening_start, screening_submit


@pytest.mark.django_db
def test_completed_and_unfinished_screenings_are_on_the_timeline(
    world: Any, client_ka: Any, assist: Instrument
) -> None:
    answers = {"Q1": {c: "no" for c in "abcdefghij"}}
    done, _ = screening_submit(
        actor=world.alice, id=uuid.uuid4(), client=client_ka, instrument=assist, answers=answers
    )
    draft = screening_start(actor=world.alice, client=client_ka)
    entries = [e for e in entries_for(client_ka, world.alice) if e.kind == "screening"]
    assert {e.url for e in entries} == {
        reverse("screening:detail", kwargs={"pk": done.pk}),
        reverse("screening:detail", kwargs={"pk": draft.pk}),
    }
    assert any("ASSIST 3.1" in e.title and "rendah" in e.title.lower() for e in entries)
    assert [e for e in entries_for(client_ka, world.bob) if e.kind == "screening"] == []
