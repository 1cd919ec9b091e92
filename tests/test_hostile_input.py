"""Random and hostile input on every public address never gives a 500.

Hypothesis throws text at the path segments and query parameters of every
public page: control characters, NUL bytes, 10,000-character queries,
Vietnamese in odd normal forms, numbers that are not numbers, and raw query
strings that are not valid UTF-8. Every answer must be 2xx, 3xx or 4xx.
"""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_article, make_category, make_decision

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\r\n\t\x0b\x0c\x1b[31m",
            "x" * 10_000,
            "Hồng Bàng" * 1_200,
            "Ho\u0302\u0300ng Ba\u0300ng",  # NFD
            "' OR 1=1 --",
            '"',
            '"""',
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "-1",
            "0",
            "1e309",
            "99999999999999999999999999",
            "NaN",
            "2023-02-30",
            "30/02/2023",
            "9999-12-31",
            "0000-00-00",
            "\ud7ff\ufffd\uffff",
        ]
    ),
)
number_like = st.one_of(hostile_text, st.integers().map(str))


@pytest.fixture
def site(site_settings):
    section = make_category(name="Kinh tế")
    article = make_article(title="Hồng Bàng phát triển kinh tế", category=section)
    article.tags.create(name="Chuyển đổi số")
    decision = make_decision()
    return {"article": article, "section": section, "decision": decision}


def answers_without_error(client, url, data=None):
    response = client.get(url, data or {})
    assert response.status_code < 500, (url, data, response.status_code)


def paths(site):
    article, section, decision = site["article"], site["section"], site["decision"]
    tag = article.tags.get()
    return [
        "/",
        "/tim-kiem/",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        "/tin-theo-ngay/",
        article.get_absolute_url(),
        article.get_qr_url(),
        "/rss/",
        f"/rss/{section.slug}/",
        "/khen-thuong/",
        decision.get_absolute_url(),
        "/sitemap.xml",
        "/sitemap-tin-tuc.xml",
        "/qr/fanpage.png",
    ]


PARAMETERS = ["q", "page", "category", "from_date", "to_date", "ngay", "size", "download"]
PARAMETERS += ["year", "award_type", "authority", "kind", "p"]


@EXAMPLES
@given(values=st.dictionaries(st.sampled_from(PARAMETERS), number_like, max_size=5))
def test_query_parameters(site, values):
    client = Client(raise_request_exception=False)
    for url in paths(site):
        answers_without_error(client, url, values)


@EXAMPLES
@given(segment=hostile_text, number=number_like)
def test_path_segments(site, segment, number):
    client = Client(raise_request_exception=False)
    slug, pk = quote(segment, safe=""), quote(number, safe="")
    for url in [
        f"/tin-tuc/{slug}-{pk}/",
        f"/tin-tuc/{pk}/",
        f"/tin-tuc/{pk}/qr.{slug}",
        f"/chuyen-muc/{slug}/",
        f"/tu-khoa/{slug}/",
        f"/rss/{slug}/",
        f"/khen-thuong/{slug}-{pk}/",
        f"/co-quan/{slug}-{pk}/",
        f"/nhan-vat/{slug}-{pk}/",
        f"/tai-lieu/{pk}/{slug}",
        f"/sitemap-{slug}.xml",
        f"/{slug}/",
    ]:
        answers_without_error(client, url)


@EXAMPLES
@given(raw=st.binary(max_size=200))
def test_raw_query_strings_that_are_not_utf8(site, raw):
    client = Client(raise_request_exception=False)
    query = "".join(f"%{byte:02X}" for byte in raw)
    for url in paths(site):
        for name in ("q", "page", "ngay"):
            response = client.get(f"{url}?{name}={query}")
            assert response.status_code < 500, (url, raw)


def test_a_search_with_every_hostile_sample_and_filters(site):
    client = Client(raise_request_exception=False)
    samples = ["\x00", "x" * 10_000, "\ud7ff", '"', "'", "\\", "&", "|", "!", "():*"]
    for sample in samples:
        query = urlencode({"q": sample, "from_date": sample, "to_date": "2023-05-24"})
        answers_without_error(client, f"/tim-kiem/?{query}")
