"""The region load runs through the real job queue (huey, SQLite storage)."""

from __future__ import annotations

from pathlib import Path

import pytest
from huey import SqliteHuey
from huey.contrib.djhuey import HUEY

from pulih.regions.models import RegionDataVersion
from pulih.regions.tasks import load_regions_task


# Transactional: the job closes its database connection when done, as it must
# in a worker process.
@pytest.mark.django_db(transaction=True)
def test_the_region_load_job_is_queued_stored_and_executed_by_a_worker(tmp_path: Path) -> None:
    storage = SqliteHuey(name="pulih-test", filename=str(tmp_path / "queue.sqlite3"))
    original = HUEY.storage
    HUEY.storage = storage.storage  # the same queue a `run_huey` worker reads
    try:
        result = load_regions_task(provinces=["19"], force=True)
        assert HUEY.pending_count() == 1
        task = HUEY.dequeue()  # what the worker process does …
        assert task is not None
        HUEY.execute(task)  # … and runs it
        assert HUEY.pending_count() == 0
        assert result.get() == {
            "provinces": 1,
            "regencies": 7,
            "districts": 47,
            "villages": 393,
            "skipped": False,
        }
    finally:
        HUEY.storage = original
    assert RegionDataVersion.objects.filter(source="idn-area-data@3.1.2:19").exists()
