"""The monthly report list and the late list download as CSV/XLSX, as background jobs, scoped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from pulih.core.errors import NotAllowed
from pulih.reports import services
from pulih.reports.exports import export_path
from pulih.reports.models import ExportStatus
from pulih.testing.world import World


def _run(actor: Any, kind: str, params: dict[str, Any], capture: Any) -> list[list[str]]:
    with capture(execute=True):
        job = services.export_request(actor=actor, kind=kind, format="csv", params=params)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    path = export_path(job)
    assert path is not None
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.django_db(transaction=False)
def test_the_late_list_and_the_report_list_download_within_the_scope(
    world: World, huey_immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    month = dt.date(2025, 3, 1)
    report = services.report_open(actor=world.carol, month=month)
    services.report_edit(actor=world.carol, report=report, narrative="ok")
    services.report_submit(actor=world.carol, report=report)
    # National staff: Air Mesu Timur is late (never started), Kayu Aro submitted.
    late = _run(world.olga, "late", {"month": "2025-03"}, django_capture_on_commit_callbacks)
    assert [row[0] for row in late[1:]] == [world.unit_air_mesu.name]
    assert late[1][4].isdigit() and int(late[1][4]) > 0
    # The report list: the Jambi supervisor sees Kayu Aro's report, BNNK Pangkalpinang none.
    jambi = _run(world.sam, "reports", {"month": "2025-03"}, django_capture_on_commit_callbacks)
    assert [(row[0], row[2]) for row in jambi[1:]] == [(world.unit_kayu_aro.name, "2025-03")]
    babel = _run(world.pat, "reports", {"month": "2025-03"}, django_capture_on_commit_callbacks)
    assert len(babel) == 1  # the header only
    # A unit does not download the late list of its office.
    with pytest.raises(NotAllowed):
        services.export_request(actor=world.carol, kind="late", format="csv", params={"month": "2025-03"})


@pytest.mark.django_db
def test_the_list_pages_offer_the_downloads(world: World, as_user: Any) -> None:
    html = as_user(world.olga).get("/reports/monthly/late/?month=2025-03").content.decode()
    assert 'data-testid="export-late-xlsx"' in html
