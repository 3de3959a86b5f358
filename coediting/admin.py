"""The article change form's presence, save notices and autosave, as a ModelAdmin mixin.

Three JSON endpoints under the model's admin URLs, each behind the admin's
sign-in, CSRF check and the model admin's own permissions:

- `<id>/presence/`: a heartbeat (edition tab, last save notice seen); answers who
  else has the article open and what others saved since;
- `<id>/autosave/` and `autosave/` (add form): store or discard the fields
  this editor changed and has not saved.

Nobody is ever blocked: presence only informs.
"""

import json

from django import forms
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coediting import saves
from coediting.models import Autosave, Presence, SaveNotice
from core import editions

# Bounds on what an autosave may hold (the article form has about 60 fields).
MAX_FIELDS = 300
MAX_NAME_LENGTH = 100


def heartbeat_seconds():
    return getattr(settings, "COEDITING_HEARTBEAT_SECONDS", 30)


def autosave_seconds():
    return getattr(settings, "COEDITING_AUTOSAVE_SECONDS", 15)


class BadInput(ValueError):
    pass


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


def _notice_id(value):
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise BadInput("since must be a whole number") from None
    if number < 0:
        raise BadInput("since must not be negative")
    return number


def _json(value, default):
    if value in (None, ""):
        return default
    try:
        return json.loads(value)
    except ValueError:
        raise BadInput("not valid JSON") from None


def _form_values(raw):
    """{field name: [text, …]}, or BadInput."""
    data = _json(raw, {})
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise BadInput("data must be an object of form fields")
    for name, values in data.items():
        if len(name) > MAX_NAME_LENGTH or not isinstance(values, list):
            raise BadInput("each field must be a list of values")
        if not all(isinstance(value, str) for value in values):
            raise BadInput("each value must be text")
    return data


def _option_labels(raw, fields):
    labels = _json(raw, {})
    if not isinstance(labels, dict):
        raise BadInput("labels must be an object")
    cleaned = {}
    for name, options in labels.items():
        if name not in fields or not isinstance(options, dict):
            raise BadInput("labels must name fields of the data")
        if not all(isinstance(text, str) for text in options.values()):
            raise BadInput("each label must be text")
        cleaned[name] = options
    return cleaned


def _answers_bad_input(view):
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except BadInput as error:
            return _error(400, str(error))

    return wrapped


class CoeditingAdminMixin:
    """Presence, save notices and autosave for a model admin's change form (before ModelAdmin)."""

    @property
    def media(self):
        return super().media + forms.Media(js=["coediting/coediting.js"])

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "autosave/",
                view(self.autosave_view),
                name="{}_{}_autosave_new".format(*info),
            ),
            path(
                "<path:object_id>/presence/",
                view(self.presence_view),
                name="{}_{}_presence".format(*info),
            ),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="{}_{}_autosave".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    # --- Presence and what others saved ----------------------------------------

    @_answers_bad_input
    def presence_view(self, request, object_id):
        if request.method != "POST":
            return _error(405, "POST only")
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return _error(404, "no such article")
        if not self.has_view_or_change_permission(request, obj):
            return _error(403, "not allowed")
        if request.POST.get("leave"):
            Presence.objects.filter(article=obj, user=request.user).delete()
            return HttpResponse(status=204)
        tab = request.POST.get("tab", "")
        if tab not in editions.CODES:
            raise BadInput("tab must be an edition code")
        since = _notice_id(request.POST.get("since"))
        Presence.beat(obj, request.user, tab)
        editors = [
            {
                "name": saves.display_name(presence.user),
                "tab": presence.tab,
                "text": _("%(name)s also has this article open, in the %(edition)s tab.")
                % {"name": saves.display_name(presence.user), "edition": presence.tab},
            }
            for presence in Presence.objects.others_on(obj, request.user)
        ]
        # The newest few only: a form left open for hours needs no backlog.
        notices = list(SaveNotice.objects.by_others_since(obj, since, request.user))[-10:]
        return JsonResponse(
            {
                "editors": editors,
                "saves": [{"id": n.pk, "text": saves.notice_text(n)} for n in notices],
                "since": max(since, saves.latest_notice_id(obj)),
            }
        )

    # --- Autosave -------------------------------------------------------------

    @_answers_bad_input
    def autosave_view(self, request, object_id=None):
        if request.method != "POST":
            return _error(405, "POST only")
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return _error(404, "no such article")
            if not self.has_change_permission(request, obj):
                return _error(403, "not allowed")
        elif not self.has_add_permission(request):
            return _error(403, "not allowed")

        mine = Autosave.objects.of(request.user, obj)
        if request.POST.get("discard"):
            mine.delete()
            return JsonResponse({"saved": False})
        data = _form_values(request.POST.get("data"))
        labels = _option_labels(request.POST.get("labels"), data)
        since = _notice_id(request.POST.get("since"))
        if (
            obj is not None
            and SaveNotice.objects.on(obj).filter(pk__gt=since, user=request.user).exists()
        ):
            # This form was saved meanwhile (a late autosave racing the save itself).
            return JsonResponse({"saved": False, "stale": True}, status=409)
        if not data:
            mine.delete()
            return JsonResponse({"saved": False})
        now = timezone.now()
        with transaction.atomic():
            updated = mine.update(data=data, labels=labels, saved_at=now)
            if not updated:
                Autosave.objects.create(
                    user=request.user, article=obj, data=data, labels=labels, saved_at=now
                )
        return JsonResponse(
            {
                "saved": True,
                "text": _("Unsaved changes stored at %(time)s.") % {"time": saves.clock(now)},
            }
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A save makes this editor's autosave of the form obsolete, and tells
        # everyone else with the article open which editions changed.
        Autosave.objects.of(request.user, obj if change else None).delete()
        if change:
            codes = saves.changed_editions(type(obj), form.changed_data)
            SaveNotice.record(obj, request.user, codes)

    # --- The change form --------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["coediting"] = self._coediting_context(request, obj, add)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _coediting_context(self, request, obj, add):
        existing = obj is not None and obj.pk is not None
        if existing:
            can_edit = self.has_change_permission(request, obj)
        else:
            can_edit = self.has_add_permission(request)
        autosave = None
        if can_edit:
            autosave = Autosave.objects.of(request.user, obj if existing else None).first()
        return {
            "presence_url": self._url("presence", obj.pk) if existing else "",
            "autosave_url": (
                (self._url("autosave", obj.pk) if existing else self._url("autosave_new"))
                if can_edit
                else ""
            ),
            "since": saves.latest_notice_id(obj) if existing else 0,
            "heartbeat_seconds": heartbeat_seconds(),
            "autosave_seconds": autosave_seconds(),
            "tabs": " ".join(editions.CODES),
            "autosave": autosave,
            "autosave_time": saves.clock(autosave.saved_at) if autosave else "",
            "restore_data": (
                {"data": autosave.data, "labels": autosave.labels} if autosave else None
            ),
        }
