"""The synthetic data generator: counts, determinism, identity through encryption, refusal."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pulih.clients.models import Client, Episode
from pulih.core.crypto import blind_index
from pulih.referrals.models import Referral, ReferralEvent
from pulih.scale.generator import CLIENT_PREFIX, checksum, purge
from pulih.screening.models import Screening, SubstanceResult

UNTIL = "2026-06-30"


def generate(seed: int, **extra: Any) -> str:
    out = StringIO()
    call_command("generate_data", scale="small", seed=seed, until=UNTIL, stdout=out, **extra)
    return out.getvalue()


@pytest.mark.django_db
def test_the_small_scale_writes_every_kind_of_record_and_prints_timing_and_counts(regions: None) -> None:
    output = generate(5)
    assert "done:" in output and " s (" in output and "clients.Client" in output
    _digest, counts = checksum()
    assert counts["clients.Client"] == 60
    assert counts["organisations.Unit"] == 4
    assert counts["accounts.User"] >= 4 * 5 + 1  # 5 agents per unit, supervisors, national staff
    for label in (
        "screening.Screening",
        "clients.SessionAttendance",
        "clients.MonitoringContact",
        "clients.UrineTest",
        "referrals.Referral",
        "referrals.ReferralEvent",
        "prevention.CommunityActivity",
        "prevention.ParticipantCount",
    ):
        assert counts[label] > 0, label
    # Every completed screening has its per-class results; every referral its history.
    assert SubstanceResult.objects.count() == Screening.objects.count() * 10
    for referral in Referral.objects.all():
        states = list(
            ReferralEvent.objects.filter(referral=referral)
            .order_by("at", "id")
            .values_list("state", flat=True)
        )
        assert states[0] == "draft" and states[-1] == referral.state
    # Attrition: some episodes closed for several reasons, some still open.
    reasons = set(Episode.objects.exclude(closure_reason="").values_list("closure_reason", flat=True))
    assert len(reasons) >= 3
    assert Episode.objects.filter(closed_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_checksum_and_another_seed_a_different_one(regions: None) -> None:
    generate(7)
    first, counts = checksum()
    purge(log=lambda _m: None)
    assert not Client.objects.filter(code__startswith=CLIENT_PREFIX).exists()
    generate(7)
    again, counts_again = checksum()
    assert again == first and counts_again == counts
    generate(8, purge=True)
    other, _ = checksum()
    assert other != first


@pytest.mark.django_db
def test_identity_is_synthetic_and_written_through_the_encrypted_field(regions: None) -> None:
    generate(9)
    client = Client.objects.filter(code__startswith=CLIENT_PREFIX).exclude(nik="").first()
    assert client is not None
    assert client.name.startswith("Klien Sintetis ")
    assert client.nik.startswith("99")  # province 99 does not exist: obviously not a real NIK
    assert client.nik_index == blind_index(client.nik, purpose="nik")
    with connection.cursor() as cur:
        cur.execute("SELECT name, nik FROM clients_client WHERE code = %s", [client.code])
        raw_name, raw_nik = cur.fetchone()
    assert "Sintetis" not in raw_name and raw_nik != client.nik


@pytest.mark.django_db
def test_it_refuses_a_database_with_real_client_data_unless_forced(world: Any) -> None:
    Client.objects.create(
        code="PLH-15-REAL01",
        unit=world.unit_kayu_aro,
        village_id="15.05.02.2003",
        name="Real Person",
        sex="m",
        birth_year=1990,
        referral_source="self",
        registered_by=world.alice,
    )
    with pytest.raises(CommandError, match="not generated"):
        generate(1)
    assert not Client.objects.filter(code__startswith=CLIENT_PREFIX).exists()
    generate(1, force=True)
    assert Client.objects.filter(code__startswith=CLIENT_PREFIX).count() == 60


@pytest.mark.django_db
def test_it_refuses_to_generate_twice_without_purge(regions: None) -> None:
    generate(2)
    with pytest.raises(CommandError, match="--purge"):
        generate(2)
