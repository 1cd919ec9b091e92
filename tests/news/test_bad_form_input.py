"""Bad input in the article form: Vietnamese field errors, nothing saved, never a 500."""

import pytest
from django.test import Client

from news.models import Article
from portal.roles import EDITOR
from tests.factories import article_form_data, make_category, make_user

pytestmark = pytest.mark.django_db

ADD = "/quan-tri/news/article/add/"


@pytest.fixture
def editor_client(site_settings):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(EDITOR, "bientap"))
    return client


def post(client, **fields):
    category = make_category(name="Thời sự")
    data = article_form_data(
        title="Tin hợp lệ", lead="Sapo.", body="<p>Nội dung.</p>", category=str(category.pk)
    )
    return client.post(ADD, data | fields)


def field_errors(response, field) -> str:
    return " ".join(response.context["adminform"].form.errors.get(field, []))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "Tin có ký tự\x00rỗng"}, "title", "ký tự null"),
        ({"lead": "Sapo\x00"}, "lead", "ký tự null"),
        ({"title": "Đ" * 1_000_000}, "title", "tối đa 300 kí tự"),
        ({"published_at_0": "30/02/2023", "published_at_1": "08:00"}, "published_at", "hợp lệ"),
        ({"published_at_0": "hôm qua", "published_at_1": "25:61"}, "published_at", "hợp lệ"),
        ({"category": "999999"}, "category", "Hãy chọn"),
        ({"category": "abc"}, "category", "Hãy chọn"),
        ({"tags": ["1", "xyz"]}, "tags", "không phải là một giá trị hợp lệ"),
        ({"cover_image": "abc"}, "cover_image", "Hãy chọn"),
        ({"original_url": "javascript:alert(1)"}, "original_url", "URL hợp lệ"),
    ],
    ids=[
        "nul-title",
        "nul-lead",
        "megabyte-title",
        "no-such-date",
        "nonsense-time",
        "unknown-section",
        "section-not-an-id",
        "tag-not-an-id",
        "cover-not-an-id",
        "script-url",
    ],
)
def test_bad_input_gets_a_vietnamese_field_error_and_saves_nothing(
    editor_client, fields, field, message
):
    response = post(editor_client, **fields)
    assert response.status_code == 200
    assert message in field_errors(response, field), field_errors(response, field)
    assert not Article.objects.exists()
