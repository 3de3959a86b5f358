"""The newsroom's two roles as auth groups.

Editor: writes and edits articles, tags and authors, but cannot publish.
Chief editor: everything on the news models, and the "publish_article" permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"
EDITOR_PERMISSIONS = [
    ("article", ("add", "change", "view")),
    ("tag", ("add", "change", "view")),
    ("author", ("add", "change", "view")),
    ("category", ("view",)),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make news's now.
    news = apps.get_app_config("news")
    news.models_module = True
    create_permissions(news, apps=apps, verbosity=0)
    news.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    news_permissions = Permission.objects.filter(content_type__app_label="news")

    editor, _created = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(
        [
            news_permissions.get(codename=f"{action}_{model}")
            for model, actions in EDITOR_PERMISSIONS
            for action in actions
        ]
    )
    chief, _created = Group.objects.get_or_create(name=CHIEF_EDITOR)
    chief.permissions.set(list(news_permissions))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, CHIEF_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_article_workflow_images"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
