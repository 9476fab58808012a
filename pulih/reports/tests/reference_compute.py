"""Reference oracle for the consistency test: the straightforward implementation of
:func:`pulih.reports.compute.compute_units` as it was before the producers were
windowed (issue #8).

It reads every client's whole screening history and every referral's whole
event history and does the counting in Python, which makes it slow but easy to
check by reading. ``test_compute_consistency.py`` asserts that the optimised
``compute_units`` returns exactly the same counter on generated data. Do not
optimise this module: its only job is to be obviously right.

Original notes:

Attribution: a record counts for the unit of the user who recorded it (the
agent who opened or closed the episode, interviewed, referred, tested or
visited). Records made by a user without a unit fall back to the client's
current unit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from pulih.reports.catalogue import INDICATORS
from pulih.reports.months import add_months, month_end, month_of, start_of

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


# --- Screening history (risk and substance of a client at a moment) -----------------


class ScreeningHistory:
    """Completed screenings of some clients, to ask "risk at the end of month m"."""

    def __init__(self, client_ids: Iterable[Any], before: dt.datetime) -> None:
        self.by_client: dict[Any, list[tuple[dt.datetime, str, tuple[str, ...]]]] = defaultdict(list)
        if not producer_available("clients"):
            return
        from pulih.screening.models import Screening, SubstanceResult

        ids = list(set(client_ids))
        rows: list[Any] = []
        for chunk in _chunks(ids):
            rows += list(
                Screening.objects.filter(client_id__in=chunk, status="completed", completed_at__lt=before)
                .values_list("id", "client_id", "completed_at", "highest_level")
                .order_by("completed_at")
            )
        substances: dict[Any, list[str]] = defaultdict(list)
        screening_ids = [r[0] for r in rows]
        for chunk in _chunks(screening_ids):
            for sid, key in SubstanceResult.objects.filter(screening_id__in=chunk, involved=True).values_list(
                "screening_id", "class_key"
            ):
                if key != "tobacco":
                    substances[sid].append(key)
        for sid, client_id, completed_at, level in rows:
            self.by_client[client_id].append((completed_at, level or "unscreened", tuple(substances[sid])))

    def at(self, client_id: Any, moment: dt.datetime) -> tuple[str, tuple[str, ...]]:
        latest: tuple[str, tuple[str, ...]] = ("unscreened", ())
        for completed_at, level, subs in self.by_client.get(client_id, ()):
            if completed_at < moment:
                latest = (level, subs)
            else:
                break
        return latest


# --- Producers ------------------------------------------------------------------------


def _clients(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.clients.models import Episode

    start, end = _window(months)
    rows = list(
        Episode.objects.filter(opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .filter(
            Q(opened_by__unit_id__in=unit_ids)
            | Q(closed_by__unit_id__in=unit_ids)
            | Q(opened_by__unit__isnull=True, client__unit_id__in=unit_ids)
        )
        .values_list(
            "client_id",
            "number",
            "opened_at",
            "closed_at",
            "closure_reason",
            "opened_by__unit_id",
            "closed_by__unit_id",
            "client__unit_id",
            "client__sex",
            "client__birth_year",
            "client__age_band",
        )
    )
    wanted = set(unit_ids)
    history = ScreeningHistory((r[0] for r in rows), end)
    active_seen: set[tuple[int, dt.date, Any]] = set()
    for client_id, number, opened_at, closed_at, reason, o_unit, c_unit, cl_unit, sex, by, band in rows:
        unit = o_unit or cl_unit
        close_unit = c_unit or unit
        opened_month = _local_month(opened_at)
        closed_month = _local_month(closed_at) if closed_at else None
        for m in months:
            m_start, m_next = start_of(m), start_of(add_months(m, 1))
            if opened_at >= m_next or (closed_at is not None and closed_at < m_start):
                continue
            risk, subs = history.at(client_id, m_next)
            dims: dict[str, Any] = {
                "sex": sex,
                "age_band": age_band(by, band, m),
                "risk": risk,
                "substance": subs,
            }
            if unit in wanted:
                if opened_month == m:
                    if number == 1:
                        add(acc, unit, m, "clients_new", dims)
                    else:
                        add(acc, unit, m, "episodes_reopened", {"sex": sex, "age_band": dims["age_band"]})
                if (unit, m, client_id) not in active_seen:
                    active_seen.add((unit, m, client_id))
                    add(acc, unit, m, "clients_active", dims)
            if closed_month == m and close_unit in wanted:
                add(
                    acc,
                    close_unit,
                    m,
                    "episodes_closed",
                    {"reason": reason, "sex": sex, "age_band": dims["age_band"], "risk": risk, "substance": subs},
                )


def _screening(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.screening.models import Screening

    ytd_start = dt.date(months[0].year, 1, 1)
    start, end = start_of(ytd_start), _window(months)[1]
    rows = (
        Screening.objects.filter(status="completed", completed_at__gte=start, completed_at__lt=end)
        .filter(
            Q(interviewer__unit_id__in=unit_ids)
            | Q(interviewer__unit__isnull=True, client__unit_id__in=unit_ids)
        )
        .values_list(
            "client_id",
            "completed_at",
            "highest_level",
            "purpose",
            "previous_id",
            "interviewer__unit_id",
            "client__unit_id",
        )
    )
    in_window = set(months)
    distinct: set[tuple[int, dt.date, Any]] = set()
    first_in_year: dict[tuple[int, int, Any], dt.date] = {}
    for client_id, completed_at, level, purpose, previous_id, i_unit, c_unit in rows:
        unit = i_unit or c_unit
        m = _local_month(completed_at)  # type: ignore[arg-type]  # completed screenings have it
        key = (unit, m.year, client_id)
        if key not in first_in_year or m < first_in_year[key]:
            first_in_year[key] = m
        if m not in in_window:
            continue
        if previous_id is None:
            add(acc, unit, m, "screenings", {"purpose": purpose, "risk": level or "unscreened"})
        if (unit, m, client_id) not in distinct:
            distinct.add((unit, m, client_id))
            add(acc, unit, m, "clients_screened", {})
    _ytd(acc, "clients_screened_ytd", first_in_year, months)


def _ytd(
    acc: Acc, indicator: str, first_in_year: dict[tuple[int, int, Any], dt.date], months: Sequence[dt.date]
) -> None:
    per_unit_year: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for (unit, year, _client), first in first_in_year.items():
        per_unit_year[(unit, year)].append(first)
    for (unit, year), firsts in per_unit_year.items():
        for m in months:
            if m.year == year:
                add(acc, unit, m, indicator, {}, sum(1 for f in firsts if f <= m))


def _sessions(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.clients.models import Session, SessionAttendance

    first, last_day = months[0], month_end(months[-1])
    for unit, m, kind, n in (
        Session.objects.filter(unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last_day)
        .annotate(m=TruncMonth("held_on"))
        .values_list("unit_id", "m", "kind")
        .annotate(n=Count("id"))
    ):
        m = month_of(m)
        add(acc, unit, m, "sessions", {"kind": kind}, n)
        if kind == "group":
            add(acc, unit, m, "group_sessions", {}, n)
    for unit, m, kind, n, clients in (
        SessionAttendance.objects.filter(
            session__unit_id__in=unit_ids, session__held_on__gte=first, session__held_on__lte=last_day
        )
        .annotate(m=TruncMonth("session__held_on"))
        .values_list("session__unit_id", "m", "session__kind")
        .annotate(n=Count("id"), clients=Count("client_id", distinct=True))
    ):
        m = month_of(m)
        add(acc, unit, m, "attendances", {"kind": kind}, n)
        if kind == "group":
            add(acc, unit, m, "group_attendance", {}, n)
            add(acc, unit, m, "group_clients", {}, clients)
    ytd_start = dt.date(first.year, 1, 1)
    in_window = set(months)
    first_in_year: dict[tuple[int, int, Any], dt.date] = {}
    for unit, m, client_id, sex, by, band in (
        SessionAttendance.objects.filter(
            session__unit_id__in=unit_ids, session__held_on__gte=ytd_start, session__held_on__lte=last_day
        )
        .annotate(m=TruncMonth("session__held_on"))
        .values_list(
            "session__unit_id", "m", "client_id", "client__sex", "client__birth_year", "client__age_band"
        )
        .distinct()
    ):
        m = month_of(m)
        key = (unit, m.year, client_id)
        if key not in first_in_year or m < first_in_year[key]:
            first_in_year[key] = m
        if m in in_window:
            add(acc, unit, m, "clients_served", {"sex": sex, "age_band": age_band(by, band, m)})
    _ytd(acc, "clients_served_ytd", first_in_year, months)


def _care(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.clients.models import MonitoringContact, UrineTest

    first, last_day = months[0], month_end(months[-1])
    for unit, c_unit, m, result, n in (
        UrineTest.objects.filter(tested_on__gte=first, tested_on__lte=last_day)
        .filter(
            Q(recorded_by__unit_id__in=unit_ids)
            | Q(recorded_by__unit__isnull=True, client__unit_id__in=unit_ids)
        )
        .annotate(m=TruncMonth("tested_on"))
        .values_list("recorded_by__unit_id", "client__unit_id", "m", "result")
        .annotate(n=Count("id"))
    ):
        add(acc, unit or c_unit, month_of(m), "urine_tests", {"result": result}, n)
    seen: set[tuple[str, int, dt.date, Any]] = set()
    for unit, c_unit, m, client_id, outcome in (
        MonitoringContact.objects.filter(done_on__gte=first, done_on__lte=last_day)
        .filter(Q(agent__unit_id__in=unit_ids) | Q(agent__unit__isnull=True, client__unit_id__in=unit_ids))
        .annotate(m=TruncMonth("done_on"))
        .values_list("agent__unit_id", "client__unit_id", "m", "client_id", "outcome")
        .distinct()
    ):
        u, mm = unit or c_unit, month_of(m)
        if ("mon", u, mm, client_id) not in seen:
            seen.add(("mon", u, mm, client_id))
            add(acc, u, mm, "clients_monitored", {})
        if outcome == "relapse" and ("rel", u, mm, client_id) not in seen:
            seen.add(("rel", u, mm, client_id))
            add(acc, u, mm, "clients_relapsed", {})


OPEN_REFERRAL_STATES = ("sent", "received", "accepted", "in_progress")
ENDED_REFERRAL_STATES = ("completed", "rejected", "cancelled")


def _referrals(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.referrals.models import ReferralEvent

    _start, end = _window(months)
    in_window = set(months)
    events: dict[Any, list[tuple[dt.datetime, str]]] = defaultdict(list)
    meta: dict[Any, tuple[int, dt.datetime, str]] = {}
    for ref_id, state, at, sent_at, dest, r_unit, c_unit in (
        ReferralEvent.objects.filter(at__lt=end, referral__sent_at__isnull=False)
        .filter(
            Q(referral__created_by__unit_id__in=unit_ids)
            | Q(referral__created_by__unit__isnull=True, referral__client__unit_id__in=unit_ids)
        )
        .values_list(
            "referral_id",
            "state",
            "at",
            "referral__sent_at",
            "referral__provider__type",
            "referral__created_by__unit_id",
            "referral__client__unit_id",
        )
        .order_by("referral_id", "at", "id")
    ):
        events[ref_id].append((at, state))
        meta[ref_id] = (r_unit or c_unit, sent_at, dest)  # type: ignore[assignment]  # sent: has sent_at
    for ref_id, evs in events.items():
        unit, sent_at, dest = meta[ref_id]
        sent_month = _local_month(sent_at)
        if sent_month in in_window:
            add(acc, unit, sent_month, "referrals_sent", {"destination": dest})
        for at, state in evs:
            m = _local_month(at)
            if m not in in_window or state == "draft":
                continue
            add(acc, unit, m, "referral_steps", {"state": state, "destination": dest})
            if state in ENDED_REFERRAL_STATES:
                add(acc, unit, m, "referrals_ended", {"state": state})
            if state == "accepted":
                days = max(0, (at - sent_at).days)
                add(acc, unit, m, "acceptance_days", {"days": str(days)})
        for m in months:
            boundary = start_of(add_months(m, 1))
            current = ""
            for at, state in evs:
                if at < boundary:
                    current = state
            if current in OPEN_REFERRAL_STATES:
                add(acc, unit, m, "referrals_open", {"state": current, "destination": dest})


def _community(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.prevention.models import CommunityActivity, ParticipantCount

    first, last_day = months[0], month_end(months[-1])
    for unit, m, kind, n in (
        CommunityActivity.objects.filter(unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last_day)
        .annotate(m=TruncMonth("held_on"))
        .values_list("unit_id", "m", "kind")
        .annotate(n=Count("id"))
    ):
        add(acc, unit, month_of(m), "community_activities", {"activity": kind}, n)
    for unit, m, sex, band, n in (
        ParticipantCount.objects.filter(
            activity__unit_id__in=unit_ids, activity__held_on__gte=first, activity__held_on__lte=last_day
        )
        .annotate(m=TruncMonth("activity__held_on"))
        .values_list("activity__unit_id", "m", "sex", "age_band")
        .annotate(n=Sum("count"))
    ):
        add(acc, unit, month_of(m), "activity_participants", {"p_sex": sex, "p_age_band": band}, int(n or 0))


def _units(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
    from pulih.organisations.models import Unit
    from pulih.units.models import Membership, Participant, UnitStatusChange

    history: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for unit, changed_on, from_status, to_status in (
        UnitStatusChange.objects.filter(unit_id__in=unit_ids)
        .values_list("unit_id", "changed_on", "from_status", "to_status")
        .order_by("changed_on", "id")
    ):
        history[unit].append((changed_on, from_status or "", to_status))
    for unit, status, created_at in Unit.objects.filter(pk__in=unit_ids).values_list(
        "pk", "status", "created_at"
    ):
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
    members = list(
        Membership.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "agent_id", "agent__sex", "active_from", "active_to"
        )
    )
    completed: dict[int, list[dt.date]] = defaultdict(list)
    agent_ids = list({row[1] for row in members})
    for chunk in _chunks(agent_ids):
        for agent_id, starts, ends, present in (
            Participant.objects.filter(agent_id__in=chunk, event__kind="bimtek")
            .annotate(present=Count("attendance"))
            .values_list("agent_id", "event__starts_on", "event__ends_on", "present")
        ):
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


def _targets(unit_ids: Sequence[int], months: Sequence[dt.date], acc: Acc) -> None:
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
    for plan in WorkPlan.objects.filter(unit_id__in=unit_ids, year__in=[m.year for m in januaries]).values(
        "unit_id", "year", *fields
    ):
        m = dt.date(plan["year"], 1, 1)
        for f in fields:
            n = int(plan[f] or 0)
            if n:
                acc[(plan["unit_id"], m, "workplan_targets", "target", f)] += n


UNIT_PRODUCERS: dict[str, Callable[[Sequence[int], Sequence[dt.date], Acc], None]] = {
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
    for name, producer in UNIT_PRODUCERS.items():
        if producer_available(name):
            producer(list(unit_ids), months, acc)
    return acc
