"""Reading and checking IKRN files (CSV or XLSX), and writing the template.

The first sheet (or the CSV) has one header row with the column names of
:data:`COLUMNS`, then one row per village and year. Row numbers in errors are
spreadsheet row numbers (the header is row 1). Errors are kept as data
(row, column, code, value) and turned into a sentence in the reader's
language by :func:`error_message`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.mapping.indicators import MAIN_INDICATORS, SUPPORTING_INDICATORS
from pulih.mapping.models import IkrnCategory

BASE_COLUMNS = ["kode_desa", "tahun", "kategori", "rawan"]
COUNT_COLUMNS = {
    "responden_warga": "respondents_residents",
    "responden_kepala_desa": "respondents_village_head",
    "responden_aparat": "respondents_law_enforcement",
}
TEXT_COLUMNS = {"sumber": ("source", 250), "catatan": ("note", 2000)}
INDICATOR_COLUMNS = {col: fld for fld, col, _label in MAIN_INDICATORS + SUPPORTING_INDICATORS}
COLUMNS = [*BASE_COLUMNS, *INDICATOR_COLUMNS, *COUNT_COLUMNS, *TEXT_COLUMNS]
REQUIRED = ["kode_desa", "tahun", "sumber"]
MAX_ROWS = 100_000
MIN_YEAR = 2000

TRUE_WORDS = {"1", "ya", "y", "true", "benar", "v", "x", "yes"}
FALSE_WORDS = {"0", "tidak", "t", "false", "salah", "no", "n"}
CATEGORY_WORDS = {c.value: c.value for c in IkrnCategory} | {
    "danger": "bahaya",
    "alert": "waspada",
    "standby": "siaga",
    "safe": "aman",
}


class FileUnreadable(Exception):
    pass


@dataclass
class RowError:
    row: int
    column: str
    code: str
    value: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedRow:
    row: int
    village_code: str
    year: int
    category: str
    drug_prone: bool | None
    indicators: dict[str, bool | None]
    counts: dict[str, int | None]
    source: str
    note: str


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, fmt: str) -> list[list[str]]:
    """All rows of the file as lists of strings (header first)."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                # In read-only mode the sheet is parsed while iterating, so a
                # damaged sheet fails here, not in load_workbook.
                sheet = workbook.worksheets[0]
                return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                workbook.close()
        except Exception as exc:  # openpyxl (zipfile, XML parser) raises many types for a bad file
            raise FileUnreadable(str(exc)) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    if "\x00" in text:
        # NUL never occurs in a CSV (and PostgreSQL cannot store it in text).
        raise FileUnreadable("NUL character in a text file")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise FileUnreadable(str(exc)) from exc


def _flag(value: str) -> bool | str | None:
    low = value.lower()
    if low == "":
        return None
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return "bad"


def parse(table: list[list[str]]) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    errors: list[RowError] = []
    if not table:
        return [], [RowError(1, "", "empty")]
    header = [h.strip().lower() for h in table[0]]
    for col in header:
        if col and col not in COLUMNS:
            errors.append(RowError(1, col, "unknown_column"))
    for col in REQUIRED:
        if col not in header:
            errors.append(RowError(1, col, "missing_column"))
    if errors:
        return [], errors
    body = [(i + 2, r) for i, r in enumerate(table[1:]) if any(c.strip() for c in r)]
    if not body:
        return [], [RowError(2, "", "empty")]
    if len(body) > MAX_ROWS:
        return [], [RowError(MAX_ROWS + 2, "", "too_many_rows", extra={"max": MAX_ROWS})]
    max_year = timezone.localdate().year + 1
    parsed: list[ParsedRow] = []
    for number, raw in body:
        values = {col: (raw[i] if i < len(raw) else "") for i, col in enumerate(header) if col}
        row_errors: list[RowError] = []
        for col in REQUIRED:
            if not values.get(col, ""):
                row_errors.append(RowError(number, col, "required"))
        year = 0
        year_text = values.get("tahun", "")
        if year_text:
            try:
                year = int(year_text)
            except ValueError:
                year = 0
            if not MIN_YEAR <= year <= max_year:
                row_errors.append(RowError(number, "tahun", "bad_year", year_text, {"max": max_year}))
        category_text = values.get("kategori", "")
        category = CATEGORY_WORDS.get(category_text.lower(), "") if category_text else ""
        if category_text and not category:
            row_errors.append(RowError(number, "kategori", "bad_category", category_text))
        prone = _flag(values.get("rawan", ""))
        if prone == "bad":
            row_errors.append(RowError(number, "rawan", "bad_flag", values["rawan"]))
        indicators: dict[str, bool | None] = {}
        for col, fld in INDICATOR_COLUMNS.items():
            flag = _flag(values.get(col, ""))
            if flag == "bad":
                row_errors.append(RowError(number, col, "bad_flag", values[col]))
                flag = None
            indicators[fld] = flag  # type: ignore[assignment]
        counts: dict[str, int | None] = {}
        for col, fld in COUNT_COLUMNS.items():
            text = values.get(col, "")
            counts[fld] = None
            if text:
                if text.isdigit() and int(text) <= 10_000:
                    counts[fld] = int(text)
                else:
                    row_errors.append(RowError(number, col, "bad_count", text))
        for col, (_fld, limit) in TEXT_COLUMNS.items():
            if len(values.get(col, "")) > limit:
                row_errors.append(RowError(number, col, "too_long", extra={"max": limit}))
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                ParsedRow(
                    row=number,
                    village_code=values["kode_desa"],
                    year=year,
                    category=category,
                    drug_prone=prone if isinstance(prone, bool) else None,
                    indicators=indicators,
                    counts=counts,
                    source=values.get("sumber", ""),
                    note=values.get("catatan", ""),
                )
            )
    return parsed, errors


