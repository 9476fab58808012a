"""Background jobs of the reports app (thin wrappers around services).

* ``refresh_rollups_periodic`` — every 2 minutes: the incremental refresh
  (staleness target ≤ 5 minutes).
* ``rebuild_rollups_nightly`` — 02:15 every night: the full rebuild of the
  history window.
* ``refresh_rollups_task`` — on demand (a unit's report compiled, a refresh
  button, the API).
* ``export_task`` — one export job.
"""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from pulih.reports import rollups


@db_periodic_task(crontab(minute="*/2"))
@lock_task("pulih-reports-refresh")
def refresh_rollups_periodic() -> int:
    return rollups.refresh_incremental().units


@db_periodic_task(crontab(hour="2", minute="15"))
@lock_task("pulih-reports-refresh")
def rebuild_rollups_nightly() -> int:
    return rollups.rebuild_all().units


@db_task()
def refresh_rollups_task(unit_ids: list[int] | None = None, months: list[str] | None = None) -> int:
    """Recompute the given units (all when None) for the given months (recent ones when None)."""
    month_list = (
        [dt.date.fromisoformat(m[:7] + "-01") for m in months]
        if months
        else rollups.last_months(rollups.recent_months())
    )
    if unit_ids is None:
        return rollups.rebuild_all(
            sorted(set(month_list) | set(rollups.last_months(rollups.recent_months())))
        ).units
    return rollups.refresh_units(unit_ids, month_list, villages=False).units


@db_task()
def export_task(job_id: str) -> str:
    from pulih.reports.exports import export_run

    return export_run(job_id)
