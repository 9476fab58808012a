"""Two illustrative clients of IBM Bina Masyarakat (Desa Pulau Kayu Aro).

Nothing here comes from the articles: names are made up and marked
"(ilustrasi)", records carry ``is_demo=True``. Idempotent: looked up by the
demo name's blind index (a made-up NIK) before creating.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from pulih.accounts.models import User
from pulih.clients.models import (
    Client,
    ContactMode,
    OutreachChannel,
    OutreachOutcome,
    PlanModality,
    ReferralSource,
    SessionKind,
    Sex,
    UrineResult,
)
from pulih.clients.services import (
    ConsentInput,
    client_register,
    contact_schedule,
    note_write,
    outreach_log,
    plan_create,
    session_record,
    urine_test_record,
)
from pulih.core.crypto import blind_index

DEMO = [
    # (made-up NIK, name, sex, birth year, source)
    ("1505021508960001", "Andi (ilustrasi)", Sex.MALE, 1996, ReferralSource.FAMILY),
    ("1505024402010002", "Sari (ilustrasi)", Sex.FEMALE, 2001, ReferralSource.SELF),
]


def load(log: Callable[[str], object]) -> None:
    agent = User.objects.filter(username="agen.kayuaro").select_related("unit__village").first()
    if agent is None or agent.unit is None:
        log("Demo clients skipped: demo agent of Kayu Aro missing.")
        return
    today = timezone.localdate()
    made = []
    for nik, name, sex, year, source in DEMO:
        if Client.objects.filter(nik_index=blind_index(nik, purpose="nik")).exists():
            continue
        contact = outreach_log(
            actor=agent,
            contacted_on=today - timedelta(days=100),
            channel=OutreachChannel.FAMILY if source == ReferralSource.FAMILY else OutreachChannel.SELF,
            outcome=OutreachOutcome.FOLLOW_UP,
            village=agent.unit.village,
        )
        client = client_register(
            actor=agent,
            village=agent.unit.village,
            name=name,
            sex=sex,
            birth_year=year,
            nik=nik,
            rw="02",
            referral_source=source,
            consent=ConsentInput(services=True, data_processing=True),
            outreach=contact,
        )
        Client.objects.filter(pk=client.pk).update(is_demo=True)
        plan_create(
            actor=agent,
            client=client,
            goals="Mengurangi penggunaan, kembali bekerja (ilustrasi)",
            modality=PlanModality.GROUP,
            frequency="Setiap minggu",
            responsible=agent,
            review_on=today + timedelta(days=30),
        )
        note_write(
            actor=agent,
            client=client,
            written_on=today - timedelta(days=60),
            text="Hadir, semangat (ilustrasi)",
        )
        urine_test_record(
            actor=agent,
            client=client,
            tested_on=today - timedelta(days=45),
            method="kit",
            substances="MET, THC",
            result=UrineResult.NEGATIVE,
        )
        contact_schedule(actor=agent, client=client, due_on=today - timedelta(days=2), mode=ContactMode.VISIT)
        made.append(client)
    if len(made) == 2:
        session_record(
            actor=agent,
            kind=SessionKind.GROUP,
            held_on=today - timedelta(days=30),
            topic="Kelompok dukungan sebaya (ilustrasi)",
            clients=made,
        )
    log(f"Demo clients ready ({len(made)} new).")
