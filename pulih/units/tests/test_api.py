from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pulih.testing.world import World
from pulih.units.models import Agent
from pulih.units.services import agent_create

pytestmark = pytest.mark.django_db
BASE = "/api/v1/units"


def _post(client: Any, url: str, data: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_a_supervisor_runs_the_whole_flow_through_the_api(world: World, as_user: Any) -> None:
    pat = as_user(world.pat)
    res = _post(pat, f"{BASE}/", {"name": "IBM Mangkol", "village_code": "19.04.02.2006",
                                  "office_id": world.bnnk_pkp.pk})
    assert res.status_code == 201, res.content
    unit = res.json()
    assert unit["status"] == "proposed" and unit["history"][0]["to_status"] == "proposed"
    ids = []
    for i in range(3):
        res = _post(pat, f"{BASE}/{unit['id']}/agents", {"name": f"Agen {i}", "sex": "f", "birth_year": 1990})
        assert res.status_code == 201, res.content
        ids.append(res.json()["id"])
    res = _post(pat, f"{BASE}/{unit['id']}/events", {
        "kind": "bimtek", "title": "Bimtek", "starts_on": "2024-05-01", "ends_on": "2024-05-02",
        "venue": "Aula", "topics": ["planning"], "agent_ids": ids})
    assert res.status_code == 201, res.content
    event = res.json()
    marks = [{"participant_id": p["id"], "days": event["days"]} for p in event["participants"]]
    res = _post(pat, f"{BASE}/events/{event['id']}/attendance", {"marks": marks}, "put")
    assert res.status_code == 200 and all(p["completed"] for p in res.json()["participants"])
    res = _post(pat, f"{BASE}/{unit['id']}/plans/2024", {"clients_screened": 30}, "put")
    assert res.json()["clients_screened"] == 30
    follow_ups = [{"action": "Lapor", "due_on": "2024-07-01"}]
    res = _post(pat, f"{BASE}/{unit['id']}/visits",
                {"visited_on": "2024-06-01", "findings": "Baik", "follow_ups": follow_ups})
    assert res.status_code == 201 and len(res.json()["follow_ups"]) == 1
    res = _post(pat, f"{BASE}/{unit['id']}/stakeholders", {"institution_type": "puskesmas",
                                                           "institution": "Puskesmas", "role": "Kepala"})
    assert res.status_code == 201
    assert pat.get(f"{BASE}/?status=proposed").json()[0]["name"] == "IBM Mangkol"


def test_domain_errors_come_back_as_json_with_code_and_field(world: World, as_user: Any) -> None:
    res = _post(as_user(world.adam), f"{BASE}/", {"name": "X", "village_code": "19.01.01.1001",
                                                  "office_id": world.bnnk_pkp.pk})
    assert res.status_code == 400 and res.json()["code"] == "office_area" and res.json()["field"] == "office"
    res = _post(as_user(world.pat), f"{BASE}/{world.unit_air_mesu.pk}/status",
                {"to_status": "formed", "reason": "x"})
    assert res.status_code == 400 and res.json()["code"] == "transition_not_allowed"


def test_former_user_is_null_for_those_who_may_not_see_it(world: World, as_user: Any) -> None:
    agent = agent_create(actor=world.sam, unit=world.unit_kayu_aro, name="A", sex="m", birth_year=1990,
                         former_user=True)
    url = f"{BASE}/agents/{agent.pk}"
    assert as_user(world.alice).get(url).json()["former_user"] is True
    assert as_user(world.sam).get(url).json()["former_user"] is True
    assert as_user(world.olga).get(url).json()["former_user"] is None
    assert as_user(world.adam).get(url).json()["former_user"] is None


def test_writes_are_refused_before_the_body_is_read(world: World, as_user: Any) -> None:
    url = f"{BASE}/{world.unit_kayu_aro.pk}/agents"
    assert _post(as_user(world.alice), url, {}).status_code == 403  # agent: may read, not write
    assert _post(as_user(world.olga), url, {}).status_code == 403
    assert _post(as_user(world.pat), url, {}).status_code == 404  # outside his area
    assert _post(as_user(world.carol), url, {}).status_code == 422  # allowed: now the body counts
    assert not Agent.objects.exists()


def test_the_directory_is_scoped_like_the_page(world: World, as_user: Any) -> None:
    names = {u["name"] for u in as_user(world.pat).get(f"{BASE}/").json()}
    assert names == {"IBM Air Mesu Timur"}
    assert len(as_user(world.olga).get(f"{BASE}/").json()) == 2
    assert as_user(world.mira).get(f"{BASE}/").status_code == 403


def test_the_operations_are_in_the_openapi_document(world: World, as_user: Any) -> None:
    doc = as_user(world.adam).get("/api/v1/openapi.json").json()
    paths = [p for p in doc["paths"] if p.startswith("/api/v1/units/")]
    assert {"/api/v1/units/{unit_id}/agents", "/api/v1/units/events/{event_id}/attendance",
            "/api/v1/units/{unit_id}/plans/{year}", "/api/v1/units/visits/{visit_id}"} <= set(paths)
    post = doc["paths"]["/api/v1/units/{unit_id}/agents"]["post"]
    assert {next(iter(s)) for s in post["security"]} == {"TokenAuth", "ActiveSessionAuth"}
    assert dt.date.today()  # the document is generated without a database error


def test_an_event_with_an_unknown_agent_is_refused_and_leaves_nothing_behind(world: World, as_user: Any) -> None:
    from pulih.units.models import TrainingEvent

    before = TrainingEvent.objects.count()
    res = _post(as_user(world.pat), f"{BASE}/{world.unit_air_mesu.pk}/events", {
        "kind": "bimtek", "title": "Bimtek", "starts_on": "2024-05-01", "ends_on": "2024-05-02",
        "venue": "Aula", "topics": ["planning"], "agent_ids": [999_999]})  # fmt: skip
    assert res.status_code == 404
    assert TrainingEvent.objects.count() == before
