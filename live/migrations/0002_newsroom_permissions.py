"""The newsroom's groups (news migration 0003) may cover events live.

Editor: start coverage, add and correct entries (not delete them).
Chief editor: everything on live coverage.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"
EDITOR_PERMISSIONS = [
    ("livecoverage", ("add", "change", "view")),
    ("liveentry", ("add", "change", "view")),
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make live's now.
    live = apps.get_app_config("live")
    live.models_module = True
    create_permissions(live, apps=apps, verbosity=0)
    live.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    live_permissions = Permission.objects.filter(content_type__app_label="live")
    editor = Group.objects.filter(name=EDITOR).first()
    if editor is not None:
        editor.permissions.add(
            *(
                live_permissions.get(codename=f"{action}_{model}")
                for model, actions in EDITOR_PERMISSIONS
                for action in actions
            )
        )
    chief = Group.objects.filter(name=CHIEF_EDITOR).first()
    if chief is not None:
        chief.permissions.add(*live_permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, CHIEF_EDITOR]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="live"))


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
