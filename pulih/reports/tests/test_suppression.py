"""Small-count suppression: primary, complementary and the totals attack (property tests)."""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import given, settings
from hypothesis import strategies as st

from pulih.reports.suppression import HIDDEN, SMALL, Group, recoverable, shown_rate, suppress

counts = st.integers(min_value=0, max_value=40)


def one_way(cells: list[int]) -> tuple[dict[Hashable, int], list[Group]]:
    values: dict[Hashable, int] = {f"c{i}": v for i, v in enumerate(cells)}
    values["total"] = sum(cells)
    return values, [Group(tuple(f"c{i}" for i in range(len(cells))), "total")]


def two_way(rows: list[list[int]]) -> tuple[dict[Hashable, int], list[Group]]:
    """A table with row totals, column totals and a grand total, as in a breakdown by sex × age."""
    n_cols = len(rows[0])
    values: dict[Hashable, int] = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            values[(f"r{r}", f"c{c}")] = v
        values[(f"r{r}", "T")] = sum(row)
    for c in range(n_cols):
        values[("T", f"c{c}")] = sum(row[c] for row in rows)
    values[("T", "T")] = sum(sum(row) for row in rows)
    groups = [
        Group(tuple((f"r{r}", f"c{c}") for c in range(n_cols)), (f"r{r}", "T")) for r in range(len(rows))
    ]
    groups += [
        Group(tuple((f"r{r}", f"c{c}") for r in range(len(rows))), ("T", f"c{c}")) for c in range(n_cols)
    ]
    groups.append(Group(tuple(("T", f"c{c}") for c in range(n_cols)), ("T", "T")))
    groups.append(Group(tuple((f"r{r}", "T") for r in range(len(rows))), ("T", "T")))
    return values, groups


def test_it_shows_one_to_four_as_less_than_five_and_keeps_zero_and_five() -> None:
    data: dict[Hashable, int] = {"a": 0, "b": 1, "c": 4, "d": 5, "e": 120}
    shown = suppress(data)
    assert [shown[k].text for k in "abcde"] == ["0", SMALL, SMALL, "5", "120"]


def test_the_totals_attack_on_a_breakdown_by_sex_fails() -> None:
    # Men 3, women 12, total 15: hiding only "3" would let anyone compute 15 − 12.
    values, groups = one_way([3, 12])
    shown = suppress(values, groups)
    assert shown["c0"].text == SMALL
    assert shown["c1"].text == HIDDEN  # the complementary cell
    assert shown["total"].text == "15"


def test_it_hides_the_next_smallest_cell_not_a_larger_one() -> None:
    values, groups = one_way([2, 40, 9, 30])
    shown = suppress(values, groups)
    assert shown["c0"].hidden and shown["c2"].hidden
    assert not shown["c1"].hidden and not shown["c3"].hidden


def test_with_a_single_member_it_hides_the_total() -> None:
    values, groups = one_way([3])
    shown = suppress(values, groups)
    assert shown["total"].hidden  # the total equals the small count itself


def test_a_bridge_between_two_hidden_blocks_is_caught_by_the_linear_check() -> None:
    # Each row and column has two hidden cells after the pair rule, yet the
    # linear system may still pin a cell down; the result must never expose one.
    rows = [[1, 9, 0, 0], [9, 1, 0, 0], [0, 7, 2, 8], [0, 0, 8, 2]]
    values, groups = two_way(rows)
    shown = suppress(values, groups)
    hidden = {k for k, s in shown.items() if s.hidden}
    primary = {k for k, s in shown.items() if s.primary}
    assert not (recoverable(values, groups, hidden) & primary)


def test_rates_are_hidden_when_a_part_is_small() -> None:
    assert shown_rate(2, 10, suppressed=True) == SMALL
    assert shown_rate(2, 10, suppressed=False) == "20%"
    assert shown_rate(6, 12, suppressed=True) == "50%"


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_property_one_way_no_small_count_is_visible_or_recoverable(cells: list[int]) -> None:
    values, groups = one_way(cells)
    shown = suppress(values, groups)
    for key, s in shown.items():
        assert s.value == values[key]
        assert not (not s.hidden and 0 < s.value < 5), "a count of 1–4 is visible"
    hidden = {k for k, s in shown.items() if s.hidden}
    # The totals attack: total minus every visible member.
    group = groups[0]
    if group.total not in hidden:
        hidden_members = [k for k in group.members if k in hidden]
        assert len(hidden_members) != 1, "a single hidden member can be recovered from the total"
    primary = {k for k, s in shown.items() if s.primary}
    assert not (recoverable(values, groups, hidden) & primary)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n_cols: st.lists(st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=4)
    )
)
def test_property_two_way_tables_resist_the_totals_attack(rows: list[list[int]]) -> None:
    values, groups = two_way(rows)
    shown = suppress(values, groups)
    hidden = {k for k, s in shown.items() if s.hidden}
    primary = {k for k, s in shown.items() if s.primary}
    for s in shown.values():
        assert not (not s.hidden and 0 < s.value < 5)
    for g in groups:
        assert sum(1 for c in g.cells if c in hidden) != 1, f"group {g} has a single hidden cell"
    # No linear combination of the visible cells and totals yields a primary cell.
    assert not (recoverable(values, groups, hidden) & primary)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), counts, max_size=10))
def test_property_without_groups_only_small_counts_are_hidden(values: dict[str, int]) -> None:
    shown = suppress(dict(values.items()))
    for key, v in values.items():
        assert shown[key].hidden == (0 < v < 5)
