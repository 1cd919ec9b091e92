"""Keep the search vectors in the article's row rather than in TOAST.

A search reads the folded vector of every row it walks (some 700 for a
common word) and ranks 500 of them with both vectors. Stored out of line,
each read is a lookup in the TOAST table's index and pages: most of the
query's time. With STORAGE MAIN they stay in the row (PostgreSQL moves the
bodies and stored markup out first): on 100,000 articles that scan became
about 2.5 times faster. The cost is a wider table (about one row per page),
which makes counting a section's articles from the index somewhat slower.

Existing rows keep their vectors out of line until rewritten: VACUUM FULL
rewrites the table (holding it locked, about a minute per 100,000 articles)
and rebuilds its indexes; the plain VACUUM after it marks the pages visible
again, so that counts read the index alone. New values follow the column's
storage by themselves.
"""

from django.db import migrations


def storage(kind):
    return (
        f"ALTER TABLE news_article ALTER COLUMN search_folded SET STORAGE {kind}, "
        f"ALTER COLUMN search_exact SET STORAGE {kind}"
    )


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("news", "0012_article_card_html"),
    ]

    operations = [
        migrations.RunSQL(storage("MAIN"), storage("EXTENDED")),
        migrations.RunSQL("VACUUM FULL news_article", migrations.RunSQL.noop),
        migrations.RunSQL("VACUUM (ANALYZE) news_article", migrations.RunSQL.noop),
    ]
