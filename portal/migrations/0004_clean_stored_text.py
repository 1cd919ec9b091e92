"""Clean the text stored before every text field was cleaned on save
(``portal.text.clean_text``): vertical tabs pasted from Word, other control
characters, Unicode line separators and noncharacters, which XML feeds and
sitemaps cannot carry.

PostgreSQL finds the rows that hold one (one regular-expression scan per
table); only those are written, without ``save()``. An article whose own
text changed gets its plain text, rendered body, search vectors and stored
markup brought in line; when a row that article pages print changed (a
section, tag, photo, decision...), every stored article markup is emptied,
to be rendered again on its next request, and the caches are emptied.
"""

from django.db import migrations
from django.db.models import F

APPS = ("news", "media", "organizations", "awards", "portal")
# Written by the portal's own code, never printed on an article page.
NOT_ON_ARTICLE_PAGES = {"news.Article", "news.ArticleEvent", "news.SearchTerm"}


def clean_stored_text(apps, schema_editor):
    from news.models import forget_sections
    from news.search import vectors
    from portal.cache import bump_content_version
    from portal.models import forget_site_settings
    from portal.text import clean_stored_text

    changed = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            also = ("body_html", "body_text") if model._meta.label == "news.Article" else ()
            pks = clean_stored_text(model, also=also)
            if pks:
                changed[model._meta.label] = pks
    if not changed:
        return
    Article = apps.get_model("news", "Article")
    emptied = {
        "article_html": "",
        "article_head_html": "",
        "card_html": "",
        "article_html_generation": F("article_html_generation") + 1,
    }
    if "news.Article" in changed:
        Article.objects.filter(pk__in=changed["news.Article"]).update(**vectors(), **emptied)
    if set(changed) - NOT_ON_ARTICLE_PAGES:
        Article.objects.exclude(article_html="", card_html="").update(**emptied)
    forget_site_settings()
    forget_sections()
    bump_content_version()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_alignment_as_classes"),
        ("news", "0014_section_counts"),
        ("media", "0002_rendition_files"),
        ("organizations", "0001_initial"),
        ("awards", "0003_award_types"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
