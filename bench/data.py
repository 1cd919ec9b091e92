"""Realistic Vietnamese articles in bulk, for benchmarks and load tests.

The text is built from the seed article's own words, so search, slugs and
page sizes behave as they do with real news; covers and award decisions are
taken from those already in the database (``load_demo`` provides some). Rows are written with
``bulk_create`` in batches; the fields ``Article.save()`` would derive
(slug, body_html, body_text, the search vectors) are filled here instead,
in the same way, so the pages and the search index are as after real saves.
"""

import json
import random
import re
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from awards.models import AwardDecision
from media.models import Image
from news.models import Article, Category, SearchTerm, Tag, plain_text
from news.search import vectors
from portal.text import slugify_vi

SEED = Path(__file__).resolve().parents[1] / "news" / "demo" / "seed_article.json"
SECTIONS = [
    "Tin tức - Sự kiện",
    "Quốc phòng - An ninh",
    "Kinh tế",
    "Văn hóa - Xã hội",
    "Giáo dục",
    "Y tế",
    "Giao thông",
    "Xây dựng - Đô thị",
]


def vocabulary() -> list[str]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    text = " ".join(
        [seed["title"], seed["lead"]]
        + [
            block.get("paragraph", block.get("photo_caption", ""))
            for block in seed["body_blocks_in_order"]
        ]
    )
    return re.findall(r"[^\W\d_]+", text)


class Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = vocabulary()

    def sentence(self, low=8, high=22) -> str:
        words = self.rng.choices(self.words, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))


def generate_articles(
    count: int, *, seed: int = 2023, batch_size: int = 1000, progress=None
) -> int:
    """Create ``count`` published articles; return how many were written."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample text, not a secret
    writer = Writer(rng)
    sections = [Category.objects.get_or_create(name=name)[0] for name in SECTIONS]
    tags = [
        Tag.objects.get_or_create(name=f"Chủ đề {writer.sentence(1, 2)[:-1]} {n}")[0]
        for n in range(100)
    ]
    # Photos and award decisions already in the library (the demo content's):
    # most articles get a cover, one in a hundred reports an award.
    covers = list(Image.objects.exclude(alt_text="").values_list("pk", flat=True))
    decisions = list(AwardDecision.objects.values_list("pk", flat=True))
    now = timezone.now()
    written = 0
    while written < count:
        size = min(batch_size, count - written)
        batch = []
        for _ in range(size):
            title = writer.sentence(10, 18)[:-1]
            paragraphs = [writer.paragraph() for _ in range(rng.randint(4, 9))]
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            batch.append(
                Article(
                    title=title,
                    slug=slugify_vi(title),
                    lead=writer.sentence(20, 40),
                    body=body,
                    body_html=body,
                    body_text=plain_text(body),
                    category=rng.choice(sections),
                    cover_image_id=rng.choice(covers) if covers and rng.random() < 0.7 else None,
                    author_byline=" ".join(rng.choices(writer.words, k=2)).title(),
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randint(1, 5 * 365 * 24 * 60)),
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            ids = [a.pk for a in created]
            Article.objects.filter(pk__in=ids).update(**vectors())
            SearchTerm.objects.record(*(f"{a.title} {a.lead} {a.body_text}" for a in batch))
            Article.tags.through.objects.bulk_create(
                [Article.tags.through(article_id=pk, tag_id=rng.choice(tags).pk) for pk in ids]
            )
            if decisions:
                AwardDecision.articles.through.objects.bulk_create(
                    [
                        AwardDecision.articles.through(
                            article_id=pk, awarddecision_id=rng.choice(decisions)
                        )
                        for pk in ids
                        if rng.random() < 0.01
                    ]
                )
        written += size
        if progress:
            progress(written, count)
    return written
