"""Indexes that keep reader pages fast with millions of articles.

- A GIN full-text index per edition (PostgreSQL only), on exactly the
  expression news.search builds, in the edition's text-search configuration.
- (tag, newest article) for related news, which read the newest articles of
  each tag (ArticleQuerySet.related_to).

Built CONCURRENTLY on PostgreSQL so that deploying them never locks the table;
that cannot run inside a transaction, hence atomic = False.
"""

from django.db import migrations

# Frozen copy of portal.editions at the time of writing: (column suffix, configuration).
SEARCH_CONFIGS = [
    ("en", "english"),
    ("ru", "russian"),
    ("kk", "simple"),
    ("kk_latn", "simple"),
    ("zh_hans", "simple"),
    ("kk_arab", "simple"),
    ("uz", "simple"),
]


def document(suffix, config):
    columns = " || ' ' || ".join(
        f'COALESCE("news_article"."{name}_{suffix}", \'\')' for name in ("title", "lead", "body")
    )
    return f"to_tsvector('{config}'::regconfig, {columns})"


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if postgres else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS news_article_tags_tag_newest "
        "ON news_article_tags (tag_id, article_id DESC)"
    )
    if postgres:
        for suffix, config in SEARCH_CONFIGS:
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS news_article_search_{suffix} "
                f"ON news_article USING gin ({document(suffix, config)})"
            )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS news_article_tags_tag_newest")
    if schema_editor.connection.vendor == "postgresql":
        for suffix, _config in SEARCH_CONFIGS:
            schema_editor.execute(f"DROP INDEX IF EXISTS news_article_search_{suffix}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("news", "0003_newsroom_groups")]

    operations = [migrations.RunPython(create, drop)]
