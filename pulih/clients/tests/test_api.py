from __future__ import annotations

import json
import uuid
from typing import Any

from pulih.audit.models import AuditEvent
from pulih.clients.audit_codes import ClientAction
from pulih.clients.models import Client, InterventionPlan, Session
from pulih.clients.tests.factories import make_client
from pulih.testing.world import World

BASE = "/api/v1/clients/"


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data, default=str), content_type="application/json")


def _payload(world: World, pk: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(pk),
        "village_code": world.unit_kayu_aro.village_id,
        "name": "Lewat API",
        "sex": "m",
        "birth_year": 1990,
        "consent_services": True,
        "consent_data_processing": True,
    }


def test_registering_twice_with_the_same_id_returns_the_same_client(world: World, as_user: Any) -> None:
    api = as_user(world.alice)
    pk = uuid.uuid4()
    first = _post(api, BASE, _payload(world, pk))
    second = _post(api, BASE, _payload(world, pk))
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] == str(pk)
    assert first.json()["code"] == second.json()["code"]
    assert Client.objects.count() == 1


def test_registration_without_consent_is_refused_with_the_consent_named(world: World, as_user: Any) -> None:
    payload = _payload(world, uuid.uuid4())
    payload["consent_services"] = False
    response = _post(as_user(world.alice), BASE, payload)
    assert response.status_code == 400
    assert response.json()["code"] == "consent_missing"
    assert "services" in response.json()["message"] or "layanan" in response.json()["message"]


def test_a_group_session_and_a_plan_are_idempotent(world: World, as_user: Any) -> None:
    a, b = make_client(world), make_client(world, name="B")
    api = as_user(world.alice)
    session = {
        "id": str(uuid.uuid4()),
        "kind": "group",
        "held_on": "2025-05-01",
        "topic": "Kelompok",
        "client_ids": [str(a.pk), str(b.pk)],
    }
    assert _post(api, BASE + "sessions", session).status_code == 201
    again = _post(api, BASE + "sessions", session)
    assert again.status_code == 200 and set(again.json()["client_ids"]) == {str(a.pk), str(b.pk)}
    assert Session.objects.count() == 1
    plan = {
        "id": str(uuid.uuid4()),
        "goals": "g",
        "modality": "group",
        "frequency": "weekly",
        "responsible_id": world.alice.pk,
        "review_on": "2025-06-01",
    }
    assert _post(api, f"{BASE}{a.pk}/plans", plan).status_code == 201
    assert _post(api, f"{BASE}{a.pk}/plans", plan).status_code == 200
    assert InterventionPlan.objects.count() == 1


def test_an_id_of_another_clients_record_is_a_conflict_not_a_leak(world: World, as_user: Any) -> None:
    a, b = make_client(world), make_client(world, name="B")
    api = as_user(world.alice)
    note = {"id": str(uuid.uuid4()), "written_on": "2025-05-01", "text": "isi-rahasia-42"}
    assert _post(api, f"{BASE}{a.pk}/notes", note).status_code == 201
    response = _post(api, f"{BASE}{b.pk}/notes", note)
    assert response.status_code == 409 and "isi-rahasia-42" not in response.content.decode()


def test_the_api_hides_identity_from_a_supervisor_and_audits_reads(world: World, as_user: Any) -> None:
    client = make_client(world, name="Nama Rahasia")
    agent = as_user(world.alice).get(f"{BASE}{client.pk}").json()
    supervisor = as_user(world.sam).get(f"{BASE}{client.pk}").json()
    assert agent["name"] == "Nama Rahasia" and agent["identity_visible"]
    assert supervisor["name"] is None and not supervisor["identity_visible"]
    events = AuditEvent.objects.filter(action=ClientAction.CLIENT_VIEWED, object_id=str(client.pk))
    assert {(e.actor_username, e.identified) for e in events} == {("alice", True), ("sam", False)}


def test_the_api_is_scoped_like_the_pages(world: World, as_user: Any) -> None:
    theirs = make_client(world, world.unit_air_mesu)
    api = as_user(world.alice)
    assert api.get(f"{BASE}{theirs.pk}").status_code == 404
    assert theirs.code not in api.get(BASE).content.decode()
    assert (
        _post(api, f"{BASE}{theirs.pk}/notes", {"written_on": "2025-01-01", "text": "x"}).status_code == 404
    )
    assert as_user(world.adam).get(BASE).status_code == 403


def test_the_clients_api_is_in_the_openapi_document(world: World, as_user: Any) -> None:
    doc = as_user(world.alice).get("/api/v1/openapi.json").json()
    assert "/api/v1/clients/{client_id}/urine-tests" in doc["paths"]
    assert "/api/v1/clients/sessions" in doc["paths"]
