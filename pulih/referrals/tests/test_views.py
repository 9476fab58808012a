"""Referral and provider pages."""

from __future__ import annotations

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


def test_the_form_warns_when_the_sharing_consent_is_missing_and_refuses_naming_it(
    world: World, provider: ServiceProvider, as_user: Any
) -> None:
    client = make_client(world)
    page = as_user(world.alice)
    url = f"/referrals/new/{client.pk}/"
    assert 'data-testid="consent-missing"' in page.get(url).content.decode()
    response = page.post(
        url,
        {"id": uuid.uuid4(), "provider": provider.pk, "pathway": "outpatient", "urgency": "routine",
         "reason": "x", "send": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "berbagi" in response.content.decode().lower() or "share" in response.content.decode().lower()
    assert not Referral.objects.exists()


def test_an_agent_creates_and_sends_a_referral_once_even_if_the_form_is_posted_twice(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    page = as_user(world.alice)
    data = {"id": uuid.uuid4(), "provider": provider.pk, "pathway": "outpatient", "urgency": "soon",
            "reason": "Risiko sedang.", "send": "1"}  # fmt: skip
    first = page.post(f"/referrals/new/{sharing_client.pk}/", data)
    second = page.post(f"/referrals/new/{sharing_client.pk}/", data)
    referral = Referral.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/referrals/{referral.pk}/"
    assert referral.state == "sent" and referral.urgency == "soon"


def test_the_detail_page_offers_the_next_allowed_steps_only_to_the_unit(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    html = as_user(world.alice).get(f"/referrals/{referral.pk}/").content.decode()
    for action in ("receive", "accept", "reject", "cancel"):
        assert f'data-testid="action-{action}"' in html
    assert 'data-testid="action-complete"' not in html
    supervisor = as_user(world.sam).get(f"/referrals/{referral.pk}/").content.decode()
    assert sharing_client.code in supervisor and 'data-testid="action-' not in supervisor
    assert "Budi" not in supervisor


def test_cancelling_asks_for_confirmation_and_a_reason(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    page = as_user(world.alice)
    form = page.get(f"/referrals/{referral.pk}/cancel/").content.decode()
    assert "data-confirm=" in form
    refused = page.post(f"/referrals/{referral.pk}/cancel/", {"note": ""})
    assert refused.status_code == 200
    done = page.post(f"/referrals/{referral.pk}/cancel/", {"note": "Klien pindah."})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "cancelled"
    assert AuditEvent.objects.filter(action=ReferralAuditAction.REFERRAL_CANCELLED).count() == 1


def test_recording_acceptance_on_behalf_of_the_destination(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    response = as_user(world.carol).post(
        f"/referrals/{referral.pk}/accept/", {"counterpart_name": "dr. Sari", "counterpart_role": "Dokter"}
    )
    assert response.status_code == 302
    event = referral.events.order_by("-id").first()
    assert event is not None and event.state == "accepted" and event.counterpart_name == "dr. Sari"
    html = as_user(world.carol).get(f"/referrals/{referral.pk}/").content.decode()
    assert "dr. Sari" in html


def test_the_list_filters_by_state_and_overdue(
    world: World, sharing_client: Client, provider: ServiceProvider, as_user: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    draft = make_referral(world, client=sharing_client, provider=provider)
    late = make_referral(world, client=sharing_client, provider=provider, send=True)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - timedelta(days=9))
    page = as_user(world.alice)
    drafts = page.get("/referrals/?state=draft").content.decode()
    assert str(draft.pk) in drafts and str(late.pk) not in drafts
    overdue = page.get("/referrals/?overdue=1").content.decode()
    assert str(late.pk) in overdue and str(draft.pk) not in overdue


def test_the_administrator_adds_a_provider_and_agents_find_it(world: World, as_user: Any) -> None:
    response = as_user(world.adam).post(
        "/referrals/providers/new/",
        {"name": "LKS (ilustrasi) Muaro Jambi", "type": "lks", "regency": "15.05", "is_ipwl": "on"},
    )
    assert response.status_code == 302
    provider = ServiceProvider.objects.get()
    assert provider.is_ipwl and provider.regency_id == "15.05"
    found = as_user(world.alice).get("/referrals/providers/?q=Muaro&type=lks&ipwl=1").content.decode()
    assert provider.name in found
    none = as_user(world.alice).get("/referrals/providers/?ipwl=0").content.decode()
    assert provider.name not in none
    assert AuditEvent.objects.filter(action=ReferralAuditAction.PROVIDER_CREATED).count() == 1


def test_the_list_pages_totals_come_from_the_state_counts_and_match_the_rows(
    world: World, provider: ServiceProvider, as_user: Any
) -> None:
    make_referral(world, provider=provider)  # a draft
    for _ in range(2):
        make_referral(world, provider=provider, send=True)
    page = as_user(world.sam)
    for query, expected in (("", 3), ("?state=sent", 2), ("?state=draft", 1), ("?state=completed", 0),
                            ("?overdue=1", 0), ("?overdue=1&state=draft", 0)):  # fmt: skip
        response = page.get(f"/referrals/{query}")
        assert response.status_code == 200
        listed = response.context["page"]
        assert listed.paginator.count == expected == len(listed.object_list), query
