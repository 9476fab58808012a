from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pulih.clients.models import Client, ContactMode, SessionKind
from pulih.clients.services import contact_schedule, session_record
from pulih.clients.tests.factories import make_client
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

UNIT = frozenset({"agent", "coordinator"})
READERS = frozenset({"agent", "coordinator", "supervisor"})
DPO = frozenset({"dpo"})


def world_client(w: World, where: str = "kayu") -> Client:
    """One client per test unit, made once per world."""
    attr = f"_clients_{where}"
    if not hasattr(w, attr):
        unit = w.unit_kayu_aro if where == "kayu" else w.unit_air_mesu
        client = make_client(w, unit)
        actor = w.alice if where == "kayu" else w.bob
        contact = contact_schedule(
            actor=actor,
            client=client,
            due_on=timezone.localdate() + timedelta(days=3),
            mode=ContactMode.VISIT,
        )
        session = session_record(
            actor=actor,
            kind=SessionKind.INDIVIDUAL,
            held_on=timezone.localdate(),
            topic="t",
            clients=[client],
        )
        setattr(w, attr, (client, contact, session))
    return getattr(w, attr)[0]


def _other(w: World, user: Any) -> str:
    in_kayu = user.unit_id == w.unit_kayu_aro.pk or user.office_id == w.bnnp_jambi.pk
    return "mesu" if in_kayu else "kayu"


def _pk(w: World) -> dict[str, Any]:
    return {"pk": world_client(w).pk}


def _pk_out(w: World, user: Any) -> dict[str, Any]:
    return {"pk": world_client(w, _other(w, user)).pk}


def _consent(w: World, where: str = "kayu") -> dict[str, Any]:
    return {"pk": world_client(w, where).consents.first().pk}  # type: ignore[union-attr]


def _contact(w: World, where: str = "kayu") -> dict[str, Any]:
    world_client(w, where)
    return {"pk": getattr(w, f"_clients_{where}")[1].pk}


def _session(w: World, where: str = "kayu") -> dict[str, Any]:
    world_client(w, where)
    return {"pk": getattr(w, f"_clients_{where}")[2].pk}


def _api(key: str, fn: Any) -> Any:
    return lambda w, *user: {key: next(iter(fn(w, *user).values()))}


def _client_page(name: str, allowed: frozenset[str], methods: tuple[str, ...] = ("get",)) -> UrlCase:
    return UrlCase(name, allowed, kwargs=_pk, out_of_scope=_pk_out, methods=methods)


CASES = [
    UrlCase("clients:list", READERS),
    UrlCase("clients:worklist", UNIT),
    UrlCase("clients:outreach_list", UNIT),
    UrlCase("clients:outreach_create", UNIT, methods=("get", "post")),
    UrlCase("clients:register", UNIT, methods=("get", "post")),
    UrlCase("clients:session_create", UNIT, methods=("get", "post")),
    _client_page("clients:detail", READERS),
    _client_page("clients:edit", UNIT, ("get", "post")),
    _client_page("clients:card", UNIT),
    _client_page("clients:consent_create", UNIT, ("get", "post")),
    _client_page("clients:plan_create", UNIT, ("get", "post")),
    _client_page("clients:note_create", UNIT, ("get", "post")),
    _client_page("clients:urine_create", UNIT, ("get", "post")),
    _client_page("clients:contact_create", UNIT, ("get", "post")),
    _client_page("clients:close", UNIT, ("get", "post")),
    _client_page("clients:reopen", UNIT, ("post",)),
    _client_page("clients:completion_letter", UNIT),
    UrlCase(
        "clients:consent_withdraw",
        UNIT,
        kwargs=_consent,
        out_of_scope=lambda w, user: _consent(w, _other(w, user)),
        methods=("post",),
    ),
    UrlCase(
        "clients:contact_done",
        UNIT,
        kwargs=_contact,
        out_of_scope=lambda w, user: _contact(w, _other(w, user)),
        methods=("get", "post"),
    ),
    # The DPO sees every client's access log (national scope); nobody else sees any.
    UrlCase("clients:access_log", DPO, kwargs=_pk, sees_all="the data protection officer's scope is national"),
    # API
    UrlCase("api:clients_list", READERS),
    UrlCase("api:clients_register", UNIT, methods=("post",)),
    UrlCase("api:clients_worklist", UNIT),
    UrlCase("api:clients_outreach_list", UNIT),
    UrlCase("api:clients_outreach_create", UNIT, methods=("post",)),
    UrlCase("api:clients_session_create", UNIT, methods=("post",)),
    UrlCase(
        "api:clients_session_get",
        READERS,
        kwargs=_api("session_id", _session),
        out_of_scope=lambda w, user: {"session_id": _session(w, _other(w, user))["pk"]},
    ),
    UrlCase(
        "api:clients_consent_withdraw",
        UNIT,
        kwargs=_api("consent_id", _consent),
        out_of_scope=lambda w, user: {"consent_id": _consent(w, _other(w, user))["pk"]},
        methods=("post",),
    ),
    UrlCase(
        "api:clients_contact_done",
        UNIT,
        kwargs=_api("contact_id", _contact),
        out_of_scope=lambda w, user: {"contact_id": _contact(w, _other(w, user))["pk"]},
        methods=("post",),
    ),
    *[
        UrlCase(
            f"api:clients_{name}",
            allowed,
            kwargs=lambda w: {"client_id": world_client(w).pk},
            out_of_scope=lambda w, user: {"client_id": world_client(w, _other(w, user)).pk},
            methods=methods,
        )
        for name, allowed, methods in [
            ("get", READERS, ("get",)),
            ("consent_list", READERS, ("get",)),
            ("consent_create", UNIT, ("post",)),
            ("plan_create", UNIT, ("post",)),
            ("note_create", UNIT, ("post",)),
            ("urine_create", UNIT, ("post",)),
            ("contact_create", UNIT, ("post",)),
            ("close", UNIT, ("post",)),
            ("reopen", UNIT, ("post",)),
        ]
    ],
]
