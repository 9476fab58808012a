"""Fault injection: the disk fills up while an export is being written.

The export directory is pointed at a small tmpfs mounted for the test and
filled until less room is left than the export needs, so the writer hits
ENOSPC half-way through the file. The job must end FAILED with the reason,
leave no file (neither the ``.part`` nor a truncated final file) and offer
nothing to download; once space is freed the same job runs again and
produces a complete file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from pulih.reports import services
from pulih.reports.exports import export_path, export_run
from pulih.reports.models import ExportStatus
from pulih.testing.world import World

MOUNT = shutil.which("mount")
UMOUNT = shutil.which("umount")
SIZE = 1024 * 1024


def _can_mount() -> bool:
    return os.geteuid() == 0 and MOUNT is not None and UMOUNT is not None


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [str(MOUNT), "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs for the disk-full test: {result.stderr}")
    try:
        yield point
    finally:
        subprocess.run([str(UMOUNT), "-l", str(point)], check=False)  # noqa: S603 - fixed arguments


def _fill(disk: Path, leave: int) -> Path:
    """Fill the file system until only about ``leave`` bytes are free."""
    filler = disk / "filler.bin"
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(filler, "wb") as out:
        out.write(b"\0" * max(free - leave, 0))
    return filler


# After the ENOSPC openpyxl leaves its half-written zip and sheet generators to the
# garbage collector; pytest may show their cleanup as "unraisable exception" warnings.
@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs (CI runs as root)")
@pytest.mark.django_db
def test_a_full_disk_fails_the_export_cleanly_and_a_retry_after_freeing_space_succeeds(
    world: World, tiny_disk: Path, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    params = {"level": "national"}
    # How big is this export when there is room? (written to an ordinary directory)
    with override_settings(PULIH_EXPORT_DIR=tmp_path / "roomy"):
        with django_capture_on_commit_callbacks(execute=False):
            probe = services.export_request(actor=world.olga, kind="dashboard", format="xlsx", params=params)
        assert export_run(str(probe.pk)) == ExportStatus.DONE
        probe.refresh_from_db()
        size = probe.file_size
    assert size > 8192, size

    with override_settings(PULIH_EXPORT_DIR=tiny_disk):
        with django_capture_on_commit_callbacks(execute=False):
            job = services.export_request(actor=world.olga, kind="dashboard", format="xlsx", params=params)
        # Room for one 4 KiB page: the writer gets part of the file out, then ENOSPC.
        filler = _fill(tiny_disk, leave=4096)
        assert export_run(str(job.pk)) == ExportStatus.FAILED
        job.refresh_from_db()
        assert job.status == ExportStatus.FAILED
        assert "No space left" in job.error or "space" in job.error.lower(), job.error
        assert job.file_name == "" and job.file_size == 0
        assert export_path(job) is None
        assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler.bin"], "a half-written file was left"

        # Nothing to download: the status page offers no file and the download is refused.
        from django.test import Client

        client = Client()
        client.force_login(world.olga)
        download = client.get(f"/reports/exports/{job.pk}/download/")
        assert download.status_code in (404, 409, 302), download.status_code

        # Free the space: the same job runs again and writes a complete file.
        filler.unlink()
        assert export_run(str(job.pk)) == ExportStatus.DONE
        job.refresh_from_db()
        path = export_path(job)
        assert path is not None and path.parent == tiny_disk
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        assert len(load_workbook(path, read_only=True).sheetnames) >= 3
        assert job.file_size == path.stat().st_size > 8192
        assert not list(tiny_disk.glob("*.part"))
