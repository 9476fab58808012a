from __future__ import annotations

from typing import Any

import pytest

from pulih.clients.models import Client
from pulih.clients.services import client_update
from pulih.clients.tests.factories import make_client
from pulih.sync.models import Conflict
from pulih.sync.services import conflict_resolve, push_batch
from pulih.sync.services.push import object_version
from pulih.sync.tests.factories import new_id
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def _edit(
    world: World, client: Client, base: dict[str, Any], data: dict[str, Any], version: int, actor: Any = None
) -> dict[str, Any]:
    record = {
        "model": "clients.client",
        "op": "update",
        "id": str(client.pk),
        "base_version": version,
        "base": base,
        "data": data,
    }
    return push_batch(actor=actor or world.alice, key=new_id(), device="phone-2", records=[record])[
        "results"
    ][0]


def _web_edit(world: World, client: Client, **changes: str) -> None:
    client.refresh_from_db()
    fields = {"name": client.name, "phone": client.phone, "rw": client.rw, **changes}
    client_update(actor=world.carol, client=client, **fields)


def test_an_edit_on_the_current_version_is_applied(world: World) -> None:
    client = make_client(world, phone="0811")
    version = object_version("clients.client", client.pk)
    result = _edit(world, client, {"phone": "0811"}, {"phone": "0822"}, version)
    assert result["status"] == "updated" and result["version"] > version
    client.refresh_from_db()
    assert client.phone == "0822"


def test_edits_of_different_fields_merge(world: World) -> None:
    client = make_client(world, phone="0811", rw="01")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, rw="07")  # the server changed the RW meanwhile
    result = _edit(world, client, {"phone": "0811"}, {"phone": "0822"}, version)
    assert result["status"] == "updated" and result["conflicts"] == []
    client.refresh_from_db()
    assert (client.phone, client.rw) == ("0822", "07")
    assert not Conflict.objects.exists()


def test_the_same_edit_on_both_sides_is_no_conflict(world: World) -> None:
    client = make_client(world, phone="0811")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, phone="0899")
    result = _edit(world, client, {"phone": "0811"}, {"phone": "0899"}, version)
    assert result["status"] == "unchanged" and not Conflict.objects.exists()


def test_a_conflicting_edit_of_one_field_keeps_both_values_and_overwrites_nothing(world: World) -> None:
    client = make_client(world, phone="0811", rw="01")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, phone="0833")
    result = _edit(world, client, {"phone": "0811", "rw": "01"}, {"phone": "0844", "rw": "02"}, version)
    assert result["status"] == "conflict" and result["applied"] == ["rw"]
    client.refresh_from_db()
    assert client.phone == "0833" and client.rw == "02"  # the server's value stays until a person chooses
    conflict = Conflict.objects.get()
    assert (conflict.field, conflict.server_value, conflict.device_value) == ("phone", '"0833"', '"0844"')
    assert conflict.is_open


def test_without_a_base_value_a_stale_version_is_a_conflict(world: World) -> None:
    client = make_client(world, phone="0811")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, rw="03")
    result = _edit(world, client, {}, {"phone": "0844"}, version)
    assert result["status"] == "conflict"
    client.refresh_from_db()
    assert client.phone == "0811"


def test_a_person_resolves_a_conflict_with_the_devices_value(world: World) -> None:
    client = make_client(world, phone="0811")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, phone="0833")
    _edit(world, client, {"phone": "0811"}, {"phone": "0844"}, version)
    conflict = conflict_resolve(actor=world.carol, conflict=Conflict.objects.get(), choice="device")
    client.refresh_from_db()
    assert client.phone == "0844" and conflict.resolved_by == world.carol and not conflict.is_open


def test_keeping_the_servers_value_closes_the_conflict_without_a_write(world: World) -> None:
    client = make_client(world, phone="0811")
    version = object_version("clients.client", client.pk)
    _web_edit(world, client, phone="0833")
    _edit(world, client, {"phone": "0811"}, {"phone": "0844"}, version)
    conflict_resolve(actor=world.alice, conflict=Conflict.objects.get(), choice="server")
    client.refresh_from_db()
    assert client.phone == "0833" and not Conflict.objects.filter(resolved_at__isnull=True).exists()


def test_another_unit_cannot_resolve_the_conflict(world: World) -> None:
    from pulih.core.errors import DomainError

    client = make_client(world, phone="0811")
    _web_edit(world, client, phone="0833")
    _edit(world, client, {"phone": "0811"}, {"phone": "0844"}, 0)
    with pytest.raises(DomainError):
        conflict_resolve(actor=world.bob, conflict=Conflict.objects.get(), choice="device")


def test_a_monitoring_contact_done_on_two_devices_differently_is_a_conflict(world: World) -> None:
    from pulih.clients.services import contact_done, contact_schedule

    client = make_client(world)
    contact = contact_schedule(
        actor=world.alice, client=client, due_on=client.created_at.date(), mode="visit"
    )
    base = {"done_on": None, "outcome": "", "notes": ""}
    contact_done(actor=world.carol, contact=contact, done_on=contact.due_on, outcome="stable")
    record = {
        "model": "clients.monitoringcontact",
        "op": "update",
        "id": str(contact.pk),
        "base_version": 1,
        "base": base,
        "data": {"done_on": contact.due_on.isoformat(), "outcome": "relapse"},
    }
    result = push_batch(actor=world.alice, key=new_id(), records=[record])["results"][0]
    assert result["status"] == "conflict"
    assert [c["field"] for c in result["conflicts"]] == ["outcome"]
    contact.refresh_from_db()
    assert contact.outcome == "stable"
