from django.db import migrations, models

# The stored rows take their article's publish time; rows are derived (news.related),
# so one whose article has none (none should) is dropped, and refresh_related refills.
FILL = """
UPDATE news_latestintag SET published_at = (
    SELECT news_article.published_at FROM news_article
    WHERE news_article.id = news_latestintag.article_id
)
"""
DROP_UNDATED = "DELETE FROM news_latestintag WHERE published_at IS NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_stored_census"),
    ]

    operations = [
        migrations.AddField(
            model_name="latestintag",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunSQL(DROP_UNDATED, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="latestintag",
            name="published_at",
            field=models.DateTimeField(),
        ),
    ]
