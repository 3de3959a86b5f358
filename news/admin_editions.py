"""The admin's translated fields, each in its own edition's language and direction.

modeltranslation's tabs know only language codes and take the direction from
Django's get_language_bidi(), which cannot tell kk-arab from kk and follows the
*admin's* language. An editor writing Arabic-script Kazakh in the English admin,
or English in the Arabic-script admin, needs the field itself to say what it
holds: every translated widget gets its edition's BCP 47 `lang` and `dir`, and
the edition's switcher label and own name for the tab (news/edition-fields.js).
"""

import json
from datetime import datetime

import reversion
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core import editions
from core.admin_editions import EditionFieldsMixin


class EditionTranslationAdmin(EditionFieldsMixin, TabbedTranslationAdmin):
    """TabbedTranslationAdmin whose fields carry their edition's language and direction,
    and whose history names the changed fields in the reader's language."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Field names rather than Django's English labels: change_message() below
        # names them in the reader's language.
        message = super().construct_change_message(request, form, formsets, add)
        for item in message:
            changed = item.get("changed")
            if changed is not None and "name" not in changed:
                changed["fields"] = list(form.changed_data)
        return message

    class Media:
        css = {"all": ("news/edition-fields.css",)}
        js = ("news/edition-fields.js",)


def edition_name(code):
    """The edition's name in the admin's language ("Kazakh (Latin)" in English)."""
    return gettext(editions.get(code).name_en)


def localise_django_admin():
    """What Django's admin writes in English whatever the language, put into the admin's.

    - Boolean columns: the icons' alt text is Python's "True"/"False".
    - django-axes' section is called "Axes".
    - The rows that join articles to their tags, authors and related articles are
      auto-created models named "Article-tag relationship" and shown as
      "Article_tags object (1)" on the delete confirmation page.
    """
    from django.apps import apps
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html

    def boolean_icon(value):
        icon, text = {True: ("yes", _("Yes")), False: ("no", _("No"))}.get(
            value, ("unknown", _("Unknown"))
        )
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    # Django's utils and helpers import it from here when they render a value.
    admin_list._boolean_icon = boolean_icon

    # django-axes names its section by the package ("Axes"), which says nothing to an editor.
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = _("Sign-in attempts")

    for model in apps.get_app_config("news").get_models():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue
            through._meta.verbose_name = field.verbose_name
            through._meta.verbose_name_plural = field.verbose_name
            target = field.m2m_reverse_field_name()
            through.__str__ = lambda row, target=target: str(getattr(row, target))


# --- History in the reader's language ------------------------------------------------
#
# Django stores a change message as JSON with the changed fields' labels, written in
# English, and reversion stores the message as the saver read it. Both are kept here
# as data (the JSON, with field *names*) and put into words when the history is
# shown, in the language of whoever reads it, with the fields' labels in it.


def field_labels(model):
    """{field name or a label stored by an older save: the label in the active language}."""
    labels = {}
    for field in model._meta.get_fields():
        if not hasattr(field, "verbose_name"):
            continue
        label = capfirst(str(field.verbose_name))
        labels[field.name] = label
        with translation.override("en"):
            labels.setdefault(capfirst(str(field.verbose_name)), label)
            original = getattr(field, "translated_field", None)
            if original is not None:
                # modeltranslation's default label, stored before editions named themselves.
                old = f"{capfirst(str(original.verbose_name))} [{field.language}]"
                labels.setdefault(old, label)
    return labels


def change_message(message, model):
    """A stored change message in the active language, with the fields' labels."""
    if not message:
        return ""
    if not message.startswith("["):
        # A plain comment such as "Published", stored as its English msgid.
        return gettext(message)
    try:
        items = json.loads(message)
    except ValueError:
        return message
    restored = [item["restored"] for item in items if isinstance(item, dict) and "restored" in item]
    if restored:
        return " ".join(_restored_text(item, model) for item in restored)
    labels = field_labels(model)
    for item in items:
        changed = item.get("changed") if isinstance(item, dict) else None
        if changed and "name" not in changed:
            changed["fields"] = [labels.get(name, name) for name in changed.get("fields", [])]
    return LogEntry(change_message=json.dumps(items)).get_change_message()


def restored_message(name, revision_time):
    """The stored message of a field brought back from the revision made at `revision_time`."""
    return json.dumps([{"restored": {"field": name, "time": revision_time.isoformat()}}])


def _restored_text(item, model):
    moment = datetime.fromisoformat(item["time"])
    try:
        # Mid-sentence, so the label as it is, not capitalised as field_labels() has it.
        label = str(model._meta.get_field(item["field"]).verbose_name)
    except FieldDoesNotExist:
        label = item["field"]
    return gettext("Restored %(field)s from the revision of %(time)s") % {
        "field": label,
        "time": formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"),
    }


class EditionHistoryMixin:
    """Put before reversion's VersionAdmin: the revision keeps the JSON message, which
    the history page renders in its reader's language (not the saver's, as reversion
    would store it)."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
        return entry
