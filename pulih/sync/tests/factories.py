"""Helpers for sync tests: records in the shape a device sends them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import connection


def new_id() -> str:
    return str(uuid.uuid4())


def register(village: str, name: str = "Rina (uji)", **kw: Any) -> dict[str, Any]:
    data = {
        "village": village,
        "name": name,
        "sex": "f",
        "birth_year": 1990,
        "referral_source": "outreach",
        "phone": "0812-0000-1111",
        "consent": {"services": True, "data_processing": True},
    }
    data.update(kw)
    return {"model": "clients.client", "op": "create", "id": new_id(), "data": data}


def urine(client_id: str, result: str = "negative", **kw: Any) -> dict[str, Any]:
    data = {
        "client": client_id,
        "tested_on": date.today().isoformat(),
        "method": "kit",
        "substances": "MET, THC",
        "result": result,
    }
    data.update(kw)
    return {"model": "clients.urinetest", "op": "create", "id": new_id(), "data": data}


def outreach(**kw: Any) -> dict[str, Any]:
    data = {
        "contacted_on": date.today().isoformat(),
        "channel": "home_visit",
        "outcome": "informed",
        "notes": "",
    }
    data.update(kw)
    return {"model": "clients.outreachcontact", "op": "create", "id": new_id(), "data": data}


def session(client_ids: list[str], kind: str = "group", **kw: Any) -> dict[str, Any]:
    data = {
        "kind": kind,
        "held_on": date.today().isoformat(),
        "topic": "Relapse prevention",
        "clients": client_ids,
    }
    data.update(kw)
    return {"model": "clients.session", "op": "create", "id": new_id(), "data": data}


def on_postgres() -> bool:
    return connection.vendor == "postgresql"
