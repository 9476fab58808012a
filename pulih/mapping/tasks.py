"""Background jobs of the mapping app (thin wrappers around services)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from pulih.mapping.services.ikrn import ikrn_import_run


@db_task()
def ikrn_import_task(import_id: str) -> str:
    return ikrn_import_run(import_id=import_id).status
