"""The page cache keys a page by the query parameters its view reads, and no others."""

from datetime import date

import pytest
from django.test import Client

from awards.models import AwardRecipient, AwardType
from awards.views import HonourRollView
from news.models import Tag
from news.views import ArticleListView, HomeView, SearchView
from portal.cache import query_parameters
from portal.roles import EDITOR
from tests.factories import (
    make_article,
    make_category,
    make_decision,
    make_organization,
    make_person,
    make_user,
    vn_time,
)

pytestmark = pytest.mark.django_db

# What share buttons, trackers and the curious add to any address.
UNUSED = ["x=1", "fbclid=IwAR3xYz", "utm_source=zalo&utm_medium=social"]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def portal(site_settings, monkeypatch):
    """Two sections, a tag and two days of articles, three on one (two pages
    of two); four award decisions from two authorities, years, types and kinds."""
    for view in (ArticleListView, SearchView, HonourRollView):
        monkeypatch.setattr(view, "paginate_by", 2)
    economy = make_category(name="Kinh tế")
    society = make_category(name="Xã hội")
    harbour = Tag.objects.create(name="Cảng biển")
    for number in range(3):
        article = make_article(
            title=f"Cầu cảng số {number}",
            category=economy,
            published_at=vn_time(2023, 5, 24, 8, number),
        )
        article.tags.add(harbour)
    road = make_article(
        title="Đường ven biển", category=society, published_at=vn_time(2023, 5, 25, 9, 0)
    )
    district = make_organization("Ủy ban nhân dân quận Hồng Bàng")
    ward = make_organization("Ủy ban nhân dân phường Minh Khai")
    van = make_person("Lê Thị Vân")
    for number in range(3):
        decision = make_decision(f"{number}/QĐ-UBND", authority=district)
        AwardRecipient.objects.create(decision=decision, organization=ward)
    older = make_decision(
        "55/QĐ-UBND",
        authority=ward,
        decided_on=date(2021, 3, 1),
        award_type=AwardType.objects.get_or_create(name="Bằng khen", level="thanh-pho")[0],
    )
    AwardRecipient.objects.create(decision=older, person=van)
    return {
        "economy": economy,
        "society": society,
        "road": road,
        "district": district,
        "ward": ward,
        "decision": older,
        "organization": district,
        "person": van,
        "giay_khen": decision.award_type,
        "bang_khen": older.award_type,
    }


# Every public page that reads query parameters, and for each parameter
# two queries whose pages differ only by it.
PAGES = {
    "section": (
        lambda p: p["economy"].get_absolute_url(),
        {"page": ("page=1", "page=2")},
    ),
    "tag": (lambda p: "/tu-khoa/cang-bien/", {"page": ("page=1", "page=2")}),
    "day": (
        lambda p: "/tin-theo-ngay/",
        {
            "ngay": ("ngay=2023-05-24", "ngay=2023-05-25"),
            "page": ("ngay=2023-05-24&page=1", "ngay=2023-05-24&page=2"),
        },
    ),
    "search": (
        lambda p: "/tim-kiem/",
        {
            "q": ("q=cầu", "q=đường"),
            "category": (
                lambda p: f"q=cầu&category={p['economy'].slug}",
                lambda p: f"q=cầu&category={p['society'].slug}",
            ),
            "from_date": ("q=cầu&from_date=2023-05-24", "q=cầu&from_date=2023-05-25"),
            "to_date": ("q=cầu&to_date=2023-05-23", "q=cầu&to_date=2023-05-24"),
            "page": ("q=cầu&page=1", "q=cầu&page=2"),
        },
    ),
    "honour roll": (
        lambda p: "/khen-thuong/",
        {
            "q": ("q=Minh Khai", "q=Lê Thị Vân"),
            "year": ("year=2023", "year=2021"),
            "award_type": (
                lambda p: f"award_type={p['giay_khen'].pk}",
                lambda p: f"award_type={p['bang_khen'].pk}",
            ),
            "authority": (
                lambda p: f"authority={p['district'].pk}",
                lambda p: f"authority={p['ward'].pk}",
            ),
            "kind": ("kind=tap-the", "kind=ca-nhan"),
            "page": ("page=1", "page=2"),
        },
    ),
}
# Pages that read no parameter at all.
PLAIN = {
    "home": lambda p: "/",
    "article": lambda p: p["road"].get_absolute_url(),
    "organization": lambda p: p["organization"].get_absolute_url(),
    "person": lambda p: p["person"].get_absolute_url(),
    "decision": lambda p: p["decision"].get_absolute_url(),
    "feed": lambda p: "/rss/",
    "section feed": lambda p: f"/rss/{p['economy'].slug}/",
}


