"""Public pages of the honour roll, organizations and people."""

import re
from datetime import date

import pytest

from awards.models import AwardRecipient, AwardType
from organizations.models import Position
from tests.factories import make_article, make_decision, make_organization, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(site_settings):
    """A district, two wards, Lê Thị Vân, and two decisions (2023 and 2021)."""
    district = make_organization("Ủy ban nhân dân quận Hồng Bàng", short_name="UBND quận Hồng Bàng")
    wards = [
        make_organization(f"Công an phường {w}", parent=district)
        for w in ("Minh Khai", "Quán Toan", "Sở Dầu")
    ]
    van = make_person("Lê Thị Vân")
    Position.objects.create(person=van, organization=district, title="Phó Chủ tịch Thường trực")
    decision = make_decision(authority=district)
    for order, ward in enumerate(wards):
        AwardRecipient.objects.create(decision=decision, organization=ward, order=order)
    AwardRecipient.objects.create(
        decision=decision, person=van, position_as_written="Phó Chủ tịch", order=9
    )
    older = make_decision(
        "55/QĐ-UBND",
        authority=district,
        decided_on=date(2021, 3, 1),
        award_type=AwardType.objects.get_or_create(name="Bằng khen", level="thanh-pho")[0],
    )
    AwardRecipient.objects.create(decision=older, organization=wards[0])
    article = make_article(title="Trao Giấy khen cho các tập thể")
    article.organizations.add(district)
    article.people.add(van)
    decision.articles.add(article)
    return {
        "district": district,
        "wards": wards,
        "van": van,
        "decision": decision,
        "older": older,
        "article": article,
    }


def titles(html):
    return re.findall(r'class="decision-card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_honour_roll_lists_decisions_newest_first_with_counts(
    client, roll, django_assert_num_queries
):
    client.get("/khen-thuong/")
    # Filter choices (years, award types, authorities), the count, the page.
    with django_assert_num_queries(5):
        html = client.get("/khen-thuong/").content.decode()
    assert titles(html) == [
        "Giấy khen – Quyết định số 1234/QĐ-UBND",
        "Bằng khen – Quyết định số 55/QĐ-UBND",
    ]
    assert "3 tập thể, 1 cá nhân" in html
    assert "2 quyết định" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2021"}, ["Bằng khen – Quyết định số 55/QĐ-UBND"]),
        ({"kind": "ca-nhan"}, ["Giấy khen – Quyết định số 1234/QĐ-UBND"]),
        (
            {"kind": "tap-the"},
            ["Giấy khen – Quyết định số 1234/QĐ-UBND", "Bằng khen – Quyết định số 55/QĐ-UBND"],
        ),
        (
            {"year": "not-a-year"},
            ["Giấy khen – Quyết định số 1234/QĐ-UBND", "Bằng khen – Quyết định số 55/QĐ-UBND"],
        ),
    ],
)
def test_honour_roll_filters(client, roll, params, expected):
    response = client.get("/khen-thuong/", params)
    assert response.status_code == 200
    assert titles(response.content.decode()) == expected


def test_honour_roll_filters_by_award_type_and_authority(client, roll):
    html = client.get("/khen-thuong/", {"award_type": roll["older"].award_type_id}).content.decode()
    assert titles(html) == ["Bằng khen – Quyết định số 55/QĐ-UBND"]
    other = make_organization("Ủy ban nhân dân phường Hạ Lý")
    make_decision("7/QĐ-UBND", authority=other)
    html = client.get("/khen-thuong/", {"authority": other.pk}).content.decode()
    assert titles(html) == ["Giấy khen – Quyết định số 7/QĐ-UBND"]


