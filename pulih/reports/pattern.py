"""One suppression pattern over the whole area hierarchy (domain.md §4).

Per-table suppression (:func:`pulih.reports.suppression.suppress`) protects a
table on its own; it does not protect *across pages*. A regency page shows its
units, the province page shows the regencies and the regency totals, the
national page the provinces. A unit hidden on the regency page but whose
siblings and parent are visible elsewhere can be recovered as
``parent − siblings``.

This module computes one pattern for the whole hierarchy at once, when the
rollups are refreshed, and the rollup rows store it (``Fact.hidden`` and
``AreaFact.hidden``), so every page, API response and export reads the same
flags and the same cell is hidden wherever it appears.

The cells of one indicator in one month are ``(node, dim, member)`` where a
node is the nation, a province, a regency, a unit, or the village-level rest
of a regency (activities in villages without a unit, IKRN, Desa Bersinar).
They are tied by additive *groups* (:class:`~pulih.reports.suppression.Group`):

* hierarchy: for every ``(dim, member)``, a parent equals the sum of its
  children (nation = provinces, province = regencies, regency = units + rest);
* breakdown: for every node and every additive dimension, the total
  (``dim=""``) equals the sum of the members.

The rule, iterated to a fixpoint (:func:`protect`):

1. **Primary**: every count from 1 to 4 is hidden (shown ``"<5"``).
2. **Groups**: a group with exactly one hidden cell would give it away
   (``total − visible members``); the smallest visible non-zero member is
   hidden as well, or the total when there is none. A hidden total whose
   members are all visible but one is treated the same (at least two hidden
   members under a hidden total).
3. **Bounds**: the reader knows that ``"<5"`` is 1–4 and that ``"×"`` is at
   least 5 (zeros are never hidden). :func:`pinned` propagates these bounds
   through every group of every level at once; a primary cell whose interval
   shrinks to one value is given another hidden neighbour in one of its
   groups, and the loop starts again.
4. **Exact check**: every block of hidden cells connected through groups (up
   to ``EXACT_CHECK_MAX`` cells) is searched exactly over the integers: for
   each small count, is there a second value consistent with every visible
   cell? If not, a neighbour is hidden and the loop starts again.

What cannot be helped: when every cell around a block is hidden already (for
example a province whose every count is 1–4), the structure itself (which
areas have a non-zero count) and the meaning of "<5" may still bound a count;
:func:`enclosed` tells these cases, and the property tests allow only them.

Zero cells are never hidden (hiding a zero shows nothing and has no row to
carry a flag); a group whose only non-zero cell is small has a small total,
which is itself primary. Work-plan targets are plans, not counts of people or
events, and are not suppressed.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pulih.reports.suppression import THRESHOLD, Group

Node = Any
CellKey = tuple[Any, str, str]  # (node, dim, member)

UNSUPPRESSED_INDICATORS = frozenset({"workplan_targets"})
# Blocks of hidden cells up to this size are searched exactly over the integers
# (with a budget; running out of it counts as exposed, so one more cell is
# hidden). Larger blocks rely on the bound propagation alone, which is sound
# but may miss a combination.
EXACT_CHECK_MAX = 400
EXACT_CHECK_BUDGET = 5_000
PROPAGATION_BUDGET = 200_000


def hierarchy_groups(
    values: Mapping[CellKey, int],
    parent: Mapping[Node, Node | None],
    additive: Callable[[str], bool],
) -> list[Group]:
    """The additive groups tying the cells of one indicator in one month."""
    children: dict[Node, list[Node]] = defaultdict(list)
    for node, par in parent.items():
        if par is not None:
            children[par].append(node)
    groups: list[Group] = []
    # Hierarchy: parent = sum of children, per (dim, member).
    parents_by_cell: dict[tuple[str, str], set[Node]] = defaultdict(set)
    for node, dim, member in values:
        par = parent.get(node)
        if par is not None:
            parents_by_cell[(dim, member)].add(par)
        if node in children:
            parents_by_cell[(dim, member)].add(node)
    for (dim, member), parents in parents_by_cell.items():
        for par in sorted(parents, key=str):
            members = tuple((c, dim, member) for c in children[par] if (c, dim, member) in values)
            if members:
                groups.append(Group(members, (par, dim, member)))
    # Breakdown: total = sum of members, per node and additive dimension.
    by_node_dim: dict[tuple[Node, str], list[CellKey]] = defaultdict(list)
    for key in values:
        if key[1]:
            by_node_dim[(key[0], key[1])].append(key)
    for (node, dim), parts in by_node_dim.items():
        total = (node, "", "")
        if not additive(dim) or sum(values[m] for m in parts) != values.get(total, 0):
            continue
        groups.append(Group(tuple(sorted(parts, key=str)), total))
    return groups


def _bounds(
    values: Mapping[Any, int], hidden: set[Any], primary: set[Any], threshold: int
) -> tuple[dict[Any, int], dict[Any, int]]:
    big = sum(values.values()) + 1
    lo = {c: (1 if c in primary else threshold) for c in hidden}
    hi = {c: (threshold - 1 if c in primary else big) for c in hidden}
    return lo, hi


def _equations(
    values: Mapping[Any, int], groups: Sequence[Group], hidden: set[Any]
) -> list[tuple[list[tuple[Any, int]], int]]:
    """Each group with hidden cells as ``sum(sign * x) == rhs`` over the hidden cells."""
    eqs = []
    for g in groups:
        terms: list[tuple[Any, int]] = []
        rhs = 0
        for m in g.members:
            if m in hidden:
                terms.append((m, 1))
            else:
                rhs -= values.get(m, 0)
        if g.total is not None:
            if g.total in hidden:
                terms.append((g.total, -1))
            else:
                rhs += values.get(g.total, 0)
        if terms:
            eqs.append((terms, rhs))
    return eqs


def pinned(
    values: Mapping[Any, int],
    groups: Sequence[Group],
    hidden: set[Any],
    *,
    threshold: int = THRESHOLD,
) -> set[Any]:
    """Hidden primary cells whose bounds, propagated through all groups, leave one value."""
    primary = {c for c in hidden if 0 < values.get(c, 0) < threshold}
    if not primary:
        return set()
    lo, hi = _bounds(values, hidden, primary, threshold)
    eqs = _equations(values, groups, hidden)
    eqs_of: dict[Any, list[int]] = defaultdict(list)
    for i, (terms, _rhs) in enumerate(eqs):
        for c, _s in terms:
            eqs_of[c].append(i)
    work = deque(range(len(eqs)))
    queued = set(work)
    budget = PROPAGATION_BUDGET
    while work and budget > 0:
        i = work.popleft()
        queued.discard(i)
        terms, rhs = eqs[i]
        budget -= len(terms)
        # Range of sum(sign * x) over all terms.
        smin = sum(lo[c] if s > 0 else -hi[c] for c, s in terms)
        smax = sum(hi[c] if s > 0 else -lo[c] for c, s in terms)
        for c, s in terms:
            own_min = lo[c] if s > 0 else -hi[c]
            own_max = hi[c] if s > 0 else -lo[c]
            rest_min, rest_max = smin - own_min, smax - own_max
            # s * x == rhs - rest
            a, b = rhs - rest_max, rhs - rest_min
            new_lo, new_hi = (a, b) if s > 0 else (-b, -a)
            if new_lo > lo[c] or new_hi < hi[c]:
                lo[c], hi[c] = max(lo[c], new_lo), min(hi[c], new_hi)
                # The sums change by this term's change only (integers: exact).
                smin += (lo[c] if s > 0 else -hi[c]) - own_min
                smax += (hi[c] if s > 0 else -lo[c]) - own_max
                for j in eqs_of[c]:
                    if j not in queued:
                        queued.add(j)
                        work.append(j)
    return {c for c in primary if lo[c] >= hi[c]}


def _components(groups: Sequence[Group], hidden: set[Any]) -> list[tuple[set[Any], list[Group]]]:
    """Blocks of hidden cells connected through groups, with the groups touching them."""
    root: dict[Any, Any] = {c: c for c in hidden}

    def find(c: Any) -> Any:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    for g in groups:
        cells = [c for c in g.cells if c in hidden]
        for other in cells[1:]:
            ra, rb = find(cells[0]), find(other)
            if ra != rb:
                root[ra] = rb
    blocks: dict[Any, set[Any]] = defaultdict(set)
    for c in hidden:
        blocks[find(c)].add(c)
    block_groups: dict[Any, list[Group]] = defaultdict(list)
    for g in groups:
        cell = next((c for c in g.cells if c in hidden), None)
        if cell is not None:
            block_groups[find(cell)].append(g)
    return [(cells, block_groups[r]) for r, cells in blocks.items()]


def exposed(
    values: Mapping[Any, int],
    groups: Sequence[Group],
    hidden: set[Any],
    *,
    threshold: int = THRESHOLD,
    cache: dict[frozenset[Any], set[Any]] | None = None,
) -> set[Any]:
    """Hidden primary cells that the visible cells give away (bounds, and exact algebra on small blocks).

    ``cache`` keeps the result of the exact check per block of hidden cells
    (it depends only on the block), so an unchanged block is not searched again.
    """
    out = pinned(values, groups, hidden, threshold=threshold)
    cache = {} if cache is None else cache
    for cells, block_groups in _components(groups, hidden):
        key = frozenset(cells)
        if key not in cache:
            small = sorted((c for c in cells if 0 < values.get(c, 0) < threshold), key=str)
            found: set[Any] = set()
            if small and len(cells) <= EXACT_CHECK_MAX:
                found = _exactly_pinned(values, block_groups, cells, small, threshold)
            cache[key] = found
        out |= cache[key]
    return out


class _Budget(Exception):
    pass


def _box_feasible(
    eqs: Sequence[tuple[list[tuple[Any, int]], int]],
    lo: dict[Any, int],
    hi: dict[Any, int],
    budget: list[int],
    eqs_of: Mapping[Any, list[int]],
    changed: Iterable[Any] | None = None,
) -> bool:
    """Is there an integer point in the box satisfying the equations (prune by bounds, bisect)?"""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Budget
    box = _propagate(eqs, lo, hi, eqs_of, changed)
    if box is None:
        return False
    lo, hi = box
    free = [c for c in lo if lo[c] < hi[c]]
    if not free:
        return all(sum(s * lo[c] for c, s in terms) == rhs for terms, rhs in eqs)
    c = min(free, key=lambda k: (hi[k] - lo[k], str(k)))
    mid = (lo[c] + hi[c]) // 2
    return _box_feasible(eqs, lo, {**hi, c: mid}, budget, eqs_of, [c]) or _box_feasible(
        eqs, {**lo, c: mid + 1}, hi, budget, eqs_of, [c]
    )


def _propagate(
    eqs: Sequence[tuple[list[tuple[Any, int]], int]],
    lo: dict[Any, int],
    hi: dict[Any, int],
    eqs_of: Mapping[Any, list[int]],
    changed: Iterable[Any] | None = None,
) -> tuple[dict[Any, int], dict[Any, int]] | None:
    """Tighten the box by the equations (from the changed cells on); None when it is empty."""
    lo, hi = dict(lo), dict(hi)
    start = range(len(eqs)) if changed is None else sorted({j for c in changed for j in eqs_of.get(c, ())})
    work = deque(start)
    queued = set(work)
    while work:
        i = work.popleft()
        queued.discard(i)
        terms, rhs = eqs[i]
        smin = sum(lo[c] if s > 0 else -hi[c] for c, s in terms)
        smax = sum(hi[c] if s > 0 else -lo[c] for c, s in terms)
        if smin > rhs or smax < rhs:
            return None
        for c, s in terms:
            own_min = lo[c] if s > 0 else -hi[c]
            own_max = hi[c] if s > 0 else -lo[c]
            a = rhs - (smax - own_max)
            b = rhs - (smin - own_min)
            nlo, nhi = (a, b) if s > 0 else (-b, -a)
            if nlo > lo[c] or nhi < hi[c]:
                lo[c], hi[c] = max(lo[c], nlo), min(hi[c], nhi)
                if lo[c] > hi[c]:
                    return None
                smin += (lo[c] if s > 0 else -hi[c]) - own_min
                smax += (hi[c] if s > 0 else -lo[c]) - own_max
                for j in eqs_of.get(c, ()):
                    if j not in queued:
                        queued.add(j)
                        work.append(j)
    return lo, hi


def _exactly_pinned(
    values: Mapping[Any, int],
    groups: Sequence[Group],
    cells: set[Any],
    small: Sequence[Any],
    threshold: int,
) -> set[Any]:
    """Small cells of a block with a single integer value consistent with what is visible.

    When the search runs out of budget the cell is reported as pinned (fail
    closed: one more cell gets hidden).
    """
    primary = {c for c in cells if 0 < values.get(c, 0) < threshold}
    lo, _hi = _bounds(values, cells, primary, threshold)
    total = sum(values.values())
    hi = {c: (threshold - 1 if c in primary else 2 * total + threshold) for c in cells}
    eqs = _equations(values, groups, cells)
    eqs_of: dict[Any, list[int]] = defaultdict(list)
    for i, (terms, _rhs) in enumerate(eqs):
        for cell, _s in terms:
            eqs_of[cell].append(i)
    base = _propagate(eqs, lo, hi, eqs_of)
    if base is None:  # cannot happen for consistent counts; be safe
        return set(small)
    lo, hi = base
    out = set()
    for c in small:
        v = values[c]
        try:
            budget = [EXACT_CHECK_BUDGET]
            free = (v > lo[c] and _box_feasible(eqs, lo, {**hi, c: v - 1}, budget, eqs_of, [c])) or (
                v < hi[c] and _box_feasible(eqs, {**lo, c: v + 1}, hi, budget, eqs_of, [c])
            )
        except _Budget:
            free = False
        if not free:
            out.add(c)
    return out


def _candidate(values: Mapping[Any, int], g: Group, hidden: set[Any]) -> Any | None:
    """The smallest visible non-zero member of ``g``, else its total if visible and non-zero."""
    best = None
    for m in g.members:
        if m not in hidden and values.get(m, 0) > 0 and (best is None or (values[m], str(m)) < best[0]):
            best = ((values[m], str(m)), m)
    if best is not None:
        return best[1]
    if g.total is not None and g.total not in hidden and values.get(g.total, 0) > 0:
        return g.total
    return None


def protect(values: Mapping[Any, int], groups: Sequence[Group], *, threshold: int = THRESHOLD) -> set[Any]:
    """The cells to hide so that no count from 1 to ``threshold - 1`` is shown or recoverable."""
    hidden = {c for c, v in values.items() if 0 < v < threshold}
    if not hidden:
        return hidden
    groups_of: dict[Any, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        for c in g.cells:
            groups_of[c].append(i)

    def hide(cell: Any, work: deque[int], queued: set[int]) -> None:
        hidden.add(cell)
        for j in groups_of[cell]:
            if j not in queued:
                queued.add(j)
                work.append(j)

    cache: dict[frozenset[Any], set[Any]] = {}
    work: deque[int] = deque(i for c in hidden for i in groups_of[c])
    queued = set(work)
    work = deque(sorted(queued))
    while True:
        while work:
            i = work.popleft()
            queued.discard(i)
            g = groups[i]
            n_members = sum(1 for m in g.members if m in hidden)
            total_hidden = g.total is not None and g.total in hidden
            if n_members + total_hidden == 1 or (total_hidden and n_members == 1):
                extra = _candidate(values, g, hidden)
                if extra is not None:
                    hide(extra, work, queued)
        problems = exposed(values, groups, hidden, threshold=threshold, cache=cache)
        if not problems:
            return hidden
        progressed = False
        extras = set()
        for cell in sorted(problems, key=str):
            extra = _nearest_candidate(values, groups, groups_of, hidden, cell)
            if extra is not None:
                extras.add(extra)
        for extra in sorted(extras, key=str):
            hide(extra, work, queued)
            progressed = True
        if not progressed:
            # Every group around the block is hidden already: nothing more can
            # be hidden (see :func:`enclosed`).
            return hidden


def _nearest_candidate(
    values: Mapping[Any, int],
    groups: Sequence[Group],
    groups_of: Mapping[Any, list[int]],
    hidden: set[Any],
    cell: Any,
) -> Any | None:
    """A visible non-zero cell to hide next to ``cell``: in its own groups, else nearest in its block."""
    seen = {cell}
    frontier = [cell]
    while frontier:
        options = []
        nxt = []
        for c in frontier:
            for j in groups_of.get(c, ()):
                cand = _candidate(values, groups[j], hidden)
                if cand is not None:
                    options.append(cand)
                for other in groups[j].cells:
                    if other in hidden and other not in seen:
                        seen.add(other)
                        nxt.append(other)
        if options:
            return min(options, key=lambda o: (values.get(o, 0), str(o)))
        frontier = nxt
    return None


def _block_of(
    groups: Sequence[Group], groups_of: Mapping[Any, list[int]], hidden: set[Any], cell: Any
) -> set[Any]:
    seen = {cell}
    frontier = [cell]
    while frontier:
        nxt = []
        for c in frontier:
            for j in groups_of.get(c, ()):
                for other in groups[j].cells:
                    if other in hidden and other not in seen:
                        seen.add(other)
                        nxt.append(other)
        frontier = nxt
    return seen


def enclosed(values: Mapping[Any, int], groups: Sequence[Group], hidden: set[Any], cell: Any) -> bool:
    """True when every group around ``cell``'s block of hidden cells has nothing visible left to hide.

    Then the only information about the block is the structure itself (which
    areas have a non-zero count) and the meaning of "<5"; no further
    suppression can add uncertainty.
    """
    groups_of: dict[Any, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        for c in g.cells:
            groups_of[c].append(i)
    return _nearest_candidate(values, groups, groups_of, hidden, cell) is None


def cells_of(rows: Iterable[tuple[Node, str, str, int]]) -> dict[CellKey, int]:
    return {(node, dim, member): int(v) for node, dim, member, v in rows if v}
