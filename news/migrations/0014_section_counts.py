"""Keep each section's number of listed articles beside it, for its pages.

A section page prints "Trang 500/636": counting a section's 12,700 public
articles from the index cost about as much as the rest of the page's
queries. ``news_sectioncount.listed`` holds how many articles of each
section are published or scheduled, out of the trash; triggers on
``news_article`` keep it in step with every insert, update and delete, by
whatever route (the admin, imports, bulk loads, raw SQL). A page subtracts
the few scheduled articles whose time has not come, which it counts.

Inserts and deletes are counted once per statement from their transition
tables (a bulk load of thousands of rows makes one update per section);
updates once per row, and only when the status, the trash or the section
changes. The counts are taken from the articles already there.
"""

import django.db.models.deletion
from django.db import migrations, models

LISTED = "status = 'published' AND deleted_at IS NULL"

FUNCTIONS = f"""
CREATE FUNCTION news_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO news_sectioncount AS c (category_id, listed)
    SELECT category_id, count(*) FROM inserted WHERE {LISTED}
    GROUP BY category_id ORDER BY category_id
    ON CONFLICT (category_id) DO UPDATE SET listed = c.listed + EXCLUDED.listed;
    RETURN NULL;
END $$;

CREATE FUNCTION news_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE news_sectioncount AS c SET listed = c.listed - d.n
    FROM (SELECT category_id, count(*) AS n FROM deleted WHERE {LISTED}
          GROUP BY category_id) AS d
    WHERE c.category_id = d.category_id;
    RETURN NULL;
END $$;

CREATE FUNCTION news_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_listed boolean := OLD.status = 'published' AND OLD.deleted_at IS NULL;
    is_listed boolean := NEW.status = 'published' AND NEW.deleted_at IS NULL;
BEGIN
    IF is_listed THEN
        INSERT INTO news_sectioncount (category_id, listed) VALUES (NEW.category_id, 0)
        ON CONFLICT (category_id) DO NOTHING;
    END IF;
    -- One statement for both sections, locked in the primary key's order,
    -- so two moves the other way round cannot deadlock.
    UPDATE news_sectioncount SET listed = listed
        + CASE WHEN is_listed AND category_id = NEW.category_id THEN 1 ELSE 0 END
        - CASE WHEN was_listed AND category_id = OLD.category_id THEN 1 ELSE 0 END
    WHERE category_id IN (OLD.category_id, NEW.category_id);
    RETURN NULL;
END $$;

CREATE TRIGGER news_article_count_inserted AFTER INSERT ON news_article
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION news_count_inserted();
CREATE TRIGGER news_article_count_deleted AFTER DELETE ON news_article
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION news_count_deleted();
CREATE TRIGGER news_article_count_updated AFTER UPDATE ON news_article
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION news_count_updated();

INSERT INTO news_sectioncount (category_id, listed)
SELECT category_id, count(*) FROM news_article WHERE {LISTED} GROUP BY category_id;
"""  # noqa: S608 - constant text

DROP = """
DROP TRIGGER news_article_count_inserted ON news_article;
DROP TRIGGER news_article_count_deleted ON news_article;
DROP TRIGGER news_article_count_updated ON news_article;
DROP FUNCTION news_count_inserted();
DROP FUNCTION news_count_deleted();
DROP FUNCTION news_count_updated();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_search_vectors_in_the_row"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionCount",
            fields=[
                (
                    "category",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="news.category",
                    ),
                ),
                ("listed", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]
