"""A small streaming XLSX (Office Open XML SpreadsheetML) writer.

Built for exports of millions of rows: every worksheet is streamed row by row
into its deflated ZIP entry, so memory stays flat whatever the size, and
nothing is kept per cell (no shared-string table, no cell objects).

The package holds the parts ECMA-376 requires for a workbook and nothing
else::

    _rels/.rels                  → the office document is xl/workbook.xml
    docProps/core.xml, app.xml   → title, creator, creation time (file properties)
    xl/styles.xml                → 4 cell formats: normal, bold header, date, date-time
    xl/worksheets/sheetN.xml     → one per sheet, streamed
    xl/workbook.xml              → the sheet list (written on close)
    xl/_rels/workbook.xml.rels   → workbook → sheets and styles (written on close)
    [Content_Types].xml          → the content type of every part (written on close)

How Python values become cells:

* ``str`` → an inline string (``t="inlineStr"``): XML-escaped, characters XML 1.0
  forbids (C0 controls except tab/newline/carriage return, lone surrogates,
  U+FFFE/U+FFFF) removed, a literal ``_xHHHH_`` escaped as ``_x005F_xHHHH_`` so
  that Excel shows it as typed, cut at Excel's cell limit of 32,767
  characters. A string is never a formula, even when it starts with ``=``.
  The empty string is an empty cell.
* ``None`` → an empty cell (nothing is written).
* ``bool`` → a boolean cell.
* ``int`` → a number when Excel can hold it exactly (at most 15 digits, Excel's
  precision); longer ones as their digits in text, because Excel would
  silently round them (a 16-digit NIK would lose its last digit).
* ``float`` / ``Decimal`` → a number (shortest round-trip repr); NaN and ±infinity,
  which Excel cannot store, as the text ``nan`` / ``inf`` / ``-inf``.
* ``datetime.date`` / naive ``datetime.datetime`` from 1900-03-01 on → a date
  serial (days since 1899-12-30, the 1900 date system) with the format
  ``yyyy-mm-dd`` / ``yyyy-mm-dd hh:mm:ss``; earlier dates (where Excel's 1900
  leap-year bug makes serials ambiguous) and time-zone-aware datetimes (Excel
  has no zones) as ISO 8601 text, so nothing is lost.
* anything else → ``str(value)`` as a string.

The header row (``header=``) is bold and frozen, and sets the column widths.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
MAX_CELL_CHARS = 32_767
EXACT_INT = 10**15 - 1  # Excel keeps 15 significant digits

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell format indexes in xl/styles.xml (cellXfs).
STYLE_HEADER = 1
STYLE_DATE = 2
STYLE_DATETIME = 3

_STYLES = (
    _DECL + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
    "</numFmts>"
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

_ROOT_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

# Characters XML 1.0 does not allow (tab, LF and CR are allowed), lone surrogates included.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads _xHHHH_ in a string as an escaped character; its own escape for "_" is _x005F_.
_X_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
_SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")
_EPOCH = dt.datetime(1899, 12, 30)
_FIRST_SERIAL_DATE = dt.date(1900, 3, 1)
_CACHE_LIMIT = 8192
_CACHE_MAX_LEN = 80
_FLUSH_ROWS = 512


def clean_text(value: str) -> str:
    """The text as it can be stored in a cell: illegal XML characters removed, cut at 32,767."""
    value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]
    return value


def _escape_text(value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")  # a raw CR would be normalised away by the reader
    return value


def _escape_attr(value: str) -> str:
    return (
        _escape_text(clean_text(value))
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _string_body(value: str) -> str:
    """The ``<t>`` element's opening remainder and content (without ``</t>``), or "" for no cell."""
    value = clean_text(value)
    if not value:
        return ""
    if "_x" in value:
        value = _X_ESCAPE.sub(r"_x005F\1", value)
    text = _escape_text(value)
    if value[0] in " \t\n\r" or value[-1] in " \t\n\r":
        return ' xml:space="preserve">' + text
    return ">" + text


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA …"""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def check_sheet_name(name: str) -> str:
    """Excel's rules for a sheet name; returns the name or raises ValueError."""
    if not name or len(name) > 31:
        raise ValueError(f"a sheet name has 1 to 31 characters: {name!r}")
    if any(ch in _SHEET_NAME_FORBIDDEN for ch in name) or _ILLEGAL.search(name):
        raise ValueError(f"a sheet name may not contain []:*?/\\ or control characters: {name!r}")
    if name[0] == "'" or name[-1] == "'":
        raise ValueError(f"a sheet name may not begin or end with an apostrophe: {name!r}")
    return name


