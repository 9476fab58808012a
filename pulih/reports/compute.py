"""Counting the indicators of the catalogue from the domain records.

Used only by background jobs (the rollup refresh) and by the compilation of
one unit's monthly report; pages never call it. Each *producer* fills the
counts of several indicators for a batch of units and a run of months with a
handful of grouped queries, so that a full rebuild scales with units × months,
not with individual records.

Producers read only what the requested months need: records inside the
window (year-to-date indicators from January of its first year), and for
"state at the end of the month" indicators (a client's risk level, a
referral's step) the latest record before the window per client or referral
(``DISTINCT ON`` on PostgreSQL, ``ROW_NUMBER()`` elsewhere) plus the records
inside it. Counting is done by the database where the result is the same.
Producers yield their queries in rounds, and each round of all producers is
sent together (see :func:`run_together`). ``tests/reference_compute.py``
keeps the straightforward whole-history implementation as the oracle of
``tests/test_compute_consistency.py``.

Attribution: a record counts for the unit of the user who recorded it (the
agent who opened or closed the episode, interviewed, referred, tested or
visited). The client journey's services only let a unit's own staff write a
client's records, so this is the client's unit at the time, and a client who
moves to another unit leaves the old unit's history untouched. Records made
by a user without a unit fall back to the client's current unit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.utils import timezone

from pulih.reports.catalogue import INDICATORS
from pulih.reports.months import add_months, month_end, month_of, month_range, start_of

# (unit id or None, month, indicator, dim, member) -> value
Key = tuple[int | None, dt.date, str, str, str]
Acc = Counter[Key]

PRODUCER_MODELS: dict[str, tuple[str, ...]] = {
    "units": ("organisations.Unit", "units.UnitStatusChange", "units.Membership", "units.Participant"),
    "clients": ("clients.Episode", "screening.Screening", "screening.SubstanceResult"),
    "screening": ("screening.Screening",),
    "sessions": ("clients.Session", "clients.SessionAttendance"),
    "care": ("clients.UrineTest", "clients.MonitoringContact"),
    "referrals": ("referrals.Referral", "referrals.ReferralEvent"),
    "community": ("prevention.CommunityActivity", "prevention.ParticipantCount"),
    "targets": ("units.WorkPlan",),
    "villages": ("mapping.IkrnAssessment", "mapping.BersinarVillage"),
}


def producer_available(name: str) -> bool:
    for label in PRODUCER_MODELS.get(name, ()):
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            return False
    return True


def unavailable_indicators() -> dict[str, list[str]]:
    """Indicators that cannot be computed because a source model is missing."""
    out: dict[str, list[str]] = {}
    for ind in INDICATORS:
        if ind.producer and not producer_available(ind.producer):
            out[ind.key] = [m for m in PRODUCER_MODELS[ind.producer] if not _model_exists(m)]
    return out


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def add(acc: Acc, unit: int | None, month: dt.date, indicator: str, dims: dict[str, Any], n: int = 1) -> None:
    """Count ``n`` under the total and under each breakdown member."""
    if not n:
        return
    acc[(unit, month, indicator, "", "")] += n
    for dim, member in dims.items():
        if isinstance(member, str):
            acc[(unit, month, indicator, dim, member)] += n
        else:
            for m in set(member):
                acc[(unit, month, indicator, dim, m)] += n


class Tally(Counter[tuple[Any, dt.date, str, tuple[tuple[str, Any], ...]]]):
    """Counts per unit, month, indicator and combination of breakdown members.

    Many records share a combination (sex, age band, risk …); counting the
    combinations first and expanding each into its total and breakdown cells
    once (:meth:`into`) gives the same sums as calling :func:`add` per record.
    """

    def put(self, unit: Any, month: dt.date, indicator: str, dims: tuple[tuple[str, Any], ...]) -> None:
        self[(unit, month, indicator, dims)] += 1

    def into(self, acc: Acc) -> None:
        for (unit, month, indicator, dims), n in self.items():
            add(acc, unit, month, indicator, dict(dims), n)


def _chunks(items: Sequence[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def age_band(birth_year: int | None, band: str, on: dt.date) -> str:
    if birth_year:
        age = on.year - birth_year
        if age < 15:
            return "0-14"
        if age < 18:
            return "15-17"
        if age < 25:
            return "18-24"
        if age < 35:
            return "25-34"
        if age < 45:
            return "35-44"
        return "45+"
    return band or "unknown"


def _local_month(value: dt.datetime) -> dt.date:
    return month_of(value)


def _window(months: Sequence[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    return start_of(months[0]), start_of(add_months(months[-1], 1))


class _MonthCache(dict[Any, dt.date]):
    """``month_of`` of the few distinct month starts a grouped query returns, converted once each."""

    def __call__(self, value: dt.date | dt.datetime) -> dt.date:
        month = self.get(value)
        if month is None:
            month = self[value] = month_of(value)
        return month


class MonthClock:
    """The local month of aware datetimes, by comparing with the month boundaries.

    ``month_of`` converts every value to the project's time zone; a producer
    reading thousands of timestamps instead compares them (as POSIX
    timestamps) with the precomputed starts of the months of its window,
    which gives the same month without a time-zone conversion per row.
    """

    def __init__(self, months: Sequence[dt.date]) -> None:
        self.months = month_range(months[0], months[-1])
        self.bounds = [start_of(m).timestamp() for m in self.months]
        self.bounds.append(start_of(add_months(self.months[-1], 1)).timestamp())
        # The start of the month after each month: "at the end of month m" means before it.
        self.next_start = {m: self.bounds[i + 1] for i, m in enumerate(self.months)}

    def month(self, value: dt.datetime) -> dt.date | None:
        """The month of ``value`` if it falls in the window, else None."""
        i = bisect_right(self.bounds, value.timestamp()) - 1
        if 0 <= i < len(self.months):
            return self.months[i]
        return None


def _latest_per(qs: QuerySet[Any], partition: str, order: Sequence[str]) -> QuerySet[Any]:
    """The first row of ``qs`` for each value of ``partition`` in ``order`` (e.g. the latest per client).

    PostgreSQL answers with ``DISTINCT ON``; other engines with a ``ROW_NUMBER()``
    window filtered to the first row (Django wraps it in a subquery).
    """
    if connections[qs.db].features.can_distinct_on_fields:
        return qs.order_by(partition, *order).distinct(partition)
    order_by = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in order]
    return (
        qs.order_by()
        .annotate(_rank=Window(RowNumber(), partition_by=[F(partition)], order_by=order_by))
        .filter(_rank=1)
    )


class UnitIds(list[int]):
    """The unit ids of one ``compute_units`` call; their users are looked up once for all producers."""

    _users: tuple[list[int], list[int]] | None = None

    def users(self) -> tuple[list[int], list[int]]:
        if self._users is None:
            self._users = _read_unit_users(self)
        return self._users


def _unit_users(unit_ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """The users of these units, and the users without a unit (national and office staff)."""
    if isinstance(unit_ids, UnitIds):
        return unit_ids.users()
    return _read_unit_users(unit_ids)


def _read_unit_users(unit_ids: Sequence[int]) -> tuple[list[int], list[int]]:
    from django.contrib.auth import get_user_model

    members: list[int] = []
    unitless: list[int] = []
    for pk, unit in (
        get_user_model()
        .objects.filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
        .order_by()
        .values_list("pk", "unit_id")
    ):
        (members if unit is not None else unitless).append(pk)
    return members, unitless


def _clients_of(unit_ids: Sequence[int]) -> QuerySet[Any]:
    from pulih.clients.models import Client

    return Client.objects.filter(unit_id__in=unit_ids).order_by().values("pk")


def _by_unit(
    user: str, client: str, unit_ids: Sequence[int], users: tuple[list[int], list[int]] | None = None
) -> Q:
    """Rows recorded by a user of these units, or by a user without a unit for a client of them.

    Same rows as ``Q(<user>__unit_id__in=…) | Q(<user>__unit__isnull=True,
    <client>__unit_id__in=…)``, but the users are looked up first, so that the
    database finds the rows through the indexes of ``<user>_id`` and
    ``<client>_id`` instead of joining every row to its user and client
    before filtering.
    """
    members, unitless = users if users is not None else _unit_users(unit_ids)
    return Q(**{f"{user}_id__in": members}) | Q(
        **{f"{user}_id__in": unitless, f"{client}_id__in": _clients_of(unit_ids)}
    )


def _unit_of(user: str, client: str) -> Coalesce:
    """The attributed unit in the database: the user's unit, else the client's.

    The client's unit is a subquery that only runs for rows whose user has no
    unit, so the rows are not joined to the (large) client table.
    """
    from pulih.clients.models import Client

    return Coalesce(
        F(f"{user}__unit_id"),
        Subquery(Client.objects.filter(pk=OuterRef(f"{client}_id")).order_by().values("unit_id")[:1]),
        output_field=BigIntegerField(),
    )


# --- Query batches ---------------------------------------------------------------------
#
# Each producer is a generator: it yields a list of ``values_list`` querysets
# and receives their rows (a list of row lists, in the same order), possibly
# several times when later queries depend on earlier rows. ``compute_units``
# runs the producers side by side and sends each round's queries together, on
# PostgreSQL in one pipeline (one round trip instead of one per query), so a
# unit-month costs a few round trips rather than twenty.

Batch = list[QuerySet[Any]]
Rows = list[list[Any]]
Steps = Generator[Batch, Rows, Any]


def fetch_batch(querysets: Batch) -> Rows:
    """The rows of these ``values_list`` querysets; on PostgreSQL sent in one pipeline."""
    if not querysets:
        return []
    conn = connections[querysets[0].db]
    if conn.vendor != "postgresql" or len(querysets) == 1:
        return [list(qs) for qs in querysets]
    conn.ensure_connection()
    compiled: list[tuple[Any, Any, Any] | None] = []
    for qs in querysets:
        compiler = qs.query.get_compiler(qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            compiled.append(None)
            continue
        compiled.append((compiler, sql, params))
    raw = conn.connection
    cursors: list[Any] = []
    started = time.monotonic()
    with conn.wrap_database_errors, raw.pipeline():
        for item in compiled:
            if item is None:
                cursors.append(None)
                continue
            cursor = raw.cursor()
            cursor.execute(item[1], item[2])
            cursors.append(cursor)
    out: Rows = []
    # Django 5.2 compilers select the columns in the order values_list() names them.
    for item, cursor in zip(compiled, cursors, strict=True):
        if item is None:
            out.append([])
            continue
        compiler = item[0]
        rows = list(compiler.results_iter(results=[cursor.fetchall()], tuple_expected=True))
        cursor.close()
        out.append(rows)
    if conn.queries_logged:
        each = f"{(time.monotonic() - started) / max(len(cursors), 1):.3f}"
        for item in compiled:
            if item is not None:
                conn.queries_log.append({"sql": f"{item[1]} -- pipelined", "time": each})
    return out


def run_steps(steps: Steps) -> Any:
    """Run one generator of query batches on its own and return its result."""
    try:
        batch = next(steps)
        while True:
            batch = steps.send(fetch_batch(batch))
    except StopIteration as done:
        return done.value


def run_together(all_steps: list[Steps]) -> None:
    """Run several generators side by side, one round of queries for all at a time."""
    running: list[tuple[Steps, Batch]] = []
    for steps in all_steps:
        with contextlib.suppress(StopIteration):
            running.append((steps, next(steps)))
    while running:
        rows = fetch_batch([qs for _steps, batch in running for qs in batch])
        following: list[tuple[Steps, Batch]] = []
        i = 0
        for steps, batch in running:
            mine, i = rows[i : i + len(batch)], i + len(batch)
            with contextlib.suppress(StopIteration):
                following.append((steps, steps.send(mine)))
        running = following


# --- Screening history (risk and substance of a client at a moment) -----------------


class ScreeningHistory:
    """Completed screenings of some clients, to ask "risk at the end of month m".

    Only what a window of months needs is read: each client's latest completed
    screening before the window (one ``DISTINCT ON`` query) and the completed
    screenings inside it. The latest screening before any moment inside the
    window is among those, so :meth:`at` answers as if the whole history had
    been read. Substance results are read for those screenings only.
    """

    def __init__(
        self,
        client_ids: Iterable[Any] = (),
        before: dt.datetime | None = None,
        since: dt.datetime | None = None,
        *,
        defer: bool = False,
    ) -> None:
        self.by_client: dict[Any, tuple[list[float], list[tuple[str, tuple[str, ...]]]]] = {}
        if not defer and before is not None:
            run_steps(self.load(client_ids, before, since))

    def load(self, client_ids: Iterable[Any], before: dt.datetime, since: dt.datetime | None = None) -> Steps:
        """Read the history (as query batches, see :func:`run_steps`)."""
        if not producer_available("clients"):
            return
        from pulih.screening.models import Screening, SubstanceResult

        columns = ("id", "client_id", "completed_at", "highest_level")
        batch: Batch = []
        for chunk in _chunks(list(set(client_ids))):
            completed = Screening.objects.filter(client_id__in=chunk, status="completed")
            if since is not None:
                prior = _latest_per(completed.filter(completed_at__lt=since), "client_id", ("-completed_at", "-id"))
                batch.append(prior.values_list(*columns))
                completed = completed.filter(completed_at__gte=since)
            batch.append(completed.filter(completed_at__lt=before).order_by().values_list(*columns))
        rows = [row for part in (yield batch) for row in part]
        rows.sort(key=lambda r: (r[2], str(r[0])))
        substances: dict[Any, list[str]] = defaultdict(list)
        found = yield [
            SubstanceResult.objects.filter(screening_id__in=chunk, involved=True)
            .exclude(class_key="tobacco")
            .order_by("screening_id", "order")
            .values_list("screening_id", "class_key")
            for chunk in _chunks([r[0] for r in rows])
        ]
        for part in found:
            for sid, key in part:
                substances[sid].append(key)
        for sid, client_id, completed_at, level in rows:
            times, values = self.by_client.setdefault(client_id, ([], []))
            times.append(completed_at.timestamp())
            values.append((level or "unscreened", tuple(substances.get(sid, ()))))

    def at(self, client_id: Any, moment: dt.datetime | float) -> tuple[str, tuple[str, ...]]:
        """Risk level and substances of the latest screening completed before ``moment``."""
        entry = self.by_client.get(client_id)
        if entry is None:
            return ("unscreened", ())
        ts = moment if isinstance(moment, float) else moment.timestamp()
        i = bisect_left(entry[0], ts)
        return entry[1][i - 1] if i else ("unscreened", ())


# --- Producers ------------------------------------------------------------------------


def _client_details(client_ids: Iterable[Any]) -> Steps:
    """Unit, sex, birth year and age band of these clients, by primary key (as query batches).

    Read separately rather than joined: a join makes the database read the
    whole client table to find a few hundred clients.
    """
    from pulih.clients.models import Client

    found = yield [
        Client.objects.filter(pk__in=chunk).order_by().values_list("pk", "unit_id", "sex", "birth_year", "age_band")
        for chunk in _chunks(list(client_ids))
    ]
    details: dict[Any, tuple[int | None, str, int | None, str]] = {}
    for part in found:
        for pk, unit, sex, birth_year, band in part:
            details[pk] = (unit, sex, birth_year, band)
    return details


def _client_column(name: str, client: str = "client_id") -> Subquery:
    """A column of the row's client, looked up by primary key.

    Rather than a join, which makes the database read the whole client table
    to find a few hundred clients.
    """
    from pulih.clients.models import Client

    return Subquery(Client.objects.filter(pk=OuterRef(client)).order_by().values(name)[:1])


def _clients(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.clients.models import Episode

    start, end = _window(months)
    users = _unit_users(unit_ids)
    episodes = (
        Episode.objects.filter(opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .filter(_by_unit("opened_by", "client", unit_ids, users) | Q(closed_by_id__in=users[0]))
        .order_by()
    )
    [rows] = yield [
        episodes.annotate(
            c_unit=_client_column("unit_id"),
            c_sex=_client_column("sex"),
            c_birth_year=_client_column("birth_year"),
            c_age_band=_client_column("age_band"),
        )
        .order_by()
        .values_list(
            "client_id",
            "number",
            "opened_at",
            "closed_at",
            "closure_reason",
            "opened_by__unit_id",
            "closed_by__unit_id",
            "c_unit",
            "c_sex",
            "c_birth_year",
            "c_age_band",
        )
    ]
    wanted = set(unit_ids)
    history = ScreeningHistory(defer=True)
    yield from history.load({r[0] for r in rows}, end, since=start)
    clock = MonthClock(months)
    spans = [(m, start_of(m).timestamp(), clock.next_start[m]) for m in months]
    risk_at: dict[tuple[Any, dt.date], tuple[str, tuple[str, ...]]] = {}
    active_seen: set[tuple[int | None, dt.date, Any]] = set()
    tally = Tally()
    for client_id, number, opened_at, closed_at, reason, o_unit, c_unit, cl_unit, sex, by, band in rows:
        unit = o_unit or cl_unit
        close_unit = c_unit or unit
        opened_ts = opened_at.timestamp()
        closed_ts = closed_at.timestamp() if closed_at is not None else None
        opened_month = clock.month(opened_at)
        closed_month = clock.month(closed_at) if closed_at is not None else None
        counted = unit in wanted
        for m, m_start, m_next in spans:
            if opened_ts >= m_next or (closed_ts is not None and closed_ts < m_start):
                continue
            opened_here = opened_month == m
            closed_here = closed_month == m and close_unit in wanted
            first_active = counted and (unit, m, client_id) not in active_seen
            if not (opened_here and counted) and not first_active and not closed_here:
                continue
            risk_subs = risk_at.get((client_id, m))
            if risk_subs is None:
                risk_subs = risk_at[(client_id, m)] = history.at(client_id, m_next)
            risk, subs = risk_subs
            band_m = age_band(by, band, m)
            if counted:
                dims = (("sex", sex), ("age_band", band_m), ("risk", risk), ("substance", subs))
                if opened_here:
                    if number == 1:
                        tally.put(unit, m, "clients_new", dims)
                    else:
                        tally.put(unit, m, "episodes_reopened", (("sex", sex), ("age_band", band_m)))
                if first_active:
                    active_seen.add((unit, m, client_id))
                    tally.put(unit, m, "clients_active", dims)
            if closed_here:
                tally.put(
                    close_unit,
                    m,
                    "episodes_closed",
                    (("reason", reason), ("sex", sex), ("age_band", band_m), ("risk", risk), ("substance", subs)),
                )
    tally.into(acc)


def _screening(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.screening.models import Screening

    ytd_start = dt.date(months[0].year, 1, 1)
    _start, end = _window(months)
    in_window = set(months)
    completed = (
        Screening.objects.filter(status="completed")
        .filter(_by_unit("interviewer", "client", unit_ids))
        .annotate(u=_unit_of("interviewer", "client"), m=TruncMonth("completed_at"))
        .order_by()
    )
    # One pass from January of the first year (for the year to date): per unit, month, client,
    # purpose and risk, with the number of first versions (corrections are not new screenings).
    first_in_year: dict[tuple[int, int, Any], dt.date] = {}
    screened: Counter[tuple[int, dt.date]] = Counter()
    distinct: set[tuple[int, dt.date, Any]] = set()
    local = _MonthCache()
    [rows] = yield [
        completed.filter(completed_at__gte=start_of(ytd_start), completed_at__lt=end)
        .values_list("u", "m", "client_id", "purpose", "highest_level")
        .annotate(n=Count("id", filter=Q(previous__isnull=True)))
    ]
    for unit, m, client_id, purpose, level, n in rows:
        month = local(m)
        key = (unit, month.year, client_id)
        if key not in first_in_year or month < first_in_year[key]:
            first_in_year[key] = month
        if month in in_window:
            add(acc, unit, month, "screenings", {"purpose": purpose, "risk": level or "unscreened"}, n)
            if (unit, month, client_id) not in distinct:
                distinct.add((unit, month, client_id))
                screened[(unit, month)] += 1
    for (unit, month), n in screened.items():
        add(acc, unit, month, "clients_screened", {}, n)
    _ytd(acc, "clients_screened_ytd", first_in_year, months)


def _ytd(
    acc: Acc, indicator: str, first_in_year: dict[tuple[int, int, Any], dt.date], months: Sequence[dt.date]
) -> None:
    per_unit_year: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for (unit, year, _client), first in first_in_year.items():
        per_unit_year[(unit, year)].append(first)
    for (unit, year), firsts in per_unit_year.items():
        firsts.sort()
        for m in months:
            if m.year == year:
                add(acc, unit, m, indicator, {}, bisect_right(firsts, m))


def _sessions(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.clients.models import Session, SessionAttendance

    first, last_day = months[0], month_end(months[-1])
    ytd_start = dt.date(first.year, 1, 1)
    sessions, attendances = yield [
        Session.objects.filter(unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last_day)
        .annotate(m=TruncMonth("held_on"))
        .values_list("unit_id", "m", "kind")
        .annotate(n=Count("id"))
        .order_by(),
        # One pass over the attendances from January: per unit, month, kind and client.
        SessionAttendance.objects.filter(
            session__unit_id__in=unit_ids, session__held_on__gte=ytd_start, session__held_on__lte=last_day
        )
        .annotate(m=TruncMonth("session__held_on"))
        .values_list("session__unit_id", "m", "session__kind", "client_id")
        .annotate(n=Count("id"))
        .order_by(),
    ]
    for unit, m, kind, n in sessions:
        m = month_of(m)
        add(acc, unit, m, "sessions", {"kind": kind}, n)
        if kind == "group":
            add(acc, unit, m, "group_sessions", {}, n)
    in_window = set(months)
    attended: Counter[tuple[int, dt.date, str]] = Counter()
    group_clients: dict[tuple[int, dt.date], set[Any]] = defaultdict(set)
    served: dict[tuple[int, dt.date], set[Any]] = defaultdict(set)
    first_in_year: dict[tuple[int, int, Any], dt.date] = {}
    for unit, m, kind, client_id, n in attendances:
        m = month_of(m)
        key = (unit, m.year, client_id)
        if key not in first_in_year or m < first_in_year[key]:
            first_in_year[key] = m
        if m >= first:  # like the sessions: every month from the first (even between sparse months)
            attended[(unit, m, kind)] += n
            if kind == "group":
                group_clients[(unit, m)].add(client_id)
        if m in in_window:
            served[(unit, m)].add(client_id)
    for (unit, m, kind), n in attended.items():
        add(acc, unit, m, "attendances", {"kind": kind}, n)
        if kind == "group":
            add(acc, unit, m, "group_attendance", {}, n)
            add(acc, unit, m, "group_clients", {}, len(group_clients[(unit, m)]))
    details = yield from _client_details({c for clients in served.values() for c in clients})
    for (unit, m), clients in served.items():
        counted: Counter[tuple[str, str]] = Counter()
        for client_id in clients:
            _unit, sex, by, band = details[client_id]
            counted[(sex, age_band(by, band, m))] += 1
        for (sex, band_m), n in counted.items():
            add(acc, unit, m, "clients_served", {"sex": sex, "age_band": band_m}, n)
    _ytd(acc, "clients_served_ytd", first_in_year, months)


def _care(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.clients.models import MonitoringContact, UrineTest

    first, last_day = months[0], month_end(months[-1])
    tests, contacts = yield [
        UrineTest.objects.filter(tested_on__gte=first, tested_on__lte=last_day)
        .filter(_by_unit("recorded_by", "client", unit_ids))
        .annotate(u=_unit_of("recorded_by", "client"), m=TruncMonth("tested_on"))
        .values_list("u", "m", "result")
        .annotate(n=Count("id"))
        .order_by(),
        MonitoringContact.objects.filter(done_on__gte=first, done_on__lte=last_day)
        .filter(_by_unit("agent", "client", unit_ids))
        .annotate(u=_unit_of("agent", "client"), m=TruncMonth("done_on"))
        .values_list("u", "m")
        .annotate(
            monitored=Count("client_id", distinct=True),
            relapsed=Count("client_id", distinct=True, filter=Q(outcome="relapse")),
        )
        .order_by(),
    ]
    for unit, m, result, n in tests:
        add(acc, unit, month_of(m), "urine_tests", {"result": result}, n)
    for unit, m, monitored, relapsed in contacts:
        add(acc, unit, month_of(m), "clients_monitored", {}, monitored)
        add(acc, unit, month_of(m), "clients_relapsed", {}, relapsed)


OPEN_REFERRAL_STATES = ("sent", "received", "accepted", "in_progress")
ENDED_REFERRAL_STATES = ("completed", "rejected", "cancelled")


def _referrals(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.referrals.models import Referral, ReferralEvent

    start, end = _window(months)
    in_window = set(months)
    clock = MonthClock(months)
    unit_of = _unit_of("referral__created_by", "referral__client")
    sent = Referral.objects.filter(sent_at__isnull=False).filter(_by_unit("created_by", "client", unit_ids))
    # Through the index on (referral, at), not by joining every step to its referral first.
    events = ReferralEvent.objects.filter(referral_id__in=sent.order_by().values("pk"))
    # Referrals still open when the window starts: their latest step before it. Only
    # those sent before it and not completed, rejected or cancelled before it can be:
    # no transition leaves those states (referrals/states.py), and each stamp is the
    # time of its step. A large unit's history is mostly closed referrals.
    maybe_open = (
        sent.filter(sent_at__lt=start)
        .exclude(completed_at__lt=start)
        .exclude(rejected_at__lt=start)
        .exclude(cancelled_at__lt=start)
    )
    before = ReferralEvent.objects.filter(referral_id__in=maybe_open.order_by().values("pk"), at__lt=start)
    latest = _latest_per(before, "referral_id", ("-at", "-id"))
    columns = ("referral_id", "state", "referral__sent_at", "referral__provider__type", "u")
    if connections[latest.db].features.can_distinct_on_fields:
        # Filter the latest steps on their state in a query around the DISTINCT ON.
        prior = (
            ReferralEvent.objects.filter(pk__in=latest.values("pk"), state__in=OPEN_REFERRAL_STATES)
            .annotate(u=unit_of)
            .order_by()
            .values_list(*columns)
        )
    else:
        prior = latest.annotate(u=unit_of).values_list(*columns)
    sent_rows, step_rows, prior_rows = yield [
        # Referrals sent in the window (that have a history before its end).
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .filter(_by_unit("created_by", "client", unit_ids))
        .filter(Exists(ReferralEvent.objects.filter(referral_id=OuterRef("pk"), at__lt=end)))
        .annotate(u=_unit_of("created_by", "client"))
        .order_by()
        .values_list("sent_at", "provider__type", "u"),
        # The steps taken in the window, in order.
        events.filter(at__gte=start, at__lt=end)
        .annotate(u=unit_of)
        .order_by("referral_id", "at", "id")
        .values_list("referral_id", "state", "at", "referral__sent_at", "referral__provider__type", "u"),
        prior,
    ]
    meta: dict[Any, tuple[int, Any, str]] = {}
    for sent_at, dest, unit in sent_rows:
        sent_month = clock.month(sent_at)
        if sent_month in in_window:
            add(acc, unit, sent_month, "referrals_sent", {"destination": dest})
    timeline: dict[Any, list[tuple[float, str]]] = defaultdict(list)
    for ref_id, state, at, sent_at, dest, unit in step_rows:
        meta[ref_id] = (unit, sent_at, dest)
        timeline[ref_id].append((at.timestamp(), state))
        m = clock.month(at)
        if m not in in_window or state == "draft":
            continue
        add(acc, unit, m, "referral_steps", {"state": state, "destination": dest})
        if state in ENDED_REFERRAL_STATES:
            add(acc, unit, m, "referrals_ended", {"state": state})
        if state == "accepted":
            days = max(0, (at - sent_at).days)
            add(acc, unit, m, "acceptance_days", {"days": str(days)})
    open_at_start: dict[Any, str] = {}
    for ref_id, state, sent_at, dest, unit in prior_rows:
        if state in OPEN_REFERRAL_STATES:
            open_at_start[ref_id] = state
            meta.setdefault(ref_id, (unit, sent_at, dest))
    tally = Tally()
    for ref_id, (unit, _sent_at, dest) in meta.items():
        steps = timeline.get(ref_id, [])
        times = [t for t, _state in steps]
        for m in months:
            i = bisect_left(times, clock.next_start[m])
            current = steps[i - 1][1] if i else open_at_start.get(ref_id, "")
            if current in OPEN_REFERRAL_STATES:
                tally.put(unit, m, "referrals_open", (("state", current), ("destination", dest)))
    tally.into(acc)


def _community(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.prevention.models import CommunityActivity, ParticipantCount

    first, last_day = months[0], month_end(months[-1])
    activities, participants = yield [
        CommunityActivity.objects.filter(unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last_day)
        .annotate(m=TruncMonth("held_on"))
        .values_list("unit_id", "m", "kind")
        .annotate(n=Count("id")),
        ParticipantCount.objects.filter(
            activity__unit_id__in=unit_ids, activity__held_on__gte=first, activity__held_on__lte=last_day
        )
        .annotate(m=TruncMonth("activity__held_on"))
        .values_list("activity__unit_id", "m", "sex", "age_band")
        .annotate(n=Sum("count")),
    ]
    for unit, m, kind, n in activities:
        add(acc, unit, month_of(m), "community_activities", {"activity": kind}, n)
    for unit, m, sex, band, n in participants:
        add(acc, unit, month_of(m), "activity_participants", {"p_sex": sex, "p_age_band": band}, int(n or 0))


def _units(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.organisations.models import Unit
    from pulih.units.models import Membership, Participant, UnitStatusChange

    status_changes, unit_rows, members = yield [
        UnitStatusChange.objects.filter(unit_id__in=unit_ids)
        .values_list("unit_id", "changed_on", "from_status", "to_status")
        .order_by("changed_on", "id"),
        Unit.objects.filter(pk__in=unit_ids).values_list("pk", "status", "created_at"),
        Membership.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "agent_id", "agent__sex", "active_from", "active_to"
        ),
    ]
    history: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for unit, changed_on, from_status, to_status in status_changes:
        history[unit].append((changed_on, from_status or "", to_status))
    for unit, status, created_at in unit_rows:
        created = timezone.localtime(created_at).date()
        for m in months:
            last = month_end(m)
            if created > last:
                continue
            changes = history.get(unit, [])
            at_end = status
            if changes:
                before = [c for c in changes if c[0] <= last]
                at_end = before[-1][2] if before else (changes[0][1] or status)
            add(acc, unit, m, "units", {"status": at_end})
    completed: dict[int, list[dt.date]] = defaultdict(list)
    agent_ids = list({row[1] for row in members})
    found = yield [
        Participant.objects.filter(agent_id__in=chunk, event__kind="bimtek")
        .annotate(present=Count("attendance"))
        .values_list("agent_id", "event__starts_on", "event__ends_on", "present")
        for chunk in _chunks(agent_ids)
    ]
    for part in found:
        for agent_id, starts, ends, present in part:
            if agent_id is not None and present >= (ends - starts).days + 1:
                completed[agent_id].append(ends)
    for m in months:
        last = month_end(m)
        seen: set[tuple[int, int]] = set()
        for unit, agent_id, sex, active_from, active_to in members:
            if active_from > last or (active_to is not None and active_to < last) or (unit, agent_id) in seen:
                continue
            seen.add((unit, agent_id))
            add(acc, unit, m, "agents_active", {"sex": sex})
            if any(e <= last for e in completed.get(agent_id, ())):
                add(acc, unit, m, "agents_trained", {"sex": sex})


def _targets(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> Steps:
    from pulih.units.models import WorkPlan

    januaries = {m for m in months if m.month == 1}
    if not januaries:
        return
    fields = [
        "clients_screened",
        "clients_served",
        "referrals",
        "community_activities",
        "participants_reached",
    ]
    [plans] = yield [
        WorkPlan.objects.filter(unit_id__in=unit_ids, year__in=[m.year for m in januaries]).values_list(
            "unit_id", "year", *fields
        )
    ]
    for unit, year, *targets in plans:
        m = dt.date(year, 1, 1)
        for f, value in zip(fields, targets, strict=True):
            n = int(value or 0)
            if n:
                acc[(unit, m, "workplan_targets", "target", f)] += n


UNIT_PRODUCERS: dict[str, Callable[[Sequence[int], Sequence[dt.date], Acc], Steps]] = {
    "units": _units,
    "clients": _clients,
    "screening": _screening,
    "sessions": _sessions,
    "care": _care,
    "referrals": _referrals,
    "community": _community,
    "targets": _targets,
}


def compute_units(unit_ids: Sequence[int], months: Sequence[dt.date]) -> Acc:
    """Every unit-level count for these units and months (zeros are left out)."""
    acc: Acc = Counter()
    if not unit_ids or not months:
        return acc
    months = sorted(set(months))
    ids = UnitIds(unit_ids)
    run_together(
        [producer(ids, months, acc) for name, producer in UNIT_PRODUCERS.items() if producer_available(name)]
    )
    return acc


# --- Village level (no unit): IKRN, Desa Bersinar, activities where no unit works ---------

# (regency code, month, indicator, dim, member) -> value
VKey = tuple[str, dt.date, str, str, str]


def _vadd(
    acc: Counter[VKey], regency: str, month: dt.date, indicator: str, dims: dict[str, str], n: int = 1
) -> None:
    if not n:
        return
    acc[(regency, month, indicator, "", "")] += n
    for dim, member in dims.items():
        acc[(regency, month, indicator, dim, member)] += n


def compute_villages(months: Sequence[dt.date], regencies: Iterable[str] | None = None) -> Counter[VKey]:
    acc: Counter[VKey] = Counter()
    months = sorted(set(months))
    if not months:
        return acc
    regency_list = sorted(set(regencies)) if regencies is not None else None
    if producer_available("villages"):
        from pulih.mapping.models import BersinarVillage, IkrnAssessment
        from pulih.organisations.models import Unit

        assessments = IkrnAssessment.objects.filter(year__lte=months[-1].year)
        bersinar = BersinarVillage.objects.all()
        units = Unit.objects.exclude(status="inactive")
        if regency_list is not None:
            assessments = assessments.filter(village__regency_id__in=regency_list)
            bersinar = bersinar.filter(village__regency_id__in=regency_list)
            units = units.filter(village__regency_id__in=regency_list)
        by_village: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for village, regency, year, category in assessments.values_list(
            "village_id", "village__regency_id", "year", "category"
        ).order_by("year"):
            by_village[village].append((year, regency, category or "unclassified"))
        unit_since: dict[str, dt.date] = {}
        for village, created_at in units.values_list("village_id", "created_at"):
            created = timezone.localtime(created_at).date()
            unit_since[village] = min(created, unit_since.get(village, created))
        bersinar_rows = list(bersinar.values_list("village__regency_id", "status", "created_at"))
        for m in months:
            last = month_end(m)
            for village, entries in by_village.items():
                current = [e for e in entries if e[0] <= m.year]
                if not current:
                    continue
                _year, regency, category = current[-1]
                has_unit = village in unit_since and unit_since[village] <= last
                _vadd(
                    acc,
                    regency,
                    m,
                    "villages_ikrn",
                    {"category": category, ("with_unit" if has_unit else "without_unit"): category},
                )
            for regency, status, created_at in bersinar_rows:
                if timezone.localtime(created_at).date() <= last:
                    _vadd(acc, regency, m, "villages_bersinar", {"bersinar": status})
    if producer_available("community"):
        from pulih.prevention.models import CommunityActivity, ParticipantCount

        first, last_day = months[0], month_end(months[-1])
        acts = CommunityActivity.objects.filter(unit__isnull=True, held_on__gte=first, held_on__lte=last_day)
        parts = ParticipantCount.objects.filter(
            activity__unit__isnull=True, activity__held_on__gte=first, activity__held_on__lte=last_day
        )
        if regency_list is not None:
            acts = acts.filter(village__regency_id__in=regency_list)
            parts = parts.filter(activity__village__regency_id__in=regency_list)
        for regency, m, kind, n in (
            acts.annotate(m=TruncMonth("held_on"))
            .values_list("village__regency_id", "m", "kind")
            .annotate(n=Count("id"))
        ):
            _vadd(acc, regency, month_of(m), "community_activities", {"activity": kind}, n)
        for regency, m, sex, band, n in (
            parts.annotate(m=TruncMonth("activity__held_on"))
            .values_list("activity__village__regency_id", "m", "sex", "age_band")
            .annotate(n=Sum("count"))
        ):
            _vadd(
                acc,
                regency,
                month_of(m),
                "activity_participants",
                {"p_sex": sex, "p_age_band": band},
                int(n or 0),
            )
    return acc
