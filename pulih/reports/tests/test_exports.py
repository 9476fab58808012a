"""Exports: the XLSX file holds exactly what the CSV holds, suppression included."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from pulih.reports import rollups, services
from pulih.reports.exports import export_path, export_run, stored_shown, stored_text
from pulih.reports.models import ExportStatus, RefreshState
from pulih.reports.pattern import UNSUPPRESSED_INDICATORS
from pulih.reports.tests.conftest import Month
from pulih.testing.world import World


def test_the_fast_cell_text_is_the_stored_cell_text() -> None:
    free = next(iter(UNSUPPRESSED_INDICATORS))
    for value in [*range(0, 12), 57, 1234]:
        for hidden in (False, True):
            for hide in (False, True):
                for indicator in ("clients_new", free):
                    assert stored_text(value, hidden, hide=hide, indicator=indicator) == (
                        stored_shown(value, hidden, hide=hide, indicator=indicator).text
                    ), (value, hidden, hide, indicator)


def _run(actor: Any, fmt: str, params: dict[str, Any], capture: Any) -> Any:
    with capture(execute=False):
        job = services.export_request(actor=actor, kind="facts", format=fmt, params=params)
    assert export_run(str(job.pk)) == ExportStatus.DONE
    job.refresh_from_db()
    path = export_path(job)
    assert path is not None
    return job, path


@pytest.mark.parametrize("by", ["unit", "area"])
def test_the_xlsx_facts_export_holds_the_same_cells_as_the_csv(
    world: World, month_of_work: Month, django_capture_on_commit_callbacks: Any, by: str
) -> None:
    m = month_of_work.month
    rollups.refresh_units([world.unit_kayu_aro.pk, world.unit_air_mesu.pk], [m], villages=True)
    RefreshState.objects.update_or_create(name="facts", defaults={"refreshed_at": "2025-01-01T00:00:00Z"})
    params = {"level": "province", "area": "15", "from": f"{m:%Y-%m}", "to": f"{m:%Y-%m}", "by": by}

    csv_job, csv_path = _run(world.sam, "csv", params, django_capture_on_commit_callbacks)
    xlsx_job, xlsx_path = _run(world.sam, "xlsx", params, django_capture_on_commit_callbacks)

    from_csv = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    with zipfile.ZipFile(xlsx_path) as archive:
        assert archive.testzip() is None
    wb = load_workbook(xlsx_path, read_only=True)
    assert len(wb.sheetnames) == 1 and wb.sheetnames[0].startswith("1 ")
    from_xlsx = [["" if v is None else v for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()

    assert len(from_csv) > 10
    assert from_xlsx == from_csv
    assert xlsx_job.rows_done == csv_job.rows_done == len(from_csv) - 1
    # Suppressed for a supervisor above the unit: no small count is ever shown.
    assert not any(r[-1] in {"1", "2", "3", "4"} for r in from_xlsx[1:])
    if by == "unit":
        assert any(r[4] == "clients_new" and r[6] == "" and r[-1] == "<5" for r in from_xlsx[1:])
