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
:func:`enclosed` tells these cases. A count pinned even when *every* cell is
hidden (:func:`unprotectable`, e.g. four units counting one each under a
regency total of 4) cannot be protected by any pattern, and the fixpoint does
not hide its way through the nation trying. The property tests allow only
these two cases.

Cost: both checks work per block of hidden cells and are cached per block,
so a fixpoint round only searches blocks that changed; the exact search dives
along the true counts first and every second solution it finds frees all the
small cells it differs in (and they stay free: hiding more cells only adds
solutions). On 100 units (one month, every indicator) these took the pattern
from 61 s to 3.5 s (with a search budget of 1,000; 6 more cells hidden of
15,170, all by the search finding its way differently).

Zero cells are never hidden (hiding a zero shows nothing and has no row to
carry a flag); a group whose only non-zero cell is small has a small total,
which is itself primary. Work-plan targets are plans, not counts of people or
events, and are not suppressed.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pulih.reports.suppression import THRESHOLD, Group

Node = Any
CellKey = tuple[Any, str, str]  # (node, dim, member)

UNSUPPRESSED_INDICATORS = frozenset({"workplan_targets"})
# Blocks of hidden cells up to this size are searched exactly over the integers
# (with a budget; running out of it counts as exposed, so one more cell is
# hidden). Larger blocks rely on the bound propagation alone, which is sound
# but may miss a combination. The budget is in search nodes per small cell: a
# second solution, when there is one, is found by the guided dive in a few
# nodes; on the national set (October 2026, four indicators) a budget of 200
# instead of 1,000 halved the time and hid 5 more cells of 42,485.
EXACT_CHECK_MAX = 400
EXACT_CHECK_BUDGET = 200
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
    budget: int = PROPAGATION_BUDGET,
) -> set[Any]:
    """Hidden primary cells whose bounds, propagated through all groups, leave one value.

    Bounds only travel through equations between hidden cells, so the result
    for a block of hidden cells (:func:`_components`) depends on that block
    and its groups alone; :func:`exposed` calls this per block.
    """
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
    free: set[Any] | None = None,
) -> set[Any]:
    """Hidden primary cells that the visible cells give away (bounds, and exact algebra on small blocks).

    Both checks look at one block of hidden cells and its groups at a time,
    and their result depends on nothing else: ``cache`` keeps it per block, so
    a fixpoint round searches only the blocks that changed since the last one.

    ``free`` collects the small cells the exact search has shown a second
    solution for. Hiding more cells only adds solutions (the new unknowns can
    keep their true values), so such a cell stays free for the rest of
    :func:`protect` and is not searched again when its block grows.
    """
    cache = {} if cache is None else cache
    free = set() if free is None else free
    out: set[Any] = set()
    for cells, block_groups in _components(groups, hidden):
        key = frozenset(cells)
        if key not in cache:
            found = pinned(values, block_groups, cells, threshold=threshold)
            small = sorted(
                (c for c in cells if 0 < values.get(c, 0) < threshold and c not in found and c not in free), key=str
            )
            if small and len(cells) <= EXACT_CHECK_MAX:
                found |= _exactly_pinned(values, block_groups, cells, small, threshold, free)
            cache[key] = found
        out |= cache[key]
    return out


def unprotectable(values: Mapping[Any, int], groups: Sequence[Group], *, threshold: int = THRESHOLD) -> set[Any]:
    """Small counts that the structure alone gives away: pinned even with *every* cell hidden.

    Hiding a cell only ever adds solutions (its value becomes an unknown in
    1–4 or ≥ 5), so a count pinned when everything is hidden is pinned under
    every pattern — for example the ``units`` indicator, where every unit
    counts one. Hiding more cells for such a count protects nothing; the
    fixpoint leaves them alone instead of hiding its way through the whole
    hierarchy.
    """
    everything = set(values)
    terms = sum(len(g.members) + 1 for g in groups)
    return pinned(values, groups, everything, threshold=threshold, budget=max(PROPAGATION_BUDGET, 8 * terms))


class _Budget(Exception):
    pass


