"""Load the demonstration content: the seed article, its photos and a dozen short articles.

Safe to re-run: rows that already exist (by title, or the category name) are
left exactly as they are, so an editor's changes to demo content survive.
"""

import io
import json
from datetime import date, datetime
from html import escape
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from awards.importing import Row, award_recipients_import, award_recipients_plan
from awards.models import AwardDecision, AwardType
from media.models import Image
from media.services import DuplicateUpload, image_upload
from news.models import Article, Category, GalleryItem, Tag
from organizations.models import Organization, Person, Position
from portal.models import SiteSettings
from portal.text import slugify_vi

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
PHOTO_SIZE = (1200, 750)
DEMO_CREDIT = "Ảnh minh họa (dữ liệu mẫu)"

SITE_DEFAULTS = {
    "portal_name": "Cổng tin tức Thành phố Hải Phòng",
    "owner": "Ủy ban nhân dân thành phố Hải Phòng (dữ liệu mẫu)",
    "editor_in_charge": "Ban Biên tập (dữ liệu mẫu)",
    "address": "Số 18 Hoàng Diệu, quận Hồng Bàng, thành phố Hải Phòng",
    "phone": "0225 3000 000",
    "email": "bientap@example.vn",
    "fanpage_url": "https://www.facebook.com/example.haiphong",
}


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def placeholder_photo(number: int, caption: str) -> bytes:
    """A photo-sized JPEG that says plainly it stands in for a real photo."""
    width, height = PHOTO_SIZE
    image = PILImage.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a soft vertical gradient, so it reads as a picture
        shade = int(70 + 90 * y / height)
        draw.line([(0, y), (width, y)], fill=(shade, shade // 2 + 30, shade // 2 + 40))
    draw.rectangle([40, 40, width - 40, height - 40], outline=(255, 255, 255), width=4)
    draw.text(
        (width // 2, height // 2 - 60),
        f"ẢNH MINH HỌA {number}",
        font=_font(64),
        fill="white",
        anchor="mm",
    )
    draw.text(
        (width // 2, height // 2 + 20),
        "Ảnh giữ chỗ — thay bằng ảnh thật",
        font=_font(36),
        fill=(255, 230, 160),
        anchor="mm",
    )
    words, lines, line = caption.split(), [], ""
    for word in words:  # wrap the caption under the label
        if len(line) + len(word) > 48:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for index, text in enumerate(lines[:3]):
        draw.text(
            (width // 2, height // 2 + 100 + index * 40),
            text,
            font=_font(28),
            fill=(235, 235, 235),
            anchor="mm",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def library_photo(number: int, caption: str, title: str, file_name: str) -> Image:
    """A placeholder photo in the media library, created once (found again by its bytes)."""
    upload = ContentFile(placeholder_photo(number, caption), name=file_name)
    try:
        return image_upload(
            upload, title=title, alt_text=caption, default_caption=caption, credit=DEMO_CREDIT
        )
    except DuplicateUpload as duplicate:
        return duplicate.existing


def seed_body(blocks: list[dict]) -> tuple[str, list[Image]]:
    """The seed article's blocks as the HTML CKEditor's image2 plugin writes, with
    its photos as library images."""
    parts, photos = [], []
    for block in blocks:
        if "paragraph" in block:
            parts.append(f"<p>{escape(block['paragraph'], quote=False)}</p>")
            continue
        caption = block["photo_caption"]
        number = len(photos) + 1
        image = library_photo(
            number,
            caption,
            f"Hội nghị tổng kết 10 năm, Ban Chỉ đạo 799 quận Hồng Bàng – ảnh {number}",
            f"hong-bang-799-anh-{number}.jpg",
        )
        photos.append(image)
        parts.append(
            '<figure class="image-captioned">'
            f'<img src="{image.file.url}" alt="{escape(image.alt_text)}" '
            f'width="{image.width}" height="{image.height}">'
            f"<figcaption>{escape(caption, quote=False)}</figcaption></figure>"
        )
    return "\n".join(parts), photos


def load_awards(data: dict, seed_article) -> dict:
    """The seed's organizations, Lê Thị Vân and the seed's award decision, once each."""
    created = {"organization": 0, "recipient": 0}
    by_name = {}
    for item in data["organizations"]:
        parent = by_name.get(item.get("parent"))
        organization = Organization.objects.filter(name=item["name"], parent=parent).first()
        if organization is None:
            organization = Organization.objects.create(
                name=item["name"],
                short_name=item.get("short_name", ""),
                kind=item["kind"],
                parent=parent,
                address=item.get("address", ""),
            )
            created["organization"] += 1
        by_name[item["name"]] = organization
    people = {}
    for item in data["people"]:
        person = Person.objects.filter(full_name=item["full_name"]).first()
        if person is None:
            person = Person.objects.create(full_name=item["full_name"])
            for position in item["positions"]:
                Position.objects.create(
                    person=person,
                    organization=by_name[position["organization"]],
                    title=position["title"],
                )
        people[person.full_name] = person
    if seed_article is not None:
        seed_article.organizations.add(*(by_name[n] for n in data["seed_links"]["organizations"]))
        seed_article.people.add(*(people[n] for n in data["seed_links"]["people"]))

    item = data["decision"]
    authority = by_name[item["authority"]]
    decision = AwardDecision.objects.filter(number=item["number"], authority=authority).first()
    if decision is None:
        name, level = item["award_type"]
        decision = AwardDecision.objects.create(
            number=item["number"],
            decided_on=date.fromisoformat(item["decided_on"]),
            award_type=AwardType.objects.get_or_create(name=name, level=level)[0],
            authority=authority,
            signer_title=item["signer_title"],
            reason=item["reason"],
        )
    if seed_article is not None:
        decision.articles.add(seed_article)
    rows = [
        Row(line=n, kind="collective", name=name, achievement="Dữ liệu mẫu", order=n)
        for n, name in enumerate(item["collectives"], start=1)
    ] + [
        Row(
            line=100 + n,
            kind="individual",
            name=person["name"],
            position=person["position"],
            unit=person["unit"],
            achievement="Dữ liệu mẫu",
            order=100 + n,
        )
        for n, person in enumerate(item["individuals"], start=1)
    ]
    created["recipient"] = award_recipients_import(
        decision=decision, plan=award_recipients_plan(decision, rows)
    )
    return created


class Command(BaseCommand):
    help = (
        "Nạp nội dung mẫu: bài viết gốc Hải Phòng, ảnh minh họa và 12 bài ngắn. "
        "Chạy lại không ghi đè."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created, write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        seed = json.loads((DEMO_DIR / "seed_article.json").read_text(encoding="utf-8"))
        demo = json.loads((DEMO_DIR / "articles.json").read_text(encoding="utf-8"))
        awards = json.loads((DEMO_DIR / "awards.json").read_text(encoding="utf-8"))
        created = {"category": 0, "article": 0}

        with transaction.atomic():
            site, _new = SiteSettings.objects.get_or_create(pk=1)
            blank = {
                field: value
                for field, value in {**SITE_DEFAULTS, "portal_name": seed["portal_name"]}.items()
                if getattr(site, field) in ("", SiteSettings._meta.get_field(field).default)
            }
            if blank and not dry_run:
                for field, value in blank.items():
                    setattr(site, field, value)
                site.save()

            categories = {}
            for item in demo["categories"]:
                category = Category.objects.filter(name=item["name"]).first()
                if category is None:
                    created["category"] += 1
                    category = Category(name=item["name"], order=item["order"])
                    if not dry_run:
                        category.save()
                categories[item["name"]] = category

            articles = [
                {
                    "category": demo["seed_category"],
                    "title": seed["title"],
                    "lead": seed["lead"],
                    "body_html": None,
                    "author_byline": seed["author_byline"],
                    "source": seed["source"] or "",
                    "original_url": seed["original_url"] or "",
                    "published_at": seed["published_at"],
                    "featured_order": demo.get("seed_featured_order"),
                    "tags": demo.get("seed_tags", []),
                },
                *demo["articles"],
            ]
            for item in articles:
                if Article.objects.filter(title=item["title"]).exists():
                    continue
                created["article"] += 1
                self.stdout.write(f"  + {item['title'][:90]}", ending="\n")
                if dry_run:
                    continue
                cover, gallery = None, []
                if "body" in item:
                    body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in item["body"])
                else:
                    body, photos = seed_body(seed["body_blocks_in_order"])
                    cover = photos[0]
                for number, caption in enumerate(item.get("gallery", []), start=1):
                    gallery.append(
                        library_photo(
                            number,
                            caption,
                            f"{item['title'][:200]} – ảnh {number}",
                            f"{slugify_vi(item['title'])[:50]}-anh-{number}.jpg",
                        )
                    )
                article = Article.objects.create(
                    title=item["title"],
                    lead=item["lead"],
                    body=body,
                    category=categories[item["category"]],
                    author_byline=item.get("author_byline", ""),
                    source=item.get("source", ""),
                    original_url=item.get("original_url", ""),
                    status=Article.Status.PUBLISHED,
                    published_at=datetime.fromisoformat(item["published_at"]),
                    cover_image=cover or (gallery[0] if gallery else None),
                    featured_order=item.get("featured_order"),
                )
                for name in item.get("tags", []):
                    article.tags.add(Tag.objects.get_or_create(name=name)[0])
                for order, image in enumerate(gallery):
                    GalleryItem.objects.create(article=article, image=image, order=order)
            awards_created = load_awards(
                awards, Article.objects.filter(title=seed["title"]).first()
            )
            if dry_run:
                transaction.set_rollback(True)

        verb = "Sẽ tạo" if dry_run else "Đã tạo"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {created['category']} chuyên mục, {created['article']} bài viết, "
                f"{awards_created['organization']} cơ quan, "
                f"{awards_created['recipient']} người, tập thể được khen."
            )
        )
