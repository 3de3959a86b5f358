"""The admin's case-folded search column on galleries, as on articles (news 0008).

Galleries are counted in hundreds, not millions: existing rows are filled in one
pass and no trigram index is needed.
"""

from django.db import migrations, models
from modeltranslation.utils import build_localized_fieldname

# Not frozen on purpose: the folding and the editions are those the models use.
from core import editions
from core.casefold import fold


def fill(apps, schema_editor):
    alias = schema_editor.connection.alias
    gallery = apps.get_model("multimedia", "Gallery")
    columns = ["slug", *(build_localized_fieldname("title", code) for code in editions.CODES)]
    rows = [
        gallery(
            pk=row["pk"],
            admin_search="\n".join(fold(row[name]) for name in columns if row[name]),
        )
        for row in gallery.objects.using(alias).values("pk", *columns)
    ]
    gallery.objects.using(alias).bulk_update(rows, ["admin_search"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("multimedia", "0002_newsroom_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="gallery",
            name="admin_search",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
