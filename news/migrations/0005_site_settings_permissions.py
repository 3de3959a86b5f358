"""Site settings for the newsroom's roles: the chief editor changes them, an editor looks.

Site settings are the contact phone (news.SiteSettings), the currencies the
rates widget shows (widgets.WidgetSettings) and the weather cities (which are
shown, in what order). Fetched rates and weather readings are read-only in the
admin for everyone; both roles may look at them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"
CHIEF_EDITOR_PERMISSIONS = [
    ("news", "sitesettings", ("add", "change", "view")),
    ("widgets", "widgetsettings", ("add", "change", "view")),
    ("widgets", "city", ("add", "change", "view")),
    ("widgets", "rate", ("view",)),
    ("widgets", "weatherreading", ("view",)),
]
EDITOR_PERMISSIONS = [(app, model, ("view",)) for app, model, _actions in CHIEF_EDITOR_PERMISSIONS]


def permissions(apps, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
        for app, model, actions in wanted
        for action in actions
    ]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    for label in ("news", "widgets"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    chief, _created = Group.objects.get_or_create(name=CHIEF_EDITOR)
    chief.permissions.add(*permissions(apps, CHIEF_EDITOR_PERMISSIONS))
    editor, _created = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*permissions(apps, EDITOR_PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, wanted in (
        # Migration 0003 gave the chief editor every news permission: keep those.
        (CHIEF_EDITOR, [p for p in CHIEF_EDITOR_PERMISSIONS if p[0] != "news"]),
        (EDITOR, EDITOR_PERMISSIONS),
    ):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*permissions(apps, wanted))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_scale_indexes"),
        ("widgets", "0002_default_cities"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
