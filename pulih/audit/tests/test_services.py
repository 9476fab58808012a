from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from pulih.audit.codes import AdminAction, AuthAction
from pulih.audit.models import AuditEvent
from pulih.audit.services import GENESIS, audit_record, audit_verify_chain
from pulih.organisations.models import Office
from pulih.testing.world import World


@pytest.mark.django_db
def test_events_form_an_unbroken_hash_chain(world: World) -> None:
    first = audit_record(action=AuthAction.LOGIN, actor=world.alice)
    second = audit_record(action=AuthAction.LOGOUT, actor=world.alice)
    assert second.prev_hash == first.hash
    assert first.actor_username == "alice"
    assert first.actor_role == "agent"
    assert first.unit_id == world.unit_kayu_aro.pk
    report = audit_verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()


@pytest.mark.django_db
def test_the_first_event_links_to_the_genesis_hash() -> None:
    event = audit_record(action=AuthAction.LOGIN_FAILED, detail={"username": "x"})
    assert event.prev_hash == GENESIS


@pytest.mark.django_db
def test_verify_reports_the_first_altered_row(world: World) -> None:
    audit_record(action=AuthAction.LOGIN, actor=world.alice)
    victim = audit_record(action=AuthAction.LOGIN, actor=world.bob)
    audit_record(action=AuthAction.LOGIN, actor=world.sam)
    AuditEvent.objects.filter(pk=victim.pk).update(actor_username="someone-else")
    report = audit_verify_chain()
    assert not report.ok
    assert report.broken_at == victim.pk
    with pytest.raises(CommandError, match=f"event id {victim.pk}"):
        call_command("verify_audit", stdout=StringIO())


@pytest.mark.django_db
def test_verify_detects_a_deleted_row(world: World) -> None:
    audit_record(action=AuthAction.LOGIN, actor=world.alice)
    victim = audit_record(action=AuthAction.LOGIN, actor=world.bob)
    after = audit_record(action=AuthAction.LOGIN, actor=world.sam)
    AuditEvent.objects.filter(pk=victim.pk).delete()
    report = audit_verify_chain()
    assert report.broken_at == after.pk


@pytest.mark.django_db
def test_verify_detects_removal_of_the_newest_rows(world: World) -> None:
    audit_record(action=AuthAction.LOGIN, actor=world.alice)
    last = audit_record(action=AuthAction.LOGIN, actor=world.bob)
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert not audit_verify_chain().ok


@pytest.mark.django_db
def test_the_event_rolls_back_with_the_change_it_describes(world: World) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        office = Office.objects.create(
            name="BNNK Tmp", kind="bnnk", parent=world.bnnp_babel, province_id="19"
        )
        audit_record(action=AdminAction.OFFICE_CREATED, actor=world.adam, obj=office)
        raise RuntimeError("the change fails")
    assert AuditEvent.objects.count() == before
    assert not Office.objects.filter(name="BNNK Tmp").exists()
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_the_verify_command_reports_an_intact_chain(world: World) -> None:
    audit_record(action=AuthAction.LOGIN, actor=world.alice)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_a_batch_of_events_extends_the_chain_in_order(world: World) -> None:
    from pulih.audit.services import audit_record_many

    first = audit_record(action=AuthAction.LOGIN, actor=world.alice)
    batch = audit_record_many(
        [{"action": AuthAction.LOGIN, "actor": user} for user in (world.bob, world.sam, world.pat)]
    )
    assert [e.prev_hash for e in batch] == [first.hash, batch[0].hash, batch[1].hash]
    stored = list(AuditEvent.objects.order_by("id").values_list("actor_username", flat=True))
    assert stored[-4:] == ["alice", "bob", "sam", "pat"]
    assert audit_verify_chain().ok
    assert audit_record_many([]) == []
