"""Shared fixtures of the reports tests: a hand-computed month of client work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from pulih.clients.models import Client, ClosureReason, SessionKind, Sex
from pulih.clients.services.care import session_record
from pulih.clients.services.episodes import episode_close, episode_reopen
from pulih.clients.tests.factories import make_client
from pulih.reports.months import current_month
from pulih.testing.world import World


@pytest.fixture
def huey_immediate() -> Iterator[None]:
    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = previous


@dataclass
class Month:
    month: dt.date
    c1: Client
    c2: Client
    c3: Client
    mover: Client


def build_month(world: World) -> Month:
    """This month's work, counted by hand in the tests.

    Kayu Aro (alice): four clients registered (c1 m, c2 f, c3 m, mover m);
    a group session with c1, c2, c3; an individual session with c1; a group
    session with c1 and c2. c3 drops out and is reopened (a second episode).
    The mover's episode is closed as "moved"; the client is transferred to Air
    Mesu Timur, where bob reopens the episode and holds an individual session.
    """
    today = dt.date.today()
    c1 = make_client(world, sex=Sex.MALE, birth_year=1995)
    c2 = make_client(world, sex=Sex.FEMALE, birth_year=1990)
    c3 = make_client(world, sex=Sex.MALE, birth_year=1980)
    mover = make_client(world, sex=Sex.MALE, birth_year=2000)
    session_record(
        actor=world.alice, kind=SessionKind.GROUP, held_on=today, topic="Kelompok 1", clients=[c1, c2, c3]
    )
    session_record(
        actor=world.alice, kind=SessionKind.INDIVIDUAL, held_on=today, topic="Konseling", clients=[c1]
    )
    session_record(
        actor=world.alice, kind=SessionKind.GROUP, held_on=today, topic="Kelompok 2", clients=[c1, c2]
    )
    episode_close(actor=world.alice, client=c3, reason=ClosureReason.DROPPED_OUT)
    episode_reopen(actor=world.alice, client=c3)
    episode_close(actor=world.alice, client=mover, reason=ClosureReason.MOVED)
    # The transfer itself is arranged by the supervising office (no service yet).
    Client.objects.filter(pk=mover.pk).update(unit=world.unit_air_mesu, village=world.unit_air_mesu.village)
    mover.refresh_from_db()
    episode_reopen(actor=world.bob, client=mover)
    session_record(
        actor=world.bob, kind=SessionKind.INDIVIDUAL, held_on=today, topic="Konseling", clients=[mover]
    )
    return Month(current_month(), c1, c2, c3, mover)


@pytest.fixture
def month_of_work(world: World) -> Month:
    return build_month(world)


def fact(acc: Any, unit: Any, month: dt.date, indicator: str, dim: str = "", member: str = "") -> int:
    return int(acc.get((unit.pk, month, indicator, dim, member), 0))
