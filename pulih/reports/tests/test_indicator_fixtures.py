"""Indicators against hand-computed fixtures, recorded through the apps' real services.

Each test writes a small, known month of work with the owning app's services,
runs the rollup refresh the background job runs, and compares the stored
rollups (unit facts, village-level facts, regency/province/nation rows) with
numbers worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.mapping.services.bersinar import BersinarData, bersinar_create
from pulih.mapping.services.ikrn import IkrnData, ikrn_record
from pulih.organisations.models import Unit
from pulih.prevention.services import ActivityData, activity_create
from pulih.referrals.models import Outcome, ProviderType, Referral
from pulih.referrals.services.referrals import referral_transition
from pulih.referrals.tests.factories import make_provider, make_referral
from pulih.regions.models import Village
from pulih.reports import rollups
from pulih.reports.areas import resolve_area
from pulih.reports.catalogue import INDICATOR_MAP
from pulih.reports.models import AreaFact, Fact
from pulih.reports.months import current_month
from pulih.reports.selectors import figures, median_from_histogram, rate_parts, targets, tile_for
from pulih.screening.loading import INSTRUMENT_DIR, load_instrument_file, read_document
from pulih.screening.models import Instrument, Screening
from pulih.screening.services import screening_submit
from pulih.screening.spec import parse_instrument
from pulih.screening.tests.builders import answers_scoring, assist_answers
from pulih.testing.world import AIR_MESU_TIMUR, KAYU_ARO, World
from pulih.units.services.agents import agent_create
from pulih.units.services.supervision import workplan_save
from pulih.units.services.training import event_create, event_record_attendance, event_set_participants

pytestmark = pytest.mark.django_db


def _refresh(world: World, months: list[dt.date] | None = None) -> list[dt.date]:
    """The full rebuild the nightly job runs, for these months (default: this month)."""
    months = months or [current_month()]
    rollups.rebuild_all(months)
    return months


def unit_fact(unit: Any, indicator: str, dim: str = "", member: str = "", month: dt.date | None = None) -> int:
    row = Fact.objects.filter(
        unit=unit, month=month or current_month(), indicator=indicator, dim=dim, member=member
    ).first()
    return row.value if row else 0


def village_fact(regency: str, indicator: str, dim: str = "", member: str = "") -> int:
    row = Fact.objects.filter(
        unit__isnull=True, regency_id=regency, month=current_month(), indicator=indicator, dim=dim, member=member
    ).first()
    return row.value if row else 0


def area_fact(level: str, indicator: str, dim: str = "", member: str = "", **where: str) -> int:
    row = AreaFact.objects.filter(
        level=level, month=current_month(), indicator=indicator, dim=dim, member=member, **where
    ).first()
    return row.value if row else 0


# --- Screenings by risk level ------------------------------------------------------------------


def _assist() -> Instrument:
    return load_instrument_file(INSTRUMENT_DIR / "assist-3.1.json").instrument


def _screen(world: World, client: Client, alcohol_score: int, **kw: Any) -> Screening:
    """A completed ASSIST screening whose only substance is alcohol, scoring ``alcohol_score``."""
    instrument = _assist()
    spec = parse_instrument(read_document(INSTRUMENT_DIR / "assist-3.1.json"))
    answers = assist_answers(spec, {"b": answers_scoring(spec, "b", alcohol_score)})
    screening, _created = screening_submit(
        actor=world.alice, id=uuid.uuid4(), client=client, instrument=instrument, answers=answers, **kw
    )
    return screening


def test_screenings_are_counted_by_purpose_and_highest_risk_level(world: World) -> None:
    kayu = world.unit_kayu_aro
    c1, c2, c3, c4 = (make_client(world) for _i in range(4))
    _screen(world, c1, 5)  # alcohol 5: low (0–10)
    _screen(world, c2, 15)  # alcohol 15: moderate (11–26)
    _screen(world, c3, 30)  # alcohol 30: high (27+)
    first = _screen(world, c4, 15)  # moderate …
    # … corrected to high: the correction is not a second screening.
    _screen(world, c4, 30, previous=first, correction_reason="Salah catat skor.")
    _refresh(world)
    levels = dict(Screening.objects.filter(previous__isnull=True).values_list("client_id", "highest_level"))
    assert [levels[c.pk] for c in (c1, c2, c3, c4)] == ["low", "moderate", "high", "moderate"]
    # Screenings: c1, c2, c3 and c4's first one = 4; the correction is left out.
    assert unit_fact(kayu, "screenings") == 4
    assert unit_fact(kayu, "screenings", "purpose", "initial") == 4
    # By risk: low c1 = 1; moderate c2 + c4 (as first recorded) = 2; high c3 = 1.
    assert unit_fact(kayu, "screenings", "risk", "low") == 1
    assert unit_fact(kayu, "screenings", "risk", "moderate") == 2
    assert unit_fact(kayu, "screenings", "risk", "high") == 1
    # Distinct clients screened: 4 (c4 twice is one client); year to date also 4.
    assert unit_fact(kayu, "clients_screened") == 4
    assert unit_fact(kayu, "clients_screened_ytd") == 4
    # New clients by their latest screening at the end of the month: c4 is now high.
    # low c1 = 1, moderate c2 = 1, high c3 + c4 = 2.
    assert unit_fact(kayu, "clients_new", "risk", "low") == 1
    assert unit_fact(kayu, "clients_new", "risk", "moderate") == 1
    assert unit_fact(kayu, "clients_new", "risk", "high") == 2
    # The regency, province and nation rows add up to the same 4.
    assert area_fact("regency", "screenings", regency_id=kayu.village.regency_id) == 4
    assert area_fact("province", "screenings", "risk", "moderate", province_id="15") == 2
    assert area_fact("national", "screenings") == 4


def test_closed_episodes_are_counted_by_substance_too(world: World) -> None:
    from pulih.clients.services.episodes import episode_close

    kayu = world.unit_kayu_aro
    drinker, other = make_client(world), make_client(world)
    _screen(world, drinker, 15)  # alcohol involved
    episode_close(actor=world.alice, client=drinker, reason="completed")
    episode_close(actor=world.alice, client=other, reason="dropped_out")  # never screened
    _refresh(world)
    assert unit_fact(kayu, "episodes_closed") == 2
    assert unit_fact(kayu, "episodes_closed", "reason", "completed") == 1
    assert unit_fact(kayu, "episodes_closed", "substance", "alcohol") == 1
    new_drinkers = unit_fact(kayu, "clients_new", "substance", "alcohol")
    assert unit_fact(kayu, "episodes_closed", "substance", "alcohol") == new_drinkers


# --- Referrals by destination type and state, completion rate, median days -------------------


def _step(world: World, referral: Referral, action: str, **kw: Any) -> Referral:
    return referral_transition(actor=world.alice, referral=referral, action=action, counterpart_name="dr. Sari", **kw)


def test_referrals_by_destination_and_state_completion_rate_and_median_days(world: World) -> None:
    kayu = world.unit_kayu_aro
    puskesmas = make_provider(world)
    hospital = make_provider(world, name="RSUD (ilustrasi)", type=ProviderType.HOSPITAL)
    r1 = make_referral(world, provider=puskesmas, send=True)
    for action in ("receive", "accept", "start"):
        r1 = _step(world, r1, action)
    r1 = _step(world, r1, "complete", note="Selesai rawat jalan.", outcome=Outcome.COMPLETED)
    r2 = make_referral(world, provider=puskesmas, send=True)
    r2 = _step(world, r2, "receive")
    r2 = _step(world, r2, "reject", note="Kuota penuh.")
    r3 = make_referral(world, provider=hospital, send=True)
    r3 = _step(world, r3, "accept")
    r4 = make_referral(world, provider=hospital, send=True)
    referral_transition(actor=world.alice, referral=r4, action="cancel", note="Klien pindah.")
    make_referral(world, provider=hospital)  # r5: a draft, never sent
    _refresh(world)

    # Sent: r1–r4 = 4 (the draft r5 is not); puskesmas r1, r2 = 2; hospital r3, r4 = 2.
    assert unit_fact(kayu, "referrals_sent") == 4
    assert unit_fact(kayu, "referrals_sent", "destination", "puskesmas") == 2
    assert unit_fact(kayu, "referrals_sent", "destination", "hospital") == 2
    # States reached in the month (drafts not counted):
    # r1 sent, received, accepted, in_progress, completed (5); r2 sent, received, rejected (3);
    # r3 sent, accepted (2); r4 sent, cancelled (2) → 12.
    assert unit_fact(kayu, "referral_steps") == 12
    expected = {"sent": 4, "received": 2, "accepted": 2, "in_progress": 1, "completed": 1}
    expected |= {"rejected": 1, "cancelled": 1}
    for state, n in expected.items():
        assert unit_fact(kayu, "referral_steps", "state", state) == n, state
    assert unit_fact(kayu, "referral_steps", "destination", "puskesmas") == 8  # r1 5 + r2 3
    # Ended: completed r1, rejected r2, cancelled r4 → 3; completion rate 1 / 3 = 33%.
    assert unit_fact(kayu, "referrals_ended") == 3
    assert unit_fact(kayu, "referrals_ended", "state", "completed") == 1
    # Open at the end of the month: only r3 (accepted, hospital).
    assert unit_fact(kayu, "referrals_open") == 1
    assert unit_fact(kayu, "referrals_open", "state", "accepted") == 1
    assert unit_fact(kayu, "referrals_open", "destination", "hospital") == 1
    # Accepted in the month: r1 and r3, both on the day they were sent → histogram {0: 2}.
    assert unit_fact(kayu, "acceptance_days") == 2
    assert unit_fact(kayu, "acceptance_days", "days", "0") == 2

    m = current_month()
    fig = figures(world.carol, resolve_area(world.carol, "unit", str(kayu.pk)), m, m)
    assert rate_parts(fig, INDICATOR_MAP["referral_completion_rate"]) == (1, 3)
    rate = tile_for(fig, INDICATOR_MAP["referral_completion_rate"], suppressed=False)
    assert rate.text == "33%"
    assert median_from_histogram(fig.members("acceptance_days", "days")) == 0
    # Seen from the province, the same rate hides: 1 and 3 are small counts.
    sam_fig = figures(world.sam, resolve_area(world.sam, "province", "15"), m, m)
    assert tile_for(sam_fig, INDICATOR_MAP["referral_completion_rate"], suppressed=True).hidden


# --- Community activities and participants ----------------------------------------------------


def _outside_village(province: str, exclude_regency: str) -> Village:
    village = (
        Village.objects.filter(province_id=province)
        .exclude(regency_id=exclude_regency)
        .exclude(code__in=Unit.objects.values("village_id"))
        .order_by("code")
        .first()
    )
    assert village is not None
    return village


def test_community_activities_and_participants_in_units_and_in_villages_without_one(world: World) -> None:
    kayu = world.unit_kayu_aro
    today = timezone.localdate()
    village = Village.objects.get(code=KAYU_ARO)
    activity_create(
        actor=world.alice,
        data=ActivityData(
            kind="house_to_house",
            held_on=today,
            village=village,
            participants={("f", "15-24"): 3, ("m", "15-24"): 4},
        ),
    )
    activity_create(
        actor=world.alice,
        data=ActivityData(kind="socialisation", held_on=today, village=village, participants={("m", "25-34"): 10}),
    )
    # sam records one in a Jambi village of another regency, where no unit works.
    elsewhere = _outside_village("15", kayu.village.regency_id)
    activity_create(
        actor=world.sam,
        data=ActivityData(kind="socialisation", held_on=today, village=elsewhere, participants={("f", "35-49"): 20}),
    )
    _refresh(world)
    # Kayu Aro: 2 activities (house-to-house 1, socialisation 1); participants 3 + 4 + 10 = 17,
    # women 3, men 4 + 10 = 14; 15–24: 3 + 4 = 7, 25–34: 10.
    assert unit_fact(kayu, "community_activities") == 2
    assert unit_fact(kayu, "community_activities", "activity", "house_to_house") == 1
    assert unit_fact(kayu, "community_activities", "activity", "socialisation") == 1
    assert unit_fact(kayu, "activity_participants") == 17
    assert unit_fact(kayu, "activity_participants", "p_sex", "f") == 3
    assert unit_fact(kayu, "activity_participants", "p_sex", "m") == 14
    assert unit_fact(kayu, "activity_participants", "p_age_band", "15-24") == 7
    assert unit_fact(kayu, "activity_participants", "p_age_band", "25-34") == 10
    # The village without a unit counts for its regency (a village-level fact, no unit): 1 and 20.
    assert village_fact(elsewhere.regency_id, "community_activities") == 1
    assert village_fact(elsewhere.regency_id, "activity_participants", "p_age_band", "35-49") == 20
    # Jambi as a whole: 2 + 1 = 3 activities, 17 + 20 = 37 participants, socialisation 1 + 1 = 2.
    assert area_fact("province", "community_activities", province_id="15") == 3
    assert area_fact("province", "activity_participants", province_id="15") == 37
    assert area_fact("province", "community_activities", "activity", "socialisation", province_id="15") == 2


# --- Villages by IKRN category with and without a unit; Desa Bersinar ----------------------------


def test_villages_by_ikrn_category_with_and_without_a_unit_and_desa_bersinar(world: World) -> None:
    kayu = world.unit_kayu_aro
    regency = kayu.village.regency_id
    year = current_month().year
    others = list(Village.objects.filter(regency_id=regency).exclude(code=KAYU_ARO).order_by("code")[:3])
    ikrn_record(actor=world.sam, village=kayu.village, data=IkrnData(year=year, source="BNNP", category="bahaya"))
    ikrn_record(actor=world.sam, village=others[0], data=IkrnData(year=year, source="BNNP", category="waspada"))
    ikrn_record(actor=world.sam, village=others[1], data=IkrnData(year=year, source="BNNP", category="waspada"))
    # An older assessment is replaced by the latest year up to the month: others[2] was
    # "siaga" last year and is "aman" this year → counted once, as aman.
    ikrn_record(actor=world.sam, village=others[2], data=IkrnData(year=year - 1, source="BNNP", category="siaga"))
    ikrn_record(actor=world.sam, village=others[2], data=IkrnData(year=year, source="BNNP", category="aman"))
    # Desa Bersinar: Kayu Aro and others[0] in Jambi, Air Mesu Timur in Bangka Tengah (all proposed).
    bersinar_create(actor=world.sam, village=kayu.village, data=BersinarData())
    bersinar_create(actor=world.sam, village=others[0], data=BersinarData())
    bersinar_create(actor=world.pat, village=Village.objects.get(code=AIR_MESU_TIMUR), data=BersinarData())
    _refresh(world)
    # Assessed villages of the regency: Kayu Aro, others[0..2] = 4.
    assert village_fact(regency, "villages_ikrn") == 4
    # By category: bahaya 1 (Kayu Aro), waspada 2, aman 1, siaga 0 (replaced).
    assert village_fact(regency, "villages_ikrn", "category", "bahaya") == 1
    assert village_fact(regency, "villages_ikrn", "category", "waspada") == 2
    assert village_fact(regency, "villages_ikrn", "category", "aman") == 1
    assert village_fact(regency, "villages_ikrn", "category", "siaga") == 0
    # With a unit: only Kayu Aro (bahaya); without: waspada 2, aman 1.
    assert village_fact(regency, "villages_ikrn", "with_unit", "bahaya") == 1
    assert village_fact(regency, "villages_ikrn", "with_unit", "waspada") == 0
    assert village_fact(regency, "villages_ikrn", "without_unit", "waspada") == 2
    assert village_fact(regency, "villages_ikrn", "without_unit", "aman") == 1
    # Desa Bersinar: 2 in this regency, 1 in Bangka Tengah, 3 in the nation, all proposed.
    assert village_fact(regency, "villages_bersinar") == 2
    assert village_fact(regency, "villages_bersinar", "bersinar", "proposed") == 2
    assert village_fact(world.unit_air_mesu.village.regency_id, "villages_bersinar") == 1
    assert area_fact("national", "villages_bersinar") == 3
    assert area_fact("province", "villages_ikrn", "without_unit", "waspada", province_id="15") == 2


# --- Trained agents --------------------------------------------------------------------------------


def test_active_and_trained_agents_need_every_day_of_a_finished_bimtek(world: World) -> None:
    kayu = world.unit_kayu_aro
    today = timezone.localdate()
    start = today - dt.timedelta(days=1) if today.day > 1 else today
    sri = agent_create(actor=world.carol, unit=kayu, name="Sri", sex="f", birth_year=1990)
    adi = agent_create(actor=world.carol, unit=kayu, name="Adi", sex="m", birth_year=1988)
    eko = agent_create(actor=world.carol, unit=kayu, name="Eko", sex="m", birth_year=1992)
    event = event_create(
        actor=world.sam, unit=kayu, kind="bimtek", title="Bimtek Agen", starts_on=start, ends_on=today, venue="Aula"
    )
    parts = {p.agent_id: p for p in event_set_participants(actor=world.sam, event=event, agents=[sri, adi, eko])}
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    # Sri and Adi attend every day; Eko only the first day (when the bimtek lasts two days)
    # or not at all (one day), so Eko is never trained.
    event_record_attendance(
        actor=world.sam,
        event=event,
        attendance={parts[sri.pk].pk: days, parts[adi.pk].pk: days, parts[eko.pk].pk: days[:-1]},
    )
    _refresh(world)
    # Active agents: Sri, Adi, Eko = 3 (women 1, men 2). Trained: Sri and Adi = 2 (1 woman, 1 man).
    assert unit_fact(kayu, "agents_active") == 3
    assert unit_fact(kayu, "agents_active", "sex", "f") == 1
    assert unit_fact(kayu, "agents_active", "sex", "m") == 2
    assert unit_fact(kayu, "agents_trained") == 2
    assert unit_fact(kayu, "agents_trained", "sex", "f") == 1
    assert unit_fact(kayu, "agents_trained", "sex", "m") == 1


# --- Work-plan targets against actuals --------------------------------------------------------------


def test_work_plan_targets_against_the_actuals_of_the_year(world: World) -> None:
    kayu = world.unit_kayu_aro
    m = current_month()
    january = dt.date(m.year, 1, 1)
    workplan_save(
        actor=world.carol,
        unit=kayu,
        year=m.year,
        targets={
            "clients_screened": 10,
            "clients_served": 20,
            "referrals": 4,
            "community_activities": 2,
            "participants_reached": 50,
        },
    )
    c1, c2 = make_client(world), make_client(world)
    _screen(world, c1, 5)
    _screen(world, c2, 15)
    make_referral(world, client=make_client(world, sharing=True), send=True)
    activity_create(
        actor=world.alice,
        data=ActivityData(
            kind="media", held_on=timezone.localdate(), village=kayu.village, participants={("m", "50+"): 7}
        ),
    )
    _refresh(world, sorted({january, m}))
    assert unit_fact(kayu, "workplan_targets", "target", "clients_screened", month=january) == 10
    area = resolve_area(world.carol, "unit", str(kayu.pk))
    year, rows = targets(world.carol, area, m, suppressed=False)
    got = {r.key: (r.target, r.actual.text, r.percent) for r in rows}
    assert year == m.year
    # Screened 2 of 10 = 20%; served 0 of 20 = 0%; referrals 1 of 4 = 25%;
    # activities 1 of 2 = 50%; participants 7 of 50 = 14%.
    assert got == {
        "clients_screened": (10, "2", "20%"),
        "clients_served": (20, "0", "0%"),
        "referrals": (4, "1", "25%"),
        "community_activities": (2, "1", "50%"),
        "participants_reached": (50, "7", "14%"),
    }
    # Seen by the province, the targets stay (plans, not counts) and the small actuals hide.
    _year, sam_rows = targets(world.sam, resolve_area(world.sam, "province", "15"), m, suppressed=True)
    screened = next(r for r in sam_rows if r.key == "clients_screened")
    assert (screened.target, screened.actual.text, screened.percent) == (10, "<5", "–")
