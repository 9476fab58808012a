from __future__ import annotations

from typing import Any

import pytest

from pulih.audit.models import AuditEvent
from pulih.clients.audit_codes import ClientAction
from pulih.clients.models import Client, OutreachContact, UrineTest
from pulih.clients.tests.factories import make_client
from pulih.core.errors import ConflictError
from pulih.sync.models import PushBatch
from pulih.sync.services import BatchRejected, push_batch
from pulih.sync.tests.factories import new_id, outreach, register, session, urine
from pulih.testing.world import KAYU_ARO, World

pytestmark = pytest.mark.django_db


def _push(world: World, records: list[dict[str, Any]], key: str | None = None) -> dict[str, Any]:
    return push_batch(actor=world.alice, key=key or new_id(), device="phone-1", records=records)


def test_it_creates_each_record_through_the_domain_services(world: World) -> None:
    reg = register(KAYU_ARO)
    result = _push(world, [reg, urine(reg["id"]), outreach()])
    assert [r["status"] for r in result["results"]] == ["created", "created", "created"]
    client = Client.objects.get(pk=reg["id"])
    assert client.consents.count() == 2  # the registration service recorded both consents
    assert UrineTest.objects.filter(client=client).count() == 1
    assert AuditEvent.objects.filter(action=ClientAction.CLIENT_REGISTERED, object_id=reg["id"]).count() == 1


def test_a_replayed_key_returns_the_stored_result_and_writes_nothing(world: World) -> None:
    reg = register(KAYU_ARO)
    records = [reg, urine(reg["id"])]
    first = _push(world, records, key="batch-0001")
    again = _push(world, records, key="batch-0001")
    assert again["replayed"] is True and first["replayed"] is False
    assert again["results"] == first["results"]
    assert Client.objects.filter(pk=reg["id"]).count() == 1
    assert UrineTest.objects.filter(client_id=reg["id"]).count() == 1
    assert PushBatch.objects.filter(key="batch-0001").count() == 1


def test_the_same_key_with_a_different_payload_is_a_conflict(world: World) -> None:
    _push(world, [outreach()], key="batch-0002")
    with pytest.raises(ConflictError) as err:
        _push(world, [outreach()], key="batch-0002")
    assert err.value.code == "idempotency_key_reused" and err.value.status == 409
    assert OutreachContact.objects.count() == 1


def test_a_record_sent_again_under_a_new_key_is_not_duplicated(world: World) -> None:
    reg = register(KAYU_ARO)
    test = urine(reg["id"])
    _push(world, [reg, test])
    result = _push(world, [reg, test])
    assert [r["status"] for r in result["results"]] == ["exists", "exists"]
    assert (
        Client.objects.filter(pk=reg["id"]).count() == 1
        and UrineTest.objects.filter(pk=test["id"]).count() == 1
    )


def test_a_refused_record_gets_its_own_indonesian_error_and_the_others_are_kept(world: World) -> None:
    client = make_client(world)
    no_consent = register(KAYU_ARO, consent={"services": True, "data_processing": False})
    depends = urine(no_consent["id"])
    good = urine(str(client.pk))
    result = _push(world, [no_consent, depends, good])
    statuses = [r["status"] for r in result["results"]]
    assert statuses == ["error", "error", "created"]
    assert result["results"][0]["error"]["code"] == "consent_missing"
    assert "persetujuan" in result["results"][0]["error"]["message"].lower()
    assert result["results"][1]["error"]["code"] == "depends_on_failed"
    assert not Client.objects.filter(pk=no_consent["id"]).exists()
    assert UrineTest.objects.filter(pk=good["id"]).exists()


def test_a_malformed_record_rejects_the_whole_batch_and_names_it(world: World) -> None:
    reg = register(KAYU_ARO)
    bad = urine(reg["id"], tested_on="kemarin")
    with pytest.raises(BatchRejected) as err:
        _push(world, [reg, bad], key="batch-bad-1")
    assert err.value.details == {"index": 1, "field": "tested_on"}
    assert not Client.objects.filter(pk=reg["id"]).exists()
    assert not PushBatch.objects.filter(key="batch-bad-1").exists()


def test_another_units_client_cannot_be_written_through_sync(world: World) -> None:
    theirs = make_client(world, world.unit_air_mesu)
    result = _push(world, [urine(str(theirs.pk))])
    assert result["results"][0]["error"]["code"] == "not_found"
    assert not UrineTest.objects.filter(client=theirs).exists()


def test_a_group_session_links_every_attending_client(world: World) -> None:
    a, b = make_client(world), make_client(world, name="Dedi (test)")
    rec = session([str(a.pk), str(b.pk)])
    _push(world, [rec])
    from pulih.clients.models import Session

    assert set(Session.objects.get(pk=rec["id"]).clients.values_list("pk", flat=True)) == {a.pk, b.pk}


@pytest.mark.parametrize("persona", ["sam", "olga", "adam", "dina"])
def test_roles_outside_a_unit_cannot_push(world: World, persona: str) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        push_batch(actor=getattr(world, persona), key=new_id(), records=[outreach()])
