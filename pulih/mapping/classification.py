"""The configurable IKRN classification rule.

The rule is data (:class:`~pulih.mapping.models.IkrnThreshold` rows, edited
on the rule page). When the table is empty the defaults below apply: the one
rule found in the sources, *Bahaya when at least 5 main and 4 supporting
indicators are met*. No source gives cut-offs for Waspada, Siaga or Aman, so
their thresholds are empty: a record that does not reach Bahaya and has no
recorded category stays **unclassified** instead of receiving an invented
category. Bahaya and Waspada count as drug-prone (*kawasan rawan*) by default;
that set is part of the same editable data.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulih.mapping.indicators import MAIN_INDICATORS, SUPPORTING_INDICATORS
from pulih.mapping.models import IkrnCategory, IkrnThreshold
from pulih.mapping.models.ikrn import CATEGORY_ORDER

DEFAULT_SOURCE = "Metode klasik IKRN BNN: Bahaya = minimal 5 indikator utama dan 4 indikator pendukung"


@dataclass(frozen=True)
class Threshold:
    category: str
    min_main: int | None
    min_supporting: int | None
    counts_as_prone: bool
    source: str = ""


DEFAULTS = [
    Threshold(IkrnCategory.BAHAYA, 5, 4, True, DEFAULT_SOURCE),
    Threshold(IkrnCategory.WASPADA, None, None, True),
    Threshold(IkrnCategory.SIAGA, None, None, False),
    Threshold(IkrnCategory.AMAN, None, None, False),
]


def current_rule() -> list[Threshold]:
    """The thresholds in force, most severe first."""
    rows = {t.category: t for t in IkrnThreshold.objects.all()}
    if not rows:
        return list(DEFAULTS)
    out = []
    for category in CATEGORY_ORDER:
        row = rows.get(category)
        if row is None:
            out.append(Threshold(category, None, None, False))
        else:
            out.append(Threshold(category, row.min_main, row.min_supporting, row.counts_as_prone, row.source))
    return out


def prone_categories(rule: list[Threshold] | None = None) -> list[str]:
    return [t.category for t in (rule if rule is not None else current_rule()) if t.counts_as_prone]


def count_met(values: dict[str, bool | None]) -> tuple[int, int]:
    """How many main and supporting indicators are met (unknown counts as not met)."""
    main = sum(1 for field, _col, _label in MAIN_INDICATORS if values.get(field) is True)
    supporting = sum(1 for field, _col, _label in SUPPORTING_INDICATORS if values.get(field) is True)
    return main, supporting


def has_indicator_values(values: dict[str, bool | None]) -> bool:
    fields = [f for f, _c, _l in MAIN_INDICATORS + SUPPORTING_INDICATORS]
    return any(values.get(f) is not None for f in fields)


def classify(values: dict[str, bool | None], rule: list[Threshold] | None = None) -> str:
    """The category the rule gives for these indicator values, or "" (unclassified)."""
    if not has_indicator_values(values):
        return ""
    main, supporting = count_met(values)
    for t in rule if rule is not None else current_rule():
        if t.min_main is None or t.min_supporting is None:
            continue
        if main >= t.min_main and supporting >= t.min_supporting:
            return t.category
    return ""
