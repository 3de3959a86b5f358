"""Indexes that keep reader pages fast with millions of articles.

- A GIN full-text index per edition (PostgreSQL only), on exactly the
  expression news.search builds, in the edition's text-search configuration
  (news.search.search_index_statements).
- (tag, newest article) for related news, which read the newest articles of
  each tag (ArticleQuerySet.related_to).

Built CONCURRENTLY on PostgreSQL so that deploying them never locks the table;
that cannot run inside a transaction, hence atomic = False.
"""

from django.db import migrations

# Not frozen on purpose: the index must match the expression news.search
# queries with, whatever the editions are when the migration runs.
from news import search


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if postgres else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS news_article_tags_tag_newest "
        "ON news_article_tags (tag_id, article_id DESC)"
    )
    if postgres:
        for statement in search.search_index_statements(concurrently=True):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS news_article_tags_tag_newest")
    if schema_editor.connection.vendor == "postgresql":
        for name in search.search_index_names():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("news", "0003_newsroom_groups")]

    operations = [migrations.RunPython(create, drop)]
