"""A client under restriction is stored and readable, but every processing action is refused."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from pulih.clients.models import Client, SessionKind, UrineResult, UrineTestMethod
from pulih.clients.selectors import client_get
from pulih.clients.services import client_update, consent_withdraw, session_record, urine_test_record
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.privacy.services import access_export, client_restrict, client_restriction_lift
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def _restricted(world: World, **kw: Any) -> Client:
    client = make_client(world, **kw)
    client_restrict(actor=world.dina, client=client, reason="Klien membantah keakuratan data")
    return client


def _refused(call: Any) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == "restricted"
    # The message names the restriction and its date (Indonesian by default).
    assert "dibatasi" in exc.value.message
    assert exc.value.details["restricted_at"][:10] in exc.value.message
    return exc.value


def test_it_refuses_registration_edits_of_a_restricted_client(world: World) -> None:
    client = _restricted(world)
    _refused(lambda: client_update(actor=world.alice, client=client, name="Nama Baru"))
    client.refresh_from_db()
    assert client.name == "Budi (test)"


def test_it_refuses_an_instance_loaded_before_the_restriction(world: World) -> None:
    client = make_client(world)
    stale = Client.objects.get(pk=client.pk)
    client_restrict(actor=world.dina, client=client, reason="Permintaan klien")
    assert stale.restricted_at is None
    _refused(lambda: client_update(actor=world.alice, client=stale, name="Nama Baru"))


def test_it_refuses_sessions_and_care_records(world: World) -> None:
    client = _restricted(world)
    _refused(
        lambda: session_record(
            actor=world.alice, kind=SessionKind.INDIVIDUAL, held_on=date.today(), topic="x", clients=[client]
        )
    )
    _refused(
        lambda: urine_test_record(
            actor=world.alice,
            client=client,
            tested_on=date.today(),
            method=UrineTestMethod.KIT,
            substances="MET",
            result=UrineResult.NEGATIVE,
        )
    )
    assert not client.sessions.exists() and not client.urine_tests.exists()


def test_it_refuses_a_group_session_naming_a_restricted_client(world: World) -> None:
    free = make_client(world)
    client = _restricted(world)
    _refused(
        lambda: session_record(
            actor=world.alice, kind=SessionKind.GROUP, held_on=date.today(), topic="x", clients=[free, client]
        )
    )
    assert not free.sessions.exists()


def test_it_refuses_consent_changes(world: World) -> None:
    client = _restricted(world)
    consent = client.consents.first()
    assert consent is not None
    _refused(lambda: consent_withdraw(actor=world.alice, consent=consent))


def test_it_refuses_screening(world: World, assist: Any) -> None:
    from pulih.screening.models import Screening
    from pulih.screening.services import screening_start, screening_submit
    from pulih.screening.spec import parse_instrument
    from pulih.screening.tests.builders import assist_answers

    client = _restricted(world)
    _refused(lambda: screening_start(actor=world.alice, client=client, instrument=assist))
    spec = parse_instrument(assist.content)
    _refused(
        lambda: screening_submit(
            actor=world.alice, id=uuid.uuid4(), client=client, instrument=assist, answers=assist_answers(spec)
        )
    )
    assert not Screening.objects.filter(client=client).exists()


def test_it_refuses_answering_a_draft_started_before_the_restriction(world: World, assist: Any) -> None:
    from pulih.screening.services import screening_answer, screening_start

    client = make_client(world)
    draft = screening_start(actor=world.alice, client=client, instrument=assist)
    client_restrict(actor=world.dina, client=client, reason="Permintaan klien")
    _refused(lambda: screening_answer(actor=world.alice, screening=draft, step_key="Q1", values={"a": "no"}))
    draft.refresh_from_db()
    assert draft.answers == {}


def test_the_edit_pages_of_a_restricted_client_say_why(world: World, as_user: Any) -> None:
    client = _restricted(world)
    page = as_user(world.alice).get(f"/clients/{client.pk}/edit/")
    assert page.status_code == 409 and "dibatasi" in page.content.decode()


def test_it_refuses_referrals(world: World) -> None:
    from pulih.referrals.models import Referral
    from pulih.referrals.tests.factories import make_referral

    client = _restricted(world, sharing=True)
    _refused(lambda: make_referral(world, client=client, send=True))
    assert not Referral.objects.filter(client=client).exists()


def test_it_refuses_sending_a_draft_made_before_the_restriction(world: World) -> None:
    from pulih.referrals.models import ReferralAction, ReferralState
    from pulih.referrals.services.referrals import referral_transition
    from pulih.referrals.tests.factories import make_referral

    referral = make_referral(world)
    client_restrict(actor=world.dina, client=referral.client, reason="Permintaan klien")
    _refused(lambda: referral_transition(actor=world.alice, referral=referral, action=ReferralAction.SEND))
    referral.refresh_from_db()
    assert referral.state == ReferralState.DRAFT


def test_reads_for_storage_and_the_dpo_export_still_work(world: World, as_user: Any) -> None:
    client = _restricted(world)
    assert client_get(user=world.alice, pk=client.pk) == client
    page = as_user(world.alice).get(f"/clients/{client.pk}/")
    assert page.status_code == 200
    data = access_export(actor=world.dina, client=client)
    assert data["sections"][0]["rows"][0]["name"] == "Budi (test)"


def test_lifting_the_restriction_allows_processing_again(world: World) -> None:
    client = _restricted(world)
    client_restriction_lift(actor=world.dina, client=client, reason="Data sudah dibetulkan")
    client_update(actor=world.alice, client=client, name="Budi S.")
    client.refresh_from_db()
    assert client.name == "Budi S." and client.restricted_at is None


def test_only_the_dpo_restricts(world: World) -> None:
    client = make_client(world)
    with pytest.raises(Exception) as exc:
        client_restrict(actor=world.carol, client=client, reason="x")
    assert exc.type.__name__ in {"PermissionDenied", "NotAllowed"}
    client.refresh_from_db()
    assert client.restricted_at is None


def test_it_refuses_recording_the_destinations_answer_for_a_restricted_client(world: World) -> None:
    from pulih.referrals.models import ReferralAction, ReferralState
    from pulih.referrals.services.referrals import referral_transition
    from pulih.referrals.tests.factories import make_referral

    referral = make_referral(world)
    referral_transition(actor=world.alice, referral=referral, action=ReferralAction.SEND)
    client_restrict(actor=world.dina, client=referral.client, reason="Permintaan klien")
    _refused(
        lambda: referral_transition(
            actor=world.alice,
            referral=referral,
            action=ReferralAction.RECEIVE,
            counterpart_name="Petugas",
            counterpart_role="Perawat",
        )
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT
