from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulih.accounts.services import token_create
from pulih.testing.world import World


@pytest.mark.django_db
def test_the_openapi_document_describes_the_api(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["version"] == "1"
    for path in (
        "/api/v1/regions/search",
        "/api/v1/offices/",
        "/api/v1/accounts/me",
        "/api/v1/accounts/tokens",
    ):
        assert path in doc["paths"], path


@pytest.mark.django_db
def test_a_personal_token_authenticates_a_device(world: World, client: Client) -> None:
    _, raw = token_create(user=world.alice, name="HP")
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice"
    assert body["scope"] == "unit"
    assert body["unit_id"] == world.unit_kayu_aro.pk
    assert "clients.identity" in body["permissions"]


@pytest.mark.django_db
def test_an_unknown_token_is_refused(world: World, client: Client) -> None:
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer pulih_nope")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_tokens_are_created_listed_and_revoked_through_the_api(world: World, client: Client) -> None:
    _, raw = token_create(user=world.bob, name="Laptop")
    auth = {"Authorization": f"Bearer {raw}"}
    created = client.post(
        "/api/v1/accounts/tokens", {"name": "HP baru"}, content_type="application/json", headers=auth
    )
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("pulih_")
    names = [t["name"] for t in client.get("/api/v1/accounts/tokens", headers=auth).json()]
    assert sorted(names) == ["HP baru", "Laptop"]
    revoked = client.delete(f"/api/v1/accounts/tokens/{new['id']}", headers=auth)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    after = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {new['token']}")
    assert after.status_code == 401


@pytest.mark.django_db
def test_an_empty_token_name_gets_a_clear_error(world: World, client: Client) -> None:
    _, raw = token_create(user=world.bob, name="Laptop")
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": " "},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name"


@pytest.mark.django_db
def test_offices_come_with_their_work_area(world: World, as_user: Any) -> None:
    body = as_user(world.alice).get("/api/v1/offices/").json()
    pkp = next(o for o in body if o["name"] == "BNNK Kota Pangkalpinang")
    assert pkp["work_area"] == ["19.04", "19.71"]
    assert pkp["kind"] == "bnnk"
    assert pkp["parent_id"] == world.bnnp_babel.pk


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post("/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code in {401, 403}
