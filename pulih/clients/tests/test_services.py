from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.clients.audit_codes import ClientAction
from pulih.clients.completion import completion_status
from pulih.clients.models import (
    AgeBand,
    Client,
    ClientStatus,
    ClosureReason,
    ConsentGiver,
    ConsentKind,
    ContactOutcome,
    EpisodeStatus,
    OutreachChannel,
    OutreachContact,
    OutreachOutcome,
    PlanModality,
    SessionKind,
    UrineResult,
)
from pulih.clients.services import (
    ConsentInput,
    consent_withdraw,
    contact_done,
    contact_schedule,
    episode_close,
    episode_reopen,
    outreach_log,
    plan_create,
    session_record,
    urine_test_record,
)
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.testing.world import World

NIK = "1505021203950001"


def test_outreach_is_anonymous_and_links_to_the_client_once_registered(world: World) -> None:
    contact = outreach_log(
        actor=world.alice,
        contacted_on=date(2025, 3, 1),
        channel=OutreachChannel.FAMILY,
        outcome=OutreachOutcome.FOLLOW_UP,
    )
    assert not hasattr(contact, "name")
    assert contact.unit == world.unit_kayu_aro
    client = make_client(world, outreach=contact)
    contact.refresh_from_db()
    assert contact.client == client
    assert contact.outcome == OutreachOutcome.CONSENTED


def test_registration_encrypts_identity_and_gives_a_national_code(world: World) -> None:
    client = make_client(world, name="Rahasia Sekali", nik=NIK, phone="0812000111", rw="03")
    assert client.code.startswith("PLH-15-") and len(client.code) == len("PLH-15-") + 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, nik, phone, rw, nik_index FROM clients_client WHERE code = %s", [client.code]
        )
        name, nik, phone, rw, index = cursor.fetchone()
    for stored, plain in ((name, "Rahasia Sekali"), (nik, NIK), (phone, "0812000111"), (rw, "03")):
        assert stored.startswith("gAAAA") and plain not in stored[:8] and stored != plain
    assert "Rahasia" not in name and NIK not in nik
    assert NIK not in index and len(index) == 64
    fresh = Client.objects.get(pk=client.pk)
    assert (fresh.name, fresh.nik, fresh.phone, fresh.rw) == ("Rahasia Sekali", NIK, "0812000111", "03")
    assert fresh.episodes.get().status == EpisodeStatus.REGISTERED
    kinds = set(fresh.consents.values_list("kind", flat=True))
    assert kinds == {ConsentKind.SERVICES, ConsentKind.DATA_PROCESSING}
    event = AuditEvent.objects.get(action=ClientAction.CLIENT_REGISTERED)
    assert event.identified and event.object_id == str(client.pk)
    assert "Rahasia" not in str(event.detail)


