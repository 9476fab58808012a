"""The streaming XLSX writer: files open in openpyxl, values round-trip, memory stays flat."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pulih.reports import exports
from pulih.reports.exports import Document, Progress, Table, write_xlsx
from pulih.reports.xlsx import EXACT_INT, MAX_CELL_CHARS, XlsxWriter, column_letter


def _read(source: Path | io.BytesIO) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(source, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def _write(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    buf = io.BytesIO()
    with XlsxWriter(buf) as book, book.sheet("Data", header=header) as sheet:
        for row in rows:
            sheet.append(row)
    buf.seek(0)
    return buf


def _padded(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    return [tuple(r) + (None,) * (width - len(r)) for r in rows]


def test_a_written_file_is_a_sound_zip_with_the_parts_of_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with XlsxWriter(path, title="Rekap & <ringkasan>") as book:
        with book.sheet("First", header=["A", "B"]) as sheet:
            sheet.append(["x", 1])
        with book.sheet("Second") as sheet:
            sheet.append([2.5])
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
        } <= names
        types = archive.read("[Content_Types].xml").decode()
        assert types.count("spreadsheetml.worksheet+xml") == 2
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    wb = load_workbook(path)
    assert wb.sheetnames == ["First", "Second"]
    assert wb.properties.title == "Rekap & <ringkasan>"
    assert _read(path) == {"First": [("A", "B"), ("x", 1)], "Second": [(2.5,)]}


def test_values_round_trip_exactly() -> None:
    row: list[Any] = [
        "a < b && c > d \"quoted\" 'single'",
        "Pulau Bangka — Pangkalpinang · ünïcödé 日本語 🚀",
        "=SUM(A1:A3)",
        "+62 812",
        "-5",
        "@home",
        999_999_999_999_999,  # 15 digits: Excel holds it exactly
        -999_999_999_999_999,
        0,
        -17,
        0.1,
        -1234.5678,
        1e-300,
        1.7976931348623157e308,
        True,
        False,
        Decimal("12.75"),
        "  leading and trailing  ",
        "line 1\nline 2\r\nline 3\ttab",
    ]
    got = _read(_write([row]))["Data"]
    assert got == [(*row[:16], 12.75, *row[17:])]
    assert type(got[0][6]) is int and type(got[0][10]) is float


def test_a_string_starting_with_equals_is_text_and_never_a_formula() -> None:
    buf = _write([["=1+1", "=HYPERLINK(\"http://x\")"]])
    ws = load_workbook(buf).active
    assert ws is not None
    assert [c.data_type for c in ws[1]] == ["s", "s"]
    assert [c.value for c in ws[1]] == ["=1+1", '=HYPERLINK("http://x")']
    with zipfile.ZipFile(buf) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_characters_xml_forbids_are_removed_and_the_rest_is_kept() -> None:
    dirty = "be\x00fo\x01re\x08\x0b\x0c\x1f|\ufffe\uffff|\ud800|after\tnew\nline"
    got = _read(_write([[dirty, "\x00\x01"]]))["Data"]
    assert got == [("before|||after\tnew\nline",)]


def test_none_and_the_empty_string_are_empty_cells() -> None:
    got = _read(_write([[None, "x", None, "", 3]]))["Data"]
    assert got == [(None, "x", None, None, 3)]


def test_ints_excel_would_round_are_written_as_their_digits() -> None:
    nik = 3201234567890123  # 16 digits: a NIK
    big = -(10**30)
    got = _read(_write([[EXACT_INT + 1, nik, big]]))["Data"]
    assert got == [(str(EXACT_INT + 1), "3201234567890123", str(big))]


def test_values_excel_cannot_store_become_text() -> None:
    got = _read(_write([[math.nan, math.inf, -math.inf, Decimal("NaN"), "x" * (MAX_CELL_CHARS + 10)]]))[
        "Data"
    ]
    assert got == [("nan", "inf", "-inf", "nan", "x" * MAX_CELL_CHARS)]


def test_dates_are_date_serials_and_old_or_zoned_ones_iso_text() -> None:
    aware = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    row = [dt.date(2024, 2, 29), dt.datetime(2026, 1, 31, 23, 59, 58), dt.date(1900, 2, 28), aware]
    buf = _write([row])
    got = _read(buf)["Data"]
    assert got == [
        (dt.datetime(2024, 2, 29), dt.datetime(2026, 1, 31, 23, 59, 58), "1900-02-28", "2024-05-01T08:00:00+07:00")
    ]
    ws = load_workbook(buf).active
    assert ws is not None
    assert ws["A1"].number_format == "yyyy\\-mm\\-dd"
    assert ws["A1"].is_date and ws["B1"].is_date


def test_a_literal_excel_escape_sequence_is_itself_escaped() -> None:
    with zipfile.ZipFile(_write([["code _x0041_ and _x_"]])) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # Excel turns _x005F_ back into "_", so it shows the text as written.
    assert "code _x005F_x0041_ and _x_" in xml


def test_the_header_is_bold_frozen_and_sets_column_widths() -> None:
    buf = _write([["a", 1]], header=["Short", "A much longer column title"])
    ws = load_workbook(buf).active
    assert ws is not None
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and ws["B1"].font.b and not ws["A2"].font.b
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_empty_tables_and_an_empty_workbook_still_open(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with XlsxWriter(path) as book:
        book.sheet("Header only", header=["Month", "Value"])
        book.sheet("Nothing")
    assert _read(path) == {"Header only": [("Month", "Value")], "Nothing": []}
    bare = tmp_path / "bare.xlsx"
    XlsxWriter(bare).close()
    assert _read(bare) == {"Sheet1": []}


def test_several_sheets_keep_their_order_and_names_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with XlsxWriter(path) as book:
        for n in range(12):
            with book.sheet(f"T{n} & <{n}>", header=["n"]) as sheet:
                for i in range(n):
                    sheet.append([i * n])
        with pytest.raises(ValueError):
            book.sheet("t0 & <0>")  # Excel compares names case-insensitively
        for bad in ("", "x" * 32, "a/b", "a[1]", "'quoted'", "tab\x01"):
            with pytest.raises(ValueError):
                book.sheet(bad)
    got = _read(path)
    assert list(got) == [f"T{n} & <{n}>" for n in range(12)]
    assert got["T5 & <5>"] == [("n",)] + [(i * 5,) for i in range(5)]


def test_an_error_while_writing_leaves_the_file_closed(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"

    def rows() -> Iterator[list[Any]]:
        yield ["ok"]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="went away"), XlsxWriter(path) as book, book.sheet("S") as sheet:
        for row in rows():
            sheet.append(row)
    path.unlink()  # closed: the caller can remove it


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]
    row = list(range(30))
    assert _read(_write([row]))["Data"] == [tuple(row)]


def _expected(value: Any) -> Any:
    """What a cell holds after the round trip, by the documented rules."""
    if isinstance(value, str):
        text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", value)[:MAX_CELL_CHARS]
        text = re.sub("(_x[0-9A-Fa-f]{4}_)", r"_x005F\1", text)
        return text or None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT_INT:
        return str(value)
    return value


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from('<>&"\'=_x0041 \t\n\r\x00\x1f\ufffeé日'), max_size=20),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=6))
def test_random_cells_round_trip(rows: list[list[Any]]) -> None:
    got = _read(_write(rows))["Data"]
    width = max(len(r) for r in rows)
    expected = [tuple(_expected(v) for v in r) for r in rows]
    # Trailing empty rows are not written at all; compare what is there.
    assert _padded(got, width) == _padded(expected[: len(got)], width)
    assert all(all(v is None for v in r) for r in expected[len(got) :])


def _peak(path: Path, n_rows: int) -> int:
    row = ["2026-01", "Kerinci", "clients_new", "Sex"]
    tracemalloc.start()
    try:
        with XlsxWriter(path) as book, book.sheet("Facts", header=[*row, "Member", "Value"]) as sheet:
            for i in range(n_rows):
                sheet.append([*row, f"member {i}", i])  # a new string on every row: the cache must stay bounded
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _tail(path: Path, entry: str) -> bytes:
    """The last bytes of one entry of the package, read in chunks."""
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(entry) as fh:
        while chunk := fh.read(1 << 20):
            tail = (tail + chunk)[-4096:]
    return tail


def test_memory_stays_flat_however_many_rows(tmp_path: Path) -> None:
    small = _peak(tmp_path / "small.xlsx", 20_000)
    large = _peak(tmp_path / "large.xlsx", 200_000)
    assert large <= small + 256 * 1024, (small, large)
    with zipfile.ZipFile(tmp_path / "large.xlsx") as archive:
        assert archive.testzip() is None
    tail = _tail(tmp_path / "large.xlsx", "xl/worksheets/sheet1.xml").decode()
    assert tail.endswith(
        '<row r="200001"><c r="A200001" t="inlineStr"><is><t>2026-01</t></is></c>'
        '<c r="B200001" t="inlineStr"><is><t>Kerinci</t></is></c>'
        '<c r="C200001" t="inlineStr"><is><t>clients_new</t></is></c>'
        '<c r="D200001" t="inlineStr"><is><t>Sex</t></is></c>'
        '<c r="E200001" t="inlineStr"><is><t>member 199999</t></is></c>'
        '<c r="F200001"><v>199999</v></c></row></sheetData></worksheet>'
    )


class _Counter(Progress):
    def __init__(self) -> None:  # no job row: only counts
        self.done = 0

    def tick(self, n: int = 1) -> None:
        self.done += n


def test_write_xlsx_rolls_a_table_over_to_numbered_sheets_with_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 4)
    long_title = "Indicator values · Kabupaten Bangka Barat"
    doc = Document(
        "Export",
        "",
        None,
        [
            Table(long_title, ["Month", "Value"], ([f"2026-{i:02d}", str(i)] for i in range(1, 8))),
            Table("Empty", ["X"], []),
        ],
    )
    counter = _Counter()
    path = tmp_path / "export.xlsx"
    write_xlsx(path, doc, counter)
    got = _read(path)
    names = list(got)
    assert names == [
        "1 Indicator values · Kabupaten",
        "1 Indicator values · Kabupa (2)",
        "1 Indicator values · Kabupa (3)",
        "2 Empty",
    ]
    assert all(len(n) <= 31 for n in names)
    assert [len(rows) for rows in got.values()] == [4, 4, 2, 1]
    assert all(rows[0] == ("Month", "Value") for rows in list(got.values())[:3])
    assert [r[1] for rows in list(got.values())[:3] for r in rows[1:]] == [str(i) for i in range(1, 8)]
    assert counter.done == 7