def error_message(error: dict[str, Any]) -> str:
    """One error as a sentence naming its row and column, in the active language."""
    params = {"row": error.get("row", ""), "column": error.get("column", ""), "value": error.get("value", "")}
    params.update(error.get("extra") or {})
    code = error.get("code", "")
    messages = {
        "empty": _("Row %(row)s: the file has no data rows."),
        "unreadable": _("The file cannot be read as %(format)s: save it again from the template."),
        "too_many_rows": _("Row %(row)s: the file has more than %(max)s rows; split it."),
        "unknown_column": _("Row %(row)s, column %(column)s: unknown column (use the template's columns)."),
        "missing_column": _("Row %(row)s, column %(column)s: this column is missing from the header row."),
        "required": _("Row %(row)s, column %(column)s: a value is required."),
        "bad_year": _("Row %(row)s, column %(column)s: “%(value)s” is not a year between 2000 and %(max)s."),
        "bad_category": _(
            "Row %(row)s, column %(column)s: “%(value)s” is not an IKRN category "
            "(Bahaya, Waspada, Siaga, Aman, or empty)."
        ),
        "bad_flag": _("Row %(row)s, column %(column)s: “%(value)s” must be 1 or 0 (ya/tidak), or empty."),
        "bad_count": _("Row %(row)s, column %(column)s: “%(value)s” is not a whole number of 0 or more."),
        "too_long": _("Row %(row)s, column %(column)s: the text is longer than %(max)s characters."),
        "unknown_village": _("Row %(row)s, column %(column)s: there is no village with code “%(value)s”."),
        "out_of_scope": _("Row %(row)s, column %(column)s: village “%(value)s” is outside your work area."),
        "duplicate": _(
            "Row %(row)s, column %(column)s: village “%(value)s” already appears for the same year in row "
            "%(other)s."
        ),
    }
    template = messages.get(code, _("Row %(row)s, column %(column)s: invalid value “%(value)s”."))
    try:
        return template % params
    except (KeyError, ValueError, TypeError):
        return template


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "IKRN"
    sheet.append(COLUMNS)
    help_sheet = workbook.create_sheet("Petunjuk")
    help_sheet.append(["kolom", "isi"])
    help_sheet.append(["kode_desa", "Kode Kemendagri desa/kelurahan, mis. 15.05.02.2003 (wajib)"])
    help_sheet.append(["tahun", "Tahun penilaian IKRN, mis. 2024 (wajib)"])
    help_sheet.append(["kategori", "Bahaya, Waspada, Siaga, Aman, atau kosong (diklasifikasi oleh aturan)"])
    help_sheet.append(["rawan", "1/ya bila sumber menyatakan kawasan rawan narkoba, 0/tidak, atau kosong"])
    for _fld, col, label in MAIN_INDICATORS:
        help_sheet.append([col, f"Indikator utama ({label}): 1 terpenuhi, 0 tidak, kosong tidak diketahui"])
    for _fld, col, label in SUPPORTING_INDICATORS:
        help_sheet.append(
            [col, f"Indikator pendukung ({label}): 1 terpenuhi, 0 tidak, kosong tidak diketahui"]
        )
    help_sheet.append(["responden_warga", "Jumlah responden warga (survei sejak 2024: 30)"])
    help_sheet.append(["responden_kepala_desa", "Jumlah responden kepala desa (1)"])
    help_sheet.append(["responden_aparat", "Jumlah responden aparat penegak hukum (2)"])
    help_sheet.append(["sumber", "Sumber data (wajib), mis. 'Hasil IKRN BNN 2024'"])
    help_sheet.append(["catatan", "Catatan, tanpa nama orang"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
