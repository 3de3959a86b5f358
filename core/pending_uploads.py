"""Uploads survive form errors: a chosen file is kept on the server until the form saves.

When a change form comes back with an error, the browser forgets the file the
editor chose. The form keeps it instead: the (already checked) upload is stored
under a random name in PENDING_DIR, and the form is re-rendered with a signed
token naming it, a thumbnail and the file's name. The next submit without a new
file uses the kept one; the editor never chooses it again. Kept files are
deleted after the save, and any left behind (a form abandoned after an error)
once they are older than MAX_AGE.
"""

import mimetypes
import posixpath
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

PENDING_DIR = "pending-uploads"
MAX_AGE = timedelta(days=1)
SALT = "core.pending_uploads"
# Next to the file input named `name`: the kept file's token and "do not use it".
TOKEN_SUFFIX = "-pending"
DISCARD_SUFFIX = "-pending-discard"


@dataclass(frozen=True)
class PendingUpload:
    name: str  # in default_storage, under PENDING_DIR
    original: str  # the file name the editor chose, shown back to them
    token: str

    @property
    def content_type(self):
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"

    def as_upload(self):
        """The kept file as an upload; `pending` marks it as checked already."""
        with default_storage.open(self.name, "rb") as stored:
            # The editor's file name with the extension of what was stored (its real format).
            name = posixpath.splitext(self.original)[0] + posixpath.splitext(self.name)[1]
            upload = SimpleUploadedFile(name, stored.read(), self.content_type)
        upload.pending = self
        return upload

    def discard(self):
        default_storage.delete(self.name)


def keep(upload, original, owner):
    """Store `upload` (already checked and cleaned) for the user `owner` until the form saves."""
    remove_stale()
    extension = posixpath.splitext(upload.name or original)[1].lower()[:10]
    upload.seek(0)
    name = default_storage.save(
        f"{PENDING_DIR}/{uuid.uuid4().hex}{extension}", ContentFile(upload.read())
    )
    upload.seek(0)
    token = signing.dumps({"n": name, "o": original, "u": owner}, salt=SALT)
    return PendingUpload(name, original, token)


def read(token, owner):
    """The upload a token names, if it is genuine, this user's and still stored; else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != owner:
        return None
    name = str(data.get("n", ""))
    if not name.startswith(f"{PENDING_DIR}/") or not default_storage.exists(name):
        return None
    return PendingUpload(name, str(data.get("o", "")), token)


def remove_stale(now=None):
    """Delete kept uploads older than MAX_AGE; returns how many were deleted."""
    cutoff = (now or timezone.now()) - MAX_AGE
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for file_name in files:
        name = f"{PENDING_DIR}/{file_name}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


class PendingUploadWidget(AdminFileWidget):
    """The admin's file input that offers back a file kept after a form error.

    The form sets `owner` (the editor's id) before validation, `pending` when it
    keeps an upload and `url_name` (the admin view showing kept files).
    """

    owner = None
    pending = None
    url_name = None

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is not None or data.get(name + DISCARD_SUFFIX):
            # A new file, "clear", or the editor no longer wants the kept one.
            return value
        token = data.get(name + TOKEN_SUFFIX)
        kept = read(token, self.owner) if token else None
        return kept.as_upload() if kept else value

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.pending is None:
            return html
        thumbnail = ""
        if self.url_name and self.pending.content_type.startswith("image/"):
            try:
                url = reverse(self.url_name, args=[self.pending.token])
            except NoReverseMatch:
                url = None
            if url:
                thumbnail = format_html(
                    '<img class="pending-thumbnail" src="{}" alt="{}">', url, self.pending.original
                )
        return format_html(
            '{}<div class="pending-upload" role="status">{}<p>{}</p>'
            '<input type="hidden" name="{}" value="{}">'
            '<label><input type="checkbox" name="{}"> {}</label></div>',
            html,
            thumbnail,
            _(
                "Chosen: %(name)s. It will be saved when you save this form; "
                "you need not choose it again."
            )
            % {"name": self.pending.original},
            name + TOKEN_SUFFIX,
            self.pending.token,
            name + DISCARD_SUFFIX,
            _("Do not use this file"),
        )