def value(query, portal):
    return query(portal) if callable(query) else query


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_every_parameter_a_page_reads_is_tested(portal):
    for name, (path, cases) in PAGES.items():
        assert set(query_parameters(path(portal))) == set(cases), name
    for name, path in PLAIN.items():
        assert query_parameters(path(portal)) == (), name


@pytest.mark.parametrize(
    ("page", "parameter"),
    [(page, parameter) for page, (_, cases) in PAGES.items() for parameter in cases],
)
def test_a_parameter_a_page_reads_gets_its_own_entry(client, portal, page, parameter):
    path, cases = PAGES[page]
    first, second = (f"{path(portal)}?{value(query, portal)}" for query in cases[parameter])
    one = get(client, first)
    assert get(client, first)["X-Page-Cache"] == "hit"
    other = get(client, second)
    assert "X-Page-Cache" not in other, second
    assert other.content != one.content, second
    again = get(client, second)
    assert again["X-Page-Cache"] == "hit" and again.content == other.content
    assert get(client, first).content == one.content


@pytest.mark.parametrize("page", [*PAGES, *PLAIN])
def test_a_parameter_a_page_does_not_read_shares_its_entry(client, portal, page):
    if page in PAGES:
        path, cases = PAGES[page]
        url = f"{path(portal)}?{value(next(iter(cases.values()))[1], portal)}&"
        unused = UNUSED
    else:
        url = f"{PLAIN[page](portal)}?"
        # Parameters other pages read, too.
        unused = [*UNUSED, "page=2", "q=tin&ngay=2023-05-25"]
    page_itself = get(client, url.rstrip("?&"))
    for query in unused:
        extra = get(client, url + query)
        assert extra["X-Page-Cache"] == "hit", url + query
        assert extra.content == page_itself.content, url + query


def test_junk_never_reaches_the_page_it_builds(client, portal):
    """The page is built from the parameters it is kept under: links on it
    carry no parameter someone else put in the address."""
    section = portal["economy"].get_absolute_url()
    html = get(client, f"{section}?utm_source=zalo&page=1").content.decode()
    assert "utm_source" not in html and "zalo" not in html
    assert 'href="?page=2"' in html


@pytest.mark.parametrize(
    "spelling",
    [
        "page=2",
        "page=1&page=2",  # the last, as the view reads it
        "pa%67e=2",
        "page=%32",
        "page=2&",
        "&&page=2&x=%FF",
    ],
)
def test_one_query_written_many_ways_is_one_entry(client, portal, spelling):
    section = portal["economy"].get_absolute_url()
    page_two = get(client, f"{section}?page=2")
    response = get(client, f"{section}?{spelling}")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == page_two.content


def test_the_order_of_parameters_does_not_matter(client, portal):
    first = get(client, "/tim-kiem/?q=c%E1%BA%A7u&page=2")
    second = get(client, "/tim-kiem/?page=2&q=cầu")
    assert second["X-Page-Cache"] == "hit" and second.content == first.content


def test_a_flood_of_new_query_strings_stores_no_new_page(client, portal):
    get(client, "/")
    for number in range(50):
        assert get(client, f"/?x={number}")["X-Page-Cache"] == "hit"


def test_a_page_that_declares_no_parameters_is_not_cached_with_a_query(client, portal, monkeypatch):
    """Without a declaration, a page asked for with a query string is built
    for it and not stored: it might read any parameter."""
    monkeypatch.delattr(HomeView, "query_parameters")
    get(client, "/")
    assert get(client, "/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        assert "X-Page-Cache" not in get(client, "/?x=1")


def test_staff_requests_keep_every_parameter(portal):
    staff = Client()
    staff.force_login(make_user(EDITOR))
    html = get(staff, f"{portal['economy'].get_absolute_url()}?utm_source=zalo").content.decode()
    assert "utm_source=zalo&amp;page=2" in html
