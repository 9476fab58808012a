"""Demo accounts, one per role (all illustrative people)."""

from __future__ import annotations

from collections.abc import Callable

from pulih.accounts.models import User
from pulih.accounts.roles import Role
from pulih.accounts.services import user_create
from pulih.core.demo import DEMO_PASSWORD
from pulih.organisations.models import Office, Unit


def load(log: Callable[[str], object]) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(
            username="admin",
            full_name="Admin Demo",
            role=Role.ADMIN,
            office=Office.objects.get(name="BNN RI"),
            is_staff=True,
            is_superuser=True,
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    kayu_aro = Unit.objects.get(village_id="15.05.02.2003")
    air_mesu = Unit.objects.get(village_id="19.04.02.2020")
    people = [
        ("dpo", "Petugas PDP Demo", Role.DPO, Office.objects.get(name="BNN RI"), None),
        ("staf.bnnri", "Staf BNN RI Demo", Role.OFFICE_STAFF, Office.objects.get(name="BNN RI"), None),
        (
            "pembina.jambi",
            "Pembina BNNP Jambi Demo",
            Role.SUPERVISOR,
            Office.objects.get(name="BNNP Jambi"),
            None,
        ),
        (
            "pembina.pangkalpinang",
            "Pembina BNNK Pangkalpinang Demo",
            Role.SUPERVISOR,
            Office.objects.get(name="BNNK Kota Pangkalpinang"),
            None,
        ),
        (
            "mitra.babel",
            "Mitra Pemda Demo",
            Role.PARTNER,
            Office.objects.get(name="BNNP Kepulauan Bangka Belitung"),
            None,
        ),
        ("ketua.kayuaro", "Ketua IBM Demo", Role.COORDINATOR, None, kayu_aro),
        ("agen.kayuaro", "Agen Pemulihan Demo", Role.AGENT, None, kayu_aro),
        ("agen.airmesu", "Agen Air Mesu Demo", Role.AGENT, None, air_mesu),
    ]
    for username, name, role, office, unit in people:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=admin,
                username=username,
                full_name=name,
                role=role,
                password=DEMO_PASSWORD,
                office=office,
                unit=unit,
            )
    log("Demo accounts ready.")