def test_it_refuses_to_store_a_name_without_data_processing_consent(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        make_client(world, consent=ConsentInput(services=True, data_processing=False))
    assert exc.value.code == "consent_missing"
    assert str(ConsentKind.DATA_PROCESSING.label) in exc.value.message
    assert not Client.objects.exists()


def test_a_minor_needs_guardian_consent(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        make_client(world, birth_year=None, age_band=AgeBand.AGE_15_17)
    assert exc.value.code == "consent_missing" and exc.value.details["consent"] == ConsentKind.GUARDIAN
    client = make_client(
        world,
        birth_year=timezone.localdate().year - 16,
        consent=ConsentInput(
            services=True,
            data_processing=True,
            guardian=True,
            given_by=ConsentGiver.PARENT,
            giver_name="Ibu S.",
        ),
    )
    assert client.is_minor
    assert client.consents.filter(kind=ConsentKind.GUARDIAN).exists()


def test_a_duplicate_nik_in_the_same_unit_names_only_the_code(world: World) -> None:
    first = make_client(world, nik=NIK, name="Pertama")
    with pytest.raises(DomainError) as exc:
        make_client(world, nik="1505 0212 0395 0001", name="Kedua")
    assert exc.value.code == "duplicate_nik"
    assert first.code in exc.value.message
    assert "Pertama" not in exc.value.message


def test_a_duplicate_nik_in_another_unit_reveals_nothing_about_the_other_record(world: World) -> None:
    other = make_client(world, world.unit_air_mesu, nik=NIK, name="Orang Lain")
    with pytest.raises(DomainError) as exc:
        make_client(world, nik=NIK)
    assert exc.value.code == "duplicate_nik"
    for secret in (other.code, "Orang Lain", world.unit_air_mesu.name, "Air Mesu"):
        assert secret not in exc.value.message
    assert exc.value.details == {}
    assert AuditEvent.objects.filter(
        action=ClientAction.DUPLICATE_NIK_REFUSED, actor_username="alice"
    ).exists()


def test_care_needs_services_consent_and_names_it(world: World) -> None:
    client = make_client(world)
    consent = client.consents.get(kind=ConsentKind.SERVICES)
    client.consents.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(DomainError) as exc:
        plan_create(
            actor=world.alice,
            client=client,
            goals="g",
            modality=PlanModality.INDIVIDUAL,
            frequency="weekly",
            responsible=world.alice,
            review_on=date.today(),
        )
    assert exc.value.code == "consent_missing"
    assert str(ConsentKind.SERVICES.label) in exc.value.message
    with pytest.raises(DomainError) as exc:
        session_record(
            actor=world.alice, kind=SessionKind.INDIVIDUAL, held_on=date.today(), topic="t", clients=[client]
        )
    assert client.code in exc.value.message and str(ConsentKind.SERVICES.label) in exc.value.message


def test_a_group_session_is_one_record_with_many_clients(world: World) -> None:
    clients = [make_client(world, name=f"K{i}") for i in range(3)]
    session = session_record(
        actor=world.alice,
        kind=SessionKind.GROUP,
        held_on=date.today(),
        topic="Relapse prevention",
        clients=clients,
    )
    assert set(session.clients.all()) == set(clients)
    for client in clients:
        client.refresh_from_db()
        assert client.episodes.get().status == EpisodeStatus.IN_INTERVENTION
    with pytest.raises(DomainError):
        session_record(
            actor=world.alice, kind=SessionKind.INDIVIDUAL, held_on=date.today(), topic="t", clients=clients
        )


def test_an_agent_cannot_record_care_for_another_units_client(world: World) -> None:
    other = make_client(world, world.unit_air_mesu)
    with pytest.raises(DomainError) as exc:
        session_record(
            actor=world.alice, kind=SessionKind.GROUP, held_on=date.today(), topic="t", clients=[other]
        )
    assert exc.value.status == 404


def test_the_plan_responsible_must_be_an_agent_of_the_unit(world: World) -> None:
    client = make_client(world)
    with pytest.raises(DomainError) as exc:
        plan_create(
            actor=world.alice,
            client=client,
            goals="g",
            modality=PlanModality.GROUP,
            frequency="weekly",
            responsible=world.bob,
            review_on=date.today(),
        )
    assert exc.value.field == "responsible"
    plan = plan_create(
        actor=world.alice,
        client=client,
        goals="g",
        modality=PlanModality.GROUP,
        frequency="weekly",
        responsible=world.carol,
        review_on=date.today(),
    )
    assert plan.responsible == world.carol
    assert client.episodes.get().status == EpisodeStatus.PLANNED


def _test(world: World, client: Client, on: date, result: str = UrineResult.NEGATIVE) -> None:
    urine_test_record(
        actor=world.alice, client=client, tested_on=on, method="kit", substances="MET, THC", result=result
    )


def test_three_consecutive_months_of_negative_tests_complete_the_episode(world: World) -> None:
    client = make_client(world)
    _test(world, client, date(2025, 1, 20))
    _test(world, client, date(2025, 2, 18))
    episode = client.episodes.get()
    assert not completion_status(episode).met
    _test(world, client, date(2025, 3, 17))
    status = completion_status(episode)
    assert status.met and status.months_negative == 3 and status.first_test == date(2025, 1, 20)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.COMPLETED


def test_a_positive_test_or_a_gap_month_restarts_the_count(world: World, settings: object) -> None:
    client = make_client(world)
    _test(world, client, date(2025, 1, 5))
    _test(world, client, date(2025, 2, 5), UrineResult.POSITIVE)
    _test(world, client, date(2025, 3, 5))
    _test(world, client, date(2025, 4, 5))
    assert completion_status(client.episodes.get()).months_negative == 2
    other = make_client(world, name="B")
    _test(world, other, date(2025, 1, 5))
    _test(world, other, date(2025, 3, 5))  # February missing
    _test(world, other, date(2025, 4, 5))
    assert not completion_status(other.episodes.get()).met


def test_the_completion_rule_is_configurable(world: World, settings: object) -> None:
    settings.PULIH_COMPLETION_NEGATIVE_MONTHS = 2  # type: ignore[attr-defined]
    client = make_client(world)
    _test(world, client, date(2025, 1, 5))
    _test(world, client, date(2025, 2, 5))
    assert completion_status(client.episodes.get()).met


def test_closing_and_reopening_starts_a_new_episode_and_keeps_history(world: World) -> None:
    client = make_client(world)
    first = episode_close(actor=world.alice, client=client, reason=ClosureReason.DROPPED_OUT)
    client.refresh_from_db()
    assert client.status == ClientStatus.CLOSED and first.closure_reason == ClosureReason.DROPPED_OUT
    with pytest.raises(DomainError) as exc:
        plan_create(
            actor=world.alice,
            client=client,
            goals="g",
            modality=PlanModality.INDIVIDUAL,
            frequency="weekly",
            responsible=world.alice,
            review_on=date.today(),
        )
    assert exc.value.code == "episode_closed"
    second = episode_reopen(actor=world.alice, client=client)
    client.refresh_from_db()
    assert second.number == 2 and client.status == ClientStatus.ACTIVE
    assert list(client.episodes.order_by("number").values_list("number", "closure_reason")) == [
        (1, ClosureReason.DROPPED_OUT),
        (2, ""),
    ]
    with pytest.raises(DomainError):
        episode_reopen(actor=world.alice, client=client)


def test_withdrawing_data_consent_closes_the_episode_and_reopening_is_refused(world: World) -> None:
    client = make_client(world)
    consent_withdraw(actor=world.alice, consent=client.consents.get(kind=ConsentKind.DATA_PROCESSING))
    episode = client.episodes.get()
    assert episode.closure_reason == ClosureReason.CONSENT_WITHDRAWN
    with pytest.raises(DomainError) as exc:
        episode_reopen(actor=world.alice, client=client)
    assert exc.value.code == "consent_missing" and str(ConsentKind.DATA_PROCESSING.label) in exc.value.message


def test_a_relapse_contact_is_recorded_and_moves_to_monitoring(world: World) -> None:
    client = make_client(world)
    session_record(
        actor=world.alice, kind=SessionKind.INDIVIDUAL, held_on=date.today(), topic="t", clients=[client]
    )
    contact = contact_schedule(actor=world.alice, client=client, due_on=date.today(), mode="visit")
    contact_done(actor=world.alice, contact=contact, done_on=date.today(), outcome=ContactOutcome.RELAPSE)
    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.RELAPSE
    assert client.episodes.get().status == EpisodeStatus.MONITORING
    with pytest.raises(DomainError):
        contact_done(actor=world.alice, contact=contact, done_on=date.today(), outcome=ContactOutcome.STABLE)


def test_every_change_writes_an_audit_event(world: World) -> None:
    before = AuditEvent.objects.count()
    client = make_client(world)
    contact_schedule(actor=world.alice, client=client, due_on=date.today() + timedelta(days=1), mode="visit")
    episode_close(actor=world.alice, client=client, reason=ClosureReason.MOVED)
    actions = set(AuditEvent.objects.values_list("action", flat=True)[: AuditEvent.objects.count() - before])
    assert {
        ClientAction.CLIENT_REGISTERED,
        ClientAction.CONSENT_GIVEN,
        ClientAction.CONTACT_SCHEDULED,
        ClientAction.EPISODE_CLOSED,
    } <= actions


def test_outreach_ids_are_idempotent(world: World) -> None:
    import uuid

    pk = uuid.uuid4()
    a, b = (
        outreach_log(
            actor=world.alice, id=pk, contacted_on=date.today(), channel="self", outcome="informed"
        )
        for _ in range(2)
    )
    assert a.pk == b.pk == pk and OutreachContact.objects.count() == 1
