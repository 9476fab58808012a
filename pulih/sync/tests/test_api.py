from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from pulih.accounts.services import token_create
from pulih.clients.models import OutreachContact
from pulih.sync.tests.factories import new_id, outreach
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def _post(client: Any, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/sync/push", data=json.dumps(body), content_type="application/json", **headers)


def test_a_device_pushes_with_its_bearer_token_and_a_replay_is_answered_from_the_store(
    world: World, client: Any
) -> None:
    _, raw = token_create(user=world.alice, name="HP Alice")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {"key": new_id(), "device": "hp-1", "records": [outreach()]}
    first, second = _post(client, body, **auth), _post(client, body, **auth)
    assert first.status_code == second.status_code == 200
    assert first.json()["replayed"] is False and second.json()["replayed"] is True
    assert OutreachContact.objects.count() == 1


def test_a_reused_key_with_other_records_is_refused_with_409(world: World, as_user: Any) -> None:
    client = as_user(world.alice)
    key = new_id()
    assert _post(client, {"key": key, "records": [outreach()]}).status_code == 200
    response = _post(client, {"key": key, "records": [outreach()]})
    assert response.status_code == 409 and response.json()["code"] == "idempotency_key_reused"


def test_a_malformed_batch_is_refused_with_422_naming_the_record(world: World, as_user: Any) -> None:
    response = _post(
        as_user(world.alice), {"key": new_id(), "records": [outreach(), {"model": "x.y", "id": new_id()}]}
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"index": 1, "field": "model"}
    assert OutreachContact.objects.count() == 0


def test_the_restore_is_gzipped_for_devices_that_accept_it(world: World, as_user: Any) -> None:
    from pulih.clients.tests.factories import make_client

    for i in range(5):
        make_client(world, name=f"Klien {i}")
    response = as_user(world.alice).get("/api/v1/sync/pull?device=hp", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(response.content))
    assert len(data["records"]["clients.client"]) == 5 and data["reset"] is True
    assert response["Cache-Control"] == "no-store"


def test_the_session_tells_the_device_its_wipe_limits(world: World, as_user: Any, settings: Any) -> None:
    settings.PULIH_SYNC_MAX_WRONG_PINS = 3
    data = as_user(world.alice).get("/api/v1/sync/session").json()
    assert data["settings"]["max_wrong_pins"] == 3 and data["user"]["username"] == "alice"


def test_reference_data_carries_the_instrument_and_translated_choices(world: World, as_user: Any) -> None:
    data = as_user(world.alice).get("/api/v1/sync/reference", HTTP_ACCEPT_LANGUAGE="id").json()
    channels = {c["value"]: c["label"] for c in data["choices"]["outreach_channel"]}
    assert channels["home_visit"] == "Kunjungan rumah" or channels["home_visit"] != "Home visit"
    assert any(v["code"] == world.unit_kayu_aro.village_id for v in data["villages"])
