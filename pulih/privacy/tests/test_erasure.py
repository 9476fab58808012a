"""Erasure anonymises what retention allows and refuses what a legal period still holds."""

from __future__ import annotations

import pytest

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client, ProgressNote
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.models import ClientDestruction, DataClass, DestructionRecord, RequestKind, RetentionRule
from pulih.privacy.services import (
    access_export,
    client_erase,
    client_rectify,
    request_receive,
    request_verify,
)
from pulih.privacy.tests.helpers import close_by_withdrawal
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_it_refuses_erasure_while_the_episode_is_open(world: World) -> None:
    client = make_client(world)
    with pytest.raises(DomainError) as exc:
        client_erase(actor=world.dina, client=client)
    assert exc.value.code == "episode_open"
    client.refresh_from_db()
    assert client.name == "Budi (test)"


def test_it_anonymises_identity_and_deletes_notes_but_keeps_analytic_fields(
    world: World, full_client: Client
) -> None:
    from pulih.referrals.models import Referral

    client = close_by_withdrawal(world, full_client)
    client_erase(actor=world.dina, client=client)
    client = Client.objects.get(pk=client.pk)
    assert (client.name, client.nik, client.phone, client.rw, client.nik_index) == ("", "", "", "", None)
    assert (
        client.code == full_client.code and client.sex == "m" and client.village_id == full_client.village_id
    )
    assert not ProgressNote.objects.filter(client=client).exists()
    assert client.sessions.get().notes == ""
    assert all(c.withdrawal_note == "" and c.giver_name == "" for c in client.consents.all())
    assert Referral.objects.get(client=client).reason == ""
    assert client.urine_tests.count() == 1 and client.episodes.count() == 1


def test_the_care_record_held_by_its_rule_is_kept_and_reported(world: World) -> None:
    client = close_by_withdrawal(world, make_client(world))
    result = client_erase(actor=world.dina, client=client)
    assert result.erased == [DataClass.IDENTITY, DataClass.CASE_NOTES]
    assert DataClass.CARE_RECORD in result.held
    client.refresh_from_db()
    assert client.birth_year == 1995
    records = DestructionRecord.objects.filter(trigger="request")
    assert sorted(records.values_list("data_class", flat=True)) == ["case_notes", "identity"]
    assert ClientDestruction.objects.filter(client=client).count() == 2
    event = AuditEvent.objects.get(action=PrivacyAction.CLIENT_ERASED)
    assert event.detail["erased"] == ["identity", "case_notes"] and "care_record" in event.detail["held"]


def test_a_rule_holding_the_identity_refuses_erasure_and_the_refusal_is_audited(world: World) -> None:
    RetentionRule.objects.filter(data_class=DataClass.IDENTITY).update(holds_erasure=True)
    client = close_by_withdrawal(world, make_client(world))
    with pytest.raises(DomainError) as exc:
        client_erase(actor=world.dina, client=client)
    assert exc.value.code == "retention_hold"
    client.refresh_from_db()
    assert client.name == "Budi (test)"
    assert AuditEvent.objects.filter(action=PrivacyAction.ERASURE_REFUSED, object_id=str(client.pk)).exists()
    assert not DestructionRecord.objects.exists()


def test_the_export_after_erasure_shows_no_identity(world: World) -> None:
    client = close_by_withdrawal(world, make_client(world, nik="", phone="0812"))
    client_erase(actor=world.dina, client=client)
    row = access_export(actor=world.dina, client=client)["sections"][0]["rows"][0]
    assert row["name"] == "" and row["phone"] == ""


def test_erasure_for_a_request_needs_the_request_verified(world: World) -> None:
    client = close_by_withdrawal(world, make_client(world))
    dsr = request_receive(actor=world.dina, client=client, kind=RequestKind.ERASURE)
    with pytest.raises(DomainError):
        client_erase(actor=world.dina, client=client, dsr=dsr)
    request_verify(actor=world.dina, dsr=dsr, note="KTP")
    client_erase(actor=world.dina, client=client, dsr=dsr)
    assert DestructionRecord.objects.filter(request=dsr).count() == 2


def test_the_dpo_rectifies_identity_even_under_restriction(world: World) -> None:
    from pulih.privacy.services import client_restrict

    client = make_client(world)
    client_restrict(actor=world.dina, client=client, reason="Data dibantah")
    client_rectify(actor=world.dina, client=client, name="Budi Prasetyo", phone="0813", rw="02")
    client.refresh_from_db()
    assert (client.name, client.phone, client.rw, client.version) == ("Budi Prasetyo", "0813", "02", 3)
    event = AuditEvent.objects.get(action=PrivacyAction.CLIENT_RECTIFIED)
    assert event.identified and event.detail["fields"] == ["name", "phone", "rw"]
    assert "Budi Prasetyo" not in str(event.detail)


def test_rectification_is_refused_after_erasure(world: World) -> None:
    client = close_by_withdrawal(world, make_client(world))
    client_erase(actor=world.dina, client=client)
    with pytest.raises(DomainError) as exc:
        client_rectify(actor=world.dina, client=client, name="X")
    assert exc.value.code == "anonymised"
