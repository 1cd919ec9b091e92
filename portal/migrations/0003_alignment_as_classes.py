"""Stored rich text sets its alignment with classes, not style attributes.

Bodies and an organization's functions were stored with the alignment in a
style attribute, which the public pages' Content-Security-Policy does not
apply; the sanitiser now writes it as a class. Only rows that hold such an
attribute are read; the rest of their markup is kept as it was.
"""

from django.db import migrations
from django.db.models import F

STYLE = ' style="text-align:'


def alignment_as_classes(apps, schema_editor):
    from portal.sanitize import alignment_as_classes as convert

    Article = apps.get_model("news", "Article")
    articles = Article.objects.filter(body__contains=STYLE) | Article.objects.filter(
        body_html__contains=STYLE
    )
    changed = []
    for article in articles.only("pk", "body", "body_html").iterator(chunk_size=200):
        article.body = convert(article.body)
        article.body_html = convert(article.body_html)
        # The stored page and card were built from the old body (as
        # news.models.emptied_article_html empties them).
        article.article_html = article.article_head_html = article.card_html = ""
        article.article_html_generation = F("article_html_generation") + 1
        changed.append(article)
    Article.objects.bulk_update(
        changed,
        [
            "body",
            "body_html",
            "article_html",
            "article_head_html",
            "card_html",
            "article_html_generation",
        ],
        batch_size=200,
    )

    Organization = apps.get_model("organizations", "Organization")
    organizations = list(
        Organization.objects.filter(functions__contains=STYLE).only("pk", "functions")
    )
    for organization in organizations:
        organization.functions = convert(organization.functions)
    Organization.objects.bulk_update(organizations, ["functions"], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_roles"),
        ("news", "0014_section_counts"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(alignment_as_classes, migrations.RunPython.noop)]
