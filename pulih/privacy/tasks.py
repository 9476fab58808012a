"""The retention job: once a night, a thin wrapper around ``retention_run``."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from pulih.privacy.services.retention import retention_run


@db_periodic_task(crontab(hour="3", minute="30"))
@lock_task("privacy-retention")
def retention_run_task() -> int:
    """Apply the retention schedule; returns how many clients or records were destroyed."""
    return retention_run(now=timezone.now()).destroyed
