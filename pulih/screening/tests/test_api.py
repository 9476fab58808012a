"""The screening API: instruments for the offline app, idempotent submission, scoped reads."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pulih.screening.loading import spec_for
from pulih.screening.models import Instrument, Screening
from pulih.screening.tests.builders import assist_answers

BASE = "/api/v1/screening"


def _payload(client: Any, instrument: Instrument, **extra: Any) -> dict[str, Any]:
    answers = assist_answers(
        spec_for(instrument),
        {"b": {"Q2": "daily", "Q3": "daily", "Q4": "daily", "Q5": "daily", "Q6": "recent", "Q7": "recent"}},
    )
    return {
        "id": str(uuid.uuid4()),
        "client_id": str(client.pk),
        "instrument_code": "ASSIST",
        "instrument_version": "3.1",
        "answers": answers,
        **extra,
    }


def _post(http: Any, data: dict[str, Any]) -> Any:
    return http.post(f"{BASE}/screenings", data=json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_instruments_are_served_with_their_full_content(world: Any, as_user: Any, assist: Instrument) -> None:
    response = as_user(world.mira).get(f"{BASE}/instruments")
    assert response.status_code == 200
    [item] = response.json()
    assert (item["code"], item["version"], item["active"]) == ("ASSIST", "3.1", True)
    q5 = next(q for q in item["content"]["questions"] if q["code"] == "Q5")
    assert q5["skip_classes"] == ["a"]
    assert item["content_hash"] == assist.content_hash


@pytest.mark.django_db
def test_submitting_twice_with_the_same_id_stores_one_screening(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    data = _payload(client_ka, assist)
    first = _post(http, data)
    second = _post(http, data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    body = first.json()
    assert body["id"] == data["id"]
    assert body["highest_level"] == "high" and body["pathway"] == "referral"
    alcohol = next(r for r in body["results"] if r["class_code"] == "b")
    assert (alcohol["score"], alcohol["level"]) == (39, "high")
    assert Screening.objects.count() == 1
    got = http.get(f"{BASE}/screenings/{data['id']}")
    assert got.status_code == 200 and got.json()["answers"] == data["answers"]


@pytest.mark.django_db
def test_bad_answers_are_refused_with_every_problem_named(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    data = _payload(client_ka, assist)
    del data["answers"]["Q8"]
    data["answers"]["Q5"]["a"] = "daily"
    response = _post(as_user(world.alice), data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "answers_invalid" and body["field"] == "answers"
    assert "Q8: answer missing" in body["details"]["problems"]
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_out_of_scope_clients_are_not_found(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    data = _payload(client_ka, assist)
    assert _post(as_user(world.bob), data).status_code == 404
    assert _post(as_user(world.sam), data).status_code == 403
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_a_correction_through_the_api_points_to_the_previous_version(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    first = _post(http, _payload(client_ka, assist)).json()
    without_reason = _post(http, _payload(client_ka, assist, previous_id=first["id"]))
    assert without_reason.status_code == 400
    second = _post(
        http, _payload(client_ka, assist, previous_id=first["id"], correction_reason="typo")
    ).json()
    assert (second["version"], second["previous_id"]) == (2, first["id"])
    again = _post(http, _payload(client_ka, assist, previous_id=first["id"], correction_reason="again"))
    assert again.status_code == 409
    listed = http.get(f"{BASE}/clients/{client_ka.pk}/screenings").json()
    assert [s["version"] for s in listed] == [2, 1]


@pytest.mark.django_db
def test_the_operations_are_in_the_openapi_document(world: Any, as_user: Any) -> None:
    paths = as_user(world.alice).get("/api/v1/openapi.json").json()["paths"]
    assert {f"{BASE}/instruments", f"{BASE}/screenings", f"{BASE}/screenings/{{screening_id}}"} <= set(paths)
