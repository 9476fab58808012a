"""Property tests and fuzz harnesses for the IKRN file reader and parser (hypothesis).

Whatever bytes are uploaded, reading gives a table or ``FileUnreadable``;
whatever table is read, parsing gives rows and ``RowError``s with a known code;
and a whole import ends as DONE or FAILED with its errors kept — never with
another exception (which would leave the job RUNNING and the user without an
answer).
"""

from __future__ import annotations

import csv
import io
import random
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pulih.mapping import ikrn_files
from pulih.mapping.models import IkrnAssessment, IkrnImportStatus
from pulih.mapping.services.ikrn import ikrn_import_request, ikrn_import_run
from pulih.testing.world import AIR_MESU_TIMUR, KAYU_ARO, World

KNOWN_CODES = {
    "empty",
    "unreadable",
    "too_many_rows",
    "unknown_column",
    "missing_column",
    "required",
    "bad_year",
    "bad_category",
    "bad_flag",
    "bad_count",
    "too_long",
    "unknown_village",
    "out_of_scope",
    "duplicate",
}

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "1", "0", "ya", "tidak", "x", "Bahaya", "aman", "2024", "1999", "-1", "10001", "٣"]),
    st.integers(-10, 3000).map(str),
)
header_cells = st.one_of(st.sampled_from(ikrn_files.COLUMNS), st.text(max_size=8))


@st.composite
def tables(draw: Any) -> list[list[str]]:
    header = draw(st.lists(header_cells, max_size=len(ikrn_files.COLUMNS) + 2))
    if draw(st.booleans()):
        header = [*ikrn_files.REQUIRED, *header]
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=6))
    return [header, *rows] if draw(st.integers(0, 9)) else []


def _valid_row(draw: Any) -> dict[str, str]:
    row = {
        "kode_desa": draw(st.sampled_from([KAYU_ARO, AIR_MESU_TIMUR])),
        "tahun": str(draw(st.integers(2000, 2025))),
        "kategori": draw(st.sampled_from(["", "Bahaya", "waspada", "SIAGA", "aman", "danger"])),
        "rawan": draw(st.sampled_from(["", "1", "0", "ya", "tidak"])),
        "sumber": draw(st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=20)).strip()
        or "IKRN",
    }
    for col in ikrn_files.INDICATOR_COLUMNS:
        row[col] = draw(st.sampled_from(["", "1", "0"]))
    for col in ikrn_files.COUNT_COLUMNS:
        row[col] = draw(st.sampled_from(["", "0", "30", "10000"]))
    return row


@st.composite
def valid_rows(draw: Any) -> list[dict[str, str]]:
    return [_valid_row(draw) for _ in range(draw(st.integers(1, 4)))]


def _csv(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ikrn_files.COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(ikrn_files.COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in ikrn_files.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TEMPLATE_XLSX = ikrn_files.template_xlsx()


def _read(content: bytes, fmt: str) -> list[list[str]] | None:
    try:
        table = ikrn_files.read_table(content, fmt)
    except ikrn_files.FileUnreadable:
        return None
    assert all(isinstance(c, str) for row in table for c in row)
    return table


def _check_parse(table: list[list[str]]) -> None:
    parsed, errors = ikrn_files.parse(table)
    for error in errors:
        assert error.code in KNOWN_CODES, error
        assert isinstance(error.row, int)
        message = ikrn_files.error_message(error.as_dict())
        assert message and "%(" not in message
    if errors:
        assert not parsed or all(r.row not in {e.row for e in errors} for r in parsed)
    for row in parsed:
        assert row.village_code and row.source
        assert row.year >= ikrn_files.MIN_YEAR


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["csv", "xlsx"]))
@example(b"\x00\x00", "csv")
@example(b'"' + b"a" * 140_000 + b'"\n', "csv")
@example(b"PK\x03\x04garbage", "xlsx")
def test_reading_any_bytes_gives_a_table_or_file_unreadable(content: bytes, fmt: str) -> None:
    table = _read(content, fmt)
    if table is not None:
        _check_parse(table)


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_reading_a_damaged_xlsx_gives_a_table_or_file_unreadable(data: Any) -> None:
    content = bytearray(TEMPLATE_XLSX)
    rnd = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    for _ in range(data.draw(st.integers(1, 12))):
        content[rnd.randrange(len(content))] = rnd.randrange(256)
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(0, len(content)))]
    table = _read(bytes(content), "xlsx")
    if table is not None:
        _check_parse(table)


@settings(max_examples=400, deadline=None)
@given(tables())
def test_parsing_any_table_gives_rows_or_row_errors_only(table: list[list[str]]) -> None:
    _check_parse(table)


@settings(max_examples=60, deadline=None)
@given(valid_rows(), st.sampled_from(["csv", "csv;", "xlsx"]))
def test_valid_rows_survive_writing_and_reading_in_every_format(rows: list[dict[str, str]], fmt: str) -> None:
    content = _xlsx(rows) if fmt == "xlsx" else _csv(rows, ";" if fmt == "csv;" else ",")
    table = ikrn_files.read_table(content, fmt.rstrip(";"))
    parsed, errors = ikrn_files.parse(table)
    assert errors == []
    assert [(p.village_code, p.year, p.source) for p in parsed] == [
        (r["kode_desa"], int(r["tahun"]), r["sumber"].strip()) for r in rows
    ]
    for p, r in zip(parsed, rows, strict=True):
        assert p.category == ikrn_files.CATEGORY_WORDS.get(r["kategori"].lower(), "")
        for col, fld in ikrn_files.INDICATOR_COLUMNS.items():
            assert p.indicators[fld] == {"": None, "1": True, "0": False}[r[col]]


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        valid_rows().map(_csv),
        tables().map(lambda t: "\n".join(",".join(r) for r in t).encode()),
    ),
    fmt=st.sampled_from(["ikrn.csv", "ikrn.xlsx"]),
)
def test_an_import_of_any_upload_ends_done_or_failed_never_with_another_exception(
    world: World, content: bytes, fmt: str
) -> None:
    sid = transaction.savepoint()
    try:
        if not content:
            content = b"\n"
        job = ikrn_import_request(actor=world.sam, file_name=fmt, content=content, enqueue=False)
        job = ikrn_import_run(import_id=job.pk)
        assert job.status in (IkrnImportStatus.DONE, IkrnImportStatus.FAILED)
        if job.status == IkrnImportStatus.FAILED:
            assert job.errors and all(e["code"] in KNOWN_CODES for e in job.errors)
            assert IkrnAssessment.objects.filter(import_batch=job).count() == 0
        else:
            assert IkrnAssessment.objects.filter(import_batch=job).count() == job.rows_imported > 0
    finally:
        transaction.savepoint_rollback(sid)
