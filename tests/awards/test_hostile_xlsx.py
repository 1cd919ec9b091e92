"""XLSX files built to exhaust the import: refused quickly, with a reason, nothing written.

Each file is a real workbook whose sheet (or another part) is replaced by
XML written here, so the archive is small however much it unpacks to.
"""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.worksheet._reader import WorkSheetParser

from awards.importing import ImportFileError, read_table
from tests.awards.test_bad_input import snapshot, staff  # noqa: F401 - a fixture
from tests.awards.test_import import xlsx
from tests.factories import make_decision

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Loại</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Họ tên</t></is></c>'
)


def workbook(sheet_chunks, *, part=SHEET) -> bytes:
    """A workbook whose ``part`` is the XML that ``sheet_chunks`` make."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["Loại", "Họ tên"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            if info.filename == part:
                archive.writestr(part, "".join(sheet_chunks))
            else:
                archive.writestr(info, base.read(info))
    return out.getvalue()


def sheet(*rows, dimension="A1:B2"):
    yield f'<worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>'
    for row in rows:
        yield from row
    yield "</sheetData></worksheet>"


@pytest.fixture
def reading(monkeypatch):
    """How much of the archive was unpacked, and how many cells openpyxl built."""
    seen = {"bytes": 0, "cells": 0}
    read, parse_cell = zipfile.ZipExtFile.read, WorkSheetParser.parse_cell

    def counting_read(self, n=-1):
        data = read(self, n)
        seen["bytes"] += len(data)
        return data

    def counting_parse_cell(self, element):
        seen["cells"] += 1
        return parse_cell(self, element)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    monkeypatch.setattr(WorkSheetParser, "parse_cell", counting_parse_cell)
    return seen


def test_a_row_of_three_million_cells_is_refused_before_it_is_read(staff, reading):  # noqa: F811
    cells = ("<c/>" * 100_000 for _ in range(30))
    content = workbook(sheet([HEADER_ROW, *cells, "</row>"]))
    assert len(content) < 400_000  # a small upload, 12 MB unpacked
    decision = make_decision()
    before = snapshot()
    reading.update(bytes=0, cells=0)
    response = staff.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/",
        {"file": SimpleUploadedFile("ds.xlsx", content)},
    )
    assert response.status_code == 200
    assert "Dòng 1 của tệp Excel có quá 1000 ô" in response.content.decode()
    assert snapshot() == before
    # Refused from the first megabyte of the sheet; openpyxl never started on it.
    assert reading["bytes"] < 1_000_000
    assert reading["cells"] == 0


def too_many_cells():
    yield from sheet(
        [HEADER_ROW, "</row>"],
        *([f'<row r="{n}">', "<c/>" * 60, "</row>"] for n in range(2, 5000)),
    )


def too_many_rows():
    yield from sheet([HEADER_ROW, "</row>"], ["<row/>" * 20_000])


def too_many_styles():
    yield f'<styleSheet xmlns="{NS}"><cellXfs>'
    yield "<xf/>" * 1_000_001
    yield "</cellXfs></styleSheet>"


def too_large_unpacked():
    yield from sheet([HEADER_ROW, "</row>"], [" " * (51 * 1024 * 1024)])


def doctype():
    yield '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    yield from sheet([HEADER_ROW.replace("Loại", "&a;"), "</row>"])


@pytest.mark.parametrize(
    ("part", "chunks", "message"),
    [
        (SHEET, too_many_cells, "Tệp Excel có quá 250.000 ô"),
        (SHEET, too_many_rows, "Tệp có quá 5000 dòng"),
        ("xl/styles.xml", too_many_styles, "giải nén ra quá 50 MB"),
        (SHEET, too_large_unpacked, "giải nén ra quá 50 MB"),
        (SHEET, doctype, "Không đọc được tệp Excel"),
    ],
    ids=["too-many-cells", "too-many-rows", "too-many-styles", "too-large-unpacked", "doctype"],
)
def test_a_file_past_a_limit_is_refused_with_a_reason(reading, part, chunks, message):
    content = workbook(chunks(), part=part)
    reading.update(bytes=0, cells=0)
    with pytest.raises(ImportFileError, match=message):
        read_table("ds.xlsx", content)
    assert reading["cells"] == 0


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(reading):
    content = bytearray(workbook(sheet([HEADER_ROW, "<c/>" * 3_000_000, "</row>"])))
    # Rewrite the sheet's declared size, in its local header and in the
    # central directory, to 1 KB.
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(SHEET)
    assert content[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", content, info.header_offset + 22, 1024)
    central = content.index(b"PK\x01\x02")
    while content[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = content.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", content, central + 24, 1024)
    assert zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(SHEET).file_size == 1024
    reading.update(bytes=0, cells=0)
    with pytest.raises(ImportFileError, match="Không đọc được tệp Excel"):
        read_table("ds.xlsx", bytes(content))
    assert reading["cells"] == 0


def test_a_sheet_that_claims_every_column_is_read_within_the_expected_ones():
    content = workbook(
        sheet(
            [HEADER_ROW, "</row>"],
            ['<row r="2"><c r="A2" t="inlineStr"><is><t>Cá nhân</t></is></c>'],
            ['<c r="B2" t="inlineStr"><is><t>Lê Thị Vân</t></is></c></row>'],
            dimension="A1:XFD3",
        )
    )
    rows = read_table("ds.xlsx", content)
    assert [cells[:2] for _line, cells in rows] == [["Loại", "Họ tên"], ["Cá nhân", "Lê Thị Vân"]]
    # Not 16,384 cells each, as the sheet's <dimension> claims.
    assert all(len(cells) <= 50 for _line, cells in rows)