class Sheet:
    """One worksheet being streamed; get it from :meth:`XlsxWriter.sheet`."""

    def __init__(self, book: XlsxWriter, fh: IO[bytes], header: Sequence[Any] | None) -> None:
        self._book = book
        self._fh = fh
        self._buffer: list[str] = []
        self._letters: list[str] = []
        self.rows = 0
        self._closed = False
        parts = [
            _DECL,
            f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">',
        ]
        if header:
            parts.append(
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView></sheetViews>"
            )
            parts.append("<cols>")
            for i, title in enumerate(header):
                width = min(max(len(str(title if title is not None else "")) + 3, 10), 60)
                parts.append(f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>')
            parts.append("</cols>")
        else:
            parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        parts.append("<sheetData>")
        self._buffer.append("".join(parts))
        if header:
            self._append(header, style=STYLE_HEADER)

    def _letters_for(self, n: int) -> list[str]:
        if n > MAX_COLS:
            raise ValueError(f"a worksheet has at most {MAX_COLS} columns, this row has {n}")
        letters = self._letters
        while len(letters) < n:
            letters.append(column_letter(len(letters)))
        return letters

    def append(self, row: Iterable[Any]) -> None:
        """Write the next row."""
        self._append(row, style=0)

    def _append(self, row: Iterable[Any], *, style: int) -> None:
        if self._closed:
            raise ValueError("the sheet is closed")
        if self.rows >= MAX_ROWS:
            raise ValueError(f"a worksheet has at most {MAX_ROWS:,} rows")
        if not isinstance(row, (list, tuple)):
            row = list(row)
        n = self.rows = self.rows + 1
        letters = self._letters if len(row) <= len(self._letters) else self._letters_for(len(row))
        cache = self._book._strings
        s_attr = f' s="{style}"' if style else ""
        parts = [f'<row r="{n}">']
        add = parts.append
        i = -1
        for value in row:
            i += 1
            kind = type(value)
            if kind is str:
                body = cache.get(value)
                if body is None:
                    body = self._book._string(value)
                if body:
                    add(f'<c r="{letters[i]}{n}"{s_attr} t="inlineStr"><is><t{body}</t></is></c>')
            elif value is None:
                continue
            elif kind is int:
                if -EXACT_INT <= value <= EXACT_INT:
                    add(f'<c r="{letters[i]}{n}"{s_attr}><v>{value}</v></c>')
                else:
                    add(f'<c r="{letters[i]}{n}"{s_attr} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                add(self._other(value, f"{letters[i]}{n}", s_attr))
        add("</row>")
        buffer = self._buffer
        buffer.append("".join(parts))
        if len(buffer) >= _FLUSH_ROWS:
            self._flush()

    def _other(self, value: Any, ref: str, s_attr: str) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}"{s_attr} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            if -EXACT_INT <= value <= EXACT_INT:
                return f'<c r="{ref}"{s_attr}><v>{int(value)}</v></c>'
            return f'<c r="{ref}"{s_attr} t="inlineStr"><is><t>{int(value)}</t></is></c>'
        if isinstance(value, float):
            if math.isfinite(value):
                return f'<c r="{ref}"{s_attr}><v>{float(value)!r}</v></c>'
            return f'<c r="{ref}"{s_attr} t="inlineStr"><is><t>{float(value)!r}</t></is></c>'
        if isinstance(value, Decimal):
            if value.is_finite():
                return f'<c r="{ref}"{s_attr}><v>{value}</v></c>'
            return f'<c r="{ref}"{s_attr} t="inlineStr"><is><t>{str(value).lower()}</t></is></c>'
        if isinstance(value, dt.datetime):
            if value.tzinfo is None and value.date() >= _FIRST_SERIAL_DATE:
                delta = value - _EPOCH
                serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
                return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{serial!r}</v></c>'
            return self._text_cell(value.isoformat(), ref, s_attr)
        if isinstance(value, dt.date):
            if value >= _FIRST_SERIAL_DATE:
                serial_days = (value - _EPOCH.date()).days
                return f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial_days}</v></c>'
            return self._text_cell(value.isoformat(), ref, s_attr)
        return self._text_cell(str(value), ref, s_attr)

    def _text_cell(self, text: str, ref: str, s_attr: str) -> str:
        body = _string_body(text)
        return f'<c r="{ref}"{s_attr} t="inlineStr"><is><t{body}</t></is></c>' if body else ""

    def _flush(self) -> None:
        if self._buffer:
            self._fh.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def close(self) -> None:
        if self._closed:
            return
        self._buffer.append("</sheetData></worksheet>")
        self._flush()
        self._closed = True
        self._fh.close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:  # leave the entry as it is; the writer abandons the file
            self._closed = True
            with contextlib.suppress(Exception):  # the original error is the one to report
                self._fh.close()


