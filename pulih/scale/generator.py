"""Deterministic synthetic data at a chosen scale (quality-targets.md, "national").

Everything is drawn from ``random.Random`` instances seeded from ``--seed`` and a
phase name, in a fixed order, so the same seed over the same villages and the
same ``until`` date writes the same rows (:func:`checksum` proves it).

Shape of the data (one client = one person in one unit):

* offices: the existing BNN RI (or a synthetic one) and one synthetic BNNP per
  province that gets units, with every regency of the province as work area;
* units on real villages drawn from ``regions_village``, 5 agents each (one
  coordinator), a login per agent, one supervisor per BNNP;
* clients registered over the period with programme growth and a seasonal
  curve (HANI in June up, Ramadan and December down); risk mix from real ASSIST
  answer sets scored by the real scorer; attrition (completed, dropped out,
  lost, moved …); consents; plans; individual, family and group sessions;
  monitoring contacts; urine tests; referrals walking the real state machine
  with one event per step; community activities with participant counts.

Identity is written through the model's ``EncryptedTextField`` and is obviously
synthetic ("Klien Sintetis 0000042", NIK in the non-existent province 99); the
NIK blind index is computed with :func:`pulih.core.crypto.blind_index`.

Writes: ``bulk_create`` in batches on SQLite; ``COPY … FROM STDIN`` through
psycopg's ``cursor.copy`` on PostgreSQL for the large tables.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from pulih.accounts.models import User
from pulih.accounts.roles import Role
from pulih.clients.models import (
    Client,
    Consent,
    Episode,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    Session,
    SessionAttendance,
    UrineTest,
)
from pulih.core.crypto import EncryptedTextField, blind_index
from pulih.organisations.models import Office, OfficeKind, Unit, UnitStatus
from pulih.prevention.models import CommunityActivity, ParticipantCount
from pulih.referrals.models import DEFAULT_SHARED, Referral, ReferralEvent, ServiceProvider
from pulih.regions.models import Province, Regency, Village
from pulih.screening.models import Screening, SubstanceResult
from pulih.units.models import Agent, Membership

# Markers of generated rows (used by the refusal check, purge and checksum).
CLIENT_PREFIX = "SYN-"
USER_PREFIX = "syn-"
UNIT_PREFIX = "IBM Sintetis "
OFFICE_SUFFIX = " (sintetis)"
SOURCE_NOTE = "pulih.scale generate_data"
JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Scale:
    units: int
    clients: int
    years: int = 5
    encounters_per_client: float = 10.0
    referrals_per_client: float = 0.5


SCALES: dict[str, Scale] = {
    "small": Scale(units=4, clients=60, years=2),
    "medium": Scale(units=200, clients=20_000),
    "national": Scale(units=1_500, clients=1_000_000),
    "stress": Scale(units=10_000, clients=1_000_000),
}

# Seasonal activity: HANI (26 June) campaigns up, Ramadan (spring in 2022–2026) and year end down.
SEASON = {
    1: 0.85,
    2: 0.95,
    3: 0.9,
    4: 0.85,
    5: 1.0,
    6: 1.5,
    7: 1.1,
    8: 1.05,
    9: 1.0,
    10: 1.0,
    11: 1.0,
    12: 0.75,
}
SEASON_MAX = max(SEASON.values())

# Target risk mix of first screenings (highest ASSIST level).
RISK_MIX = {"low": 0.55, "moderate": 0.33, "high": 0.12}

REFERRAL_SOURCES = [
    ("outreach", 40),
    ("family", 20),
    ("community_figure", 12),
    ("health_facility", 8),
    ("self", 10),
    ("after_rehab", 8),
    ("other", 2),
]
CLOSURES = [
    ("completed", 46),
    ("dropped_out", 17),
    ("lost_to_follow_up", 14),
    ("moved", 5),
    ("referred_out", 12),
    ("consent_withdrawn", 4),
    ("died", 2),
]
SESSION_TOPICS = [
    "Motivasi berubah",
    "Mengelola keinginan memakai",
    "Keterampilan menolak",
    "Dukungan keluarga",
    "Pencegahan kekambuhan",
    "Kesehatan dan gizi",
]
ACTIVITY_KINDS = [
    ("socialisation", 35),
    ("house_to_house", 15),
    ("worship_appeal", 12),
    ("security", 10),
    ("family_support", 12),
    ("urine_test", 6),
    ("media", 10),
]
PARTNERS = [
    "bhabinkamtibmas",
    "babinsa",
    "religious",
    "community",
    "village_gov",
    "puskesmas",
    "school",
    "bnn",
]
AGE_BANDS = ["0-14", "15-17", "18-24", "25-34", "35-44", "45+"]
SUBSTANCES = ["MET, AMP, THC", "MET, AMP, THC, MOR, BZO", "MET, THC", "MET, AMP, THC, MOR, COC, BZO"]


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randrange(0, 60, 5)), tzinfo=JAKARTA)


# --- Writers ----------------------------------------------------------------------


class Writer:
    """Collects rows per model and writes them in batches (COPY on PostgreSQL)."""

    def __init__(self, batch: int = 5000) -> None:
        self.batch = batch
        self.pending: dict[type[models.Model], list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.copy = connection.vendor == "postgresql"

    def add(self, model: type[models.Model], **values: Any) -> None:
        rows = self.pending.setdefault(model, [])
        rows.append(values)

    def flush(self, order: Iterable[type[models.Model]]) -> None:
        for model in order:
            rows = self.pending.pop(model, [])
            if rows:
                self._write(model, rows)
                label = model._meta.label
                self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if self.copy:
            self._copy(model, rows)
            return
        with keep_timestamps(model):
            for i in range(0, len(rows), self.batch):
                model._default_manager.bulk_create(
                    [model(**r) for r in rows[i : i + self.batch]], batch_size=self.batch
                )

    def _copy(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        # Every column but an auto primary key; columns the generator does not know
        # (added by other apps later) get the field's default, as ``save()`` would.
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
        defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
        if defaults:
            rows = [{**defaults, **r} for r in rows]
        converters: list[Callable[[Any], Any]] = []
        for f in fields:
            if isinstance(f, EncryptedTextField):
                converters.append(f.get_prep_value)  # the field's own encryption
            elif isinstance(f, models.JSONField):
                converters.append(lambda v: json.dumps(v, cls=DjangoJSONEncoder))
            else:
                converters.append(lambda v: v)
        names = [f.attname for f in fields]
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({cols}) FROM STDIN"
        connection.ensure_connection()
        with connection.connection.cursor() as cur, cur.copy(sql) as copy:
            for r in rows:
                copy.write_row([conv(r[n]) for conv, n in zip(converters, names, strict=True)])


@contextmanager
def keep_timestamps(*model_list: type[models.Model]) -> Iterator[None]:
    """Let ``bulk_create`` keep the generated ``created_at``/``updated_at`` values.

    ``auto_now``/``auto_now_add`` would stamp every generated row with the time
    of the run; the generator dates rows in the past on purpose.
    """
    saved = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


# --- Screening answer pool --------------------------------------------------------------


@dataclass
class Scored:
    answers: dict[str, Any]
    highest: str
    injecting: str
    pathway: str
    reasons: list[dict[str, Any]]
    results: list[tuple[int, str, str, int, int, int, str, bool]]


def answer_pool(rng: random.Random, instrument: Any, size: int = 240) -> dict[str, list[Scored]]:
    """Real ASSIST answer sets, walked through the skip logic and scored by the real scorer."""
    from pulih.screening.eligibility import recommend_pathway
    from pulih.screening.loading import spec_for
    from pulih.screening.scoring import plan, score, step_answered, validate_complete

    spec = spec_for(instrument)
    classes = {c.code: c for c in instrument.classes.all()}
    codes = [c.code for c in spec.classes]
    pool: dict[str, list[Scored]] = {}
    for n in range(size):
        severity = (n % 12) / 11  # spread from light to heavy use
        used = set(rng.sample(codes[1:], k=rng.choice([1, 1, 1, 2, 2, 3])))
        if rng.random() < 0.7:
            used.add(codes[0])  # tobacco is common alongside
        answers: dict[str, Any] = {}
        for _guard in range(200):
            steps = [s for s in plan(spec, answers, probed=True).steps if s.kind != "probe"]
            todo = next((s for s in steps if not step_answered(spec, s, answers, probed=True)), None)
            if todo is None:
                break
            q = spec.question(todo.question)
            options = [o.code for o in q.options]
            if todo.kind == "checklist":
                for c in todo.classes:
                    if todo.question == "Q1":
                        answers.setdefault("Q1", {})[c] = "yes" if c in used else "no"
                    else:
                        pick = options[min(len(options) - 1, int(rng.random() * severity * len(options)))]
                        answers.setdefault(q.code, {})[c] = pick
            elif todo.class_code is not None:
                k = min(len(options) - 1, int((rng.random() ** (1.5 - severity)) * len(options)))
                answers.setdefault(q.code, {})[todo.class_code] = options[k]
            else:
                weights = [1.0 + (severity if i == 0 else (1 - severity) * 0.3) for i in range(len(options))]
                answers[q.code] = rng.choices(options, weights=weights)[0] if severity > 0.8 else options[0]
        answers = validate_complete(spec, answers)
        outcome = score(spec, answers)
        rec = recommend_pathway(spec=spec, outcome=outcome, aftercare=False)
        results = [
            (
                classes[r.code].pk,
                r.code,
                classes[r.code].key,
                classes[r.code].order,
                r.score,
                r.max_score,
                r.level,
                r.involved,
            )
            for r in outcome.results
        ]
        pool.setdefault(outcome.highest_level, []).append(
            Scored(
                answers,
                outcome.highest_level,
                outcome.flags.get("injecting", ""),
                rec.pathway,
                list(rec.reasons),
                results,
            )
        )
    return pool


# --- The generator ------------------------------------------------------------------------


@dataclass
class UnitInfo:
    pk: int
    village: str
    regency: str
    province: str
    agents: list[int]
    weight: float
    group_sessions: list[tuple[int, uuid.UUID]] = field(default_factory=list)  # (day index, id)
    providers: list[int] = field(default_factory=list)


@dataclass
class Result:
    counts: dict[str, int]
    seconds: float
    phases: dict[str, float]

    @property
    def encounters(self) -> int:
        c = self.counts
        return sum(
            c.get(k, 0)
            for k in (
                "screening.Screening",
                "clients.SessionAttendance",
                "clients.MonitoringContact",
                "clients.UrineTest",
            )
        )


class RealDataError(Exception):
    pass


def has_real_clients() -> bool:
    return Client.objects.exclude(code__startswith=CLIENT_PREFIX).exists()


def has_generated() -> bool:
    return (
        Client.objects.filter(code__startswith=CLIENT_PREFIX).exists()
        or User.objects.filter(username__startswith=USER_PREFIX).exists()
        or Unit.objects.filter(name__startswith=UNIT_PREFIX).exists()
    )


class Generator:
    CHUNK = 5000  # clients per transaction

    def __init__(
        self,
        scale: Scale,
        seed: int,
        until: dt.date,
        log: Callable[[str], None] = print,
        password_hash: str = "!synthetic-unusable",  # noqa: S107 - an unusable hash, not a password
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.until = until
        self.start = dt.date(until.year - scale.years, until.month, 1)
        self.days = (until - self.start).days
        self.log = log
        self.password_hash = password_hash
        self.w = Writer()
        self.phases: dict[str, float] = {}

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"{self.seed}:{phase}")  # noqa: S311 - synthetic data, not security

    def day(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=i)

    def seasonal_day(self, rng: random.Random, lo: int, hi: int) -> int:
        """A day in [lo, hi] following the seasonal curve (rejection sampling)."""
        for _ in range(20):
            d = rng.randint(lo, hi)
            if rng.random() * SEASON_MAX <= SEASON[self.day(d).month]:
                return d
        return rng.randint(lo, hi)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        yield
        self.phases[name] = time.perf_counter() - t
        self.log(f"  {name}: {self.phases[name]:.1f} s")

    # -- run -------------------------------------------------------------------------

    def run(self) -> Result:
        started = time.perf_counter()
        from pulih.screening.services import default_instrument

        if default_instrument() is None:
            call_command("load_instruments", verbosity=0)
        instrument = default_instrument()
        assert instrument is not None
        self.instrument = instrument
        with self.phase("screening answer pool (real scorer)"):
            self.pool = answer_pool(self.rng("pool"), instrument)
        with self.phase("organisation (offices, units, agents, users, providers)"), transaction.atomic():
            self.organisation()
        with self.phase("group sessions and community activities"), transaction.atomic():
            self.unit_activity()
        with self.phase(f"clients and their encounters ({self.scale.clients:,} clients)"):
            self.clients()
        if connection.vendor == "postgresql":
            # Every table, not only the loaded ones: the providers and the regions are
            # small but joined by scoped lists, and without statistics (autovacuum may
            # be off, or not have run yet) the planner took 57 providers for 1,266 and
            # read all 470,779 referrals for a province's referral list (1.1 s).
            with self.phase("ANALYZE (planner statistics of every table)"), connection.cursor() as cur:
                cur.execute("ANALYZE")
        counts = dict(self.w.counts)
        return Result(counts=counts, seconds=time.perf_counter() - started, phases=self.phases)

    # -- organisation ----------------------------------------------------------------

    def organisation(self) -> None:
        rng = self.rng("organisation")
        taken = set(Unit.objects.exclude(status=UnitStatus.INACTIVE).values_list("village_id", flat=True))
        villages = [
            v
            for v in Village.objects.order_by("code").values_list("code", "regency_id", "province_id")
            if v[0] not in taken
        ]
        if len(villages) < self.scale.units:
            raise ValueError(f"only {len(villages)} villages are free for {self.scale.units} units")
        chosen = sorted(rng.sample(villages, self.scale.units))
        national = Office.objects.filter(kind=OfficeKind.RI).order_by("pk").first()
        if national is None:
            national = Office.objects.create(name=f"BNN RI{OFFICE_SUFFIX}", kind=OfficeKind.RI)
        provinces = sorted({v[2] for v in chosen})
        names = dict(Province.objects.filter(code__in=provinces).values_list("code", "name"))
        offices: dict[str, Office] = {}
        for code in provinces:
            office = Office.objects.create(
                name=f"BNNP {names[code]}{OFFICE_SUFFIX}",
                kind=OfficeKind.BNNP,
                parent=national,
                province_id=code,
            )
            office.work_area.set(Regency.objects.filter(province_id=code))
            offices[code] = office
        created = at(self.start, rng)
        with keep_timestamps(Unit, User, Agent, Membership, ServiceProvider):
            units = Unit.objects.bulk_create(
                Unit(
                    name=f"{UNIT_PREFIX}{i + 1:05d}",
                    village_id=v[0],
                    office=offices[v[2]],
                    status=weighted(
                        rng,
                        [(UnitStatus.ACTIVE, 80), (UnitStatus.NEEDS_SUPPORT, 12), (UnitStatus.TRAINED, 8)],
                    ),
                    status_changed_at=created,
                    notes=SOURCE_NOTE,
                    created_at=created,
                    updated_at=created,
                )
                for i, v in enumerate(chosen)
            )
            users: list[User] = []
            for i, unit in enumerate(units):
                for k in range(5):
                    users.append(
                        User(
                            username=f"{USER_PREFIX}a{i + 1:05d}-{k + 1}",
                            full_name=f"Agen Sintetis {i + 1:05d}-{k + 1}",
                            role=Role.COORDINATOR if k == 0 else Role.AGENT,
                            unit=unit,
                            password=self.password_hash,
                            email="",
                            date_joined=created,
                        )
                    )
            for code, office in offices.items():
                users.append(
                    User(
                        username=f"{USER_PREFIX}s{code}",
                        full_name=f"Supervisor Sintetis {code}",
                        role=Role.SUPERVISOR,
                        office=office,
                        password=self.password_hash,
                        date_joined=created,
                    )
                )
            users.append(
                User(
                    username=f"{USER_PREFIX}national",
                    full_name="Staf Nasional Sintetis",
                    role=Role.OFFICE_STAFF,
                    office=national,
                    password=self.password_hash,
                    date_joined=created,
                )
            )
            users = User.objects.bulk_create(users, batch_size=2000)
            if any(u.pk is None for u in users):  # old SQLite without RETURNING
                by_name = dict(
                    User.objects.filter(username__startswith=USER_PREFIX).values_list("username", "pk")
                )
                for u in users:
                    u.pk = by_name[u.username]
            agents = Agent.objects.bulk_create(
                Agent(
                    name=u.full_name,
                    sex=rng.choice("mmf"),
                    birth_year=rng.randint(1965, 2002),
                    tags=rng.sample(["community_figure", "health_cadre", "youth", "religious_figure"], k=1),
                    former_user=rng.random() < 0.15,
                    unit_id=u.unit_id,
                    user_id=u.pk,
                    created_at=created,
                    updated_at=created,
                )
                for u in users
                if u.unit_id is not None
            )
            Membership.objects.bulk_create(
                Membership(
                    agent=a,
                    unit_id=a.unit_id,
                    role="coordinator" if a.name.endswith("-1") else "member",
                    active_from=self.start,
                    created_at=created,
                )
                for a in agents
            )
            regencies = sorted({v[1] for v in chosen})
            providers = []
            for reg in regencies:
                providers += [
                    ServiceProvider(
                        name=f"Puskesmas Sintetis {reg}{OFFICE_SUFFIX}",
                        type="puskesmas",
                        regency_id=reg,
                        is_demo=True,
                        created_at=created,
                        updated_at=created,
                    ),
                    ServiceProvider(
                        name=f"RSUD Sintetis {reg}{OFFICE_SUFFIX}",
                        type="hospital",
                        regency_id=reg,
                        is_ipwl=True,
                        is_demo=True,
                        created_at=created,
                        updated_at=created,
                    ),
                    ServiceProvider(
                        name=f"Klinik Pratama BNNK Sintetis {reg}{OFFICE_SUFFIX}",
                        type="bnn_klinik_pratama",
                        regency_id=reg,
                        is_ipwl=True,
                        is_demo=True,
                        created_at=created,
                        updated_at=created,
                    ),
                ]
            providers = ServiceProvider.objects.bulk_create(providers, batch_size=2000)
        by_regency: dict[str, list[int]] = {}
        for p in providers:
            by_regency.setdefault(p.regency_id, []).append(p.pk)
        agent_users: dict[int, list[int]] = {}
        for u in users:
            if u.unit_id is not None:
                agent_users.setdefault(u.unit_id, []).append(u.pk)
        self.units = [
            UnitInfo(
                pk=u.pk,
                village=v[0],
                regency=v[1],
                province=v[2],
                agents=agent_users[u.pk],
                weight=rng.lognormvariate(0, 0.6),
                providers=by_regency[v[1]],
            )
            for u, v in zip(units, chosen, strict=True)
        ]
        self.unit_weights = list(itertools_accumulate([u.weight for u in self.units]))
        self.w.counts.update(
            {
                "organisations.Office": len(offices),
                "organisations.Unit": len(units),
                "accounts.User": len(users),
                "units.Agent": len(agents),
                "units.Membership": len(agents),
                "referrals.ServiceProvider": len(providers),
            }
        )
        # Villages near each unit: clients mostly live in the unit's village, some in the regency.
        self.regency_villages: dict[str, list[str]] = {}
        wanted = set(regencies)
        for code, reg in (
            Village.objects.filter(regency_id__in=wanted).order_by("code").values_list("code", "regency_id")
        ):
            self.regency_villages.setdefault(reg, []).append(code)

    def attach(self, unit_ids: list[int]) -> None:
        """Generate into existing units (tests): their agent logins and their regency's providers."""
        from pulih.screening.services import default_instrument

        if default_instrument() is None:
            call_command("load_instruments", verbosity=0)
        instrument = default_instrument()
        assert instrument is not None
        self.instrument = instrument
        self.pool = answer_pool(self.rng("pool"), instrument, size=60)
        self.units = []
        self.regency_villages = {}
        for unit in Unit.objects.filter(pk__in=unit_ids).select_related("village").order_by("pk"):
            reg = unit.village.regency_id
            agents = list(
                User.objects.filter(unit=unit, role__in=[Role.AGENT, Role.COORDINATOR])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            providers = list(
                ServiceProvider.objects.filter(regency_id=reg).order_by("pk").values_list("pk", flat=True)
            )
            if not providers:
                providers = [
                    ServiceProvider.objects.create(
                        name=f"Puskesmas Sintetis {reg}{OFFICE_SUFFIX}",
                        type="puskesmas",
                        regency_id=reg,
                        is_demo=True,
                    ).pk
                ]
            self.units.append(
                UnitInfo(
                    pk=unit.pk,
                    village=unit.village_id,
                    regency=reg,
                    province=unit.village.province_id,
                    agents=agents,
                    weight=1.0,
                    providers=providers,
                )
            )
            self.regency_villages[reg] = [unit.village_id]
        self.unit_weights = list(itertools_accumulate([u.weight for u in self.units]))
        with transaction.atomic():
            self.unit_activity()

    def add_clients(self, first: int, n: int) -> None:
        """Clients ``first`` … ``first + n - 1`` (with their encounters) in the attached units."""
        rng = self.rng(f"clients-{first}")
        with transaction.atomic():
            for i in range(first, first + n):
                self.client(rng, i)
            self.w.flush(self.ORDER)

    # -- per-unit activity -----------------------------------------------------------

    def unit_activity(self) -> None:
        rng = self.rng("units")
        for unit in self.units:
            d = rng.randint(0, 20)
            while d <= self.days:
                if rng.random() * SEASON_MAX <= SEASON[self.day(d).month]:
                    sid = uid(rng)
                    unit.group_sessions.append((d, sid))
                    day = self.day(d)
                    self.w.add(
                        Session,
                        id=sid,
                        unit_id=unit.pk,
                        kind="group",
                        held_on=day,
                        agent_id=rng.choice(unit.agents),
                        topic=rng.choice(SESSION_TOPICS),
                        notes="",
                        duration_minutes=rng.choice([60, 90, 120]),
                        created_at=at(day, rng),
                    )
                d += rng.randint(10, 18)
            for month_start in range(0, self.days + 1, 30):
                n = poisson(rng, 1.2 * SEASON[self.day(month_start).month])
                for _ in range(n):
                    d = min(self.days, month_start + rng.randint(0, 29))
                    day = self.day(d)
                    aid = uid(rng)
                    self.w.add(
                        CommunityActivity,
                        id=aid,
                        kind=weighted(rng, ACTIVITY_KINDS),
                        held_on=day,
                        village_id=unit.village,
                        unit_id=unit.pk,
                        rw=f"{rng.randint(1, 9):02d}",
                        place="",
                        partners=sorted(rng.sample(PARTNERS, k=rng.randint(1, 3))),
                        partners_other="",
                        newcomers_count=rng.choice([None, 0, 1, 2]),
                        description="",
                        is_demo=True,
                        source_note=SOURCE_NOTE,
                        created_by_id=rng.choice(unit.agents),
                        created_at=at(day, rng),
                        updated_at=at(day, rng),
                    )
                    cells = rng.sample(
                        [(s, b) for s in "mf" for b in ("15-24", "25-44", "45+")], k=rng.randint(2, 4)
                    )
                    for sex, band in sorted(cells):
                        self.w.add(
                            ParticipantCount,
                            activity_id=aid,
                            sex=sex,
                            age_band=band,
                            count=rng.randint(3, 40),
                        )
        self.w.flush([Session, CommunityActivity, ParticipantCount])

    # -- clients -----------------------------------------------------------------------

    ORDER = (
        Client,
        OutreachContact,
        Episode,
        Consent,
        InterventionPlan,
        Screening,
        SubstanceResult,
        Session,
        SessionAttendance,
        UrineTest,
        MonitoringContact,
        Referral,
        ReferralEvent,
    )

    def clients(self) -> None:
        rng = self.rng("clients")
        total = self.scale.clients
        done = 0
        t0 = time.perf_counter()
        while done < total:
            n = min(self.CHUNK, total - done)
            with transaction.atomic():
                for i in range(done, done + n):
                    self.client(rng, i)
                self.w.flush(self.ORDER)
            done += n
            if total > self.CHUNK:
                rate = done / (time.perf_counter() - t0)
                self.log(f"    {done:,}/{total:,} clients ({rate:,.0f} clients/s)")

    def client(self, rng: random.Random, i: int) -> None:
        w = self.w
        unit = self.units[bisect.bisect_left(self.unit_weights, rng.random() * self.unit_weights[-1])]
        agent = rng.choice(unit.agents)
        # Registration: linear growth of the programme over the period, seasonal.
        for _ in range(20):
            d0 = int(self.days * math.sqrt(rng.random()))
            if rng.random() * SEASON_MAX <= SEASON[self.day(d0).month]:
                break
        reg_day = self.day(d0)
        reg_at = at(reg_day, rng)
        cid = uid(rng)
        sex = "m" if rng.random() < 0.87 else "f"
        age = max(13, min(70, int(rng.gauss(28, 9))))
        band_only = rng.random() < 0.05
        birth_year = None if band_only else reg_day.year - age
        band = band_for(age) if band_only else ""
        nik = f"99{i:014d}" if rng.random() < 0.3 else ""
        village = unit.village if rng.random() < 0.8 else rng.choice(self.regency_villages[unit.regency])
        source = weighted(rng, REFERRAL_SOURCES)
        code = f"{CLIENT_PREFIX}{unit.province}-{i + 1:07d}"
        # Screening risk.
        r = rng.random()
        risk = (
            "low"
            if r < RISK_MIX["low"]
            else ("moderate" if r < RISK_MIX["low"] + RISK_MIX["moderate"] else "high")
        )
        bucket = self.pool.get(risk) or next(iter(self.pool.values()))
        scored = rng.choice(bucket)
        eid = uid(rng)
        events: list[tuple[int, str]] = []  # (day, stage) for the episode status
        w.add(
            OutreachContact,
            id=uid(rng),
            unit_id=unit.pk,
            agent_id=agent,
            contacted_on=self.day(max(0, d0 - rng.randint(0, 20))),
            channel=rng.choice(["home_visit", "family", "community_figure", "clinic", "self"]),
            outcome="consented",
            village_id=village,
            notes="",
            client_id=cid,
            created_at=reg_at,
        )
        if rng.random() < 0.5:
            od = max(0, d0 - rng.randint(5, 60))
            w.add(
                OutreachContact,
                id=uid(rng),
                unit_id=unit.pk,
                agent_id=agent,
                contacted_on=self.day(od),
                channel="home_visit",
                outcome=rng.choice(["informed", "follow_up", "declined", "not_reached"]),
                village_id=village,
                notes="",
                client_id=None,
                created_at=at(self.day(od), rng),
            )
        for kind in ("services", "data_processing") + (("guardian",) if age < 18 else ()):
            w.add(
                Consent,
                id=uid(rng),
                client_id=cid,
                kind=kind,
                given_by="parent" if kind == "guardian" else "client",
                giver_name="Wali Sintetis" if kind == "guardian" else "",
                destination="",
                share_identity=False,
                given_at=reg_at,
                evidence="",
                signature="",
                withdrawn_at=None,
                withdrawal_note="",
                recorded_by_id=agent,
                created_at=reg_at,
            )
        # Trajectory.
        closure = weighted(rng, CLOSURES)
        t = d0
        screened = d0 + rng.randint(0, 7)
        last_day = d0
        if screened <= self.days and rng.random() < 0.96:
            self.screening(rng, cid, eid, agent, screened, scored, "initial", source == "after_rehab")
            events.append((screened, "screened"))
            last_day = t = screened
        else:
            screened = -1
        referred = screened >= 0 and (
            (scored.pathway == "referral" and rng.random() < 0.9) or rng.random() < 0.15
        )
        if referred:
            rd = t + rng.randint(0, 6)
            if rd <= self.days:
                self.referral(rng, cid, eid, unit, agent, rd, scored)
                events.append((rd, "referred"))
        if screened >= 0 and (not referred or rng.random() < 0.4):
            pd = t + rng.randint(2, 10)
            if pd <= self.days:
                w.add(
                    InterventionPlan,
                    id=uid(rng),
                    client_id=cid,
                    episode_id=eid,
                    goals="Mengurangi dan berhenti memakai (sintetis)",
                    modality=weighted(rng, [("individual", 6), ("group", 3), ("family", 1)]),
                    frequency="mingguan",
                    responsible_id=agent,
                    review_on=self.day(pd) + dt.timedelta(days=90),
                    created_by_id=agent,
                    created_at=at(self.day(pd), rng),
                )
                events.append((pd, "planned"))
                # Sessions until the trajectory ends (attrition cuts it short).
                planned_sessions = 3 + int(rng.expovariate(1 / 5.0))
                if closure in ("dropped_out", "lost_to_follow_up", "consent_withdrawn"):
                    planned_sessions = rng.randint(0, 2)
                sd = pd
                for _ in range(planned_sessions):
                    sd += rng.randint(5, 16)
                    if sd > self.days:
                        break
                    sid = uid(rng)
                    day = self.day(sd)
                    w.add(
                        Session,
                        id=sid,
                        unit_id=unit.pk,
                        kind=weighted(
                            rng,
                            [("individual", 12), ("brief_intervention", 3), ("family", 2), ("home_visit", 3)],
                        ),
                        held_on=day,
                        agent_id=agent,
                        topic=rng.choice(SESSION_TOPICS),
                        notes="",
                        duration_minutes=rng.choice([30, 45, 60]),
                        created_at=at(day, rng),
                    )
                    w.add(SessionAttendance, session_id=sid, client_id=cid)
                    events.append((sd, "in_intervention"))
                    last_day = sd
                # Group sessions of the unit during the intervention window.
                lo = bisect.bisect_left(unit.group_sessions, (pd, uuid.UUID(int=0)))
                hi = bisect.bisect_right(
                    unit.group_sessions, (max(sd, pd + 60), uuid.UUID(int=(1 << 128) - 1))
                )
                window = unit.group_sessions[lo:hi]
                if window and planned_sessions:
                    for gd, gid in sorted(rng.sample(window, k=min(len(window), rng.randint(2, 6)))):
                        w.add(SessionAttendance, session_id=gid, client_id=cid)
                        last_day = max(last_day, gd)
                # Urine tests.
                for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                    ud = pd + rng.randint(7, 90)
                    if ud > self.days:
                        continue
                    res = "positive" if rng.random() < (0.35 if risk == "high" else 0.15) else "negative"
                    w.add(
                        UrineTest,
                        id=uid(rng),
                        client_id=cid,
                        episode_id=eid,
                        tested_on=self.day(ud),
                        method=rng.choice(["kit", "kit", "facility"]),
                        facility="",
                        substances=rng.choice(SUBSTANCES),
                        result=res if rng.random() > 0.02 else "invalid",
                        recorded_by_id=agent,
                        created_at=at(self.day(ud), rng),
                    )
                # Monitoring contacts after the intervention.
                if closure not in ("dropped_out", "consent_withdrawn") and planned_sessions:
                    md = last_day
                    for _k in range(rng.randint(3, 9)):
                        md += rng.randint(25, 35)
                        if md > self.days + 60:
                            break
                        done = md <= self.days and rng.random() < (
                            0.55 if closure == "lost_to_follow_up" else 0.9
                        )
                        outcome = ""
                        if done:
                            outcome = weighted(
                                rng, [("stable", 70), ("struggling", 18), ("relapse", 8), ("not_reached", 4)]
                            )
                            last_day = max(last_day, md)
                            events.append((md, "monitoring"))
                        w.add(
                            MonitoringContact,
                            id=uid(rng),
                            client_id=cid,
                            episode_id=eid,
                            due_on=self.day(md),
                            mode=weighted(rng, [("visit", 6), ("phone", 3), ("at_post", 1)]),
                            agent_id=agent,
                            done_on=self.day(md) if done else None,
                            outcome=outcome,
                            notes="",
                            created_at=at(self.day(min(md, self.days)), rng),
                        )
                # A follow-up screening for some.
                if rng.random() < 0.5:
                    fd = pd + rng.randint(80, 100)
                    if fd <= self.days:
                        follow = rng.choice(self.pool.get("low") or bucket)
                        self.screening(rng, cid, eid, agent, fd, follow, "follow_up", False)
                        last_day = max(last_day, fd)
        # Closure: the trajectory is over if its last event is well in the past.
        end = last_day + rng.randint(14, 45)
        closed = end <= self.days and (screened >= 0 or d0 < self.days - 120)
        if closed and referred and closure == "completed" and rng.random() < 0.5:
            closure = "referred_out"
        status = "registered"
        for d, stage in sorted(events):
            if d <= self.days:
                status = stage
        if closed and screened < 0:
            closure = "lost_to_follow_up"
        closed_at = at(self.day(end), rng) if closed else None
        w.add(
            Client,
            id=cid,
            code=code,
            unit_id=unit.pk,
            village_id=village,
            name=f"Klien Sintetis {i + 1:07d}",
            nik=nik,
            nik_index=blind_index(nik, purpose="nik") if nik else None,
            phone=f"08000{i + 1:07d}" if rng.random() < 0.4 else "",
            rw=f"{rng.randint(1, 12):02d}",
            sex=sex,
            birth_year=birth_year,
            age_band=band,
            referral_source=source,
            status="closed" if closed else "active",
            is_demo=True,
            registered_by_id=agent,
            created_at=reg_at,
            updated_at=closed_at or reg_at,
            version=1,
        )
        w.add(
            Episode,
            id=eid,
            client_id=cid,
            number=1,
            status="closed" if closed else status,
            opened_at=reg_at,
            closed_at=closed_at,
            closure_reason=closure if closed else "",
            closure_note="",
            opened_by_id=agent,
            closed_by_id=agent if closed else None,
        )

    def screening(
        self,
        rng: random.Random,
        cid: uuid.UUID,
        eid: uuid.UUID,
        agent: int,
        d: int,
        scored: Scored,
        purpose: str,
        aftercare: bool,
    ) -> None:
        sid = uid(rng)
        started = at(self.day(d), rng)
        completed = started + dt.timedelta(minutes=rng.randint(10, 30))
        self.w.add(
            Screening,
            id=sid,
            client_id=cid,
            episode_id=eid,
            instrument_id=self.instrument.pk,
            interviewer_id=agent,
            status="completed",
            purpose=purpose,
            aftercare=aftercare,
            answers=scored.answers,
            probed=False,
            specify={},
            started_at=started,
            completed_at=completed,
            version=1,
            previous_id=None,
            correction_reason="",
            highest_level=scored.highest,
            injecting=scored.injecting,
            pathway=scored.pathway,
            pathway_reasons=scored.reasons,
            source="web",
            created_at=started,
        )
        for cls_id, code, key, order, score, max_score, level, involved in scored.results:
            self.w.add(
                SubstanceResult,
                screening_id=sid,
                substance_class_id=cls_id,
                class_code=code,
                class_key=key,
                order=order,
                score=score,
                max_score=max_score,
                level=level,
                involved=involved,
            )

    def referral(
        self,
        rng: random.Random,
        cid: uuid.UUID,
        eid: uuid.UUID,
        unit: UnitInfo,
        agent: int,
        d: int,
        scored: Scored,
    ) -> None:
        rid = uid(rng)
        created = at(self.day(d), rng)
        age_days = self.days - d
        # The path the referral took; recent referrals are still on their way.
        final = weighted(
            rng,
            [
                ("completed", 45),
                ("returned", 10),
                ("rejected", 8),
                ("cancelled", 7),
                ("in_progress", 12),
                ("accepted", 8),
                ("received", 6),
                ("sent", 4),
            ],
        )
        path = {
            "sent": ["send"],
            "received": ["send", "receive"],
            "accepted": ["send", "receive", "accept"],
            "rejected": ["send", "receive", "reject"],
            "cancelled": ["send", "cancel"],
            "in_progress": ["send", "receive", "accept", "start"],
            "completed": ["send", "receive", "accept", "start", "complete"],
            "returned": ["send", "receive", "accept", "start", "complete", "return"],
        }[final]
        state_of = {
            "send": "sent",
            "receive": "received",
            "accept": "accepted",
            "reject": "rejected",
            "start": "in_progress",
            "complete": "completed",
            "cancel": "cancelled",
            "return": "returned",
        }
        stamps: dict[str, dt.datetime | None] = {
            k: None
            for k in (
                "sent_at",
                "received_at",
                "accepted_at",
                "rejected_at",
                "started_at",
                "completed_at",
                "cancelled_at",
                "returned_at",
            )
        }
        stamp_of = {
            "sent": "sent_at",
            "received": "received_at",
            "accepted": "accepted_at",
            "rejected": "rejected_at",
            "in_progress": "started_at",
            "completed": "completed_at",
            "cancelled": "cancelled_at",
            "returned": "returned_at",
        }
        events = [("", "draft", created)]
        when = created
        state = "draft"
        for action in path:
            step = dt.timedelta(
                days=rng.randint(0, 3) if action in ("send", "receive", "accept") else rng.randint(7, 60)
            )
            if (when + step).date() > self.until or (when - created).days > age_days:
                break
            when = when + step
            state = state_of[action]
            stamps[stamp_of[state]] = when
            events.append((action, state, when))
        outcome = ""
        feedback = ""
        if state in ("completed", "returned"):
            outcome = weighted(
                rng, [("completed", 60), ("partial", 20), ("dropped_out", 15), ("referred_on", 5)]
            )
            feedback = "Umpan balik sintetis"
        self.w.add(
            Referral,
            id=rid,
            client_id=cid,
            unit_id=unit.pk,
            episode_id=eid,
            provider_id=rng.choice(unit.providers),
            pathway=weighted(
                rng,
                [
                    ("outpatient", 45),
                    ("inpatient", 20),
                    ("social", 10),
                    ("medical", 10),
                    ("self_report", 10),
                    ("mental_health", 5),
                ],
            ),
            reason="Rujukan sintetis sesuai hasil skrining",
            urgency=weighted(rng, [("routine", 7), ("soon", 2), ("urgent", 1)]),
            shared=[str(s) for s in DEFAULT_SHARED],
            summary={"code": "", "highest_level": scored.highest, "pathway": scored.pathway},
            state=state,
            created_by_id=agent,
            created_at=created,
            feedback=feedback,
            outcome=outcome,
            updated_at=when,
            **stamps,
        )
        for action, st, t in events:
            behalf = action in ("receive", "accept", "reject", "start", "complete")
            self.w.add(
                ReferralEvent,
                referral_id=rid,
                action=action,
                state=st,
                at=t,
                recorded_at=t,
                by_id=agent,
                counterpart_name="Petugas Sintetis" if behalf else "",
                counterpart_role="Petugas layanan" if behalf else "",
                note="Catatan sintetis" if action in ("reject", "cancel", "complete") else "",
            )


def itertools_accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def band_for(age: int) -> str:
    for limit, band in ((15, "0-14"), (18, "15-17"), (25, "18-24"), (35, "25-34"), (45, "35-44")):
        if age < limit:
            return band
    return "45+"


def scale_for(name: str, clients: int | None = None, units: int | None = None) -> Scale:
    scale = SCALES[name]
    if clients:
        scale = replace(scale, clients=clients)
    if units:
        scale = replace(scale, units=units)
    return scale


# --- Checksum and purge ---------------------------------------------------------------------

# Deterministic columns of each generated table (users by username: their ids are sequences).
CHECKSUM: list[tuple[type[models.Model], str, list[str]]] = [
    (Unit, "name", ["name", "village_id", "status", "office__name"]),
    (User, "username", ["username", "role", "unit__name", "office__name"]),
    (
        Client,
        "id",
        [
            "id",
            "code",
            "unit__name",
            "village_id",
            "nik_index",
            "sex",
            "birth_year",
            "age_band",
            "referral_source",
            "status",
            "registered_by__username",
            "created_at",
        ],
    ),
    (Episode, "id", ["id", "client_id", "status", "opened_at", "closed_at", "closure_reason"]),
    (Consent, "id", ["id", "client_id", "kind", "given_at"]),
    (OutreachContact, "id", ["id", "client_id", "contacted_on", "outcome", "agent__username"]),
    (InterventionPlan, "id", ["id", "client_id", "modality", "review_on"]),
    (
        Screening,
        "id",
        ["id", "client_id", "purpose", "completed_at", "highest_level", "pathway", "interviewer__username"],
    ),
    (SubstanceResult, "screening_id", ["screening_id", "class_code", "score", "level"]),
    (Session, "id", ["id", "unit__name", "kind", "held_on", "agent__username"]),
    (SessionAttendance, "session_id", ["session_id", "client_id"]),
    (UrineTest, "id", ["id", "client_id", "tested_on", "result"]),
    (MonitoringContact, "id", ["id", "client_id", "due_on", "done_on", "outcome"]),
    (
        Referral,
        "id",
        [
            "id",
            "client_id",
            "state",
            "pathway",
            "created_at",
            "sent_at",
            "completed_at",
            "outcome",
            "provider__name",
        ],
    ),
    (ReferralEvent, "referral_id", ["referral_id", "action", "state", "at"]),
    (CommunityActivity, "id", ["id", "unit__name", "kind", "held_on"]),
    (ParticipantCount, "activity_id", ["activity_id", "sex", "age_band", "count"]),
]


def generated(model: type[models.Model]) -> models.QuerySet[Any]:
    qs = model._default_manager.all()
    if model is Unit:
        return qs.filter(name__startswith=UNIT_PREFIX)
    if model is User:
        return qs.filter(username__startswith=USER_PREFIX)
    if model is Client:
        return qs.filter(code__startswith=CLIENT_PREFIX)
    if model in (Session, CommunityActivity, OutreachContact):
        return qs.filter(unit__name__startswith=UNIT_PREFIX)
    if model is SessionAttendance:
        return qs.filter(client__code__startswith=CLIENT_PREFIX)
    if model is SubstanceResult:
        return qs.filter(screening__client__code__startswith=CLIENT_PREFIX)
    if model is ReferralEvent:
        return qs.filter(referral__client__code__startswith=CLIENT_PREFIX)
    if model is ParticipantCount:
        return qs.filter(activity__unit__name__startswith=UNIT_PREFIX)
    return qs.filter(client__code__startswith=CLIENT_PREFIX)


def checksum() -> tuple[str, dict[str, int]]:
    """SHA-256 over the deterministic columns of every generated row, in a stable order."""
    digest = hashlib.sha256()
    counts = {}
    for model, _key, cols in CHECKSUM:
        rows = sorted(
            tuple("" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in row)
            for row in generated(model).values_list(*cols).iterator(chunk_size=20000)
        )
        counts[model._meta.label] = len(rows)
        digest.update(model._meta.label.encode())
        for row in rows:
            digest.update("\x1f".join(row).encode())
            digest.update(b"\x1e")
    return digest.hexdigest(), counts


def purge(log: Callable[[str], None] = print) -> None:
    """Delete every generated row (children first)."""
    with transaction.atomic():
        for model in (
            ReferralEvent,
            Referral,
            SubstanceResult,
            Screening,
            SessionAttendance,
            UrineTest,
            MonitoringContact,
            InterventionPlan,
            Consent,
            OutreachContact,
        ):
            generated(model)._raw_delete(generated(model).db)
        Session.objects.filter(unit__name__startswith=UNIT_PREFIX)._raw_delete("default")
        ParticipantCount.objects.filter(activity__unit__name__startswith=UNIT_PREFIX)._raw_delete("default")
        CommunityActivity.objects.filter(unit__name__startswith=UNIT_PREFIX)._raw_delete("default")
        Episode.objects.filter(client__code__startswith=CLIENT_PREFIX)._raw_delete("default")
        Client.objects.filter(code__startswith=CLIENT_PREFIX)._raw_delete("default")
        # Raw deletes: the generated rows have no other dependants, and the collector
        # would walk every app's relations to users and units.
        Membership.objects.filter(unit__name__startswith=UNIT_PREFIX)._raw_delete("default")
        Agent.objects.filter(unit__name__startswith=UNIT_PREFIX)._raw_delete("default")
        User.objects.filter(username__startswith=USER_PREFIX)._raw_delete("default")
        Unit.objects.filter(name__startswith=UNIT_PREFIX)._raw_delete("default")
        ServiceProvider.objects.filter(name__endswith=OFFICE_SUFFIX)._raw_delete("default")
        for office in Office.objects.filter(name__endswith=OFFICE_SUFFIX).order_by("kind"):
            office.work_area.clear()
            Office.objects.filter(pk=office.pk)._raw_delete("default")
    log("purged generated data")
