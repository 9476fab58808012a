"""Fixtures of the privacy tests: a client with a record in every app."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from pulih.clients.models import Client, ContactMode, SessionKind, UrineResult, UrineTestMethod
from pulih.clients.services import contact_schedule, note_write, session_record, urine_test_record
from pulih.clients.tests.factories import make_client
from pulih.testing.world import World


@pytest.fixture
def assist(db: Any) -> Any:
    from pulih.screening.loading import INSTRUMENT_DIR, load_instrument_file

    return load_instrument_file(INSTRUMENT_DIR / "assist-3.1.json").instrument


@pytest.fixture
def full_client(world: World, assist: Any) -> Client:
    """A Kayu Aro client with a NIK, a phone, care records, a screening and a sent referral."""
    from pulih.referrals.tests.factories import make_referral
    from pulih.screening.services import screening_submit
    from pulih.screening.spec import parse_instrument
    from pulih.screening.tests.builders import assist_answers

    client = make_client(world, sharing=True, name="Budi Santoso", phone="081234567890", rw="04")
    alice = world.alice
    today = date.today()
    session_record(
        actor=alice,
        kind=SessionKind.INDIVIDUAL,
        held_on=today,
        topic="Motivasi",
        clients=[client],
        notes="Budi cerita tentang kakaknya",
    )
    note_write(actor=alice, client=client, written_on=today, text="Rumahnya dekat masjid Al-Ikhlas")
    urine_test_record(
        actor=alice,
        client=client,
        tested_on=today,
        method=UrineTestMethod.KIT,
        substances="MET, THC",
        result=UrineResult.NEGATIVE,
    )
    contact_schedule(actor=alice, client=client, due_on=today + timedelta(days=14), mode=ContactMode.VISIT)
    spec = parse_instrument(assist.content)
    screening_submit(
        actor=alice,
        id=uuid.uuid4(),
        client=client,
        instrument=assist,
        answers=assist_answers(spec, {"c": {"Q2": "never", "Q6": "never", "Q7": "never"}}),
    )
    make_referral(world, client=client, send=True)
    client.refresh_from_db()
    return client