class XlsxWriter:
    """Stream one ``.xlsx`` file::

        with XlsxWriter(path) as book:
            with book.sheet("Facts", header=["Month", "Value"]) as sheet:
                for row in rows:
                    sheet.append(row)

    One sheet is written at a time (a ZIP entry is streamed until it is
    closed). A workbook needs at least one sheet, so closing a writer that has
    none adds an empty "Sheet1". On an exception the file is closed as it is
    (incomplete): the caller removes it.
    """

    def __init__(
        self,
        path: str | Path | IO[bytes],
        *,
        title: str = "",
        creator: str = "Pulih",
        compresslevel: int = 1,
    ) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._title = title
        self._creator = creator
        self._names: list[str] = []
        self._folded: set[str] = set()
        self._current: Sheet | None = None
        self._strings: dict[str, str] = {}
        self._closed = False
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._zip.writestr(
            "docProps/core.xml",
            _DECL + f'<cp:coreProperties xmlns:cp="{_CORE_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape_text(clean_text(title))}</dc:title>"
            f"<dc:creator>{_escape_text(clean_text(creator))}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>",
        )
        self._zip.writestr(
            "docProps/app.xml",
            _DECL + f'<Properties xmlns="{_APP_NS}"><Application>{_escape_text(clean_text(creator))}</Application>'
            "</Properties>",
        )

    @property
    def sheet_names(self) -> list[str]:
        return list(self._names)

    def _string(self, value: str) -> str:
        body = _string_body(value)
        if len(value) <= _CACHE_MAX_LEN:
            strings = self._strings
            if len(strings) >= _CACHE_LIMIT:
                strings.clear()  # bounded: memory stays flat on millions of distinct strings
            strings[value] = body
        return body

    def sheet(self, name: str, header: Sequence[Any] | None = None) -> Sheet:
        """Start the next worksheet (closing the one before); ``header`` is bold and frozen."""
        if self._closed:
            raise ValueError("the workbook is closed")
        check_sheet_name(name)
        if name.casefold() in self._folded:
            raise ValueError(f"two sheets are called {name!r}")
        if self._current is not None:
            self._current.close()
        self._names.append(name)
        self._folded.add(name.casefold())
        fh = self._zip.open(f"xl/worksheets/sheet{len(self._names)}.xml", "w", force_zip64=True)
        self._current = Sheet(self, fh, header)
        return self._current

    def close(self) -> None:
        if self._closed:
            return
        if not self._names:
            self.sheet("Sheet1")
        assert self._current is not None
        self._current.close()
        sheets = "".join(
            f'<sheet name="{_escape_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._names, start=1)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            _DECL + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self._names) + 1)
        )
        rels += (
            f'<Relationship Id="rId{len(self._names) + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels", _DECL + f'<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>'
        )
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self._names) + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            _DECL + f'<Types xmlns="{_CT_NS}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheet_types}</Types>",
        )
        self._closed = True
        self._zip.close()

    def abandon(self) -> None:
        """Stop after an error: close the file without finishing it (the caller removes it)."""
        self._closed = True
        if self._current is not None and not self._current._closed:
            self._current._closed = True
            with contextlib.suppress(Exception):  # the original error is the one to report
                self._current._fh.close()
        with contextlib.suppress(Exception):  # the original error is the one to report
            self._zip.close()

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()
