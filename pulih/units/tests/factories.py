"""Small builders for units tests; they go through the services like real use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulih.organisations.models import Unit
from pulih.units.models import Agent, TrainingEvent
from pulih.units.services import (
    agent_create,
    event_create,
    event_record_attendance,
    event_set_participants,
)

D = dt.date


def agents(actor: Any, unit: Unit, n: int, *, prefix: str = "Agen") -> list[Agent]:
    return [
        agent_create(actor=actor, unit=unit, name=f"{prefix} {i}", sex="f" if i % 2 else "m",
                     birth_year=1980 + i, active_from=D(2022, 1, 1))
        for i in range(1, n + 1)
    ]


def bimtek(actor: Any, unit: Unit, people: list[Agent], *, full: int | None = None) -> TrainingEvent:
    """A 3-day bimtek; the first ``full`` agents (default all) attend every day, others day 1 only."""
    event = event_create(actor=actor, unit=unit, kind="bimtek", title="Bimtek IBM",
                         starts_on=D(2022, 5, 11), ends_on=D(2022, 5, 13), venue="Aula Kantor Desa",
                         topics=["planning", "implementation", "management", "monitoring"])
    participants = event_set_participants(actor=actor, event=event, agents=people)
    full = len(people) if full is None else full
    by_agent = {p.agent_id: p for p in participants}
    marks = {by_agent[a.pk].pk: (event.days if i < full else event.days[:1]) for i, a in enumerate(people)}
    event_record_attendance(actor=actor, event=event, attendance=marks)
    return event
