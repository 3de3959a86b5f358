"""An index on the published articles' numbers for the sitemap census (news.sitemap_census).

Built CONCURRENTLY on PostgreSQL, so that deploying it never holds up the newsroom's
saves (two seconds at a million articles otherwise); that cannot run inside a
transaction, hence atomic = False.
"""

from django.conf import settings
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.add_index(model, self.index, concurrently=True)
            else:
                schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.remove_index(model, self.index, concurrently=True)
            else:
                schema_editor.remove_index(model, self.index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("news", "0014_latestintag_published_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["id"],
                include=("published_at", "stored_edition_bits", "updated_at"),
                name="article_published_number",
            ),
        ),
    ]
