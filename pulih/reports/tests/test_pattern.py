"""One suppression pattern over the whole hierarchy, checked by an exact integer solver.

The solver plays the reader of every page at once: it knows every visible
cell of every level (nation, provinces, regencies, units, breakdowns), that
"<5" is 1–4 and that "×" is at least 5 (zeros are never hidden), and that
every parent is the sum of its children and every total the sum of its
members. For each hidden small count it searches, exactly over the integers,
for a second value consistent with all of that. The pattern passes only if
one exists for every hidden small count.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulih.reports.pattern import enclosed, hierarchy_groups, protect
from pulih.reports.suppression import Group

# --- The exact solver (independent of the production code) ------------------------------------


class Budget(Exception):
    pass


def _feasible(
    eqs: Sequence[tuple[list[tuple[Hashable, int]], int]],
    lo: dict[Hashable, int],
    hi: dict[Hashable, int],
    nodes: list[int],
) -> bool:
    """Is there an integer point in the box [lo, hi] satisfying every equation? (branch and prune)"""
    nodes[0] += 1
    if nodes[0] > 200_000:
        raise Budget
    lo, hi = dict(lo), dict(hi)
    changed = True
    while changed:
        changed = False
        for terms, rhs in eqs:
            smin = sum(lo[c] if s > 0 else -hi[c] for c, s in terms)
            smax = sum(hi[c] if s > 0 else -lo[c] for c, s in terms)
            if smin > rhs or smax < rhs:
                return False
            for c, s in terms:
                rest_min = smin - (lo[c] if s > 0 else -hi[c])
                rest_max = smax - (hi[c] if s > 0 else -lo[c])
                a, b = rhs - rest_max, rhs - rest_min
                nlo, nhi = (a, b) if s > 0 else (-b, -a)
                if nlo > lo[c] or nhi < hi[c]:
                    lo[c], hi[c] = max(lo[c], nlo), min(hi[c], nhi)
                    if lo[c] > hi[c]:
                        return False
                    changed = True
                    smin = sum(lo[k] if t > 0 else -hi[k] for k, t in terms)
                    smax = sum(hi[k] if t > 0 else -lo[k] for k, t in terms)
    free = [c for c in lo if lo[c] < hi[c]]
    if not free:
        return all(sum(s * lo[c] for c, s in terms) == rhs for terms, rhs in eqs)
    c = min(free, key=lambda k: (hi[k] - lo[k], str(k)))
    mid = (lo[c] + hi[c]) // 2
    return _feasible(eqs, lo, {**hi, c: mid}, nodes) or _feasible(eqs, {**lo, c: mid + 1}, hi, nodes)


def recoverable_cells(values: Mapping[Any, int], groups: Sequence[Group], hidden: set[Any]) -> set[Any]:
    """Hidden cells of 1–4 that have a single value consistent with everything visible."""
    total = sum(values.values())
    lo = {c: (1 if values[c] < 5 else 5) for c in hidden}
    hi = {c: (4 if values[c] < 5 else 2 * total + 10) for c in hidden}
    eqs = []
    for g in groups:
        terms = [(m, 1) for m in g.members if m in hidden]
        rhs = -sum(values.get(m, 0) for m in g.members if m not in hidden)
        if g.total in hidden:
            terms.append((g.total, -1))
        else:
            rhs += values.get(g.total, 0)
        if terms:
            eqs.append((terms, rhs))
        else:
            assert rhs == 0
    out = set()
    nodes = [0]
    for c in hidden:
        v = values[c]
        if v >= 5:
            continue
        below = v > lo[c] and _feasible(eqs, lo, {**hi, c: v - 1}, nodes)
        above = v < hi[c] and _feasible(eqs, {**lo, c: v + 1}, hi, nodes)
        if not (below or above):
            out.add(c)
    return out


# --- Random hierarchies ----------------------------------------------------------------------

small_counts = st.integers(min_value=0, max_value=9)


@st.composite
def hierarchies(draw: st.DrawFn) -> tuple[dict, dict, list[str]]:
    """Nation → provinces → regencies → units (+ a village-level rest), broken down by one dimension."""
    members = [f"m{i}" for i in range(draw(st.integers(min_value=0, max_value=3)))]
    parent: dict[Hashable, Hashable | None] = {"N": None}
    leaves: list[Hashable] = []
    for p in range(draw(st.integers(min_value=1, max_value=3))):
        parent[("P", p)] = "N"
        for r in range(draw(st.integers(min_value=1, max_value=3))):
            parent[("R", p, r)] = ("P", p)
            for u in range(draw(st.integers(min_value=1, max_value=3))):
                parent[("U", p, r, u)] = ("R", p, r)
                leaves.append(("U", p, r, u))
            if draw(st.booleans()):
                parent[("V", p, r)] = ("R", p, r)
                leaves.append(("V", p, r))
    values: dict[Hashable, int] = {}
    for leaf in leaves:
        if members:
            parts = [draw(small_counts) for _m in members]
            for m, v in zip(members, parts, strict=True):
                values[(leaf, "d", m)] = v
            values[(leaf, "", "")] = sum(parts)
        else:
            values[(leaf, "", "")] = draw(st.integers(min_value=0, max_value=20))
    # Sum up the levels, deepest first.
    depth = {n: (0 if parent[n] is None else 1) for n in parent}
    for n in parent:
        k, x = 0, n
        while parent[x] is not None:
            k, x = k + 1, parent[x]
        depth[n] = k
    for n in sorted(parent, key=lambda n: -depth[n]):
        par = parent[n]
        if par is None:
            continue
        for dim, member in [("", "")] + [("d", m) for m in members]:
            values[(par, dim, member)] = values.get((par, dim, member), 0) + values.get((n, dim, member), 0)
    return {k: v for k, v in values.items() if v}, parent, members


def _check(values: dict, parent: dict) -> None:
    groups = hierarchy_groups(values, parent, lambda d: True)
    hidden = protect(values, groups)
    for key, v in values.items():
        if 0 < v < 5:
            assert key in hidden, f"{key}={v} is shown"
        if key in hidden:
            assert v > 0, "a zero is hidden"
    for g in groups:
        assert sum(1 for c in g.cells if c in hidden) != 1, f"{g} has a single hidden cell"
    recoverable = recoverable_cells(values, groups, hidden)
    # Recoverable even with every cell hidden: no pattern can protect it (the
    # structure alone — which areas have a non-zero count — and the meaning of
    # "<5" give it away), so the pattern does not try.
    hopeless = recoverable_cells(values, groups, set(values)) if recoverable else set()
    for cell in recoverable:
        # Otherwise only possible when everything around it is hidden already (e.g. a
        # whole province of ones): nothing more can be hidden.
        assert cell in hopeless or enclosed(values, groups, hidden, cell), f"{cell}={values[cell]} can be recovered"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_property_no_small_count_can_be_recovered_from_any_combination_of_pages(h: tuple) -> None:
    values, parent, _members = h
    _check(values, parent)


def test_the_drill_down_attack_on_a_hand_made_hierarchy_fails() -> None:
    # Province P: regency A (units a1 = 3, a2 = 9) and regency B (unit b1 = 20).
    # Per table, A's page hides a1 (<5) and a2 (×) and the province page shows A = 12,
    # B = 20, P = 32: nothing to recover there. But if a2 is also shown on its own
    # page, a1 = A − a2. One pattern: a2 is hidden everywhere, and so much more is hidden
    # that no combination of all pages pins a1.
    parent: dict[Any, Any] = {"N": None, "P": "N", "A": "P", "B": "P", "a1": "A", "a2": "A", "b1": "B"}
    raw = {"a1": 3, "a2": 9, "b1": 20, "A": 12, "B": 20, "P": 32, "N": 32}
    values: dict[Any, int] = {(n, "", ""): v for n, v in raw.items()}
    groups = hierarchy_groups(values, parent, lambda d: True)
    hidden = protect(values, groups)
    assert ("a1", "", "") in hidden and ("a2", "", "") in hidden
    # With A visible and its two children hidden, a1 + a2 = 12 and a2 ≥ 5: a1 ∈ 1..4 stays open.
    assert recoverable_cells(values, groups, hidden) == set()


def test_a_primary_of_one_next_to_a_five_is_not_left_alone() -> None:
    # a1 = 1, a2 = 5 under A = 6: with "×" known to be ≥ 5, a1 would be pinned to 1.
    parent: dict[Any, Any] = {"N": None, "A": "N", "B": "N", "a1": "A", "a2": "A", "a3": "A", "b1": "B"}
    raw = {"a1": 1, "a2": 5, "a3": 30, "b1": 7, "A": 36, "B": 7, "N": 43}
    values: dict[Any, int] = {(n, "", ""): v for n, v in raw.items()}
    groups = hierarchy_groups(values, parent, lambda d: True)
    hidden = protect(values, groups)
    assert recoverable_cells(values, groups, hidden) == set()
    assert len(hidden) >= 3


def test_a_count_the_structure_gives_away_is_not_chased_through_the_hierarchy() -> None:
    # Every unit counts one (like the ``units`` indicator) and regency A has four units:
    # even with every cell hidden, A = a1 + a2 + a3 + a4 with each "<5" ≥ 1 and A "<5" ≤ 4
    # pins all of them to 1, and P = A pins the province. No pattern can help, so the
    # fixpoint does not hide the nation's total (or anything else) trying to.
    parent: dict[Any, Any] = {"N": None, "P": "N", "A": "P", "Q": "N", "b": "Q"}
    raw = {"A": 4, "P": 4, "b": 40, "Q": 40, "N": 44}
    for i in range(1, 5):
        parent[f"a{i}"] = "A"
        raw[f"a{i}"] = 1
    values: dict[Any, int] = {(n, "", ""): v for n, v in raw.items()}
    groups = hierarchy_groups(values, parent, lambda d: True)
    from pulih.reports.pattern import unprotectable

    hopeless = unprotectable(values, groups)
    expected = {(n, "", "") for n in ("a1", "a2", "a3", "a4", "A", "P")}
    assert hopeless == expected
    # The independent oracle agrees: recoverable even with every cell hidden.
    assert recoverable_cells(values, groups, set(values)) == expected
    hidden = protect(values, groups)
    assert expected <= hidden
    assert ("N", "", "") not in hidden
    _check(values, parent)


def test_the_solver_does_find_the_attack_on_per_table_suppression() -> None:
    # Sanity check of the oracle: hiding only the pair on the unit page (a1, a2) while the
    # province shows regency A's total and B is ... here the naive pattern hides a1 and a2 but
    # leaves the regency total A and a2's own total on its page visible → a1 = A − a2.
    values: dict[Any, int] = {("a1", "", ""): 3, ("a2", "", ""): 9, ("A", "", ""): 12}
    groups = [Group((("a1", "", ""), ("a2", "", "")), ("A", "", ""))]
    assert recoverable_cells(values, groups, {("a1", "", "")}) == {("a1", "", "")}
    assert recoverable_cells(values, groups, {("a1", "", ""), ("a2", "", "")}) == set()
    # Two ones under a visible total of 2 + 10: both are pinned (1 + 1 = 2).
    values = {("x", "", ""): 1, ("y", "", ""): 1, ("z", "", ""): 10, ("T", "", ""): 12}
    groups = [Group((("x", "", ""), ("y", "", ""), ("z", "", "")), ("T", "", ""))]
    both = {("x", "", ""), ("y", "", "")}
    assert recoverable_cells(values, groups, both) == both


def test_a_figure_made_of_several_stored_cells_shows_only_when_all_of_them_are_visible() -> None:
    import datetime as dt

    from pulih.reports.selectors import Figures

    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    rows = [
        {"month": jan, "indicator": "clients_new", "dim": "", "member": "", "v": 3, "h": 1},
        {"month": feb, "indicator": "clients_new", "dim": "", "member": "", "v": 9, "h": 1},
        {"month": jan, "indicator": "sessions", "dim": "", "member": "", "v": 7, "h": 0},
        {"month": feb, "indicator": "sessions", "dim": "", "member": "", "v": 8, "h": 0},
    ]
    fig = Figures(rows, [jan, feb])
    # Jan 3 (<5) and Feb 9 (× as its complement somewhere): the two-month sum 12 would give
    # Feb away next to a visible Jan-to-Feb trend, so it is hidden too.
    assert fig.shown("clients_new", months=[jan]).text == "<5"
    assert fig.shown("clients_new", months=[feb]).text == "×"
    assert fig.shown("clients_new").text == "×"
    # Visible cells make a visible sum.
    assert fig.shown("sessions").text == "15"
    # The unit's own users see everything.
    own = Figures(rows, [jan, feb], suppressed=False)
    assert own.shown("clients_new").text == "12"


def test_several_indicators_in_several_processes_give_the_same_patterns() -> None:
    from pulih.reports.pattern import protect_many

    parent: dict[Any, Any] = {"N": None, "P": "N", "A": "P", "B": "P"}
    problems = []
    for k in range(3):
        raw = {"A": 0, "B": 0}
        values: dict[Any, int] = {}
        for i in range(6):
            node, reg = f"u{i}", ("A" if i < 3 else "B")
            parent[node] = reg
            v = (i * 7 + k * 3) % 11
            values[(node, "", "")] = v
            raw[reg] += v
        values.update({("A", "", ""): raw["A"], ("B", "", ""): raw["B"]})
        values[("P", "", "")] = values[("N", "", "")] = raw["A"] + raw["B"]
        problems.append((f"ind{k}", {key: v for key, v in values.items() if v}))
    serial = protect_many(problems, parent, frozenset(), processes=1)
    parallel = protect_many(problems, parent, frozenset(), processes=2)
    assert serial == parallel
    assert set(serial) == {"ind0", "ind1", "ind2"}
    for indicator, values in problems:
        assert {key for key, v in values.items() if v < 5} <= serial[indicator]
        assert serial[indicator] == protect(values, hierarchy_groups(values, parent, lambda d: False))
