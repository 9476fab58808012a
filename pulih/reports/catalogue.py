"""The indicator catalogue: every figure the product reports, defined once.

An :class:`Indicator` says what is counted (definition, numerator and
denominator), how it may be broken down (:class:`Dimension`), which records it
is computed from, and how it behaves over time (``aggregation``: a flow is
summed over the months of a period, a stock takes the value of the period's
last month). Counts are computed by :mod:`pulih.reports.compute` into the
rollup tables; rates and medians are derived from summed counts when they are
read, so that they combine correctly over units, areas and months.

The catalogue is rendered to ``docs/indicators.md`` by ``manage.py
indicators_doc`` and shown in the UI on the indicators page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    """A breakdown of a count (sex, age band, risk level …)."""

    key: str
    name_en: str
    name_id: str
    members: Callable[[], list[tuple[str, str]]]
    # Additive: the members of one record are exclusive, so they sum to the
    # total (a client has one sex). Substances are not: a client counts under
    # every substance reported. Complementary suppression needs additivity.
    additive: bool = True

    @property
    def name(self) -> str:
        return self.name_id if (get_language() or "id").startswith("id") else self.name_en

    def member_labels(self) -> dict[str, str]:
        return {value: str(label) for value, label in self.members()}


@dataclass(frozen=True)
class Indicator:
    key: str
    name_en: str
    name_id: str
    group: str
    definition_en: str
    definition_id: str
    numerator: str
    denominator: str = ""
    kind: str = "count"  # count | rate | median
    aggregation: str = "sum"  # sum (flow) | last (stock at the end of the period)
    dimensions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    producer: str = ""  # which compute function fills it (counts only)
    # Rates: numerator = ``rate_of`` (optionally only some members of one
    # dimension), denominator = ``rate_over`` (total).
    rate_of: str = ""
    rate_members: tuple[str, str | tuple[str, ...]] | None = None
    rate_over: str = ""
    # Medians: the histogram indicator whose members are whole numbers.
    median_of: str = ""
    headline: bool = False
    village_level: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.name_id if (get_language() or "id").startswith("id") else self.name_en

    @property
    def definition(self) -> str:
        return self.definition_id if (get_language() or "id").startswith("id") else self.definition_en

    @property
    def is_count(self) -> bool:
        return self.kind == "count"


# --- Dimensions ------------------------------------------------------------------


def _choices(path: str, extra: list[tuple[str, Any]] | None = None) -> Callable[[], list[tuple[str, str]]]:
    """Members from a TextChoices class named by dotted path, read lazily."""

    def load() -> list[tuple[str, str]]:
        from importlib import import_module

        module_name, _sep, attr = path.rpartition(".")
        try:
            choices = list(getattr(import_module(module_name), attr).choices)
        except (ImportError, AttributeError):
            choices = []
        return [(str(v), str(lab)) for v, lab in choices] + [(v, str(lab)) for v, lab in (extra or [])]

    return load


def _risk_members() -> list[tuple[str, str]]:
    return [
        ("low", str(_("Low risk"))),
        ("moderate", str(_("Moderate risk"))),
        ("high", str(_("High risk"))),
        ("unscreened", str(_("Not screened yet"))),
    ]


def _substance_members() -> list[tuple[str, str]]:
    try:
        from pulih.screening.models import SubstanceClass

        lang_id = (get_language() or "id").startswith("id")
        seen: dict[str, str] = {}
        for key, name_id, name_en in SubstanceClass.objects.order_by("order").values_list(
            "key", "name_id", "name_en"
        ):
            seen.setdefault(key, name_id if lang_id else name_en)
        if seen:
            return list(seen.items())
    except Exception:  # noqa: S110
        pass
    return []


def _days_members() -> list[tuple[str, str]]:
    return []


_UNKNOWN = [("unknown", _("Unknown"))]

DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("status", "Unit status", "Status unit", _choices("pulih.organisations.models.UnitStatus")),
        Dimension("sex", "Sex", "Jenis kelamin", _choices("pulih.clients.models.Sex")),
        Dimension(
            "age_band", "Age band", "Kelompok umur", _choices("pulih.clients.models.AgeBand", _UNKNOWN)
        ),
        Dimension("risk", "Risk level (ASSIST)", "Tingkat risiko (ASSIST)", _risk_members),
        Dimension("substance", "Substance", "Zat", _substance_members, additive=False),
        Dimension(
            "purpose",
            "Screening purpose",
            "Tujuan skrining",
            _choices("pulih.screening.models.ScreeningPurpose"),
        ),
        Dimension("kind", "Session type", "Jenis sesi", _choices("pulih.clients.models.SessionKind")),
        Dimension(
            "reason", "Closure reason", "Alasan penutupan", _choices("pulih.clients.models.ClosureReason")
        ),
        Dimension("result", "Result", "Hasil", _choices("pulih.clients.models.UrineResult")),
        Dimension(
            "destination",
            "Destination type",
            "Jenis tujuan rujukan",
            _choices("pulih.referrals.models.ProviderType"),
        ),
        Dimension(
            "state", "Referral state", "Status rujukan", _choices("pulih.referrals.states.ReferralState")
        ),
        Dimension("days", "Days", "Hari", _days_members),
        Dimension(
            "activity", "Activity type", "Jenis kegiatan", _choices("pulih.prevention.models.ActivityKind")
        ),
        Dimension("p_sex", "Sex", "Jenis kelamin", _choices("pulih.mapping.choices.Sex")),
        Dimension("p_age_band", "Age band", "Kelompok umur", _choices("pulih.mapping.choices.AgeBand")),
        Dimension(
            "category",
            "IKRN category",
            "Kategori IKRN",
            _choices("pulih.mapping.models.IkrnCategory", [("unclassified", _("Unclassified"))]),
        ),
        Dimension(
            "with_unit",
            "With an IBM unit, by IKRN category",
            "Dengan unit IBM, per kategori IKRN",
            _choices("pulih.mapping.models.IkrnCategory", [("unclassified", _("Unclassified"))]),
            additive=False,
        ),
        Dimension(
            "without_unit",
            "Without an IBM unit, by IKRN category",
            "Tanpa unit IBM, per kategori IKRN",
            _choices("pulih.mapping.models.IkrnCategory", [("unclassified", _("Unclassified"))]),
            additive=False,
        ),
        Dimension(
            "bersinar",
            "Desa Bersinar status",
            "Status Desa Bersinar",
            _choices("pulih.mapping.models.BersinarStatus"),
        ),
        Dimension(
            "target",
            "Work-plan target",
            "Sasaran rencana kerja",
            lambda: [
                ("clients_screened", str(_("Clients screened"))),
                ("clients_served", str(_("Clients served"))),
                ("referrals", str(_("Referrals"))),
                ("community_activities", str(_("Community activities"))),
                ("participants_reached", str(_("Participants reached"))),
            ],
        ),
    ]
}

CLIENT_DIMS = ("sex", "age_band", "risk", "substance")

# --- Indicators ------------------------------------------------------------------

GROUPS: list[tuple[str, str, str]] = [
    ("units", "Units and agents", "Unit dan Agen Pemulihan"),
    ("clients", "Clients", "Klien"),
    ("screening", "Screening", "Skrining"),
    ("sessions", "Sessions", "Sesi intervensi"),
    ("referrals", "Referrals", "Rujukan"),
    ("outcomes", "Outcomes", "Hasil layanan"),
    ("community", "Community activities", "Kegiatan masyarakat"),
    ("villages", "Villages", "Desa/kelurahan"),
    ("targets", "Work plan", "Rencana kerja"),
]

_CLIENT_SRC = ("clients.Client", "clients.Episode")
_ATTRIBUTION_EN = (
    " A record counts for the unit of the agent who recorded it (services only let a unit's own"
    " agents write a client's records), so a client who moves keeps the history of the old unit."
)
_ATTRIBUTION_ID = (
    " Catatan dihitung untuk unit dari agen yang mencatatnya, sehingga klien yang pindah unit"
    " tetap tercatat dalam riwayat unit lamanya."
)

INDICATORS: list[Indicator] = [
    Indicator(
        "units",
        "IBM units by status",
        "Unit IBM menurut status",
        "units",
        "IBM units by their status at the end of the month (from the unit's status history, or its"
        " current status when no history exists).",
        "Unit IBM menurut statusnya pada akhir bulan (dari riwayat status unit, atau status saat ini bila"
        " riwayat tidak ada).",
        "Units existing at the end of the month",
        aggregation="last",
        dimensions=("status",),
        sources=("organisations.Unit", "units.UnitStatusChange"),
        producer="units",
        headline=True,
    ),
    Indicator(
        "agents_active",
        "Active recovery agents",
        "Agen Pemulihan aktif",
        "units",
        "Agents with a membership of the unit open at the end of the month.",
        "Agen dengan keanggotaan unit yang masih berlaku pada akhir bulan.",
        "Agents with an open membership at the end of the month",
        aggregation="last",
        dimensions=("sex",),
        sources=("units.Agent", "units.Membership"),
        producer="units",
        headline=True,
    ),
    Indicator(
        "agents_trained",
        "Trained recovery agents",
        "Agen Pemulihan terlatih",
        "units",
        "Active agents who attended every day of at least one bimtek that ended by the end of the month.",
        "Agen aktif yang hadir pada setiap hari minimal satu bimtek yang selesai sebelum akhir bulan.",
        "Active agents with a completed bimtek",
        aggregation="last",
        dimensions=("sex",),
        sources=("units.Membership", "units.TrainingEvent", "units.Participant", "units.Attendance"),
        producer="units",
    ),
    Indicator(
        "clients_new",
        "New clients",
        "Klien baru",
        "clients",
        "Clients whose first episode was opened (consent and registration) in the month. Risk and substance"
        " come from the client's latest completed screening by the end of the month." + _ATTRIBUTION_EN,
        "Klien yang episode pertamanya dibuka (persetujuan dan registrasi) dalam bulan itu. Risiko dan zat"
        " diambil dari skrining terakhir yang selesai sampai akhir bulan." + _ATTRIBUTION_ID,
        "First episodes opened in the month",
        dimensions=CLIENT_DIMS,
        sources=(*_CLIENT_SRC, "screening.Screening", "screening.SubstanceResult"),
        producer="clients",
        headline=True,
    ),
    Indicator(
        "episodes_reopened",
        "Reopened episodes",
        "Episode dibuka kembali",
        "clients",
        "Episodes opened in the month for a client who had an earlier, closed episode (a relapse or a return).",
        "Episode yang dibuka dalam bulan itu untuk klien yang sudah punya episode lama yang ditutup.",
        "Episodes with number 2 or higher opened in the month",
        dimensions=("sex", "age_band"),
        sources=_CLIENT_SRC,
        producer="clients",
    ),
    Indicator(
        "clients_active",
        "Active clients",
        "Klien aktif",
        "clients",
        "Distinct clients with an episode open at any time in the month. A client served by two units in"
        " the month of a move counts in both units." + _ATTRIBUTION_EN,
        "Klien berbeda dengan episode terbuka kapan pun dalam bulan itu. Klien yang pindah unit dihitung di"
        " kedua unit pada bulan kepindahannya." + _ATTRIBUTION_ID,
        "Distinct clients with an open episode during the month",
        aggregation="last",
        dimensions=CLIENT_DIMS,
        sources=(*_CLIENT_SRC, "screening.Screening", "screening.SubstanceResult"),
        producer="clients",
        headline=True,
    ),
    Indicator(
        "episodes_closed",
        "Closed episodes",
        "Episode ditutup",
        "clients",
        "Episodes closed in the month, by closure reason.",
        "Episode yang ditutup dalam bulan itu, menurut alasan penutupan.",
        "Episodes closed in the month",
        dimensions=("reason", "sex", "age_band", "risk", "substance"),
        sources=_CLIENT_SRC,
        producer="clients",
    ),
    Indicator(
        "screenings",
        "Screenings",
        "Skrining",
        "screening",
        "Completed ASSIST screenings in the month (a correction is not counted again), by purpose and by the"
        " highest risk level found.",
        "Skrining ASSIST yang selesai dalam bulan itu (koreksi tidak dihitung lagi), menurut tujuan dan"
        " tingkat risiko tertinggi.",
        "Completed screenings that are not corrections",
        dimensions=("purpose", "risk"),
        sources=("screening.Screening",),
        producer="screening",
        headline=True,
    ),
    Indicator(
        "clients_screened",
        "Clients screened",
        "Klien diskrining",
        "screening",
        "Distinct clients with at least one completed screening in the month.",
        "Klien berbeda dengan minimal satu skrining selesai dalam bulan itu.",
        "Distinct clients screened in the month",
        sources=("screening.Screening",),
        producer="screening",
    ),
    Indicator(
        "clients_screened_ytd",
        "Clients screened, year to date",
        "Klien diskrining sejak awal tahun",
        "targets",
        "Distinct clients screened from 1 January to the end of the month (compared with the work-plan"
        " target).",
        "Klien berbeda yang diskrining dari 1 Januari sampai akhir bulan (dibandingkan dengan sasaran rencana"
        " kerja).",
        "Distinct clients screened since 1 January",
        aggregation="last",
        sources=("screening.Screening",),
        producer="screening",
    ),
    Indicator(
        "sessions",
        "Sessions by type",
        "Sesi menurut jenis",
        "sessions",
        "Intervention sessions held in the month, by type; a group session is one session.",
        "Sesi intervensi yang dilaksanakan dalam bulan itu, menurut jenis; satu sesi kelompok dihitung satu.",
        "Sessions held in the month",
        dimensions=("kind",),
        sources=("clients.Session",),
        producer="sessions",
        headline=True,
    ),
    Indicator(
        "attendances",
        "Client attendances by session type",
        "Kehadiran klien menurut jenis sesi",
        "sessions",
        "Client attendances in the month: each client at each session counts once, so a group session with"
        " six clients counts six.",
        "Kehadiran klien dalam bulan itu: setiap klien di setiap sesi dihitung satu, jadi sesi kelompok dengan"
        " enam klien dihitung enam.",
        "Session × client attendance records",
        dimensions=("kind",),
        sources=("clients.Session", "clients.SessionAttendance"),
        producer="sessions",
    ),
    Indicator(
        "group_sessions",
        "Group sessions",
        "Sesi kelompok",
        "sessions",
        "Group sessions held in the month.",
        "Sesi kelompok yang dilaksanakan dalam bulan itu.",
        "Sessions of type group",
        sources=("clients.Session",),
        producer="sessions",
    ),
    Indicator(
        "group_attendance",
        "Group session attendance",
        "Kehadiran sesi kelompok",
        "sessions",
        "Client attendances at group sessions in the month (per client, per session).",
        "Kehadiran klien pada sesi kelompok dalam bulan itu (per klien, per sesi).",
        "Attendance records of group sessions",
        sources=("clients.Session", "clients.SessionAttendance"),
        producer="sessions",
    ),
    Indicator(
        "group_clients",
        "Clients in group sessions",
        "Klien yang ikut sesi kelompok",
        "sessions",
        "Distinct clients who attended at least one group session in the month.",
        "Klien berbeda yang hadir minimal satu sesi kelompok dalam bulan itu.",
        "Distinct clients attending group sessions",
        sources=("clients.SessionAttendance",),
        producer="sessions",
    ),
    Indicator(
        "clients_served",
        "Clients served",
        "Klien dilayani",
        "sessions",
        "Distinct clients who attended at least one session of any type in the month.",
        "Klien berbeda yang hadir minimal satu sesi jenis apa pun dalam bulan itu.",
        "Distinct clients with a session in the month",
        dimensions=("sex", "age_band"),
        sources=("clients.SessionAttendance",),
        producer="sessions",
        headline=True,
    ),
    Indicator(
        "clients_served_ytd",
        "Clients served, year to date",
        "Klien dilayani sejak awal tahun",
        "targets",
        "Distinct clients with a session from 1 January to the end of the month.",
        "Klien berbeda yang mendapat sesi dari 1 Januari sampai akhir bulan.",
        "Distinct clients served since 1 January",
        aggregation="last",
        sources=("clients.SessionAttendance",),
        producer="sessions",
    ),
    Indicator(
        "urine_tests",
        "Urine tests",
        "Tes urine",
        "outcomes",
        "Urine tests recorded in the month, by result.",
        "Tes urine yang dicatat dalam bulan itu, menurut hasil.",
        "Urine tests in the month",
        dimensions=("result",),
        sources=("clients.UrineTest",),
        producer="care",
    ),
    Indicator(
        "clients_monitored",
        "Clients monitored",
        "Klien dipantau",
        "outcomes",
        "Distinct clients with a monitoring contact done in the month.",
        "Klien berbeda dengan kontak pemantauan yang dilakukan dalam bulan itu.",
        "Distinct clients with a done monitoring contact",
        sources=("clients.MonitoringContact",),
        producer="care",
    ),
    Indicator(
        "clients_relapsed",
        "Clients with a relapse",
        "Klien kambuh",
        "outcomes",
        "Distinct clients with a monitoring contact done in the month whose outcome was relapse.",
        "Klien berbeda dengan kontak pemantauan dalam bulan itu yang hasilnya kambuh.",
        "Distinct clients with a relapse outcome",
        sources=("clients.MonitoringContact",),
        producer="care",
    ),
    Indicator(
        "completion_rate",
        "Completion rate",
        "Angka penyelesaian",
        "outcomes",
        "Share of episodes closed in the period that closed because the client completed the programme.",
        "Persentase episode yang ditutup dalam periode itu karena klien menyelesaikan program.",
        "Episodes closed with reason 'completed'",
        "Episodes closed",
        kind="rate",
        rate_of="episodes_closed",
        rate_members=("reason", ("completed",)),
        rate_over="episodes_closed",
        sources=("clients.Episode",),
        headline=True,
    ),
    Indicator(
        "dropout_rate",
        "Dropout rate",
        "Angka putus layanan",
        "outcomes",
        "Share of episodes closed in the period because the client dropped out or was lost to follow-up.",
        "Persentase episode yang ditutup dalam periode itu karena klien putus layanan atau hilang kontak.",
        "Episodes closed with reason 'dropped out' or 'lost to follow-up'",
        "Episodes closed",
        kind="rate",
        rate_of="episodes_closed",
        rate_members=("reason", ("dropped_out", "lost_to_follow_up")),
        rate_over="episodes_closed",
        sources=("clients.Episode",),
    ),
    Indicator(
        "relapse_rate",
        "Relapse rate",
        "Angka kekambuhan",
        "outcomes",
        "Share of monitored clients with a relapse outcome, month by month, summed over the period.",
        "Persentase klien yang dipantau dengan hasil kambuh, dijumlahkan per bulan dalam periode itu.",
        "Clients with a relapse (per month)",
        "Clients monitored (per month)",
        kind="rate",
        rate_of="clients_relapsed",
        rate_over="clients_monitored",
        sources=("clients.MonitoringContact",),
    ),
    Indicator(
        "referrals_sent",
        "Referrals sent",
        "Rujukan dikirim",
        "referrals",
        "Referrals sent in the month, by destination type.",
        "Rujukan yang dikirim dalam bulan itu, menurut jenis tujuan.",
        "Referrals with a send date in the month",
        dimensions=("destination",),
        sources=("referrals.Referral", "referrals.ServiceProvider"),
        producer="referrals",
        headline=True,
    ),
    Indicator(
        "referral_steps",
        "Referral state changes",
        "Perubahan status rujukan",
        "referrals",
        "Referrals that reached each state in the month (from the referral's state history).",
        "Rujukan yang mencapai setiap status dalam bulan itu (dari riwayat status rujukan).",
        "State-history events in the month",
        dimensions=("state", "destination"),
        sources=("referrals.ReferralEvent",),
        producer="referrals",
    ),
    Indicator(
        "referrals_open",
        "Open referrals by state",
        "Rujukan berjalan menurut status",
        "referrals",
        "Referrals sent and not yet completed, rejected, cancelled or returned at the end of the month.",
        "Rujukan yang sudah dikirim dan belum selesai, ditolak, dibatalkan atau dikembalikan pada akhir bulan.",
        "Referrals in a non-final state at the end of the month",
        aggregation="last",
        dimensions=("state", "destination"),
        sources=("referrals.Referral", "referrals.ReferralEvent"),
        producer="referrals",
    ),
    Indicator(
        "referrals_ended",
        "Referrals ended",
        "Rujukan berakhir",
        "referrals",
        "Referrals that were completed, rejected or cancelled in the month.",
        "Rujukan yang selesai, ditolak atau dibatalkan dalam bulan itu.",
        "Referrals reaching a final state in the month",
        dimensions=("state",),
        sources=("referrals.ReferralEvent",),
        producer="referrals",
    ),
    Indicator(
        "referral_completion_rate",
        "Referral completion rate",
        "Angka rujukan selesai",
        "referrals",
        "Share of referrals ended in the period that were completed (the closed loop).",
        "Persentase rujukan yang berakhir dalam periode itu dengan status selesai (umpan balik diterima).",
        "Referrals completed",
        "Referrals completed, rejected or cancelled",
        kind="rate",
        rate_of="referrals_ended",
        rate_members=("state", ("completed",)),
        rate_over="referrals_ended",
        sources=("referrals.ReferralEvent",),
        headline=True,
    ),
    Indicator(
        "acceptance_days",
        "Days from sending to acceptance",
        "Hari dari pengiriman sampai diterima",
        "referrals",
        "For referrals accepted in the month: whole days between sending and acceptance (a histogram).",
        "Untuk rujukan yang diterima dalam bulan itu: jumlah hari antara pengiriman dan penerimaan (histogram).",
        "Referrals accepted in the month, by days to acceptance",
        dimensions=("days",),
        sources=("referrals.Referral", "referrals.ReferralEvent"),
        producer="referrals",
    ),
    Indicator(
        "median_days_to_acceptance",
        "Median days to acceptance",
        "Median hari sampai rujukan diterima",
        "referrals",
        "The median of the days from sending to acceptance of the referrals accepted in the period.",
        "Median jumlah hari dari pengiriman sampai penerimaan rujukan yang diterima dalam periode itu.",
        "Median of days to acceptance",
        "Referrals accepted in the period",
        kind="median",
        median_of="acceptance_days",
        sources=("referrals.Referral", "referrals.ReferralEvent"),
    ),
    Indicator(
        "community_activities",
        "Community activities",
        "Kegiatan masyarakat",
        "community",
        "Community prevention activities held in the month, by type. Activities in a village without an IBM"
        " unit count for the village's regency.",
        "Kegiatan pencegahan di masyarakat dalam bulan itu, menurut jenis. Kegiatan di desa tanpa unit IBM"
        " dihitung untuk kabupaten/kotanya.",
        "Activities held in the month",
        dimensions=("activity",),
        sources=("prevention.CommunityActivity",),
        producer="community",
        headline=True,
    ),
    Indicator(
        "activity_participants",
        "Activity participants",
        "Peserta kegiatan",
        "community",
        "Participants of community activities in the month (recorded as counts by sex and age band, never"
        " as names).",
        "Peserta kegiatan masyarakat dalam bulan itu (dicatat sebagai jumlah menurut jenis kelamin dan"
        " kelompok umur, tanpa nama).",
        "Sum of participant counts",
        dimensions=("p_sex", "p_age_band"),
        sources=("prevention.ParticipantCount",),
        producer="community",
    ),
    Indicator(
        "villages_ikrn",
        "Villages by IKRN category",
        "Desa menurut kategori IKRN",
        "villages",
        "Villages with an IKRN assessment, by the category of their latest assessment up to the month's year,"
        " with and without an IBM unit (a unit that is not inactive).",
        "Desa dengan penilaian IKRN, menurut kategori penilaian terakhir sampai tahun bulan itu, dengan dan"
        " tanpa unit IBM (unit yang tidak nonaktif).",
        "Assessed villages",
        aggregation="last",
        dimensions=("category", "with_unit", "without_unit"),
        sources=("mapping.IkrnAssessment", "organisations.Unit"),
        producer="villages",
        village_level=True,
    ),
    Indicator(
        "villages_bersinar",
        "Desa Bersinar villages",
        "Desa Bersinar",
        "villages",
        "Villages recorded as Desa Bersinar (drug-clean village), by status.",
        "Desa yang tercatat sebagai Desa Bersinar (Desa Bersih Narkoba), menurut status.",
        "Desa Bersinar records",
        aggregation="last",
        dimensions=("bersinar",),
        sources=("mapping.BersinarVillage",),
        producer="villages",
        village_level=True,
    ),
    Indicator(
        "workplan_targets",
        "Work-plan targets",
        "Sasaran rencana kerja",
        "targets",
        "The yearly targets of the units' work plans, stored in January of the plan's year and compared with"
        " the actual figures of that year.",
        "Sasaran tahunan dalam rencana kerja unit, disimpan pada bulan Januari tahun rencana dan dibandingkan"
        " dengan capaian tahun itu.",
        "Sum of the targets",
        dimensions=("target",),
        sources=("units.WorkPlan",),
        producer="targets",
    ),
]

INDICATOR_MAP: dict[str, Indicator] = {i.key: i for i in INDICATORS}

# Work-plan target → (actual indicator, how the actual is read for a year).
TARGET_ACTUALS: dict[str, str] = {
    "clients_screened": "clients_screened_ytd",
    "clients_served": "clients_served_ytd",
    "referrals": "referrals_sent",
    "community_activities": "community_activities",
    "participants_reached": "activity_participants",
}


def indicator(key: str) -> Indicator:
    return INDICATOR_MAP[key]


def counts() -> list[Indicator]:
    return [i for i in INDICATORS if i.is_count]


def headline() -> list[Indicator]:
    return [i for i in INDICATORS if i.headline]


def group_name(key: str) -> str:
    lang_id = (get_language() or "id").startswith("id")
    for gkey, en, id_ in GROUPS:
        if gkey == key:
            return id_ if lang_id else en
    return key


def check_catalogue() -> list[str]:
    """Consistency problems of the catalogue (empty when it is sound)."""
    problems = []
    for ind in INDICATORS:
        for d in ind.dimensions:
            if d not in DIMENSIONS:
                problems.append(f"{ind.key}: unknown dimension {d}")
        if ind.kind == "count" and not ind.producer:
            problems.append(f"{ind.key}: a count needs a producer")
        if ind.kind == "rate" and (ind.rate_of not in INDICATOR_MAP or ind.rate_over not in INDICATOR_MAP):
            problems.append(f"{ind.key}: rate parts missing")
        if ind.kind == "median" and ind.median_of not in INDICATOR_MAP:
            problems.append(f"{ind.key}: median source missing")
        if ind.group not in {g for g, _e, _i in GROUPS}:
            problems.append(f"{ind.key}: unknown group {ind.group}")
    return problems
