"""The attack a masked ID number must withstand: rebuild the number from what one screen, API answer or
export shows about the person. Every 18-character number consistent with the masked form (its visible
characters), the birth date and the sex shown beside it, and a region code (the masked form's own, else any
region code of the data: a native place names one or a few) is a candidate; the check character is computed,
as GB 11643 defines it. A mask masks when many candidates remain."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterable

from openpyxl import load_workbook

from grassroots.core import id_number

# A masked ID number as a surface shows it: 18 characters of digits, X and at least one *.
MASKED = re.compile(r"(?<![0-9X*])[0-9X*]{18}(?![0-9X*])")
ENOUGH = 100  # candidates a mask must leave on every surface


def candidates(masked: str, *, birth: dt.date, sex: str, regions: Iterable[str]) -> list[str]:
    """Every valid number matching `masked` with the birth date and sex known."""
    shown = {i: c for i, c in enumerate(masked) if c != "*"}
    if masked[:6].isdigit():
        regions = [masked[:6]]
    found = []
    for region in sorted(set(regions)):
        prefix = f"{region}{birth:%Y%m%d}"
        if any(shown.get(i, c) != c for i, c in enumerate(prefix)):
            continue
        for sequence in range(1 if sex == "male" else 0, 1000, 2):
            first17 = f"{prefix}{sequence:03d}"
            number = first17 + id_number.check_character(first17)
            if all(number[i] == c for i, c in shown.items()):
                found.append(number)
    return found


def masked_forms(text: str) -> list[str]:
    return [m for m in MASKED.findall(text) if "*" in m]


def text_of_workbook(content: bytes) -> str:
    """Every cell of every sheet of an .xlsx, one per line."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )


def text_of_response(response) -> str:
    """What a page, an API answer or an export shows, as text."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return text_of_workbook(body)
    if "json" in content_type:
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()
