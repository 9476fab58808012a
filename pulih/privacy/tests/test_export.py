"""The access export holds everything about the client and its processing history."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.export import register
from pulih.privacy.models import RequestKind
from pulih.privacy.services import access_export, request_receive, request_verify
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def _records(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    section = next(s for s in data["sections"] if s["key"] == key)
    return section["rows"]


def test_it_exports_decrypted_identity_and_every_app_s_records(world: World, full_client: Client) -> None:
    data = access_export(actor=world.dina, client=full_client)
    rows = _records(data, "clients")
    kinds = {r["record"] for r in rows}
    assert {
        "client",
        "episode",
        "consent",
        "session",
        "progress_note",
        "urine_test",
        "monitoring_contact",
    } <= kinds
    identity = rows[0]
    assert (
        identity["name"] == "Budi Santoso" and identity["phone"] == "081234567890" and identity["rw"] == "04"
    )
    assert "nik_index" not in identity
    screening = _records(data, "screening")[0]
    assert screening["answers"]["Q1"]["c"] == "yes"
    assert {r["class"] for r in screening["results"]}
    referral = _records(data, "referrals")[0]
    assert [e["state"] for e in referral["events"]] == ["draft", "sent"]


def test_the_processing_history_covers_every_app(world: World, full_client: Client) -> None:
    other = make_client(world, name="Orang Lain")
    data = access_export(actor=world.dina, client=full_client)
    names = {e["action_name"] for e in data["processing_history"]}
    assert {
        "client_registered",
        "consent_given",
        "session_recorded",
        "note_written",
        "urine_test_recorded",
    } <= names
    assert any(n.startswith("screening") for n in names)
    assert any(n.startswith("referral") for n in names)
    assert AuditEvent.objects.filter(object_id=str(other.pk)).exists()
    assert not [e for e in data["processing_history"] if e["object_id"] == str(other.pk)]


def test_the_export_itself_is_an_audited_identified_read(world: World, full_client: Client) -> None:
    access_export(actor=world.dina, client=full_client)
    event = AuditEvent.objects.filter(action=PrivacyAction.ACCESS_EXPORTED).get()
    assert event.identified and event.actor_username == "dina" and event.object_id == str(full_client.pk)


def test_a_request_needs_verified_identity_before_the_export(world: World, full_client: Client) -> None:
    dsr = request_receive(actor=world.dina, client=full_client, kind=RequestKind.ACCESS)
    with pytest.raises(DomainError) as exc:
        access_export(actor=world.dina, client=full_client, dsr=dsr)
    assert exc.value.code == "not_verified"
    request_verify(actor=world.dina, dsr=dsr, note="KTP dilihat oleh koordinator")
    assert access_export(actor=world.dina, client=full_client, dsr=dsr)["client"]["code"] == full_client.code


def test_a_registered_gatherer_adds_its_section(world: World) -> None:
    from pulih.privacy.export import _GATHERERS, Section

    client = make_client(world)
    register("test_extra", lambda c: Section("test_extra", "Extra", [{"code": c.code}]), order=99)
    try:
        data = access_export(actor=world.dina, client=client)
    finally:
        _GATHERERS.pop("test_extra")
    assert _records(data, "test_extra") == [{"code": client.code}]


def test_nobody_but_the_dpo_exports(world: World) -> None:
    client = make_client(world)
    for user in (world.alice, world.carol, world.sam, world.adam):
        with pytest.raises(Exception) as exc:
            access_export(actor=user, client=client)
        assert exc.type.__name__ in {"PermissionDenied", "NotAllowed"}
