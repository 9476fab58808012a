"""Every URL of screening, for the generated URL × role × scope test."""

from __future__ import annotations

import uuid
from typing import Any

from pulih.screening.models import Screening
from pulih.testing.url_cases import ALL_ROLES, UrlCase
from pulih.testing.world import World

UNIT = frozenset({"agent", "coordinator"})
READERS = frozenset({"agent", "coordinator", "supervisor"})


def world_screening(w: World, where: str = "kayu") -> Screening:
    """One completed ASSIST screening per test unit, made once per world."""
    attr = f"_screening_{where}"
    if not hasattr(w, attr):
        from pulih.clients.tests.factories import make_client
        from pulih.screening.loading import load_shipped_instruments
        from pulih.screening.services import screening_submit

        instrument = next(r.instrument for r in load_shipped_instruments() if r.instrument.code == "ASSIST")
        unit = w.unit_kayu_aro if where == "kayu" else w.unit_air_mesu
        actor = w.alice if where == "kayu" else w.bob
        client = make_client(w, unit)
        answers: dict[str, Any] = {"Q1": {c: ("yes" if c == "b" else "no") for c in "abcdefghij"}}
        answers.update({"Q2": {"b": "never"}, "Q6": {"b": "never"}, "Q7": {"b": "never"}, "Q8": "never"})
        screening, _ = screening_submit(
            actor=actor, id=uuid.uuid4(), client=client, instrument=instrument, answers=answers
        )
        setattr(w, attr, screening)
    return getattr(w, attr)


def _other(w: World, user: Any) -> str:
    in_kayu = user.unit_id == w.unit_kayu_aro.pk or user.office_id == w.bnnp_jambi.pk
    return "mesu" if in_kayu else "kayu"


def _pk(w: World) -> dict[str, Any]:
    return {"pk": world_screening(w).pk}


def _pk_out(w: World, user: Any) -> dict[str, Any]:
    return {"pk": world_screening(w, _other(w, user)).pk}


def _client(w: World) -> dict[str, Any]:
    return {"client_id": world_screening(w).client_id}


def _client_out(w: World, user: Any) -> dict[str, Any]:
    return {"client_id": world_screening(w, _other(w, user)).client_id}


def _api_pk(w: World) -> dict[str, Any]:
    return {"screening_id": world_screening(w).pk}


def _api_pk_out(w: World, user: Any) -> dict[str, Any]:
    return {"screening_id": world_screening(w, _other(w, user)).pk}


CASES = [
    UrlCase("screening:start", UNIT, kwargs=_client, out_of_scope=_client_out, methods=("get", "post")),
    UrlCase("screening:client_list", READERS, kwargs=_client, out_of_scope=_client_out),
    UrlCase("screening:detail", READERS, kwargs=_pk, out_of_scope=_pk_out),
    UrlCase("screening:interview", UNIT, kwargs=_pk, out_of_scope=_pk_out, methods=("get", "post")),
    UrlCase("screening:finish", UNIT, kwargs=_pk, out_of_scope=_pk_out, methods=("post",)),
    UrlCase("screening:correct", UNIT, kwargs=_pk, out_of_scope=_pk_out, methods=("get", "post")),
    UrlCase("screening:discard", UNIT, kwargs=_pk, out_of_scope=_pk_out, methods=("post",)),
    # Instruments are public reference data for every signed-in role.
    UrlCase("api:screening_instruments_list", ALL_ROLES),
    # The client is named in the body: out-of-scope submissions are covered in test_api.py.
    UrlCase("api:screening_screening_submit", UNIT, methods=("post",)),
    UrlCase("api:screening_screening_get", READERS, kwargs=_api_pk, out_of_scope=_api_pk_out),
    UrlCase(
        "api:screening_client_screenings_list",
        READERS,
        kwargs=lambda w: {"client_id": world_screening(w).client_id},
        out_of_scope=lambda w, u: {"client_id": world_screening(w, _other(w, u)).client_id},
    ),
]
