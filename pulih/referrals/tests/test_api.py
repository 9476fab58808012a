"""The referrals API: idempotent create, transitions, scoping, provider administration."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.referrals.audit_codes import ReferralAuditAction
from pulih.referrals.models import Referral, ServiceProvider
from pulih.referrals.tests.factories import make_referral
from pulih.testing.world import World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/referrals"


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data, default=str), content_type="application/json")


def test_creating_with_the_same_id_twice_returns_the_same_referral(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    api = as_user(world.alice)
    body = {
        "id": str(uuid.uuid4()),
        "client_id": str(sharing_client.pk),
        "provider_id": provider.pk,
        "pathway": "outpatient",
        "reason": "ASSIST sedang, perlu asesmen.",
        "send": True,
    }
    first = _post(api, f"{BASE}/", body)
    again = _post(api, f"{BASE}/", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == body["id"]
    assert first.json()["state"] == "sent"
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action=ReferralAuditAction.REFERRAL_CREATED).count() == 1


def test_a_referral_without_sharing_consent_is_refused_naming_the_consent(
    world: World, provider: ServiceProvider, as_user: Any
) -> None:
    client = make_client(world)
    response = _post(
        as_user(world.alice),
        f"{BASE}/",
        {"client_id": str(client.pk), "provider_id": provider.pk, "pathway": "outpatient", "reason": "x"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "consent_missing"
    assert response.json()["details"] == {"consent": "sharing"}


def test_transitions_follow_the_table_and_report_the_next_actions(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    api = as_user(world.carol)
    url = f"{BASE}/{referral.pk}/transitions"
    refused = _post(api, url, {"action": "complete", "note": "x", "outcome": "completed"})
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    ok = _post(api, url, {"action": "accept", "counterpart_name": "dr. Sari", "counterpart_role": "Dokter"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["state"] == "accepted" and data["allowed_actions"] == ["start", "cancel"]
    assert data["events"][-1]["counterpart_name"] == "dr. Sari" and data["events"][-1]["by"] == "carol"
    missing = _post(api, url, {"action": "start"})
    assert missing.status_code == 400 and missing.json()["field"] == "counterpart_name"


def test_supervisors_read_their_area_pseudonymously_and_cannot_act(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    sam = as_user(world.sam)
    listed = sam.get(f"{BASE}/").json()
    assert [r["id"] for r in listed] == [str(referral.pk)]
    assert listed[0]["client_code"] == sharing_client.code and "name" not in listed[0]
    assert "Budi" not in json.dumps(listed)
    assert as_user(world.pat).get(f"{BASE}/").json() == []
    assert as_user(world.pat).get(f"{BASE}/{referral.pk}").status_code == 404
    assert (
        _post(sam, f"{BASE}/{referral.pk}/transitions", {"action": "cancel", "note": "x"}).status_code == 403
    )


def test_the_overdue_filter_lists_only_unacknowledged_referrals(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    late = make_referral(world, client=sharing_client, provider=provider, send=True)
    make_referral(world, client=sharing_client, provider=provider, send=True)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - timedelta(days=10))
    data = as_user(world.alice).get(f"{BASE}/?overdue=true").json()
    assert [r["id"] for r in data] == [str(late.pk)] and data[0]["overdue"]


def test_only_administrators_add_providers_and_everyone_who_refers_reads_them(
    world: World, as_user: Any
) -> None:
    body = {
        "name": "Klinik Pratama BNNK (ilustrasi) Muaro Jambi",
        "type": "bnn_klinik_pratama",
        "regency_code": "15.05",
    }
    assert _post(as_user(world.alice), f"{BASE}/providers", body).status_code == 403
    created = _post(as_user(world.adam), f"{BASE}/providers", body)
    assert created.status_code == 201
    pid = created.json()["id"]
    duplicate = _post(as_user(world.adam), f"{BASE}/providers", body)
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate"
    ipwl = as_user(world.adam).patch(
        f"{BASE}/providers/{pid}", data=json.dumps({"type": "ipwl_medical"}), content_type="application/json"
    )
    assert ipwl.status_code == 200 and ipwl.json()["is_ipwl"] is True
    found = as_user(world.bob).get(f"{BASE}/providers?ipwl=true&regency=15.05").json()
    assert [p["id"] for p in found] == [pid]
    assert as_user(world.mira).get(f"{BASE}/providers").status_code == 403
