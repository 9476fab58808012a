"""Small-count suppression for aggregates that leave the unit (domain.md §4).

A pure function of numbers, no database: :func:`suppress` takes the cells of a
table and its additive *groups* (cells that sum to a total, e.g. the members
of a breakdown and its total, a row of a two-way table and the row total) and
decides what may be shown.

1. **Primary suppression**: every count from 1 to ``threshold - 1`` (1–4) is
   shown as ``"<5"``.
2. **Complementary suppression**: in a group whose total is known, a single
   hidden cell could be recovered as *total − the visible cells*. Whenever a
   group has exactly one hidden cell (member or total), the next-smallest
   visible member is hidden as well (preferring non-zero ones); when there is
   no other member, the total is hidden. This repeats until no group has
   exactly one hidden cell.
3. **Linear check**: in two-way tables a hidden cell can still be pinned down
   by combining several groups. :func:`recoverable` solves the system of
   group equations exactly over the rationals; while a primary cell is
   determined by it, another cell of one of its groups is hidden.

Secondary (complementary) cells are shown as ``"×"`` so that a reader never
mistakes a large hidden count for a small one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "×"


@dataclass(frozen=True)
class Group:
    """Cells that add up: ``sum(members) == total`` (``total`` may be absent)."""

    members: tuple[Hashable, ...]
    total: Hashable | None = None

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return self.members + ((self.total,) if self.total is not None else ())


@dataclass(frozen=True)
class Shown:
    value: int
    hidden: bool = False
    primary: bool = False

    @property
    def text(self) -> str:
        if not self.hidden:
            return str(self.value)
        return SMALL if self.primary else HIDDEN

    @property
    def number(self) -> int | None:
        """The value a chart may draw (None when hidden)."""
        return None if self.hidden else self.value


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    return 0 < value < threshold


def _pick_complement(values: Mapping[Hashable, int], group: Group, hidden: set[Hashable]) -> Hashable | None:
    visible = [k for k in group.members if k not in hidden]
    if visible:
        # The next-smallest: non-zero counts first (a zero hides little), then by value.
        return min(visible, key=lambda k: (values[k] == 0, values[k], str(k)))
    if group.total is not None and group.total not in hidden:
        return group.total
    return None


def recoverable(
    values: Mapping[Hashable, int], groups: Sequence[Group], hidden: set[Hashable]
) -> set[Hashable]:
    """Hidden cells whose value follows exactly from the visible cells and the groups.

    Each group with a total gives the equation ``sum(members) - total = 0``;
    hidden cells are the unknowns. A hidden cell is determined when its unit
    vector lies in the row space of the reduced system.
    """
    unknowns = sorted(hidden, key=str)
    index = {k: i for i, k in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for g in groups:
        if g.total is None or not any(c in hidden for c in g.cells):
            continue
        row = [Fraction(0)] * (len(unknowns) + 1)
        constant = Fraction(0)
        for k in g.members:
            if k in hidden:
                row[index[k]] += 1
            else:
                constant -= values[k]
        if g.total in hidden:
            row[index[g.total]] -= 1
        else:
            constant += values[g.total]
        row[-1] = constant
        rows.append(row)
    # Reduced row echelon form.
    pivots: list[int] = []
    r = 0
    n = len(unknowns)
    for col in range(n):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    determined = set()
    for i, col in enumerate(pivots):
        if all(rows[i][j] == 0 for j in range(n) if j != col):
            determined.add(unknowns[col])
    return determined


def suppress(
    values: Mapping[Hashable, int],
    groups: Sequence[Group] = (),
    *,
    threshold: int = THRESHOLD,
) -> dict[Hashable, Shown]:
    """What may be shown of ``values`` above the unit level."""
    primary = {k for k, v in values.items() if is_small(v, threshold)}
    hidden = set(primary)
    additive = [g for g in groups if g.total is not None]
    for _round in range(len(values) + 1):
        changed = False
        for g in additive:
            if sum(1 for c in g.cells if c in hidden) == 1:
                extra = _pick_complement(values, g, hidden)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
        if changed:
            continue
        exposed = recoverable(values, additive, hidden) & primary
        if not exposed:
            break
        for target in sorted(exposed, key=str):
            for g in additive:
                if target in g.cells:
                    extra = _pick_complement(values, g, hidden)
                    if extra is not None:
                        hidden.add(extra)
                        changed = True
                        break
            if changed:
                break
        if not changed:  # every cell around it is hidden already: nothing more to do
            break
    return {k: Shown(v, k in hidden, k in primary) for k, v in values.items()}


def plain(values: Mapping[Hashable, int]) -> dict[Hashable, Shown]:
    """No suppression (a unit's own users looking at their own unit)."""
    return {k: Shown(v) for k, v in values.items()}


def shown_rate(numerator: int, denominator: int, *, suppressed: bool) -> str:
    """A percentage, hidden when either part is a small count."""
    if suppressed and (is_small(numerator) or is_small(denominator)):
        return SMALL
    if not denominator:
        return "–"
    return f"{100 * numerator / denominator:.0f}%"
