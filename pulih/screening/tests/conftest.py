"""Fixtures of the screening tests: the shipped instrument, a test-only one, a client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulih.screening.loading import INSTRUMENT_DIR, load_instrument_file, read_document
from pulih.screening.models import Instrument
from pulih.screening.spec import InstrumentSpec, parse_instrument

DATA = Path(__file__).resolve().parent / "data"
ASSIST_FILE = INSTRUMENT_DIR / "assist-3.1.json"
TOY_FILE = DATA / "skrining-singkat-0.1.json"


@pytest.fixture(scope="session")
def assist_spec() -> InstrumentSpec:
    return parse_instrument(read_document(ASSIST_FILE))


@pytest.fixture
def assist(db: Any) -> Instrument:
    """WHO ASSIST v3.1 loaded from the shipped data file (idempotent)."""
    return load_instrument_file(ASSIST_FILE).instrument


@pytest.fixture
def toy(db: Any) -> Instrument:
    """The illustrative three-question instrument, added as nothing but a data file."""
    return load_instrument_file(TOY_FILE).instrument


@pytest.fixture
def client_ka(world: Any, assist: Instrument) -> Any:
    """A client of Kayu Aro (alice's unit) with services consent."""
    from pulih.clients.tests.factories import make_client

    return make_client(world)
