"""IKRN import: every bad row reported, all-or-nothing, re-import replaces with an audit record."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from pulih.audit.models import AuditEvent
from pulih.mapping import ikrn_files
from pulih.mapping.audit_codes import MappingAction
from pulih.mapping.models import IkrnAssessment, IkrnImportStatus
from pulih.mapping.services.ikrn import ikrn_import_request, ikrn_import_run
from pulih.testing.world import AIR_MESU_TIMUR, KAYU_ARO, World

HEADER = "kode_desa,tahun,kategori,kasus_narkoba,pengedar,pengguna,sumber"


def _run(user: Any, name: str, content: bytes) -> Any:
    job = ikrn_import_request(actor=user, file_name=name, content=content, enqueue=False)
    return ikrn_import_run(import_id=job.pk)


@pytest.mark.django_db
def test_a_file_with_one_bad_row_imports_nothing_and_the_corrected_file_imports_everything(
    world: World,
) -> None:
    bad = (
        f"{HEADER}\n{KAYU_ARO},2024,Bahaya,1,1,1,IKRN 2024\n15.05.02.9999,2024,Bahaya,1,1,1,IKRN 2024\n"
    ).encode()
    job = _run(world.sam, "ikrn.csv", bad)
    assert job.status == IkrnImportStatus.FAILED
    assert IkrnAssessment.objects.count() == 0
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [(3, "kode_desa", "unknown_village")]
    from django.utils import translation

    with translation.override("id"):
        message = ikrn_files.error_message(job.errors[0])
    assert message.startswith("Baris 3, kolom kode_desa")
    assert "15.05.02.9999" in message

    fixed = bad.replace(b"15.05.02.9999", b"15.05.02.2001")
    job = _run(world.sam, "ikrn.csv", fixed)
    assert job.status == IkrnImportStatus.DONE
    assert job.rows_imported == 2
    assert set(IkrnAssessment.objects.values_list("village_id", flat=True)) == {KAYU_ARO, "15.05.02.2001"}


@pytest.mark.django_db
def test_every_bad_cell_is_reported_with_its_row_and_column(world: World) -> None:
    content = (
        f"{HEADER}\n"
        f"{KAYU_ARO},20x4,Merah,2,1,1,\n"
        f"{KAYU_ARO},2024,Aman,1,0,0,sumber\n"
        f"{KAYU_ARO},2024,Aman,1,0,0,sumber\n"
    ).encode()
    job = _run(world.sam, "ikrn.csv", content)
    found = {(e["row"], e["column"], e["code"]) for e in job.errors}
    assert found == {
        (2, "tahun", "bad_year"),
        (2, "kategori", "bad_category"),
        (2, "kasus_narkoba", "bad_flag"),
        (2, "sumber", "required"),
        (4, "kode_desa", "duplicate"),
    }
    assert IkrnAssessment.objects.count() == 0


@pytest.mark.django_db
def test_a_village_outside_the_importers_area_is_refused(world: World) -> None:
    content = f"{HEADER}\n{AIR_MESU_TIMUR},2024,Bahaya,1,1,1,IKRN\n".encode()
    job = _run(world.sam, "ikrn.csv", content)
    assert job.errors[0]["code"] == "out_of_scope"
    assert not IkrnAssessment.objects.exists()


@pytest.mark.django_db
def test_reimporting_a_year_replaces_the_villages_records_and_audits_the_old_values(world: World) -> None:
    _run(world.sam, "a.csv", f"{HEADER}\n{KAYU_ARO},2024,Bahaya,1,1,1,first\n".encode())
    job = _run(world.sam, "b.csv", f"{HEADER}\n{KAYU_ARO},2024,Siaga,0,0,0,second\n".encode())
    record = IkrnAssessment.objects.get(village_id=KAYU_ARO, year=2024)
    assert (record.category, record.source) == ("siaga", "second")
    assert job.rows_replaced == 1
    event = AuditEvent.objects.filter(action=MappingAction.IKRN_IMPORTED).latest("id")
    assert event.detail["replaced"][0]["category"] == "bahaya"


@pytest.mark.django_db
def test_an_xlsx_file_made_from_the_template_imports(world: World) -> None:
    workbook = load_workbook(io.BytesIO(ikrn_files.template_xlsx()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ikrn_files.COLUMNS
    row = dict.fromkeys(ikrn_files.COLUMNS, None)
    row |= {"kode_desa": KAYU_ARO, "tahun": 2023, "rawan": "ya", "sumber": "IKRN 2023", "responden_warga": 30}
    sheet.append([row[c] for c in ikrn_files.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    job = _run(world.sam, "ikrn.xlsx", out.getvalue())
    assert job.status == IkrnImportStatus.DONE, job.errors
    record = IkrnAssessment.objects.get(village_id=KAYU_ARO, year=2023)
    assert record.drug_prone is True and record.respondents_residents == 30 and record.category == ""


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_is_rejected_cleanly(world: World) -> None:
    job = _run(world.sam, "ikrn.xlsx", b"not a zip")
    assert job.status == IkrnImportStatus.FAILED
    assert job.errors[0]["code"] == "unreadable"


@pytest.mark.django_db
def test_a_csv_with_a_nul_character_is_rejected_cleanly(world: World) -> None:
    # Found by fuzzing on PostgreSQL, which cannot store NUL in text columns.
    job = _run(world.sam, "ikrn.csv", b"kode_desa,tahun\n15.05.02.2003\x00,2021\n")
    assert job.status == IkrnImportStatus.FAILED
    assert job.errors[0]["code"] == "unreadable"
    assert IkrnAssessment.objects.count() == 0


@pytest.mark.django_db
def test_the_import_task_runs_in_huey_immediate_mode(world: World) -> None:
    from huey.contrib.djhuey import HUEY

    from pulih.mapping.tasks import ikrn_import_task

    job = ikrn_import_request(
        actor=world.sam,
        file_name="ikrn.csv",
        content=f"{HEADER}\n{KAYU_ARO},2024,,1,1,1,IKRN\n".encode(),
        enqueue=False,
    )
    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        result = ikrn_import_task(str(job.pk))
        assert result.get() == IkrnImportStatus.DONE
    finally:
        HUEY.immediate = previous
    assert IkrnAssessment.objects.filter(village_id=KAYU_ARO, year=2024).exists()


@pytest.mark.django_db
def test_the_upload_page_queues_the_job_and_shows_the_errors(
    world: World, as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from huey.contrib.djhuey import HUEY

    client = as_user(world.sam)
    upload = SimpleUploadedFile("ikrn.csv", f"{HEADER}\nnope,2024,,1,1,1,IKRN\n".encode())
    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/mapping/ikrn/import/", {"file": upload})
    finally:
        HUEY.immediate = previous
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="id")
    assert "Baris 2, kolom kode_desa" in page.content.decode()


@pytest.mark.django_db
def test_the_templates_download_as_csv_and_xlsx(world: World, as_user: Any) -> None:
    client = as_user(world.sam)
    csv_response = client.get("/mapping/ikrn/template.csv")
    assert csv_response.content.decode("utf-8-sig").strip() == ",".join(ikrn_files.COLUMNS)
    xlsx = client.get("/mapping/ikrn/template.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Workbook is not None and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_reimporting_a_year_replaces_the_whole_year_in_the_work_area_and_nothing_outside_it(world: World) -> None:
    from pulih.regions.models import Village

    other = Village.objects.filter(regency_id=KAYU_ARO[:5]).exclude(code=KAYU_ARO).order_by("code").first()
    assert other is not None
    first = f"{HEADER}\n{KAYU_ARO},2024,Bahaya,1,1,1,first\n{other.code},2024,Aman,0,0,0,first\n"
    _run(world.sam, "a.csv", first.encode())
    # A village of another province, recorded by BNNP Babel staff, in the same year.
    _run(world.nina, "babel.csv", f"{HEADER}\n{AIR_MESU_TIMUR},2024,Siaga,0,0,0,babel\n".encode())
    # The new Jambi file for 2024 leaves out the second village: the year is replaced.
    job = _run(world.sam, "b.csv", f"{HEADER}\n{KAYU_ARO},2024,Waspada,0,1,0,second\n".encode())
    assert job.rows_replaced == 2
    assert set(IkrnAssessment.objects.filter(year=2024).values_list("village_id", "source")) == {
        (KAYU_ARO, "second"),
        (AIR_MESU_TIMUR, "babel"),
    }
    event = AuditEvent.objects.filter(action=MappingAction.IKRN_IMPORTED).latest("id")
    assert {r["village"] for r in event.detail["replaced"]} == {KAYU_ARO, other.code}
