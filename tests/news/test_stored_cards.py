"""The stored cards of section, tag and day lists are never stale.

Each card is stored with its article the first time a list prints it and
emptied by every change the article page's stored markup is: the tests read
a list, change one thing a card prints, and read the list again (the page
cache is off in tests, so only a stored card could hide the change).
"""

import re

import pytest
from django.db.models import Q

from media.services import image_upload
from news import stored_html
from news.models import Article, Tag
from tests.factories import make_article, make_category, vn_time
from tests.media.images import image_bytes, upload
from tests.news.test_stored_html import edit_title, new_cover, rename_section

pytestmark = pytest.mark.django_db


def cover(color):
    return image_upload(upload(image_bytes(color=color), name="bia.jpg"), alt_text="Ảnh bìa")


@pytest.fixture
def article(site_settings):
    article = make_article(
        title="Tin có bộ ảnh",
        lead="Sapo của tin có bộ ảnh.",
        category=make_category(name="Kinh tế"),
        cover_image=cover((90, 160, 60)),
        published_at=vn_time(2024, 3, 8, 9, 30),
    )
    article.tags.add(Tag.objects.create(name="Cảng biển"))
    return article


def tag_page(client, article) -> str:
    response = client.get(article.tags.get().get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_card(article) -> str:
    return Article.objects.values_list("card_html", flat=True).get(pk=article.pk)


def test_a_list_stores_each_card_and_the_next_request_prints_it(client, article):
    assert stored_card(article) == ""
    first = tag_page(client, article)
    card = stored_card(article)
    assert card.startswith('<article class="card">') and card.endswith("</article>")
    assert "Tin có bộ ảnh" in card and "Sapo của tin có bộ ảnh." in card
    assert '<span class="card__category">Kinh tế</span>' in card
    assert "Thứ Sáu, 08/03/2024 09:30" in card
    assert tag_page(client, article) == first
    # The same card on the section's and the day's lists.
    assert (
        card.replace(' loading="lazy"', "")
        in client.get(article.category.get_absolute_url()).content.decode()
    )
    assert (
        card.replace(' loading="lazy"', "")
        in client.get("/tin-theo-ngay/", {"ngay": "2024-03-08"}).content.decode()
    )


def new_lead(article):
    article = Article.objects.get(pk=article.pk)
    article.lead = "Sapo mới sau khi biên tập."
    article.save()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (edit_title, "Tin có bộ ảnh, đã sửa tiêu đề"),
        (new_lead, "Sapo mới sau khi biên tập."),
        (rename_section, '<span class="card__category">An ninh trật tự đô thị</span>'),
    ],
    ids=["title", "lead", "section renamed"],
)
def test_a_change_shows_in_the_card_on_the_next_request(client, article, change, expected):
    tag_page(client, article)
    assert stored_card(article)
    change(article)
    assert expected in tag_page(client, article)
    assert expected in stored_card(article)


def test_a_new_cover_shows_in_the_card_on_the_next_request(client, article):
    old = Article.objects.get(pk=article.pk).cover_image.file.name
    tag_page(client, article)
    new_cover(article)
    current = Article.objects.select_related("cover_image").get(pk=article.pk).cover_image
    html = tag_page(client, article)
    renditions = [r.url for r in current.available_renditions()]
    assert renditions and all(url in html for url in renditions)
    assert old.rsplit("/", 1)[-1].rsplit(".", 1)[0] not in stored_card(article)


def test_the_first_three_covers_load_at_once_and_the_rest_when_scrolled_to(client, site_settings):
    section = make_category(name="Giao thông")
    for day in range(1, 6):
        make_article(
            title=f"Tin giao thông {day}",
            category=section,
            cover_image=cover((day * 40, 90, 60)),
            published_at=vn_time(2024, 3, day, 9, 0),
        )
    for _ in range(2):  # rendered, then stored
        html = client.get(section.get_absolute_url()).content.decode()
        cards = html.split('<article class="card">')[1:]
        titles = [re.search(r"Tin giao thông \d", card).group() for card in cards]
        assert titles == [f"Tin giao thông {day}" for day in (5, 4, 3, 2, 1)]
        assert ['loading="lazy"' in card for card in cards] == [False, False, False, True, True]


def test_a_card_stored_under_another_key_is_rendered_again(client, article, settings):
    tag_page(client, article)
    settings.MEDIA_URL = "/anh/"
    html = tag_page(client, article)
    assert 'src="/anh/' in html and 'src="/media/' not in html
    assert 'src="/anh/' in stored_card(article)


def test_a_card_rendered_while_its_article_changed_is_not_stored(article):
    page = Article.objects.published().filter(pk=article.pk)
    rendering = stored_html.article_card

    def changed_meanwhile(*args, **kwargs):
        # A change commits while the list is being rendered from the old state.
        stored_html.forget(Q(pk=article.pk))
        return rendering(*args, **kwargs)

    stored_html.article_card = changed_meanwhile
    try:
        [card] = stored_html.article_cards(page)
    finally:
        stored_html.article_card = rendering
    assert "Tin có bộ ảnh" in card
    assert stored_card(article) == ""
