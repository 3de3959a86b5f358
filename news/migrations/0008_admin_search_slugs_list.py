"""The admin's case-folded search column, and who saved an article last.

- `admin_search` on articles, categories, tags and authors: the slug and every
  edition's title (or name), folded by core.casefold on each save. Existing rows
  are filled here in batches. On PostgreSQL a trigram GIN index (pg_trgm) on it
  serves the admin's `LIKE '%word%'`, so searching a million articles reads
  the index rather than every row; it is built CONCURRENTLY so that deploying it
  never locks the table, which cannot run inside a transaction, hence atomic = False.
  SQLite has no such index and needs none at the newsroom's development sizes.
- `Article.updated_by`, shown in the article list; unknown (empty) for articles
  saved before it existed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models, transaction
from modeltranslation.utils import build_localized_fieldname

# Not frozen on purpose: the folding and the editions are those the models use.
from core import editions
from core.casefold import fold
from news.search import admin_search_index

SOURCES = {"article": "title", "category": "name", "tag": "name", "author": "name"}
BATCH = 2000


def fill(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, source in SOURCES.items():
        model = apps.get_model("news", model_name)
        columns = ["slug", *(build_localized_fieldname(source, code) for code in editions.CODES)]
        rows = model.objects.using(alias).order_by("pk")
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last).values("pk", *columns)[:BATCH])
            if not batch:
                break
            with transaction.atomic(using=alias):
                model.objects.using(alias).bulk_update(
                    [
                        model(
                            pk=row["pk"],
                            admin_search="\n".join(
                                fold(row[name]) for name in columns if row[name]
                            ),
                        )
                        for row in batch
                    ],
                    ["admin_search"],
                )
            last = batch[-1]["pk"]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Only here: the extension exists on PostgreSQL alone (trusted since PostgreSQL 13,
    # so the database's owner may create it).
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for model_name in SOURCES:
        schema_editor.execute(admin_search_index(model_name)[1])


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name in SOURCES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {admin_search_index(model_name)[0]}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("news", "0007_trust"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name="admin_search",
                field=models.TextField(
                    blank=True, default="", editable=False, verbose_name="search text"
                ),
            )
            for model_name in SOURCES
        ),
        migrations.AddField(
            model_name="article",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="updated by",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
