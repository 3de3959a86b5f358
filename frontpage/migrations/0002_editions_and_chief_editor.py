"""A front page per edition, and the chief editor's right to arrange them.

Only the Chief editor group (news migration 0003) gets this app's
permissions: editors write stories, the chief editor decides what leads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Not frozen on purpose: every edition of the table gets its front page.
from core import editions

CHIEF_EDITOR = "Chief editor"
MODELS = {
    "frontpage": ("change", "view"),
    "placement": ("add", "change", "delete", "view"),
    "breakingnews": ("add", "change", "delete", "view"),
}


def forward(apps, schema_editor):
    FrontPage = apps.get_model("frontpage", "FrontPage")
    for code in editions.CODES:
        FrontPage.objects.get_or_create(edition=code)

    # Permissions are normally made after all migrations ran; make them now.
    config = apps.get_app_config("frontpage")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    chief, _created = Group.objects.get_or_create(name=CHIEF_EDITOR)
    chief.permissions.add(
        *(
            Permission.objects.get(
                content_type__app_label="frontpage", codename=f"{action}_{model}"
            )
            for model, actions in MODELS.items()
            for action in actions
        )
    )


def backward(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    chief = Group.objects.filter(name=CHIEF_EDITOR).first()
    if chief is not None:
        chief.permissions.remove(*Permission.objects.filter(content_type__app_label="frontpage"))


class Migration(migrations.Migration):
    dependencies = [
        ("frontpage", "0001_initial"),
        ("news", "0003_newsroom_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
