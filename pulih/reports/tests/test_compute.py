"""Indicator values against a hand-computed month (see conftest.build_month)."""

from __future__ import annotations

from pulih.reports.catalogue import INDICATORS, check_catalogue
from pulih.reports.compute import compute_units, unavailable_indicators
from pulih.reports.tests.conftest import Month, fact
from pulih.testing.world import World


def test_the_catalogue_is_consistent() -> None:
    assert check_catalogue() == []
    keys = {i.key for i in INDICATORS}
    for required in (
        "units",
        "agents_active",
        "agents_trained",
        "clients_new",
        "clients_active",
        "episodes_closed",
        "screenings",
        "sessions",
        "group_sessions",
        "group_attendance",
        "referrals_sent",
        "referral_steps",
        "referral_completion_rate",
        "median_days_to_acceptance",
        "completion_rate",
        "dropout_rate",
        "relapse_rate",
        "community_activities",
        "activity_participants",
        "villages_ikrn",
        "villages_bersinar",
        "workplan_targets",
    ):
        assert required in keys


def test_every_source_model_exists() -> None:
    assert unavailable_indicators() == {}


def test_group_attendance_is_counted_per_client(world: World, month_of_work: Month) -> None:
    m, kayu = month_of_work.month, world.unit_kayu_aro
    acc = compute_units([kayu.pk], [m])
    assert fact(acc, kayu, m, "sessions") == 3
    assert fact(acc, kayu, m, "sessions", "kind", "group") == 2
    assert fact(acc, kayu, m, "sessions", "kind", "individual") == 1
    assert fact(acc, kayu, m, "group_sessions") == 2
    # 3 clients at the first group session + 2 at the second.
    assert fact(acc, kayu, m, "group_attendance") == 5
    assert fact(acc, kayu, m, "attendances") == 6
    assert fact(acc, kayu, m, "attendances", "kind", "group") == 5
    assert fact(acc, kayu, m, "group_clients") == 3
    assert fact(acc, kayu, m, "clients_served") == 3
    assert fact(acc, kayu, m, "clients_served", "sex", "f") == 1


def test_a_reopened_episode_is_one_active_client_and_one_reopening(
    world: World, month_of_work: Month
) -> None:
    m, kayu = month_of_work.month, world.unit_kayu_aro
    acc = compute_units([kayu.pk], [m])
    assert fact(acc, kayu, m, "clients_new") == 4
    assert fact(acc, kayu, m, "clients_new", "sex", "m") == 3
    assert fact(acc, kayu, m, "clients_new", "sex", "f") == 1
    assert fact(acc, kayu, m, "clients_new", "risk", "unscreened") == 4
    assert fact(acc, kayu, m, "episodes_reopened") == 1  # c3's second episode
    # c3 had two episodes this month but is one active client.
    assert fact(acc, kayu, m, "clients_active") == 4
    assert fact(acc, kayu, m, "episodes_closed") == 2
    assert fact(acc, kayu, m, "episodes_closed", "reason", "dropped_out") == 1
    assert fact(acc, kayu, m, "episodes_closed", "reason", "moved") == 1


def test_a_client_who_moves_keeps_the_old_units_history(world: World, month_of_work: Month) -> None:
    m, kayu, mesu = month_of_work.month, world.unit_kayu_aro, world.unit_air_mesu
    acc = compute_units([kayu.pk, mesu.pk], [m])
    # The old unit keeps the registration and the closure "moved".
    assert fact(acc, kayu, m, "clients_new") == 4
    assert fact(acc, kayu, m, "episodes_closed", "reason", "moved") == 1
    # The new unit counts a re-entry (not a new client), the active client and its session.
    assert fact(acc, mesu, m, "clients_new") == 0
    assert fact(acc, mesu, m, "episodes_reopened") == 1
    assert fact(acc, mesu, m, "clients_active") == 1
    assert fact(acc, mesu, m, "sessions") == 1
    assert fact(acc, mesu, m, "clients_served") == 1
    assert fact(acc, mesu, m, "episodes_closed") == 0
    # Computing one unit alone gives the same figures as computing both.
    alone = compute_units([mesu.pk], [m])
    assert fact(alone, mesu, m, "clients_active") == 1
    assert fact(alone, kayu, m, "clients_new") == 0


def test_units_are_counted_by_status_at_the_end_of_the_month(world: World, month_of_work: Month) -> None:
    m, kayu = month_of_work.month, world.unit_kayu_aro
    acc = compute_units([kayu.pk, world.unit_air_mesu.pk], [m])
    assert fact(acc, kayu, m, "units") == 1
    assert fact(acc, kayu, m, "units", "status", "active") == 1
