"""The retention job applies the schedule on a fixed clock and records every destruction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.clients.models import Client, OutreachChannel, OutreachContact, OutreachOutcome
from pulih.clients.services import outreach_log
from pulih.clients.tests.factories import make_client
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.models import ClientDestruction, DestructionRecord, RetentionRule
from pulih.privacy.services import client_restrict, retention_run
from pulih.privacy.tests.helpers import close_by_withdrawal
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_default_schedule_has_a_rule_for_every_class() -> None:
    rules = {r.data_class: r for r in RetentionRule.objects.all()}
    assert set(rules) == {"identity", "case_notes", "care_record", "outreach"}
    assert all(r.legal_basis and r.keep_for_days > 0 for r in rules.values())


def test_nothing_is_destroyed_before_the_period_ends(world: World) -> None:
    close_by_withdrawal(world, make_client(world))
    result = retention_run(now=timezone.now() + timedelta(days=700))
    assert result.records == [] and not DestructionRecord.objects.exists()
    assert AuditEvent.objects.filter(action=PrivacyAction.RETENTION_RUN).count() == 1


def test_identity_and_notes_go_after_their_period_and_the_destruction_is_recorded(world: World) -> None:
    closed = close_by_withdrawal(world, make_client(world, nik="", phone="0812"))
    active = make_client(world, name="Masih aktif")
    restricted = close_by_withdrawal(world, make_client(world, name="Ditahan"))
    client_restrict(actor=world.dina, client=restricted, reason="Sengketa hukum")
    now = timezone.now() + timedelta(days=731)

    result = retention_run(now=now)

    closed = Client.objects.get(pk=closed.pk)
    assert closed.name == "" and closed.phone == "" and closed.birth_year == 1995
    assert Client.objects.get(pk=active.pk).name == "Masih aktif"
    assert Client.objects.get(pk=restricted.pk).name == "Ditahan"
    assert result.skipped_restricted == 2  # identity and case notes of the restricted client
    records = {r.data_class: r for r in DestructionRecord.objects.all()}
    assert set(records) == {"identity", "case_notes"}
    identity = records["identity"]
    assert (identity.subjects, identity.trigger, identity.action, identity.keep_for_days) == (
        1,
        "schedule",
        "anonymise",
        730,
    )
    assert identity.at == now and identity.rule and identity.rule.data_class == "identity"
    assert AuditEvent.objects.filter(action=PrivacyAction.DESTRUCTION_RECORDED).count() == 2


def test_a_second_run_destroys_nothing_more(world: World) -> None:
    close_by_withdrawal(world, make_client(world))
    now = timezone.now() + timedelta(days=731)
    retention_run(now=now)
    assert retention_run(now=now + timedelta(days=1)).records == []
    assert DestructionRecord.objects.count() == 2


def test_the_care_record_is_coarsened_after_five_years(world: World) -> None:
    client = close_by_withdrawal(world, make_client(world))
    retention_run(now=timezone.now() + timedelta(days=1826))
    client.refresh_from_db()
    assert client.birth_year is None and client.age_band == "25-34"
    assert set(ClientDestruction.objects.filter(client=client).values_list("data_class", flat=True)) == {
        "identity",
        "case_notes",
        "care_record",
    }


def test_an_inactive_or_longer_rule_is_respected(world: World) -> None:
    RetentionRule.objects.filter(data_class="identity").update(keep_for_days=3650)
    RetentionRule.objects.filter(data_class="case_notes").update(active=False)
    client = close_by_withdrawal(world, make_client(world))
    retention_run(now=timezone.now() + timedelta(days=800))
    client.refresh_from_db()
    assert client.name == "Budi (test)" and not DestructionRecord.objects.exists()


def test_old_anonymous_outreach_contacts_are_deleted(world: World) -> None:
    old = outreach_log(
        actor=world.alice,
        contacted_on=date.today(),
        channel=OutreachChannel.HOME_VISIT,
        outcome=OutreachOutcome.DECLINED,
        notes="Rumah biru dekat pos ronda",
    )
    later = date.today() + timedelta(days=300)
    recent = outreach_log(
        actor=world.alice,
        contacted_on=later,
        channel=OutreachChannel.HOME_VISIT,
        outcome=OutreachOutcome.INFORMED,
    )
    retention_run(now=timezone.now() + timedelta(days=366))
    assert not OutreachContact.objects.filter(pk=old.pk).exists()
    assert OutreachContact.objects.filter(pk=recent.pk).exists()
    record = DestructionRecord.objects.get(data_class="outreach")
    assert (record.subjects, record.action) == (1, "delete")


def test_the_periodic_task_wraps_the_service(world: World) -> None:
    from pulih.privacy.tasks import retention_run_task

    assert retention_run_task.call_local() == 0
    assert AuditEvent.objects.filter(action=PrivacyAction.RETENTION_RUN).exists()


def test_the_outreach_cutoff_is_a_day_in_the_programme_time_zone(world: World) -> None:
    from datetime import UTC, datetime

    from pulih.privacy.destruction import destroy_outreach

    # 17:30 UTC on 23 November is 00:30 on 24 November in WIB (Asia/Jakarta): a contact of
    # 23 November (WIB) is older than the cutoff, one of 24 November is not.
    cutoff = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    older, same_day = (
        outreach_log(
            actor=world.alice,
            contacted_on=day,
            channel=OutreachChannel.HOME_VISIT,
            outcome=OutreachOutcome.DECLINED,
        )
        for day in (date(2026, 11, 23), date(2026, 11, 24))
    )
    assert destroy_outreach(cutoff) == 1
    assert not OutreachContact.objects.filter(pk=older.pk).exists()
    assert OutreachContact.objects.filter(pk=same_day.pk).exists()
