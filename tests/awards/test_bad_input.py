"""Bad input in the award forms and imports: Vietnamese errors, nothing written, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awards.models import AwardDecision, AwardRecipient
from organizations.models import Organization, Person
from tests.awards.test_admin import decision_form
from tests.factories import make_decision, make_organization

pytestmark = pytest.mark.django_db

HEADER = "Loại,Họ tên / Tên tập thể,Chức vụ,Đơn vị,Thành tích,Thứ tự\n"


@pytest.fixture
def staff(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def snapshot():
    return (
        list(AwardRecipient.objects.values_list("pk", flat=True)),
        Organization.objects.count(),
        Person.objects.count(),
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Cá nhân,Nguyễn Văn\x00Hùng,,,", "ký tự null"),
        ("Tập thể,Công an phường Minh Khai,,,Hoàn thành\x00", "ký tự null"),
        ("Tập thể,Công an phường Minh Khai,,," + "Đ" * 5_000, "Thành tích dài quá 2000"),
        ("Cá nhân," + "Hùng " * 50 + ",,,", "tên dài quá 200 ký tự"),
        ("Tập thể," + "Phường " * 60 + ",,,", "tên dài quá 300 ký tự"),
        ("Cá nhân,Lê Thị Vân,,Phường " + "x" * 300 + ",", "Đơn vị dài quá 300"),
        ("Cá nhân,Lê Thị Vân,,,,inf", "cột Thứ tự phải là số"),
        ("Cá nhân,Lê Thị Vân,,,,-1", "cột Thứ tự phải là số"),
        ("Cá nhân,Lê Thị Vân,,,,1e10", "cột Thứ tự phải là số"),
        ("Cá nhân,Lê Thị Vân," + "x" * 201 + ",,", "Chức vụ dài quá 200"),
        ("Tập thể hay cá nhân,Lê Thị Vân,,,", "cột Loại phải là"),
    ],
    ids=[
        "nul-name",
        "nul-achievement",
        "long-achievement",
        "long-person",
        "long-collective-name",
        "long-unit",
        "infinite-order",
        "negative-order",
        "huge-order",
        "long-position",
        "unknown-kind",
    ],
)
def test_a_bad_import_row_is_named_in_vietnamese_and_nothing_is_written(staff, row, message):
    decision = make_decision()
    before = snapshot()
    content = (HEADER + "Tập thể,UBND phường Hoàng Văn Thụ,,,\n" + row + "\n").encode()
    response = staff.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/",
        {"file": SimpleUploadedFile("ds.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Có 1 dòng lỗi; chưa nhập gì." in html
    assert message in html
    assert 'name="apply"' not in html
    assert snapshot() == before


def without_recipients(decision):
    return decision_form(decision) | {"recipients-TOTAL_FORMS": "0"}


def test_the_decision_form_used_below_saves_when_nothing_is_wrong(staff):
    # The control for the test after it: the same form, with good values, saves.
    decision = make_decision()
    response = staff.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/change/",
        without_recipients(decision) | {"reason": "Lý do đã sửa."},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.reason == "Lý do đã sửa."


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"authority": "999999"}, "authority", "Hãy chọn một lựa chọn hợp lệ"),
        ({"authority": "abc"}, "authority", "Hãy chọn một lựa chọn hợp lệ"),
        ({"authority": "9" * 30}, "authority", "Hãy chọn một lựa chọn hợp lệ"),
        ({"decided_on": "31/02/2023"}, "decided_on", "hợp lệ"),
        ({"decided_on": "\x00"}, "decided_on", "hợp lệ"),
        ({"number": "12\x00/QĐ"}, "number", "ký tự null"),
        ({"number": "1" * 1_000_000}, "number", "tối đa 100 kí tự"),
        ({"reason": "Lý do\x00"}, "reason", "ký tự null"),
    ],
    ids=[
        "unknown-authority",
        "not-an-id",
        "id-out-of-range",
        "no-such-date",
        "nul-date",
        "nul-number",
        "megabyte-number",
        "nul-reason",
    ],
)
def test_bad_decision_input_gets_a_vietnamese_field_error(staff, fields, field, message):
    decision = make_decision()
    before = AwardDecision.objects.values().get(pk=decision.pk)
    url = f"/quan-tri/awards/awarddecision/{decision.pk}/change/"
    response = staff.post(url, without_recipients(decision) | fields)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get(field, []))
    assert message in errors, errors
    assert AwardDecision.objects.values().get(pk=decision.pk) == before


def test_a_megabyte_cell_refuses_the_file_with_a_reason(staff):
    decision = make_decision()
    before = snapshot()
    content = (HEADER + "Tập thể,Công an phường Minh Khai,,," + "Đ" * 1_000_000 + "\n").encode()
    response = staff.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/",
        {"file": SimpleUploadedFile("ds.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Không đọc được dòng 2 của tệp CSV" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("value", ["abc", "987654", "9" * 30])
def test_an_unknown_recipient_organization_is_a_field_error(staff, value):
    decision = make_decision()
    response = staff.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/change/",
        decision_form(decision, organization=value, person=""),
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not AwardRecipient.objects.exists()


def test_importing_an_unknown_organization_is_previewed_as_new_and_needs_confirmation(staff):
    # Award lists name units the portal may not know yet; the import says so
    # line by line and creates them only when staff apply the preview.
    decision = make_decision()
    make_organization("Công an phường Minh Khai")
    content = HEADER + "Tập thể,Công an phường Minh Khai,,,\nTập thể,Đội Dân phòng số 7,,,\n"
    url = f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/"
    html = staff.post(
        url, {"file": SimpleUploadedFile("ds.csv", content.encode(), content_type="text/csv")}
    ).content.decode()
    assert "tạo mới 1 tập thể" in html
    assert "Đội Dân phòng số 7" in html
    assert not Organization.objects.filter(name="Đội Dân phòng số 7").exists()
