"""Control characters typed into any field staff can fill never break a public page.

Every C0 and C1 control character, the Unicode line and paragraph
separators and the two noncharacters XML forbids are put into every text
field of every change form of the admin (the fields are found by looking at
the models, so a field added later is covered), posted as a browser posts
the form; then every public page, feed and sitemap that shows them is read:
no error, well-formed XML, and the words around the characters still there,
in order.
"""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.db import models
from django.forms.models import _get_foreign_key
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from awards.models import AwardRecipient, AwardType
from media.services import document_create, document_prepare, image_upload
from news.models import GalleryItem, Tag
from organizations.models import Position
from portal.models import SiteSettings
from portal.text import text_fields
from tests.factories import (
    make_article,
    make_category,
    make_decision,
    make_organization,
    make_person,
)
from tests.media.images import PDF, image_bytes, upload

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"news", "media", "organizations", "awards", "portal"}

# Tab and newline are ordinary text; NUL is refused by the forms (below).
CONTROLS = [
    *(chr(c) for c in range(0x01, 0x20) if chr(c) not in "\t\n"),
    *map(chr, range(0x7F, 0xA0)),  # C1, NEL among them
    *["\u2028", "\u2029", "\ufffe", "\uffff"],
]
# A few at a time, so that the shortest fields (50 characters) take them.
CHUNKS = [CONTROLS[i : i + 24] for i in range(0, len(CONTROLS), 24)]
FORBIDDEN = re.compile("[" + re.escape("".join(c for c in CONTROLS if c != "\r")) + "]")


def typed_fields(model) -> list[models.Field]:
    """The fields a person types text into; slugs, addresses and choices are
    checked by their form fields, which refuse such characters."""
    return [
        field
        for field in text_fields(model)
        if not field.choices
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
    ]


class ChangeForm(HTMLParser):
    """What a browser would post from the admin's change form on a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea = self._select = None
        self.feed(html)

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))

    def handle_data(self, data):
        if self._textarea in self.data and self._in_form:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            if self._textarea in self.data:
                # Browsers drop the line break that starts a text area.
                value = self.data[self._textarea][-1]
                self.data[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def world(site_settings, settings):
    settings.SITE_URL = "https://tintuc.example.vn"
    section = make_category(name="Kinh tế")
    photo = image_upload(upload(image_bytes()), title="Cảng", alt_text="Cảng Hải Phòng")
    data, clean = document_prepare(upload(PDF, "qd.pdf", "application/pdf"))
    document = document_create(data=data, clean=clean, original_name="qd.pdf", title="Quyết định")
    authority = make_organization("Ủy ban nhân dân quận Hồng Bàng", logo=photo)
    person = make_person("Lê Thị Vân")
    Position.objects.create(person=person, organization=authority, title="Phó Chủ tịch")
    article = make_article(
        title="Cảng Hải Phòng đón tàu lớn",
        category=section,
        cover_image=photo,
        published_at=timezone.now() - timedelta(hours=1),
    )
    article.tags.add(Tag.objects.create(name="Cảng biển"))
    article.organizations.add(authority)
    article.people.add(person)
    GalleryItem.objects.create(article=article, image=photo, caption="Tàu cập cảng")
    decision = make_decision(authority=authority, document=document)
    decision.articles.add(article)
    AwardRecipient.objects.create(decision=decision, organization=authority, order=1)
    AwardRecipient.objects.create(decision=decision, person=person, order=2)
    return {
        "article": article,
        "section": section,
        "tag": article.tags.get(),
        "photo": photo,
        "document": document,
        "organization": authority,
        "person": person,
        "award_type": AwardType.objects.get(pk=decision.award_type_id),
        "decision": decision,
        "site_settings": SiteSettings.load(),
    }


def change_forms(world):
    """Each project model in the admin with the row whose change form is posted."""
    by_model = {type(obj): obj for obj in world.values()}
    registered = [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS]
    missing = [m._meta.label for m in registered if m not in by_model]
    assert not missing, f"add a row of these to the world fixture: {missing}"
    return [(model, by_model[model]) for model in registered]


def fill(client, model, obj, value_for) -> None:
    """Post ``obj``'s change form, and its inlines' rows, with every typed
    field set to ``value_for(field, label)``."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    form = ChangeForm(client.get(url).content.decode()).data

    def put(name, field, label):
        assert name in form, f"{label} is not in the admin form"
        form[name] = [value_for(field, label)]

    for field in typed_fields(model):
        put(field.name, field, f"{model._meta.label}.{field.name}")
    for inline in admin.site._registry[model].inlines:
        fk = _get_foreign_key(model, inline.model, inline.fk_name)
        prefix = fk.remote_field.get_accessor_name()
        rows = int(form[f"{prefix}-INITIAL_FORMS"][0])
        assert rows, f"give the {prefix} of {model._meta.label} a row in the world fixture"
        for row in range(rows):
            for field in typed_fields(inline.model):
                label = f"{inline.model._meta.label}.{field.name}[{row}]"
                put(f"{prefix}-{row}-{field.name}", field, label)
    response = client.post(url, form | {"_save": ["Lưu"]})
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    assert response.status_code == 302, (model._meta.label, errors)


