"""Merge, never overwrite: a change form saves only what its editor changed.

Seven desks edit one row at once, so a form opened at 10:00 and saved at 10:20
must not write back the 10:00 values of fields others changed meanwhile. The
change form carries a signed snapshot of the values it was opened with (a
fingerprint per field and the time). On save, inside the admin's transaction,
the row is read again under a row lock and each field is decided:

- nobody else changed it since the form was opened: this editor's value;
- only someone else changed it: their value stays (this form's copy is stale);
- both changed it, to different values: a conflict. Nothing is saved; the form
  comes back with the other version (who saved it, when) beside this editor's
  and a choice of which to keep; every other field keeps what the editor typed.

The same form mixin keeps uploads across form errors (core.pending_uploads) and
replaces the browser's silent `maxlength` cut by a visible count (length-counter.js)
and the server's refusal. MergeAdminMixin puts it into any ModelAdmin.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, router, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import path
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import editions, pending_uploads

BASE_FIELD = "_merge_base"
SEEN_FIELD = "_merge_seen"
CHOICE_PREFIX = "_merge_keep-"
MINE, THEIRS = "mine", "theirs"
SALT = "core.merge"

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else changed this field while you were editing: choose which version to keep."
)
CONFLICTS_SUMMARY = gettext_lazy(
    "While you were editing, someone else saved other values in fields you changed too. "
    "Nothing has been saved yet: choose which version to keep for each of them, then save "
    "again. Everything else you typed is kept."
)
STALE_FORM = gettext_lazy(
    "This form could not be compared with what others saved meanwhile. Check the fields "
    "below, then save again."
)


def canonical(value):
    """A value as the form and the database both describe it, for comparing."""
    if value is None or value is False:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, File):
        # A new upload is always a change.
        return f"upload:{id(value)}:{timezone.now().timestamp()}"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        # Forms show seconds, the database keeps microseconds.
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted(canonical(item) for item in value)
    if isinstance(value, str):
        # Browsers send line breaks as CRLF and editors leave trailing spaces.
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def fingerprint(value):
    data = json.dumps(canonical(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:24]


def edition_of(name):
    """The edition of a translated field name (title_kk_arab → kk-arab), else None."""
    for code in sorted(editions.CODES, key=len, reverse=True):
        if name.endswith("_" + code.replace("-", "_")):
            return editions.get(code)
    return None


@dataclass
class Conflict:
    name: str
    label: str
    theirs: str
    mine: str
    who: str | None
    when: datetime.datetime | None
    chosen: str | None

    @property
    def choice_name(self):
        return CHOICE_PREFIX + self.name

    @property
    def edition(self):
        return edition_of(self.name)


class MergeFormMixin:
    """For a ModelForm: merge with concurrent saves, keep uploads, never cut text."""

    # The signed-in editor; MergeAdminMixin.get_form sets it per request.
    editor = None
    # The admin URL name that shows kept uploads (MergeAdminMixin sets it).
    pending_url_name = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merge_conflicts = []
        self.merge_seen_token = ""
        self._uploads = {}
        owner = getattr(self.editor, "pk", None)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and isinstance(field.widget, (forms.TextInput, forms.Textarea)):
                # The browser would cut pasted text at maxlength without a word.
                field.widget.attrs.pop("maxlength", None)
                field.widget.attrs["data-max-length"] = limit
            if isinstance(field.widget, pending_uploads.PendingUploadWidget):
                field.widget.owner = owner
                field.widget.url_name = self.pending_url_name
        if not self.instance.pk:
            self.merge_base_token = ""
        elif self.is_bound:
            self.merge_base_token = self.data.get(BASE_FIELD, "")
        else:
            self.merge_base_token = self._snapshot(self.instance)

    # --- Values and snapshots ------------------------------------------------

    def _merge_fields(self):
        names = {f.name for f in self._meta.model._meta.get_fields() if f.concrete}
        return [name for name in self.fields if name in names]

    def _stored_values(self, obj):
        values = {}
        for name in self._merge_fields():
            field = obj._meta.get_field(name)
            if field.many_to_many:
                values[name] = list(getattr(obj, name).all()) if obj.pk else []
            elif field.is_relation:
                values[name] = getattr(obj, field.attname)
            else:
                values[name] = getattr(obj, name)
        return values

    def _signed(self, kind, data):
        return signing.dumps(
            {"k": kind, "m": self._meta.model._meta.label, "pk": str(self.instance.pk), **data},
            salt=SALT,
            compress=True,
        )

    def _unsigned(self, kind, token):
        try:
            data = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            return None
        expected = (kind, self._meta.model._meta.label, str(self.instance.pk))
        if not isinstance(data, dict) or (data.get("k"), data.get("m"), data.get("pk")) != expected:
            return None
        return data

    def _snapshot(self, obj):
        prints = {name: fingerprint(value) for name, value in self._stored_values(obj).items()}
        return self._signed("base", {"at": timezone.now().isoformat(), "f": prints})

    # --- Validation -------------------------------------------------------------

    def _clean_fields(self):
        super()._clean_fields()
        self._uploads = {
            name: value
            for name, value in self.cleaned_data.items()
            # A stored file (no new upload) is no upload to keep.
            if isinstance(self.fields[name], forms.FileField)
            and isinstance(value, File)
            and not isinstance(value, FieldFile)
        }

    def _post_clean(self):
        # After the form's own clean() (sanitized bodies, filled scripts), before
        # the values are put on the instance.
        if self.instance.pk and self.is_bound:
            self._merge()
        super()._post_clean()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._keep_uploads()

    def _lock_current(self):
        model = self._meta.model
        using = router.db_for_write(model, instance=self.instance)
        rows = model._default_manager.using(using)
        if transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        return rows.filter(pk=self.instance.pk).first()

    def _merge(self):
        base = self._unsigned("base", self.merge_base_token) if self.merge_base_token else None
        if base is None:
            if BASE_FIELD in self.data:
                # Tampered with, or signed with an old key: start again from now.
                self.add_error(None, STALE_FORM)
                current = self._lock_current()
                if current is not None:
                    self.merge_base_token = self._snapshot(current)
            # Without a snapshot (a client that is not this form) the form writes all.
            return
        current = self._lock_current()
        if current is None:
            return
        self._keep_columns_outside_the_form(current)
        stored = self._stored_values(current)
        seen = (self._unsigned("seen", self.data.get(SEEN_FIELD, "")) or {}).get("f", {})
        conflicts = []
        for name in self._merge_fields():
            if name not in self.cleaned_data or name not in base["f"]:
                continue
            was, theirs = base["f"][name], fingerprint(stored[name])
            if theirs == was:
                continue  # nobody else changed it: this editor's value
            mine = fingerprint(self.cleaned_data[name])
            if mine == was:
                self.cleaned_data[name] = self._cleaned_value(current, name)
                continue  # only someone else changed it: theirs stays
            if mine == theirs:
                continue
            choice = self.data.get(CHOICE_PREFIX + name)
            if seen.get(name) == theirs and choice in (MINE, THEIRS):
                # The editor saw this very version and chose.
                if choice == THEIRS:
                    self.cleaned_data[name] = self._cleaned_value(current, name)
                continue
            conflicts.append(name)
        if conflicts:
            self._report_conflicts(current, conflicts, base.get("at"))

    def _keep_columns_outside_the_form(self, current):
        """Columns this form does not edit are written back as they are now, not as loaded."""
        for field in self._meta.model._meta.concrete_fields:
            if field.primary_key or field.name in self.fields:
                continue
            if field.attname in current.__dict__:
                self.instance.__dict__[field.attname] = current.__dict__[field.attname]
                if field.is_relation:
                    self.instance._state.fields_cache.pop(field.name, None)

    def _cleaned_value(self, obj, name):
        """The value of `name` in `obj`, as the form's cleaned_data holds it."""
        field = obj._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(obj, name).all())
        return getattr(obj, name)

    def _report_conflicts(self, current, names, opened_at):
        saves = self._saves_since(current, opened_at)
        for name in names:
            who, when = self._who_changed(saves, name)
            self.merge_conflicts.append(
                Conflict(
                    name=name,
                    label=str(self.fields[name].label or name),
                    theirs=self._display(name, self._cleaned_value(current, name)),
                    mine=self._display(name, self.cleaned_data[name]),
                    who=who,
                    when=when,
                    chosen=self.data.get(CHOICE_PREFIX + name),
                )
            )
        stored = self._stored_values(current)
        self.merge_seen_token = self._signed(
            "seen", {"f": {name: fingerprint(stored[name]) for name in names}}
        )
        self.add_error(None, CONFLICTS_SUMMARY)
        for name in names:
            self.add_error(name, CONFLICT_MESSAGE)

    def _saves_since(self, obj, opened_at):
        """The admin's record of saves of `obj` since the form was opened, newest first."""
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action_flag=CHANGE,
        ).select_related("user")
        if opened_at:
            entries = entries.filter(action_time__gte=datetime.datetime.fromisoformat(opened_at))
        return list(entries.order_by("-action_time")[:50])

    def _who_changed(self, saves, name):
        """Who saved field `name` last (as the admin logged it), else whoever saved last."""
        # The admin logs field labels with translation turned off.
        with translation.override(None):
            label = str(self.fields[name].label or name)
        for entry in saves:
            try:
                logged = json.loads(entry.change_message or "[]")
            except ValueError:
                continue
            fields = [
                field
                for part in logged
                if isinstance(part, dict) and isinstance(part.get("changed"), dict)
                for field in part["changed"].get("fields", [])
            ]
            if label in fields:
                return _name_of(entry.user), entry.action_time
        if saves:
            return _name_of(saves[0].user), saves[0].action_time
        return None, None

    def _display(self, name, value):
        """A value as the editor recognises it, in the admin's language."""
        field = self.fields[name]
        if value in (None, "", [], False) and not isinstance(field, forms.BooleanField):
            return _("(empty)")
        if isinstance(field, forms.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(value, (models.QuerySet, list, tuple)):
            return ", ".join(str(item) for item in value) or _("(empty)")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, FieldFile):
            return value.name.rsplit("/", 1)[-1]
        if isinstance(value, File):
            return str(getattr(value, "pending", None) and value.pending.original or value.name)
        choices = getattr(field, "choices", None)
        if choices and not isinstance(field, forms.ModelChoiceField):
            return str(dict(choices).get(value, value))
        return str(value)

    # --- Uploads ------------------------------------------------------------------

    def _keep_uploads(self):
        owner = getattr(self.editor, "pk", None)
        for name, upload in self._uploads.items():
            widget = self.fields[name].widget
            if not isinstance(widget, pending_uploads.PendingUploadWidget) or name in self._errors:
                continue
            kept = getattr(upload, "pending", None)
            if kept is None:
                chosen = self.files.get(self.add_prefix(name))
                original = getattr(chosen, "name", None) or upload.name
                kept = pending_uploads.keep(upload, original, owner)
                upload.pending = kept
            widget.pending = kept

    def used_pending_uploads(self):
        return [upload.pending for upload in self._uploads.values() if hasattr(upload, "pending")]


def _name_of(user):
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class MergeAdminMixin:
    """A ModelAdmin whose change form merges, keeps uploads and never cuts text.

    Its form must include MergeFormMixin (such as MergeModelForm below).
    """

    change_form_template = "admin/merge/change_form.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.FileField):
            kwargs.setdefault("widget", pending_uploads.PendingUploadWidget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user
        form.pending_url_name = f"{self.admin_site.name}:{self._pending_url_name()}"
        return form

    def _pending_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_pending_upload"

    def get_urls(self):
        view = self.admin_site.admin_view(self.pending_upload_view)
        pending = path("pending-upload/<str:token>/", view, name=self._pending_url_name())
        return [pending, *super().get_urls()]

    def pending_upload_view(self, request, token):
        """A file this editor chose in a form that came back with an error."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise Http404
        kept = pending_uploads.read(token, request.user.pk)
        if kept is None:
            raise Http404
        stored = default_storage.open(kept.name, "rb")
        response = FileResponse(stored, content_type=kept.content_type)
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for kept in form.used_pending_uploads():
            transaction.on_commit(kept.discard, using=router.db_for_write(self.model))


class MergeModelForm(MergeFormMixin, forms.ModelForm):
    """The admin's change form: saves only what its editor changed."""