def _box_feasible(
    eqs: Sequence[tuple[list[tuple[Any, int]], int]],
    lo: dict[Any, int],
    hi: dict[Any, int],
    budget: list[int],
    eqs_of: Mapping[Any, list[int]],
    changed: Iterable[Any] | None = None,
    guide: Mapping[Any, int] | None = None,
    rank: Mapping[Any, int] | None = None,
) -> dict[Any, int] | None:
    """An integer point in the box satisfying the equations, or None (prune by bounds, branch).

    Branches on the free cell with the narrowest range. With a ``guide`` (the
    true counts, a known solution of the unconstrained system) the search
    first tries the cell at its true value, then below, then above: a second
    solution usually differs from the true one in a short cycle of cells, so
    the dive finds it in a few nodes. Without one it bisects. Either way the
    search is complete; only the order of the branches differs.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _Budget
    box = _propagate(eqs, lo, hi, eqs_of, changed)
    if box is None:
        return None
    lo, hi = box
    free = [c for c in lo if lo[c] < hi[c]]
    if not free:
        return lo if all(sum(s * lo[c] for c, s in terms) == rhs for terms, rhs in eqs) else None
    if rank is None:
        c = min(free, key=lambda k: (hi[k] - lo[k], str(k)))
    else:
        c = min(free, key=lambda k: (hi[k] - lo[k], rank[k]))
    if guide is not None and lo[c] <= guide[c] <= hi[c]:
        g = guide[c]
        return (
            _box_feasible(eqs, {**lo, c: g}, {**hi, c: g}, budget, eqs_of, [c], guide, rank)
            or (_box_feasible(eqs, lo, {**hi, c: g - 1}, budget, eqs_of, [c], guide, rank) if g > lo[c] else None)
            or (_box_feasible(eqs, {**lo, c: g + 1}, hi, budget, eqs_of, [c], guide, rank) if g < hi[c] else None)
        )
    mid = (lo[c] + hi[c]) // 2
    return _box_feasible(eqs, lo, {**hi, c: mid}, budget, eqs_of, [c], guide, rank) or _box_feasible(
        eqs, {**lo, c: mid + 1}, hi, budget, eqs_of, [c], guide, rank
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
    freed: set[Any] | None = None,
) -> set[Any]:
    """Small cells of a block with a single integer value consistent with what is visible.

    Cells shown to have a second value are added to ``freed``.

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
    rank = {cell: i for i, cell in enumerate(sorted(cells, key=str))}
    guide = {cell: values[cell] for cell in cells}
    out = set()
    # A second solution frees every small cell where it differs from the true
    # counts, not only the one it was searched for.
    freed = set() if freed is None else freed
    for c in small:
        if c in freed:
            continue
        v = values[c]
        try:
            budget = [EXACT_CHECK_BUDGET]
            other = (
                _box_feasible(eqs, lo, {**hi, c: v - 1}, budget, eqs_of, [c], guide, rank) if v > lo[c] else None
            ) or (_box_feasible(eqs, {**lo, c: v + 1}, hi, budget, eqs_of, [c], guide, rank) if v < hi[c] else None)
        except _Budget:
            other = None
        if other is None:
            out.add(c)
        else:
            freed.update(d for d in other if other[d] != values[d] and 0 < values[d] < threshold)
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
    free: set[Any] = set()
    hopeless = unprotectable(values, groups, threshold=threshold)
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
        problems = exposed(values, groups, hidden, threshold=threshold, cache=cache, free=free) - hopeless
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


def _block_of(groups: Sequence[Group], groups_of: Mapping[Any, list[int]], hidden: set[Any], cell: Any) -> set[Any]:
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


# --- One pattern per indicator, several indicators at once ------------------------------------

Problem = tuple[str, dict[CellKey, int]]


def _low_priority() -> None:
    # The pattern is background work: requests served on the same cores come first.
    with contextlib.suppress(OSError):  # not permitted on some platforms
        os.nice(10)


def _protect_one(
    job: tuple[str, dict[CellKey, int], Mapping[Node, Node | None], frozenset[str]],
) -> tuple[str, set[Any]]:
    indicator, values, parent, additive = job
    return indicator, protect(values, hierarchy_groups(values, parent, additive.__contains__))


def protect_many(
    problems: Sequence[Problem],
    parent: Mapping[Node, Node | None],
    additive: frozenset[str],
    *,
    processes: int = 1,
) -> dict[str, set[Any]]:
    """:func:`protect` for each indicator's cells (independent problems), in ``processes`` processes.

    The indicators of a month share no group, so they are solved apart; with
    more than one process the largest go first and each is solved in a fresh
    interpreter (``spawn``: nothing of the parent's threads or connections is
    copied) at a lower CPU priority. This module imports nothing of Django, so
    the children start quickly.
    """
    jobs = [(ind, values, parent, additive) for ind, values in sorted(problems, key=lambda p: -len(p[1]))]
    if processes <= 1 or len(jobs) < 2:
        return dict(map(_protect_one, jobs))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_low_priority) as pool:
        return dict(pool.map(_protect_one, jobs))


# --- Reusing a pattern whose problem has not changed ------------------------------------------

# Part of every fingerprint: change it whenever :func:`protect` would hide other cells
# for the same input, so stored patterns are computed again.
PATTERN_VERSION = "2026-11-23"


def fingerprint(
    values: Mapping[CellKey, int], parent: Mapping[Node, Node | None], additive: frozenset[str]
) -> tuple[str, list[CellKey]]:
    """A digest of one indicator-month's problem, and its cells in the digest's (canonical) order.

    Two problems with the same digest have the same cells, values, parents and
    additive dimensions, hence the same groups and the same pattern.
    """
    order = sorted(values, key=repr)
    digest = hashlib.sha256(f"{PATTERN_VERSION}|{THRESHOLD}|{sorted(additive)!r}\n".encode())
    for key in order:
        digest.update(f"{key!r}<{parent.get(key[0])!r}={values[key]}\n".encode())
    return digest.hexdigest(), order


def pack(order: Sequence[CellKey], hidden: set[Any]) -> bytes:
    """The hidden cells as one bit per cell of ``order``."""
    bits = bytearray((len(order) + 7) // 8)
    for i, key in enumerate(order):
        if key in hidden:
            bits[i >> 3] |= 1 << (i & 7)
    return bytes(bits)


def unpack(order: Sequence[CellKey], bits: bytes) -> set[Any]:
    return {key for i, key in enumerate(order) if bits[i >> 3] >> (i & 7) & 1}