def public_pages(world, query: str) -> dict[str, str]:
    """Every public address that prints what the world's rows hold, with its
    kind; the search is for ``query``."""
    world = {name: type(obj).objects.get(pk=obj.pk) for name, obj in world.items()}
    article, section, tag = world["article"], world["section"], world["tag"]
    day = timezone.localtime(article.published_at).date().isoformat()
    pages = {
        "/": "html",
        article.get_absolute_url(): "html",
        section.get_absolute_url(): "html",
        tag.get_absolute_url(): "html",
        f"/tin-theo-ngay/?ngay={day}": "html",
        f"/tim-kiem/?q={query}": "html",
        "/khen-thuong/": "html",
        world["decision"].get_absolute_url(): "html",
        world["organization"].get_absolute_url(): "html",
        world["person"].get_absolute_url(): "html",
        "/rss/": "rss",
        f"/rss/{section.slug}/": "rss",
        "/sitemap.xml": "xml",
        "/sitemap-tin-tuc.xml": "xml",
    }
    from portal.sitemaps import SITEMAPS

    pages |= {f"/sitemap-{name}.xml": "xml" for name in SITEMAPS}
    return pages


# Fields no page prints here: the library's own title and description of a
# photo or document (pages print the photo's alt text and the document's
# number and title), and a photo's default caption, printed only under a
# gallery photo whose own caption is empty (every caption here is filled).
NOT_PUBLIC = {"media.Image.title", "media.Image.default_caption", "media.Document.description"}


@pytest.mark.parametrize("chunk", CHUNKS, ids=lambda chunk: f"U+{ord(chunk[0]):04X}")
def test_control_characters_in_every_field_staff_fill_leave_public_pages_whole(
    admin_client, client, world, chunk
):
    from ckeditor.fields import RichTextField

    markers = {}

    def value_for(field, label):
        n = markers.setdefault(label, len(markers))
        text = f"mo{n:02d}x {''.join(chunk)} dong{n:02d}x"
        return f"<p>{text}</p>" if isinstance(field, RichTextField) else text

    for model, obj in change_forms(world):
        fill(admin_client, model, obj, value_for)

    # Stored: the characters gone or turned into spaces and line breaks.
    stored = [
        getattr(row, field.name)
        for label in PROJECT_APPS
        for model in django_apps.get_app_config(label).get_models()
        for row in model.objects.all()
        for field in typed_fields(model)
    ]
    for label, n in markers.items():
        value = next((v for v in stored if f"mo{n:02d}x" in v), None)
        assert value is not None, label
        assert not FORBIDDEN.search(value) and "\r" not in value, (label, value)
        assert " ".join(strip_tags(value).split()) == f"mo{n:02d}x dong{n:02d}x", (label, value)

    shown = set()
    # The search page repeats its query: searched by the word after the characters.
    title = markers["news.Article.title"]
    for url, kind in public_pages(world, f"dong{title:02d}x").items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert not FORBIDDEN.search(text), (url, FORBIDDEN.search(text))
        if url.startswith("/tim-kiem/"):
            assert "1 kết quả" in text  # the article, found by a word of its title
        if kind != "html":
            ET.fromstring(body)
        if kind == "rss":
            feed = feedparser.parse(body)
            assert not feed.bozo, (url, feed.bozo_exception)
        for label, n in markers.items():
            opening, closing = f"mo{n:02d}x", f"dong{n:02d}x"
            for found in re.finditer(opening, text):
                after = text[found.end() : found.end() + 80]
                if after.startswith("-"):
                    continue  # in an address, as a slug
                # The words around the characters, in order, nothing between but
                # spaces or line breaks (escaped in JSON, or a <br>).
                assert re.match(rf"(\s|\\n|<br>|&#10;)*{closing}", after), (url, label, after)
                shown.add(label)
    # Every field but those the pages never print was found somewhere.
    assert {label.split("[")[0] for label in markers} - {
        label.split("[")[0] for label in shown
    } == NOT_PUBLIC


def test_a_nul_character_in_any_field_is_refused_by_its_form(admin_client, world):
    for model, obj in change_forms(world):
        before = model.objects.filter(pk=obj.pk).values().get()
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        form = ChangeForm(admin_client.get(url).content.decode()).data
        field = typed_fields(model)[0]
        form[field.name] = ["Trước\x00sau"]
        response = admin_client.post(url, form | {"_save": ["Lưu"]})
        assert response.status_code == 200, model._meta.label
        assert "ký tự null" in response.content.decode(), model._meta.label
        assert model.objects.filter(pk=obj.pk).values().get() == before
