"""Excel (.xlsx) registers: one generic sheet layout every export shares.

The layout: a title row (the register, the org, the export date) merged across the columns, a bold frozen
header row with an auto-filter, set column widths, dates as real Excel dates shown yyyy-mm-dd. The workbook
is written here as the few XML parts of a one-sheet SpreadsheetML package, streamed row by row into a zip in
a temporary file (memory stays flat): a row is one formatted string, so a 20,000-member roster takes a
fraction of a second, where building a cell object per value (openpyxl, even write-only) took seconds
(docs/benchmarks.md). Every text is written as an inline string (`t="inlineStr"`), never as a formula
(`<f>`), whatever it starts with (`=`, `+`, `-`, `@`, a tab or a carriage return): `=1+2` is shown as the
text `=1+2` (formula injection, issue 9). Sent as an attachment with an RFC 5987 filename, so Chinese names survive in every
browser. Opens in Excel, WPS and LibreOffice (tests/office.py reads it back through LibreOffice); openpyxl
reads it too.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import FileResponse

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
# Excel refuses these characters in a sheet title.
_BAD_TITLE_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
# XML text: the three markup characters escaped, the characters XML 1.0 does not allow dropped (the control
# characters, lone surrogates — which UTF-8 cannot even encode —, U+FFFE and U+FFFF). Input hygiene refuses
# them at the door (core.hygiene); this keeps an export whole whatever a row holds.
_XML_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    | {chr(c): None for c in range(32) if c not in (9, 10, 13)}
    | {chr(c): None for c in (*range(0xD800, 0xE000), 0xFFFE, 0xFFFF)}
)
# Whether a text needs _XML_TEXT at all (most do not: a search is cheaper than a translation).
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]').search
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ROWS_PER_WRITE = 500

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (cellXfs in _STYLES): 0 plain, 1 the title, 2 a header cell, 3 a date.
_TITLE, _HEADER, _DATE = 1, 2, 3
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b val="1"/><sz val="13"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill><fill><patternFill patternType="solid"><fgColor rgb="00F2F2F2"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in characters; a CJK character takes about two
    kind: str = "text"  # "text" | "date" | "int"


def column_letter(index: int) -> str:
    """The letters of the 1-based column `index` (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return value.translate(_XML_TEXT) if _NEEDS_ESCAPE(value) else value


def _cell(ref: str, value, style: int = 0) -> str:
    """One cell's XML, or "" for an empty value."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)
        days = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATE}"><v>{days}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    return _cell(ref, str(value), style)


def _row_writer(width: int):
    """A function writing one data row (its values, in column order) as the XML of row `n`."""
    letters = [column_letter(i) for i in range(1, width + 1)]
    epoch = _EXCEL_EPOCH.toordinal()
    date, text, needs_escape = dt.date, str, _NEEDS_ESCAPE

    def row(n: int, values: Sequence) -> str:
        cells = []
        add = cells.append
        for letter, value in zip(letters, values, strict=False):
            # The common cases inline (text that keeps its outer spaces, dates), the rest through _cell.
            kind = type(value)
            if kind is text:
                if value and value[0] > " " and value[-1] > " ":
                    if needs_escape(value):
                        value = value.translate(_XML_TEXT)
                    add(f'<c r="{letter}{n}" t="inlineStr"><is><t>{value}</t></is></c>')
                    continue
            elif kind is date:
                add(f'<c r="{letter}{n}" s="{_DATE}"><v>{value.toordinal() - epoch}</v></c>')
                continue
            add(_cell(f"{letter}{n}", value))
        return f'<row r="{n}">{"".join(cells)}</row>'

    return row


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its tab name, title row, columns and rows (as `write_sheet` takes them)."""

    sheet_title: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def write_sheet(
    *, sheet_title: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> tempfile.SpooledTemporaryFile:
    """A one-sheet workbook in a rewound temporary file. `rows` are plain value tuples, one per line (text,
    numbers, dates; None or "" leaves the cell empty)."""
    return write_book([Sheet(sheet_title, title, columns, rows)])


def _sheet_parts(sheet: Sheet) -> tuple[str, str, str]:
    """The sheet's name (as Excel allows it), the XML before its rows and the XML after them."""
    columns = sheet.columns
    name = sheet.sheet_title.translate(_BAD_TITLE_CHARS)[:31]
    last = column_letter(len(columns))
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{col.width}" customWidth="1"/>'
        for i, col in enumerate(columns, start=1)
    )
    header = "".join(
        _cell(f"{column_letter(i)}2", col.header, _HEADER) for i, col in enumerate(columns, start=1)
    )
    head = (
        _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A3" sqref="A3"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
        f'<row r="1" ht="24" customHeight="1">{_cell("A1", sheet.title, _TITLE)}</row>'
        f'<row r="2">{header}</row>'
    )
    tail = (
        f'</sheetData><autoFilter ref="A2:{last}2"/>'
        f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells></worksheet>'
    )
    return name, head, tail


def _book_parts(names: Sequence[str], lasts: Sequence[str]) -> tuple[str, str, str]:
    """[Content_Types].xml, xl/workbook.xml and its relationships for sheets named `names`."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = _CONTENT_TYPES.replace(
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
        overrides,
    )
    n = len(names)
    rels = (
        _HEAD
        + f'<Relationships xmlns="{_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    sheets = "".join(
        f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        + _text("'" + name.replace("'", "''") + "'")
        + f"!$A$2:${last}$2</definedName>"
        for i, (name, last) in enumerate(zip(names, lasts, strict=True))
    )
    workbook = (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
    )
    return content_types, workbook, rels


def write_book(sheets: Sequence[Sheet]) -> tempfile.SpooledTemporaryFile:
    """A workbook of one or more sheets (each with the layout above) in a rewound temporary file. Each sheet's
    rows are streamed in turn (a register and its details, for instance)."""
    parts = [_sheet_parts(sheet) for sheet in sheets]
    names = [name for name, _h, _t in parts]
    if len(set(names)) != len(names):
        raise ValueError(f"sheet names must differ: {names}")
    content_types, workbook, rels = _book_parts(names, [column_letter(len(s.columns)) for s in sheets])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        zf.writestr("xl/styles.xml", _STYLES)
        for index, (sheet, (_name, head, tail)) in enumerate(zip(sheets, parts, strict=True), start=1):
            with zf.open(f"xl/worksheets/sheet{index}.xml", "w") as out_sheet:
                out_sheet.write(head.encode())
                row = _row_writer(len(sheet.columns))
                chunk: list[str] = []
                for n, values in enumerate(sheet.rows, start=3):
                    chunk.append(row(n, values))
                    if len(chunk) >= _ROWS_PER_WRITE:
                        out_sheet.write("".join(chunk).encode())
                        chunk = []
                out_sheet.write(("".join(chunk) + tail).encode())
    out.seek(0)
    return out


def content_disposition(filename: str, fallback: str) -> str:
    """attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded name> (RFC 6266/5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def response(file, *, filename: str, fallback: str) -> FileResponse:
    """Stream a workbook file as a download; `fallback` is an ASCII name for very old clients."""
    response = FileResponse(file, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["Cache-Control"] = "private, no-store"
    return response
