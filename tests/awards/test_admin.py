import pytest

from awards.models import AwardDecision, AwardRecipient
from organizations.models import Organization
from tests.factories import (
    make_decision,
    make_organization,
    make_person,
    organization_form_data,
)

pytestmark = pytest.mark.django_db

CSV = "Loại,Họ tên\nTập thể,Công an phường Minh Khai\nCá nhân,Nguyễn Văn Hùng\n".encode()


def upload(content, name="ds.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_shows_a_preview_then_applies(admin_client):
    decision = make_decision()
    url = f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/"
    html = admin_client.post(url, {"file": upload(CSV)}).content.decode()
    assert "Sẽ thêm 2 dòng (tạo mới 1 tập thể, 1 cá nhân)" in html
    assert not decision.recipients.exists()  # a preview writes nothing
    response = admin_client.post(url, {"apply": "1"})
    assert response.status_code == 302
    assert [r.name for r in decision.recipients.all()] == [
        "Công an phường Minh Khai",
        "Nguyễn Văn Hùng",
    ]
    # Applying twice (a double click) adds nothing more.
    admin_client.post(url, {"apply": "1"})
    assert decision.recipients.count() == 2


def test_import_with_bad_rows_lists_them_and_writes_nothing(admin_client):
    decision = make_decision()
    url = f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/"
    html = admin_client.post(url, {"file": upload(CSV + "Khác,Ai đó\n".encode())}).content.decode()
    assert "Có 1 dòng lỗi; chưa nhập gì." in html
    assert "<td>4</td>" in html
    assert 'name="apply"' not in html
    assert not decision.recipients.exists()
    assert Organization.objects.filter(name="Công an phường Minh Khai").count() == 0


def test_import_of_an_unreadable_file_says_why(admin_client):
    decision = make_decision()
    url = f"/quan-tri/awards/awarddecision/{decision.pk}/nhap-danh-sach/"
    html = admin_client.post(url, {"file": upload(b"%PDF-1.4", "qd.pdf")}).content.decode()
    assert "Chỉ nhận tệp CSV hoặc Excel" in html


def decision_form(decision, **recipient):
    data = {
        "number": decision.number,
        "decided_on": "24/05/2023",
        "award_type": decision.award_type_id,
        "authority": decision.authority_id,
        "signer_title": "",
        "signer": "",
        "reason": decision.reason,
        "document": "",
        "recipients-TOTAL_FORMS": "1",
        "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "0",
        "recipients-MAX_NUM_FORMS": "1000",
        "recipients-0-order": "1",
        "recipients-0-position_as_written": "",
        "recipients-0-unit_as_written": "",
        "recipients-0-achievement": "",
    }
    data.update({f"recipients-0-{k}": v for k, v in recipient.items()})
    return data


@pytest.mark.parametrize("which", ["both", "neither"])
def test_the_admin_explains_the_one_of_rule(admin_client, which):
    decision = make_decision()
    org, person = make_organization("Công an phường Minh Khai"), make_person("Nguyễn Văn Hùng")
    recipient = (
        {"organization": org.pk, "person": person.pk}
        if which == "both"
        else {"organization": "", "person": ""}
    )
    response = admin_client.post(
        f"/quan-tri/awards/awarddecision/{decision.pk}/change/",
        decision_form(decision, **recipient),
    )
    assert response.status_code == 200
    assert "Chọn hoặc một tập thể, hoặc một cá nhân" in response.content.decode()
    assert not AwardRecipient.objects.exists()


def test_decision_list_shows_counts(admin_client):
    decision = make_decision()
    AwardRecipient.objects.create(decision=decision, organization=make_organization("Tập thể A"))
    html = admin_client.get("/quan-tri/awards/awarddecision/").content.decode()
    assert "1 tập thể, 0 cá nhân" in html
    assert AwardDecision.objects.count() == 1


def test_organization_list_is_an_indented_tree(admin_client):
    city = make_organization("Thành phố")
    district = make_organization("Quận", parent=city)
    make_organization("Phường", parent=district)
    html = admin_client.get("/quan-tri/organizations/organization/").content.decode()
    assert html.index(">Thành phố<") < html.index("└ Quận") < html.index("└ Phường")
    assert 'padding-left:3.0em">└ Phường' in html


def test_organization_admin_refuses_a_cycle(admin_client):
    city = make_organization("Thành phố")
    district = make_organization("Quận", parent=city)
    response = admin_client.post(
        f"/quan-tri/organizations/organization/{city.pk}/change/",
        organization_form_data(name="Thành phố", parent=district.pk, slug="thanh-pho"),
    )
    assert response.status_code == 200
    assert "cấp dưới của nó làm cấp trên" in response.content.decode()
    city.refresh_from_db()
    assert city.parent is None
