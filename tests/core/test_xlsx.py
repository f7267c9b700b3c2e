"""core.xlsx writes every text as text: no formula, whatever it starts with, and no character that breaks the
file (issue 9, item 4: formula injection; an export that answered 500)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from grassroots.core import xlsx

DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://x","y")', " =1"]


def sheet_xml(rows) -> str:
    out = xlsx.write_sheet(
        sheet_title="名册", title="名册", columns=[xlsx.Column("姓名"), xlsx.Column("备注")], rows=rows
    )
    with zipfile.ZipFile(out) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_looks_like_a_formula_is_written_as_an_inline_string_never_a_formula(text):
    xml = sheet_xml([("张三", text)])
    assert "<f>" not in xml and "<f " not in xml
    [cell] = re.findall(r'<c r="B3"[^>]*>.*?</c>', xml)
    assert 't="inlineStr"' in cell


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_reads_back_as_the_same_text(text):
    out = xlsx.write_sheet(sheet_title="名册", title="名册", columns=[xlsx.Column("备注")], rows=[(text,)])
    cell = load_workbook(out).active["A3"]
    # (XML reads a carriage return as a line feed.)
    assert (cell.data_type, cell.value) == ("s", text.replace("\r", "\n"))


def test_characters_xml_cannot_hold_are_dropped_and_the_file_stays_whole():
    xml = sheet_xml([("赵\x00六", "a\ud800b\ufffe\uffffc\x1b")])
    assert "赵六" in xml and ">abc<" in xml
    # The whole package parses (the export answered 500 with such a value).
    out = xlsx.write_sheet(
        sheet_title="名册", title="名册", columns=[xlsx.Column("备注")], rows=[("\ud83d x \x00",)]
    )
    assert load_workbook(out).active["A3"].value == " x "


def test_libreoffice_shows_formula_like_text_as_text_not_its_result(tmp_path):
    from tests import office

    out = xlsx.write_sheet(
        sheet_title="名册",
        title="名册",
        columns=[xlsx.Column("备注")],
        rows=[("=1+2",), ("+3+4",), ("@SUM(1)",)],
    )
    rows = list(csv.reader(io.StringIO(office.as_csv(out.read(), tmp_path, "formulas"))))
    assert [row[0] for row in rows[2:5]] == ["=1+2", "+3+4", "@SUM(1)"]
