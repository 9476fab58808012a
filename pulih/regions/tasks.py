"""Background jobs of the regions app (thin wrappers around services)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from pulih.regions.loading import load_regions


@db_task()
def load_regions_task(provinces: list[str] | None = None, force: bool = False) -> dict[str, object]:
    result = load_regions(provinces=provinces, force=force)
    return {
        "provinces": result.provinces,
        "regencies": result.regencies,
        "districts": result.districts,
        "villages": result.villages,
        "skipped": result.skipped,
    }
