from __future__ import annotations

from typing import Any

from django.urls import reverse

from pulih.audit.models import AuditEvent
from pulih.clients.audit_codes import ClientAction
from pulih.clients.models import Client, ConsentKind
from pulih.clients.tests.factories import make_client
from pulih.testing.world import World


def test_the_agent_sees_identity_on_the_client_page_and_the_read_is_audited(world: World, as_user: Any) -> None:
    client = make_client(world, name="Nama Rahasia")
    response = as_user(world.alice).get(reverse("clients:detail", kwargs={"pk": client.pk}))
    assert response.status_code == 200
    assert "Nama Rahasia" in response.content.decode()
    event = AuditEvent.objects.filter(action=ClientAction.CLIENT_VIEWED, object_id=str(client.pk)).get()
    assert event.identified and event.actor_username == "alice"


def test_a_supervisor_sees_the_pseudonymous_record_only(world: World, as_user: Any) -> None:
    client = make_client(world, name="Nama Rahasia", phone="0812999")
    response = as_user(world.sam).get(reverse("clients:detail", kwargs={"pk": client.pk}))
    body = response.content.decode()
    assert response.status_code == 200 and client.code in body
    assert "Nama Rahasia" not in body and "0812999" not in body
    event = AuditEvent.objects.filter(action=ClientAction.CLIENT_VIEWED, object_id=str(client.pk)).get()
    assert not event.identified


def test_a_supervisor_sees_identity_where_the_setting_allows(world: World, as_user: Any, settings: Any) -> None:
    settings.PULIH_SUPERVISOR_SEES_IDENTITY = True
    client = make_client(world, name="Nama Rahasia")
    body = as_user(world.sam).get(reverse("clients:detail", kwargs={"pk": client.pk})).content.decode()
    assert "Nama Rahasia" in body
    assert AuditEvent.objects.filter(action=ClientAction.CLIENT_VIEWED, identified=True, actor_username="sam").exists()


def test_agents_see_only_their_units_clients(world: World, as_user: Any) -> None:
    mine = make_client(world)
    theirs = make_client(world, world.unit_air_mesu)
    body = as_user(world.alice).get(reverse("clients:list")).content.decode()
    assert mine.code in body and theirs.code not in body
    assert as_user(world.alice).get(reverse("clients:detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert as_user(world.pat).get(reverse("clients:detail", kwargs={"pk": mine.pk})).status_code == 404
    for user in (world.olga, world.mira, world.dina, world.adam):
        assert as_user(user).get(reverse("clients:list")).status_code == 403


def test_the_list_audits_each_identified_client_shown(world: World, as_user: Any) -> None:
    clients = [make_client(world, name=f"K{i}") for i in range(2)]
    as_user(world.alice).get(reverse("clients:list"))
    shown = set(
        AuditEvent.objects.filter(action=ClientAction.CLIENT_LISTED, identified=True).values_list(
            "object_id", flat=True
        )
    )
    assert shown == {str(c.pk) for c in clients}


def test_registration_page_refuses_without_consent_and_names_it(world: World, as_user: Any) -> None:
    response = as_user(world.alice).post(
        reverse("clients:register"),
        {
            "given_by": "client",
            "name": "Tanpa Persetujuan",
            "sex": "m",
            "birth_year": "1990",
            "village": world.unit_kayu_aro.village_id,
            "referral_source": "outreach",
            "consent_services": "on",
        },
    )
    assert response.status_code == 200
    assert "data processing" in response.content.decode() or "pemrosesan data" in response.content.decode()
    assert not Client.objects.exists()


def test_the_dpo_sees_who_accessed_a_record(world: World, as_user: Any) -> None:
    client = make_client(world)
    as_user(world.alice).get(reverse("clients:detail", kwargs={"pk": client.pk}))
    as_user(world.sam).get(reverse("clients:detail", kwargs={"pk": client.pk}))
    response = as_user(world.dina).get(reverse("clients:access_log", kwargs={"pk": client.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "alice" in body and "sam" in body and "client_viewed" in body and "consent_given" in body
    assert as_user(world.alice).get(reverse("clients:access_log", kwargs={"pk": client.pk})).status_code == 403


def test_the_completion_letter_is_refused_until_the_rule_is_met(world: World, as_user: Any) -> None:
    client = make_client(world)
    response = as_user(world.alice).get(reverse("clients:completion_letter", kwargs={"pk": client.pk}))
    assert response.status_code == 409


def test_withdrawing_a_consent_from_the_page(world: World, as_user: Any) -> None:
    client = make_client(world, sharing=True)
    consent = client.consents.get(kind=ConsentKind.SHARING)
    response = as_user(world.alice).post(reverse("clients:consent_withdraw", kwargs={"pk": consent.pk}))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_long_history_shows_the_latest_entries_and_the_rest_on_request(world: World, as_user: Any) -> None:
    import datetime as dt

    from pulih.clients.models import ProgressNote
    from pulih.clients.views import TIMELINE_SHOWN

    client = make_client(world)
    episode = client.episodes.get()
    start = dt.date(2024, 1, 1)
    ProgressNote.objects.bulk_create(
        ProgressNote(
            client=client,
            episode=episode,
            written_on=start + dt.timedelta(days=i),
            text=f"Catatan nomor {i:03d}",
            author=world.alice,
        )
        for i in range(TIMELINE_SHOWN + 20)
    )
    http = as_user(world.alice)
    url = reverse("clients:detail", kwargs={"pk": client.pk})
    page = http.get(url).content.decode()
    total = page.count('class="timeline__')
    assert total == TIMELINE_SHOWN
    assert 'data-testid="timeline-all"' in page
    assert f"Catatan nomor {TIMELINE_SHOWN + 19:03d}" in page  # the newest note is shown
    assert "Catatan nomor 000" not in page  # the oldest is behind the link
    everything = http.get(url + "?history=all").content.decode()
    assert everything.count('class="timeline__') > TIMELINE_SHOWN + 19
    assert 'data-testid="timeline-all"' not in everything
    assert "Catatan nomor 000" in everything
