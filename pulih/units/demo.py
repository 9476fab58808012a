"""Programme-management demo data from the two source articles (shared seeds).

Stated by the articles (recorded as facts):

* 2021 (Dirgantara7): BNNP Jambi inaugurated "IBM Bina Masyarakat", Desa Pulau
  Kayu Aro, on 12 April 2021; attending, by role: Wakil Bupati Muaro Jambi,
  Dirnarkoba Polda Jambi, BNNK Kota Jambi, Kapolres Muaro Jambi, Kepala Cabang
  Bank Mandiri Area Jambi, Kabid Rehabilitasi BNNP, Kepala Desa, Camat
  Sekernan, Kapolsek Sekernan and tokoh masyarakat.
* 2022 (Bangka Terkini): BNNK Kota Pangkalpinang held a three-day bimtek,
  11–13 May 2022, at the Aula Kantor Desa Air Mesu Timur, on planning,
  implementation, management and monitoring of the programme.

Everything else (agents, attendance, the work plan) is illustrative and
marked so (``is_demo`` / "(ilustrasi)"). No personal names are invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pulih.accounts.models import User
from pulih.organisations.models import Office, Unit
from pulih.units.models import Agent, Stakeholder, TrainingEvent, WorkPlan
from pulih.units.services import (
    agent_create,
    agent_link_user,
    event_create,
    event_record_attendance,
    event_set_participants,
    stakeholder_create,
    unit_record_initial_status,
    workplan_save,
)

KAYU_ARO = "15.05.02.2003"
AIR_MESU_TIMUR = "19.04.02.2020"
INAUGURATION = dt.date(2021, 4, 12)
SOURCE_2021 = "Sumber: berita Dirgantara7, 12 April 2021."
SOURCE_2022 = "Sumber: berita Bangka Terkini, 12 Mei 2022."

# (institution type, institution, role) in the order the 2021 article lists them.
INAUGURATION_GUESTS = [
    ("regency_government", "Pemerintah Kabupaten Muaro Jambi", "Wakil Bupati Muaro Jambi"),
    ("police", "Polda Jambi", "Direktur Reserse Narkoba (Dirnarkoba) Polda Jambi"),
    ("bnn", "BNNK Kota Jambi", "Perwakilan BNNK Kota Jambi"),
    ("police", "Polres Muaro Jambi", "Kapolres Muaro Jambi"),
    ("bank_csr", "Bank Mandiri Area Jambi", "Kepala Cabang Bank Mandiri Area Jambi"),
    ("bnn", "BNNP Jambi", "Kepala Bidang Rehabilitasi BNNP Jambi"),
    ("village_government", "Pemerintah Desa Pulau Kayu Aro", "Kepala Desa Pulau Kayu Aro"),
    ("district", "Kecamatan Sekernan", "Camat Sekernan"),
    ("police", "Polsek Sekernan", "Kapolsek Sekernan"),
    ("figure", "Masyarakat Desa Pulau Kayu Aro", "Tokoh masyarakat"),
]

# Illustrative agents: (role, sex, birth year, background tags, former user).
ILLUSTRATIVE_AGENTS = [
    ("coordinator", "m", 1975, ["community_figure"], False),
    ("member", "f", 1988, ["health_cadre"], False),
    ("secretary", "f", 1992, ["youth"], False),
    ("member", "m", 1969, ["religious_figure", "rt_rw_head"], False),
    ("member", "m", 1990, ["youth"], True),
]


def _agents(actor: User, unit: Unit, active_from: dt.date) -> list[Agent]:
    out = []
    for i, (role, sex, year, tags, former) in enumerate(ILLUSTRATIVE_AGENTS, start=1):
        name = f"Agen Ilustrasi {i}"
        agent = Agent.objects.filter(unit=unit, name=name).first()
        if agent is None:
            agent = agent_create(actor=actor, unit=unit, name=name, sex=sex, birth_year=year, tags=tags,
                                 former_user=former, role=role, active_from=active_from, is_demo=True)
        out.append(agent)
    return out


def _supervisor(username: str, fallback: User) -> User:
    """The unit's demo supervisor (who may record the sensitive background), else the admin."""
    return User.objects.filter(username=username, is_active=True).first() or fallback


