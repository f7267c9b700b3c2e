"""Excel (.xlsx) registers: one generic sheet layout every export shares, written with openpyxl.

The layout: a title row (the register, the org, the export date) merged across the columns, a bold frozen
header row, set column widths, dates as real Excel dates shown yyyy-mm-dd. Workbooks are written in
openpyxl's write-only mode (rows stream to a temporary file, memory stays flat) and sent as an attachment
with an RFC 5987 filename, so Chinese names survive in every browser. Opens in Excel, WPS and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
# Excel refuses these characters in a sheet title.
_BAD_TITLE_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in characters; a CJK character takes about two
    kind: str = "text"  # "text" | "date" | "int"


def write_sheet(
    *, sheet_title: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> tempfile.SpooledTemporaryFile:
    """A one-sheet workbook in a rewound temporary file. `rows` are plain value tuples, one per line."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title.translate(_BAD_TITLE_CHARS)[:31])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A3"  # the title and header rows stay in view
    last = get_column_letter(len(columns))
    ws.merged_cells.add(f"A1:{last}1")
    ws.row_dimensions[1].height = 24

    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = Font(bold=True, size=13)
    title_cell.alignment = Alignment(vertical="center")
    ws.append([title_cell])

    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    ws.auto_filter.ref = f"A2:{last}2"

    date_columns = [i for i, col in enumerate(columns) if col.kind == "date"]
    for row in rows:
        values = list(row)
        for i in date_columns:
            value = values[i]
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                values[i] = cell
        ws.append(values)

    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    wb.save(out)
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
