"""The overdue rule with a fixed clock, the list filter and the work list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pulih.clients import worklist
from pulih.clients.models import Client
from pulih.referrals.models import Referral, ServiceProvider
from pulih.referrals.overdue import is_overdue
from pulih.referrals.selectors import referral_counts, referral_list
from pulih.referrals.services.referrals import referral_transition
from pulih.referrals.tests.factories import make_referral
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_a_sent_referral_is_overdue_only_after_the_acknowledgement_window(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    sent = referral.sent_at
    assert sent is not None
    on_time = sent + timedelta(days=7)
    late = sent + timedelta(days=7, seconds=1)
    assert not is_overdue(state=referral.state, sent_at=sent, now=on_time)
    assert is_overdue(state=referral.state, sent_at=sent, now=late)
    assert list(referral_list(user=world.alice, overdue=True, now=on_time)) == []
    assert list(referral_list(user=world.alice, overdue=True, now=late)) == [referral]
    assert referral_counts(user=world.alice, now=late)["overdue"] == 1


def test_the_window_is_a_setting(
    world: World, sharing_client: Client, provider: ServiceProvider, settings: object
) -> None:
    settings.PULIH_REFERRAL_ACK_DAYS = 2  # type: ignore[attr-defined]
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    assert referral.sent_at is not None
    assert is_overdue(state="sent", sent_at=referral.sent_at, now=referral.sent_at + timedelta(days=3))


def test_an_acknowledged_or_draft_referral_is_never_overdue(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    draft = make_referral(world, client=sharing_client, provider=provider)
    sent = make_referral(world, client=sharing_client, provider=provider, send=True)
    referral_transition(
        actor=world.alice,
        referral=sent,
        action="receive",
        counterpart_name="Ns. Dewi",
        counterpart_role="Perawat",
    )
    late = timezone.now() + timedelta(days=30)
    assert list(referral_list(user=world.alice, overdue=True, now=late)) == []
    assert not is_overdue(state=draft.state, sent_at=None, now=late)


def test_overdue_referrals_appear_in_the_agents_work_list_and_only_in_their_unit(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider, send=True)
    fresh = make_referral(world, client=sharing_client, provider=provider, send=True)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=8))
    today = timezone.localdate()
    items = [i for i in worklist.items_for(world.alice, today) if i.kind == "referral"]
    assert len(items) == 1
    assert items[0].overdue and items[0].client_code == sharing_client.code
    assert str(referral.pk) in items[0].url and str(fresh.pk) not in items[0].url
    assert [i for i in worklist.items_for(world.bob, today) if i.kind == "referral"] == []
    assert [i for i in worklist.items_for(world.sam, today) if i.kind == "referral"] == []


def test_each_step_appears_on_the_client_timeline_for_those_who_may_read_it(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    from pulih.clients import timeline

    make_referral(world, client=sharing_client, provider=provider, send=True)
    entries = [e for e in timeline.entries_for(sharing_client, world.alice) if e.kind == "referral"]
    assert len(entries) == 2 and all(provider.name in e.title for e in entries)
    assert [e for e in timeline.entries_for(sharing_client, world.bob) if e.kind == "referral"] == []
