"""Bad input in the organization and person forms: Vietnamese field errors, nothing saved."""

import pytest
from django.test import Client

from organizations.models import Organization, Person, Position
from tests.factories import make_organization, organization_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def organization_form(**fields):
    return organization_form_data(
        **{"name": "Phường Minh Khai", "functions": "<p>Quản lý nhà nước.</p>"} | fields
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"parent": "999999"}, "parent", "Hãy chọn một lựa chọn hợp lệ"),
        ({"parent": "abc"}, "parent", "Hãy chọn một lựa chọn hợp lệ"),
        ({"parent": "9" * 30}, "parent", "Hãy chọn một lựa chọn hợp lệ"),
        ({"name": "Phường\x00Minh Khai"}, "name", "ký tự null"),
        ({"name": "P" * 1_000_000}, "name", "tối đa 300 kí tự"),
        ({"last_verified": "31/02/2024"}, "last_verified", "hợp lệ"),
        ({"website": "javascript:alert(1)"}, "website", "URL hợp lệ"),
        ({"email": "khong-phai-thu"}, "email", "hợp lệ"),
        ({"logo": "abc"}, "logo", "Hãy chọn"),
    ],
    ids=[
        "unknown-parent",
        "parent-not-an-id",
        "parent-out-of-range",
        "nul-name",
        "megabyte-name",
        "no-such-date",
        "script-url",
        "bad-email",
        "logo-not-an-id",
    ],
)
def test_bad_organization_input_gets_a_vietnamese_field_error(staff, fields, field, message):
    before = Organization.objects.count()
    response = staff.post("/quan-tri/organizations/organization/add/", organization_form(**fields))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get(field, []))
    assert message in errors, errors
    assert Organization.objects.count() == before


def test_the_organization_form_used_above_saves_when_nothing_is_wrong(staff):
    response = staff.post("/quan-tri/organizations/organization/add/", organization_form())
    assert response.status_code == 302
    assert Organization.objects.filter(name="Phường Minh Khai").exists()


@pytest.mark.parametrize("organization", ["999999", "abc", "9" * 30])
def test_a_position_in_an_unknown_organization_is_a_field_error(staff, organization):
    make_organization("Sở Nội vụ")
    response = staff.post(
        "/quan-tri/organizations/person/add/",
        {
            "full_name": "Lê Thị Vân",
            "slug": "",
            "public_email": "",
            "public_phone": "",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0",
            "positions-MAX_NUM_FORMS": "1000",
            "positions-0-title": "Giám đốc",
            "positions-0-organization": organization,
            "positions-0-start_date": "",
            "positions-0-end_date": "",
        },
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Person.objects.exists() and not Position.objects.exists()