@pytest.mark.parametrize("query", ["le thi van", "LÊ THỊ VÂN", "Le Thi Van", "thi van"])
def test_recipient_search_ignores_accents(client, roll, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = client.get("/khen-thuong/", {"q": query}).content.decode()
    assert titles(html) == ["Giấy khen – Quyết định số 1234/QĐ-UBND"]
    assert "<mark>Lê Thị Vân</mark>" in html


def test_recipient_search_finds_collectives_whatever_the_tone_mark_placement(client, roll):
    make_organization("Ủy ban nhân dân phường Hạ Lý")
    AwardRecipient.objects.create(
        decision=roll["older"], organization=make_organization("Uỷ ban MTTQ phường Hạ Lý")
    )
    html = client.get("/khen-thuong/", {"q": "Ủy ban MTTQ"}).content.decode()
    assert titles(html) == ["Bằng khen – Quyết định số 55/QĐ-UBND"]
    assert "Quán Toan" not in html


def test_honour_roll_page_past_the_end_is_a_404(client, roll):
    assert client.get("/khen-thuong/", {"page": "9"}).status_code == 404


def test_decision_page_groups_recipients(client, roll, django_assert_num_queries):
    decision = roll["decision"]
    client.get(decision.get_absolute_url())
    # The decision with its type, authority, signer and document; recipients; articles.
    with django_assert_num_queries(3):
        response = client.get(decision.get_absolute_url())
    html = response.content.decode()
    assert "Tập thể (3)" in html and "Cá nhân (1)" in html
    assert html.index("Công an phường Minh Khai") < html.index("Công an phường Quán Toan")
    assert "Lê Thị Vân</a>, Phó Chủ tịch" in html
    assert "Trao Giấy khen cho các tập thể" in html
    assert client.get(f"/khen-thuong/sai-{decision.pk}/")["Location"] == decision.get_absolute_url()


def test_organization_page(client, roll, django_assert_num_queries):
    district = roll["district"]
    client.get(district.get_absolute_url())
    # The organization with parent and logo; ancestors; children; office
    # holders; awards received; decisions conferred; its news.
    with django_assert_num_queries(7):
        html = client.get(district.get_absolute_url()).content.decode()
    assert "Đơn vị trực thuộc" in html and "Công an phường Sở Dầu" in html
    assert "Lê Thị Vân</a>, Phó Chủ tịch Thường trực" in html
    assert "Quyết định khen thưởng đã ban hành" in html and "3 tập thể, 1 cá nhân" in html
    assert "Trao Giấy khen cho các tập thể" in html


def test_ward_page_has_breadcrumbs_up_the_hierarchy_and_its_awards(client, roll):
    ward = roll["wards"][0]
    html = client.get(ward.get_absolute_url()).content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert "UBND quận Hồng Bàng" in crumbs and "Công an phường Minh Khai" in crumbs
    assert "Khen thưởng đã nhận" in html
    assert html.count("/khen-thuong/") >= 2


def test_person_page(client, roll, django_assert_num_queries):
    van = roll["van"]
    client.get(van.get_absolute_url())
    with django_assert_num_queries(4):
        html = client.get(van.get_absolute_url()).content.decode()
    assert "Phó Chủ tịch Thường trực" in html and "UBND quận Hồng Bàng" in html
    assert "Giấy khen – 1234/QĐ-UBND" in html
    assert "Trao Giấy khen cho các tập thể" in html


def test_article_page_shows_related_awards(client, roll):
    html = client.get(roll["article"].get_absolute_url()).content.decode()
    assert "Khen thưởng liên quan" in html
    assert roll["decision"].get_absolute_url() in html


def test_unknown_pages_are_vietnamese_404s(client, db):
    for url in ("/khen-thuong/x-999999/", "/co-quan/x-999999/", "/nhan-vat/x-999999/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_long_award_lists_link_to_the_full_honour_roll(client, roll, django_assert_num_queries):
    district = roll["district"]
    for n in range(11):
        make_decision(f"{100 + n}/QĐ-UBND", authority=district)
    client.get(district.get_absolute_url())
    with django_assert_num_queries(7):  # the same as with two decisions
        html = client.get(district.get_absolute_url()).content.decode()
    assert f'href="/khen-thuong/?authority={district.pk}">Xem tất cả' in html
    block = html.split("Quyết định khen thưởng đã ban hành")[1].split("</section>")[0]
    assert block.count("<li>") == 10
