"""Referral services: the state machine against the database, consent, who acts, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client, ConsentGiver, ConsentKind, EpisodeStatus
from pulih.clients.services import consent_give, consent_withdraw
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.referrals.audit_codes import ReferralAuditAction
from pulih.referrals.models import Outcome, Pathway, Referral, ServiceProvider, SharedItem
from pulih.referrals.services.referrals import referral_create, referral_transition
from pulih.referrals.states import TRANSITIONS, ReferralAction, ReferralState
from pulih.referrals.tests.factories import make_referral
from pulih.testing.world import World

A, S = ReferralAction, ReferralState
pytestmark = pytest.mark.django_db

ANSWER = {"counterpart_name": "dr. Sari", "counterpart_role": "Dokter penanggung jawab"}


def _step(world: World, referral: Referral, action: str, **kw: Any) -> Referral:
    if action in (A.RECEIVE, A.ACCEPT, A.REJECT, A.START, A.COMPLETE):
        kw = {**ANSWER, **kw}
    if action in (A.REJECT, A.CANCEL):
        kw.setdefault("note", "Tidak ada tempat.")
    if action == A.COMPLETE:
        kw.setdefault("note", "Selesai rawat jalan 8 sesi.")
        kw.setdefault("outcome", Outcome.COMPLETED)
    return referral_transition(actor=world.alice, referral=referral, action=action, **kw)


# Paths through the machine that reach each state.
PATH: dict[str, list[str]] = {
    S.DRAFT: [],
    S.SENT: [A.SEND],
    S.RECEIVED: [A.SEND, A.RECEIVE],
    S.ACCEPTED: [A.SEND, A.RECEIVE, A.ACCEPT],
    S.REJECTED: [A.SEND, A.RECEIVE, A.REJECT],
    S.IN_PROGRESS: [A.SEND, A.RECEIVE, A.ACCEPT, A.START],
    S.COMPLETED: [A.SEND, A.RECEIVE, A.ACCEPT, A.START, A.COMPLETE],
    S.CANCELLED: [A.CANCEL],
    S.RETURNED: [A.SEND, A.RECEIVE, A.ACCEPT, A.START, A.COMPLETE, A.RETURN],
}


def _referral_in(world: World, client: Client, provider: ServiceProvider, state: str) -> Referral:
    referral = make_referral(world, client=client, provider=provider)
    for action in PATH[state]:
        referral = _step(world, referral, action)
    return referral


def test_the_full_loop_stamps_every_state_and_records_who_and_when(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.RETURNED)
    referral.refresh_from_db()
    assert referral.state == S.RETURNED
    stamps = [
        referral.created_at,
        referral.sent_at,
        referral.received_at,
        referral.accepted_at,
        referral.started_at,
        referral.completed_at,
        referral.returned_at,
    ]
    assert all(stamps) and stamps == sorted(s for s in stamps if s is not None)
    assert referral.rejected_at is None and referral.cancelled_at is None
    events = list(referral.events.order_by("at", "id"))
    assert [e.state for e in events] == [
        S.DRAFT, S.SENT, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.RETURNED,
    ]  # fmt: skip
    assert {e.by_id for e in events} == {world.alice.pk}
    accepted = events[3]
    assert (accepted.counterpart_name, accepted.counterpart_role) == ("dr. Sari", "Dokter penanggung jawab")
    assert referral.feedback == "Selesai rawat jalan 8 sesi." and referral.outcome == Outcome.COMPLETED


@pytest.mark.parametrize("state", list(S))
def test_each_state_refuses_the_steps_it_does_not_allow(
    world: World, sharing_client: Client, provider: ServiceProvider, state: str
) -> None:
    referral = _referral_in(world, sharing_client, provider, state)
    allowed = {a for (s, a) in TRANSITIONS if s == state}
    for action in {a.value for a in A} - allowed:
        with pytest.raises(DomainError) as err:
            _step(world, referral, action)
        assert err.value.code == "illegal_transition"
        assert err.value.status == 409
    referral.refresh_from_db()
    assert referral.state == state


def test_an_answer_from_the_destination_acknowledges_receipt(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.SENT)
    referral = _step(world, referral, A.ACCEPT)
    assert referral.received_at == referral.accepted_at


def test_the_destinations_answer_needs_who_gave_it(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.SENT)
    with pytest.raises(DomainError) as err:
        referral_transition(actor=world.alice, referral=referral, action=A.RECEIVE)
    assert err.value.field == "counterpart_name"


def test_completion_needs_feedback_and_an_outcome(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.IN_PROGRESS)
    with pytest.raises(DomainError) as err:
        _step(world, referral, A.COMPLETE, note="", outcome=Outcome.COMPLETED)
    assert err.value.field == "note"
    with pytest.raises(DomainError) as err:
        _step(world, referral, A.COMPLETE, outcome="")
    assert err.value.field == "outcome"


def test_cancelling_needs_a_reason(world: World, sharing_client: Client, provider: ServiceProvider) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider)
    with pytest.raises(DomainError) as err:
        referral_transition(actor=world.alice, referral=referral, action=A.CANCEL)
    assert err.value.field == "note"


def test_a_step_dated_in_the_future_or_before_the_previous_step_is_refused(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.SENT)
    with pytest.raises(DomainError) as err:
        _step(world, referral, A.RECEIVE, at=timezone.now() + timedelta(days=1))
    assert err.value.field == "at"
    assert referral.sent_at is not None
    with pytest.raises(DomainError):
        _step(world, referral, A.RECEIVE, at=referral.sent_at - timedelta(hours=1))


def test_the_coordinator_may_act_but_other_units_and_supervisors_may_not(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = make_referral(world, client=sharing_client, provider=provider)
    referral_transition(actor=world.carol, referral=referral, action=A.SEND)
    for outsider in (world.bob, world.sam, world.adam):
        with pytest.raises(Exception) as err:
            referral_transition(actor=outsider, referral=referral, action=A.CANCEL, note="x")
        assert type(err.value).__name__ in {"DomainError", "PermissionDenied"}
    referral.refresh_from_db()
    assert referral.state == S.SENT


def test_a_referral_is_refused_without_the_sharing_consent_and_names_it(
    world: World, provider: ServiceProvider
) -> None:
    client = make_client(world)
    with pytest.raises(DomainError) as err:
        make_referral(world, client=client, provider=provider)
    assert err.value.code == "consent_missing"
    assert str(ConsentKind.SHARING.label) in err.value.message
    assert not Referral.objects.exists()


def test_a_sharing_consent_for_another_destination_does_not_count(
    world: World, provider: ServiceProvider
) -> None:
    client = make_client(world)
    consent_give(
        actor=world.alice,
        client=client,
        kind=ConsentKind.SHARING,
        given_by=ConsentGiver.CLIENT,
        destination="RSJ (ilustrasi) Jambi",
    )
    with pytest.raises(DomainError) as err:
        make_referral(world, client=client, provider=provider)
    assert err.value.code == "consent_missing"


def test_sending_asks_for_consent_again_after_a_withdrawal(world: World, provider: ServiceProvider) -> None:
    client = make_client(world, sharing=True)
    referral = make_referral(world, client=client, provider=provider)
    consent = client.consents.get(kind=ConsentKind.SHARING)
    consent_withdraw(actor=world.alice, consent=consent)
    with pytest.raises(DomainError) as err:
        _step(world, referral, A.SEND)
    assert err.value.code == "consent_missing"
    referral.refresh_from_db()
    assert referral.state == S.DRAFT


def test_only_the_pseudonymous_summary_is_shared_unless_identity_is_consented(
    world: World, provider: ServiceProvider
) -> None:
    plain = make_referral(world, client=make_client(world, sharing=True), provider=provider)
    assert plain.shared == [SharedItem.CODE, SharedItem.SEX, SharedItem.AGE_BAND, SharedItem.ASSIST]
    assert set(plain.summary) == {"code", "sex", "age_band", "assist"}
    assert "Budi" not in str(plain.summary)
    client = make_client(world, name="Rahasiawati", sex="f")
    consent_give(
        actor=world.alice,
        client=client,
        kind=ConsentKind.SHARING,
        given_by=ConsentGiver.CLIENT,
        share_identity=True,
    )
    named = make_referral(world, client=client, provider=provider)
    assert SharedItem.IDENTITY in named.shared
    assert "Rahasiawati" not in str(named.summary)  # identity is never copied onto the referral


def test_creating_twice_with_the_same_id_returns_the_first_referral(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    import uuid

    rid = uuid.uuid4()
    first, created = referral_create(
        actor=world.alice,
        client=sharing_client,
        provider=provider,
        pathway=Pathway.OUTPATIENT,
        reason="a",
        id=rid,
    )
    again, created_again = referral_create(
        actor=world.alice,
        client=sharing_client,
        provider=provider,
        pathway=Pathway.INPATIENT,
        reason="b",
        id=rid,
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.pathway == Pathway.OUTPATIENT
    assert Referral.objects.count() == 1
    other = make_client(world, sharing=True)
    with pytest.raises(DomainError) as err:
        referral_create(
            actor=world.alice, client=other, provider=provider, pathway=Pathway.OUTPATIENT, reason="c", id=rid
        )
    assert err.value.code == "id_conflict"


def test_an_agent_cannot_refer_another_units_client(world: World, provider: ServiceProvider) -> None:
    client = make_client(world, world.unit_air_mesu, sharing=True)
    with pytest.raises(DomainError) as err:
        make_referral(world, client=client, provider=provider, actor=world.alice)
    assert err.value.status == 404


def test_sending_marks_the_episode_referred_and_returning_continues_aftercare(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.SENT)
    assert sharing_client.episodes.get(closed_at__isnull=True).status == EpisodeStatus.REFERRED
    for action in (A.ACCEPT, A.START, A.COMPLETE, A.RETURN):
        referral = _step(world, referral, action)
    assert sharing_client.episodes.get(closed_at__isnull=True).status == EpisodeStatus.RETURNED


def test_returning_reopens_a_closed_episode_for_aftercare(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    from pulih.clients.services.episodes import episode_close

    referral = _referral_in(world, sharing_client, provider, S.COMPLETED)
    episode_close(actor=world.alice, client=sharing_client, reason="referred_out")
    _step(world, referral, A.RETURN)
    episodes = list(sharing_client.episodes.order_by("number"))
    assert len(episodes) == 2 and episodes[1].status == EpisodeStatus.RETURNED


def test_every_change_writes_its_audit_event(
    world: World, sharing_client: Client, provider: ServiceProvider
) -> None:
    referral = _referral_in(world, sharing_client, provider, S.RETURNED)
    codes = list(
        AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(referral.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    R = ReferralAuditAction
    assert codes == [
        R.REFERRAL_CREATED, R.REFERRAL_SENT, R.REFERRAL_RECEIVED, R.REFERRAL_ACCEPTED,
        R.REFERRAL_STARTED, R.REFERRAL_COMPLETED, R.REFERRAL_RETURNED,
    ]  # fmt: skip
    event = AuditEvent.objects.get(action=R.REFERRAL_SENT, object_id=str(referral.pk))
    assert event.actor_username == "alice" and not event.identified
    assert "Budi" not in str(event.detail)


def test_a_referral_carries_its_clients_unit_for_scoping(world: World, sharing_client: Client) -> None:
    from pulih.referrals.selectors import referral_list

    referral = make_referral(world, client=sharing_client)
    assert referral.unit_id == sharing_client.unit_id == world.unit_kayu_aro.pk
    assert referral in referral_list(user=world.sam)  # BNNP Jambi covers Kayu Aro
    assert referral not in referral_list(user=world.pat)  # BNNK Pangkalpinang does not
    assert referral not in referral_list(user=world.bob)  # another unit's agent
