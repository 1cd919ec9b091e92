import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from awards.importing import ImportFileError, plan_from_file
from awards.models import AwardRecipient
from organizations.models import Organization, Person
from tests.factories import make_decision, make_organization, make_person

pytestmark = pytest.mark.django_db

GOOD_CSV = """Loại,Họ tên / Tên tập thể,Chức vụ,Đơn vị,Thành tích
Tập thể,Công an phường Minh Khai,,,Hoàn thành xuất sắc nhiệm vụ
Tập thể,UBND phường Hoàng Văn Thụ,,,
Cá nhân,Nguyễn Văn Hùng,Trưởng Công an,phường Minh Khai,
cá nhân,Lê Thị Vân,Phó Chủ tịch Thường trực,UBND quận,
"""


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def snapshot():
    return (
        list(AwardRecipient.objects.order_by("pk").values_list("pk", flat=True)),
        Organization.objects.count(),
        Person.objects.count(),
    )


def test_a_good_csv_imports_matching_existing_rows_and_creating_the_rest(tmp_path):
    decision = make_decision()
    existing_org = make_organization(
        "Ủy ban nhân dân phường Hoàng Văn Thụ", short_name="UBND phường Hoàng Văn Thụ"
    )
    van = make_person("Lê Thị Vân")
    out = StringIO()
    call_command(
        "import_award_recipients",
        write(tmp_path, "ds.csv", GOOD_CSV),
        "--decision",
        decision.pk,
        stdout=out,
    )
    assert "Imported 4 recipients" in out.getvalue()
    recipients = list(decision.recipients.select_related("organization", "person"))
    assert [r.name for r in recipients] == [
        "Công an phường Minh Khai",
        "Ủy ban nhân dân phường Hoàng Văn Thụ",  # matched by its short name
        "Nguyễn Văn Hùng",
        "Lê Thị Vân",
    ]
    assert recipients[1].organization == existing_org
    assert recipients[3].person == van  # matched, not duplicated
    assert recipients[0].achievement == "Hoàn thành xuất sắc nhiệm vụ"
    assert (recipients[2].position_as_written, recipients[2].unit_as_written) == (
        "Trưởng Công an",
        "phường Minh Khai",
    )
    assert Person.objects.filter(full_name="Lê Thị Vân").count() == 1


def test_re_importing_the_same_file_changes_nothing(tmp_path):
    decision = make_decision()
    path = write(tmp_path, "ds.csv", GOOD_CSV)
    call_command("import_award_recipients", path, "--decision", decision.pk, stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("import_award_recipients", path, "--decision", decision.pk, stdout=out)
    assert snapshot() == before
    assert (
        "Imported 0 recipients" in out.getvalue() and "4 already on the decision" in out.getvalue()
    )


def test_a_file_with_bad_rows_leaves_the_database_untouched(tmp_path):
    decision = make_decision()
    bad = (
        GOOD_CSV
        + "Đơn vị,Phường Hạ Lý,,,\n"
        + "Cá nhân,,,,\n"
        + "Tập thể,Công an phường Minh Khai,,,\n"
    )
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError, match=r"3 bad rows in ds\.csv; nothing was imported"):
        call_command(
            "import_award_recipients",
            write(tmp_path, "ds.csv", bad),
            "--decision",
            decision.pk,
            stdout=StringIO(),
            stderr=err,
        )
    assert snapshot() == before
    report = err.getvalue()
    assert "Dòng 6: cột Loại phải là “Tập thể” hoặc “Cá nhân”" in report
    assert "Dòng 7: thiếu tên" in report
    assert "Dòng 8: trùng với dòng 2" in report


def test_xlsx_imports_like_csv(tmp_path):
    decision = make_decision()
    content = xlsx(
        [
            ["STT", "Loại", "Họ và tên", "Chức vụ", "Đơn vị"],
            [1, "Tập thể", "Công an phường Quán Toan", None, None],
            [2, "Cá nhân", "Phạm Đức Anh", "Cán bộ", "Công an phường Quán Toan"],
        ]
    )
    call_command(
        "import_award_recipients",
        write(tmp_path, "ds.xlsx", content),
        "--decision",
        decision.pk,
        stdout=StringIO(),
    )
    assert [(r.name, r.order) for r in decision.recipients.all()] == [
        ("Công an phường Quán Toan", 1),
        ("Phạm Đức Anh", 2),
    ]


def test_dry_run_reports_and_writes_nothing(tmp_path):
    decision = make_decision()
    before = snapshot()
    out = StringIO()
    call_command(
        "import_award_recipients",
        write(tmp_path, "ds.csv", GOOD_CSV),
        "--decision",
        decision.pk,
        "--dry-run",
        stdout=out,
    )
    assert snapshot() == before
    assert "Dry run: 4 to add (2 new organizations, 2 new people)" in out.getvalue()


def test_an_ambiguous_name_is_a_bad_row():
    decision = make_decision()
    make_person("Nguyễn Văn Hùng")
    make_person("Nguyễn Văn Hùng")
    plan = plan_from_file(decision, "ds.csv", "Loại,Họ tên\nCá nhân,Nguyễn Văn Hùng\n".encode())
    assert plan.errors == [(2, "có nhiều mục tên “Nguyễn Văn Hùng”; hãy thêm dòng này bằng tay")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ds.csv", "Tên,Ghi chú\nA,B\n".encode(), "thiếu cột: Loại"),
        ("ds.csv", "Loại,Họ tên\n".encode("utf-16"), "UTF-8"),
        ("ds.xlsx", b"PK\x03\x04 not really", "Không đọc được tệp Excel"),
        ("ds.pdf", b"%PDF-1.4", "CSV hoặc Excel"),
        ("ds.csv", b"", "không có dòng nào"),
    ],
    ids=["no-columns", "utf16", "broken-xlsx", "pdf", "empty"],
)
def test_unreadable_files_are_refused_with_a_reason(name, content, message):
    with pytest.raises(ImportFileError, match=message):
        plan_from_file(make_decision(), name, content)


def test_unknown_decision_and_missing_file_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="No award decision with id 999999"):
        call_command(
            "import_award_recipients", write(tmp_path, "ds.csv", GOOD_CSV), "--decision", 999999
        )
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_award_recipients", tmp_path / "khong-co.csv", "--decision", make_decision().pk
        )


def test_a_name_with_control_characters_pasted_from_word_matches_the_stored_one(tmp_path):
    decision = make_decision()
    police = make_organization("Công an phường Minh Khai")
    header = "Loại,Họ tên,Thành tích\n"
    content = header + "Tập thể,Công an\x0bphường\x01 Minh Khai,Dòng một\x0bdòng hai\x01\n"
    call_command(
        "import_award_recipients",
        write(tmp_path, "ds.csv", content),
        "--decision",
        decision.pk,
        stdout=StringIO(),
    )
    recipient = decision.recipients.get()
    assert recipient.organization == police
    assert recipient.achievement == "Dòng một\ndòng hai"
    assert Organization.objects.count() == 2  # the decision's authority and the police
