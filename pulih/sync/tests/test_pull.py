from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client
from pulih.clients.services import client_update, consent_withdraw, urine_test_record
from pulih.clients.tests.factories import make_client
from pulih.sync.audit_codes import SyncAction
from pulih.sync.selectors import pull
from pulih.sync.services import push_batch
from pulih.sync.tests.factories import new_id, outreach
from pulih.testing.world import World


def _ids(result: dict[str, Any], label: str) -> set[str]:
    return {str(r["id"]) for r in result["records"].get(label, [])}


@pytest.mark.django_db
def test_a_restore_holds_the_units_caseload_and_nothing_else(world: World) -> None:
    ours, theirs = make_client(world, phone="0812"), make_client(world, world.unit_air_mesu)
    test = urine_test_record(
        actor=world.alice,
        client=ours,
        tested_on=timezone.localdate(),
        method="kit",
        substances="MET",
        result="negative",
    )
    result = pull(user=world.alice, device="d1")
    assert result["reset"] is True
    assert _ids(result, "clients.client") == {str(ours.pk)}
    assert str(theirs.pk) not in str(result)
    assert _ids(result, "clients.urinetest") == {str(test.pk)}
    row = result["records"]["clients.client"][0]
    assert row["name"] == "Budi (test)" and row["phone"] == "0812" and "nik" not in row
    assert row["_version"] >= 1


@pytest.mark.django_db
def test_a_pull_that_delivers_identity_is_audited_as_identified(world: World) -> None:
    client = make_client(world)
    pull(user=world.alice, device="d1")
    event = AuditEvent.objects.filter(action=SyncAction.PULL_DELIVERED).latest("id")
    assert event.identified is True and str(client.pk) in event.detail["clients"]


@pytest.mark.django_db
def test_the_caseload_is_capped(world: World, settings: Any) -> None:
    settings.PULIH_SYNC_MAX_CLIENTS = 2
    for i in range(3):
        make_client(world, name=f"Klien {i}")
    assert len(pull(user=world.alice)["records"]["clients.client"]) == 2


@pytest.mark.django_db
def test_history_older_than_the_cap_stays_on_the_server(world: World, settings: Any) -> None:
    settings.PULIH_SYNC_HISTORY_MONTHS = 1
    client = make_client(world)
    today = timezone.localdate()
    old = urine_test_record(
        actor=world.alice,
        client=client,
        tested_on=today - timedelta(days=90),
        method="kit",
        substances="MET",
        result="negative",
    )
    new = urine_test_record(
        actor=world.alice, client=client, tested_on=today, method="kit", substances="MET", result="negative"
    )
    ids = _ids(pull(user=world.alice), "clients.urinetest")
    assert str(new.pk) in ids and str(old.pk) not in ids


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sam", "olga", "mira", "adam"])
def test_roles_without_a_caseload_cannot_pull(world: World, persona: str) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        pull(user=getattr(world, persona))


# Incremental pulls see only committed transactions (on PostgreSQL the watermark
# waits for every open transaction), so these tests commit for real.


@pytest.mark.django_db(transaction=True)
def test_an_incremental_pull_sends_only_what_changed(world: World) -> None:
    a, b = make_client(world, phone="0811"), make_client(world)
    first = pull(user=world.alice, device="d1")
    client_update(actor=world.carol, client=a, name=a.name, phone="0899")
    contact = outreach()
    push_batch(actor=world.alice, key=new_id(), records=[contact])
    second = pull(user=world.alice, cursor=first["cursor"], device="d1")
    assert second["reset"] is False
    assert _ids(second, "clients.client") == {str(a.pk)}
    assert second["records"]["clients.client"][0]["phone"] == "0899"
    assert _ids(second, "clients.outreachcontact") == {contact["id"]}
    third = pull(user=world.alice, cursor=second["cursor"], device="d1")
    assert third["records"] == {} and third["removals"] == [] and str(b.pk) not in str(third)


@pytest.mark.django_db(transaction=True)
def test_a_repeated_cursor_gets_the_same_changes_again(world: World) -> None:
    """The response to a pull can be lost on the way: pulling again from the old cursor must repeat it."""
    client = make_client(world, phone="0811")
    first = pull(user=world.alice, device="d1")
    client_update(actor=world.carol, client=client, name=client.name, phone="0899")
    lost = pull(user=world.alice, cursor=first["cursor"], device="d1")
    retry = pull(user=world.alice, cursor=first["cursor"], device="d1")
    assert _ids(lost, "clients.client") == _ids(retry, "clients.client") == {str(client.pk)}


@pytest.mark.django_db(transaction=True)
def test_a_client_who_leaves_the_caseload_is_removed_from_the_device(world: World) -> None:
    stays, leaves = make_client(world), make_client(world, name="Pergi (test)")
    first = pull(user=world.alice, device="d1")
    consent = leaves.consents.get(kind="services")
    consent_withdraw(actor=world.alice, consent=consent)  # closes the client's record
    assert Client.objects.get(pk=leaves.pk).status == "closed"
    second = pull(user=world.alice, cursor=first["cursor"], device="d1")
    assert second["removed_clients"] == [str(leaves.pk)]
    assert str(stays.pk) not in second["removed_clients"]


@pytest.mark.django_db(transaction=True)
def test_a_client_transferred_to_another_unit_is_removed_and_arrives_there(world: World) -> None:
    client = make_client(world)
    alice_first = pull(user=world.alice, device="d1")
    bob_first = pull(user=world.bob, device="d2")
    Client.objects.filter(pk=client.pk).update(unit=world.unit_air_mesu)  # a transfer (no service yet)
    assert pull(user=world.alice, cursor=alice_first["cursor"], device="d1")["removed_clients"] == [
        str(client.pk)
    ]
    arrived = pull(user=world.bob, cursor=bob_first["cursor"], device="d2")
    assert _ids(arrived, "clients.client") == {str(client.pk)}
    assert _ids(arrived, "clients.consent") == {str(c.pk) for c in client.consents.all()}


@pytest.mark.django_db(transaction=True)
def test_a_deleted_hotspot_is_removed_from_the_device(world: World) -> None:
    from pulih.mapping.services.situation import hotspot_create, hotspot_delete
    from pulih.mapping.tests.factories import mapping_for

    mapping = mapping_for(world.unit_kayu_aro)
    hotspot, _ = hotspot_create(actor=world.alice, mapping=mapping, label="Warung ujung", kind="stall")
    first = pull(user=world.alice, device="d1")
    assert _ids(first, "mapping.hotspot") == {str(hotspot.pk)}
    hotspot_id = str(hotspot.pk)
    hotspot_delete(actor=world.alice, hotspot=hotspot)
    second = pull(user=world.alice, cursor=first["cursor"], device="d1")
    assert {"model": "mapping.hotspot", "id": hotspot_id} in second["removals"]
