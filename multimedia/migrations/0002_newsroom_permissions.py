"""The newsroom's roles (news migration 0003) on galleries and videos.

Editor: prepares galleries and videos but cannot publish a gallery.
Chief editor: everything, with "publish_gallery".
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"
EDITOR_PERMISSIONS = [
    ("gallery", ("add", "change", "view")),
    ("photo", ("add", "change", "delete", "view")),
    ("video", ("add", "change", "delete", "view")),
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make this app's now.
    config = apps.get_app_config("multimedia")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="multimedia")
    editor, _created = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(
        *[
            ours.get(codename=f"{action}_{model}")
            for model, actions in EDITOR_PERMISSIONS
            for action in actions
        ]
    )
    chief, _created = Group.objects.get_or_create(name=CHIEF_EDITOR)
    chief.permissions.add(*ours)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="multimedia")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, CHIEF_EDITOR]):
        group.permissions.remove(*ours)


class Migration(migrations.Migration):
    dependencies = [
        ("multimedia", "0001_initial"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