def _link(admin: User, agent: Agent, username: str) -> None:
    user = User.objects.filter(username=username).first()
    if user is not None and agent.user_id is None and not Agent.objects.filter(user=user).exists():
        agent_link_user(actor=admin, agent=agent, user=user)


def _kayu_aro(admin: User, log: Callable[[str], object]) -> None:
    unit = Unit.objects.get(village_id=KAYU_ARO)
    admin = _supervisor("pembina.jambi", admin)
    if not unit.status_changes.exists():
        unit_record_initial_status(
            actor=admin, unit=unit, changed_on=INAUGURATION,
            reason=f"Diresmikan oleh BNNP Jambi. {SOURCE_2021} Status aktif: ilustrasi (tidak disebut berita).",
        )
    for kind, institution, role in INAUGURATION_GUESTS:
        if not Stakeholder.objects.filter(unit=unit, role=role).exists():
            stakeholder_create(actor=admin, unit=unit, institution_type=kind, institution=institution,
                               role=role, since=INAUGURATION, at_inauguration=True,
                               notes=f"Hadir pada peresmian. {SOURCE_2021}")
    agents = _agents(admin, unit, INAUGURATION)
    _link(admin, agents[0], "ketua.kayuaro")
    _link(admin, agents[1], "agen.kayuaro")
    year = dt.date.today().year
    if not WorkPlan.objects.filter(unit=unit, year=year).exists():
        workplan_save(actor=admin, unit=unit, year=year, is_demo=True,
                      targets={"clients_screened": 40, "clients_served": 12, "referrals": 4,
                               "community_activities": 12, "participants_reached": 300},
                      notes="Target ilustrasi demo (ilustrasi).")
    log("Demo: IBM Bina Masyarakat — inauguration stakeholders, illustrative agents and plan.")


def _air_mesu(admin: User, log: Callable[[str], object]) -> None:
    unit = Unit.objects.get(village_id=AIR_MESU_TIMUR)
    admin = _supervisor("pembina.pangkalpinang", admin)
    if not unit.status_changes.exists():
        unit_record_initial_status(
            actor=admin, unit=unit, changed_on=dt.date(2022, 5, 13),
            reason=f"Status ilustrasi setelah bimtek 11–13 Mei 2022 (ilustrasi). {SOURCE_2022}",
        )
    agents = _agents(admin, unit, dt.date(2022, 5, 1))
    _link(admin, agents[0], "agen.airmesu")
    event = TrainingEvent.objects.filter(unit=unit, kind="bimtek", starts_on=dt.date(2022, 5, 11)).first()
    if event is None:
        event = event_create(
            actor=admin, unit=unit, office=Office.objects.get(name="BNNK Kota Pangkalpinang"),
            kind="bimtek", title="Bimbingan Teknis Intervensi Berbasis Masyarakat",
            starts_on=dt.date(2022, 5, 11), ends_on=dt.date(2022, 5, 13),
            venue="Aula Kantor Desa Air Mesu Timur, Kec. Pangkalan Baru",
            topics=["planning", "implementation", "management", "monitoring"],
            notes=f"Rangkaian persiapan pencanangan Desa Bersinar. {SOURCE_2022} "
            "Daftar peserta dan kehadiran: data ilustrasi (ilustrasi).",
        )
        staff = list(User.objects.filter(username="pembina.pangkalpinang"))
        participants = event_set_participants(actor=admin, event=event, agents=agents, staff=staff)
        event_record_attendance(actor=admin, event=event,
                                attendance={p.pk: event.days for p in participants})
    log("Demo: IBM Desa Air Mesu Timur — bimtek 11–13 May 2022 with illustrative participants.")


def load(log: Callable[[str], object]) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        log("Units demo skipped: the demo administrator is missing (load the accounts demo first).")
        return
    _kayu_aro(admin, log)
    _air_mesu(admin, log)
