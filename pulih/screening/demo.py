"""Demo data of screening: the shipped instruments (WHO ASSIST v3.1).

Idempotent: loading an unchanged instrument document changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from pulih.screening.loading import load_shipped_instruments


def load(log: Callable[[str], object]) -> None:
    for result in load_shipped_instruments():
        log(f"Screening instrument {result.instrument}: {result.action}")
