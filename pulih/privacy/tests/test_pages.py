"""The DPO's pages and API: a request from receipt to outcome."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.models import DataSubjectRequest, RequestStatus, RetentionRule
from pulih.privacy.tests.helpers import close_by_withdrawal
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_dpo_handles_an_access_request_on_the_pages(world: World, as_user: Any) -> None:
    client = make_client(world, name="Siti Aminah")
    dina = as_user(world.dina)
    assert "Permintaan" in dina.get("/privacy/").content.decode()
    response = dina.post("/privacy/requests/new/", {"client_code": client.code.lower(), "kind": "access"})
    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and dsr.due_at - dsr.received_at == timedelta(hours=72)
    dina.post(f"/privacy/requests/{dsr.pk}/verify/", {"note": "KTP dilihat"})
    page = dina.get(f"/privacy/requests/{dsr.pk}/export/")
    assert page.status_code == 200 and "Siti Aminah" in page.content.decode()
    download = dina.get(f"/privacy/requests/{dsr.pk}/export.json")
    data = json.loads(download.content)
    assert data["client"]["code"] == client.code and data["processing_history"]
    dina.post(f"/privacy/requests/{dsr.pk}/close/", {"status": "completed", "outcome": "Salinan diserahkan"})
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.COMPLETED
    codes = list(AuditEvent.objects.filter(action__gte=910, action__lt=950).values_list("action", flat=True))
    assert {
        PrivacyAction.REQUEST_RECEIVED,
        PrivacyAction.REQUEST_VERIFIED,
        PrivacyAction.ACCESS_EXPORTED,
        PrivacyAction.REQUEST_CLOSED,
    } <= set(codes)


def test_an_unknown_code_is_a_form_error(world: World, as_user: Any) -> None:
    page = as_user(world.dina).post(
        "/privacy/requests/new/", {"client_code": "PLH-00-NOPE", "kind": "access"}
    )
    assert page.status_code == 200 and not DataSubjectRequest.objects.exists()


def test_restriction_and_erasure_from_the_request_page(world: World, as_user: Any) -> None:
    client = make_client(world)
    dina = as_user(world.dina)
    dina.post("/privacy/requests/new/", {"client_code": client.code, "kind": "restriction"})
    dsr = DataSubjectRequest.objects.get()
    refused = dina.post(f"/privacy/requests/{dsr.pk}/restrict/", {"reason": "Dibantah"}, follow=True)
    assert "Verifikasi" in refused.content.decode()
    assert Client.objects.get(pk=client.pk).restricted_at is None
    dina.post(f"/privacy/requests/{dsr.pk}/verify/", {"note": "KTP"})
    dina.post(f"/privacy/requests/{dsr.pk}/restrict/", {"reason": "Dibantah"})
    assert Client.objects.get(pk=client.pk).restricted_at is not None
    dina.post(f"/privacy/requests/{dsr.pk}/lift/", {"reason": "Selesai"})
    assert Client.objects.get(pk=client.pk).restricted_at is None

    close_by_withdrawal(world, client)
    dina.post("/privacy/requests/new/", {"client_code": client.code, "kind": "erasure"})
    erasure = DataSubjectRequest.objects.get(kind="erasure")
    dina.post(f"/privacy/requests/{erasure.pk}/verify/", {"note": "KTP"})
    done = dina.post(f"/privacy/requests/{erasure.pk}/erase/", follow=True).content.decode()
    assert Client.objects.get(pk=client.pk).name == ""
    assert "2030" in done or "Disimpan sampai" in done


def test_the_retention_page_edits_a_rule(world: World, as_user: Any) -> None:
    rule = RetentionRule.objects.get(data_class="identity")
    dina = as_user(world.dina)
    assert rule.legal_basis[:20] in dina.get("/privacy/retention/").content.decode()
    dina.post(
        f"/privacy/retention/{rule.pk}/",
        {"keep_for_days": "365", "action": "anonymise", "legal_basis": "Kebijakan BNN", "active": "on"},
    )
    rule.refresh_from_db()
    assert rule.keep_for_days == 365 and rule.legal_basis == "Kebijakan BNN"
    assert AuditEvent.objects.filter(action=PrivacyAction.RETENTION_RULE_CHANGED).exists()


def test_the_breach_page_lists_codes(world: World, as_user: Any) -> None:
    from pulih.audit.services import audit_record
    from pulih.clients.audit_codes import ClientAction

    client = make_client(world)
    now = timezone.now()
    audit_record(action=ClientAction.CLIENT_VIEWED, actor=world.alice, obj=client, identified=True, at=now)
    # The form reads local time (the phone's datetime-local input).
    start = timezone.localtime(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page = as_user(world.dina).get("/privacy/breach/", {"account": "alice", "start": start, "end": end})
    assert client.code in page.content.decode()


def test_the_api_runs_a_request_and_the_breach_query(world: World, as_user: Any) -> None:
    client = close_by_withdrawal(world, make_client(world))
    dina = as_user(world.dina)
    made = dina.post(
        "/api/v1/privacy/requests",
        {"client_code": client.code, "kind": "erasure"},
        content_type="application/json",
    )
    assert made.status_code == 201
    rid = made.json()["id"]
    early = dina.post(f"/api/v1/privacy/requests/{rid}/erase", content_type="application/json")
    assert early.status_code == 400 and early.json()["code"] == "not_verified"
    dina.post(f"/api/v1/privacy/requests/{rid}/verify", {"note": "KTP"}, content_type="application/json")
    erased = dina.post(f"/api/v1/privacy/requests/{rid}/erase", content_type="application/json")
    assert erased.status_code == 200 and erased.json()["erased"] == ["identity", "case_notes"]
    assert "care_record" in erased.json()["held"]
    assert len(dina.get("/api/v1/privacy/destructions").json()) == 2
    assert len(dina.get("/api/v1/privacy/retention-rules").json()) == 4
    start = (timezone.now() - timedelta(days=1)).isoformat()
    end = (timezone.now() + timedelta(days=1)).isoformat()
    hits = dina.get("/api/v1/privacy/breach", {"accounts": "alice", "start": start, "end": end}).json()
    assert client.code in [h["code"] for h in hits]
    assert as_user(world.alice).get("/api/v1/privacy/requests").status_code == 403
