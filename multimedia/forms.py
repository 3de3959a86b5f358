"""The video form: an uploaded file checked by its bytes, or an address on an allowed host."""

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from multimedia import embeds
from multimedia.models import Video
from news.forms import SlugFromTextMixin

# What the browsers of readers play in <video>: the file's bytes must say so.
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
# Enough of the file's start for the container's signature (an MP4's ftyp box, a WebM's
# EBML header with its DocType).
HEAD_BYTES = 8192


def video_type(upload):
    """The MIME type the file's first bytes show, if it is one of VIDEO_TYPES, else None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.video_match(head)
    return kind.mime if kind is not None and kind.mime in VIDEO_TYPES else None


class VideoAdminForm(forms.ModelForm):
    embed_address = forms.CharField(
        label=_("Video address"),
        required=False,
        # No max_length: an over-long address gets the same message as any other refused one.
        help_text=format_lazy(
            "{} {}",
            _("The address of the video's page on an allowed host, instead of a file:"),
            ", ".join(p["name"] for p in settings.VIDEO_EMBED_PROVIDERS.values()),
        ),
    )

    class Meta:
        model = Video
        fields = ["article", "file", "embed_address", "poster", "duration"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.video_id:
            self.initial["embed_address"] = embeds.address_of(
                self.instance.provider, self.instance.video_id
            )
        # The reader sees the poster before playing; search engines need it for the video.
        self.fields["poster"].required = True
        self.fields["file"].help_text = _("An MP4 or WebM file of at most %(max)s MB.") % {
            "max": settings.VIDEO_MAX_MB
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # nothing new: the stored file (or none) stays
        if upload.size > settings.VIDEO_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The video is %(size)s MB; at most %(max)s MB is allowed."),
                code="too_large",
                params={"size": round(upload.size / 1024 / 1024, 1), "max": settings.VIDEO_MAX_MB},
            )
        mime = video_type(upload)
        if mime is None:
            # Whatever the file is called: its bytes decide.
            raise forms.ValidationError(
                _("The file is not an MP4 or WebM video."), code="video_type"
            )
        upload.name = f"video.{VIDEO_TYPES[mime]}"
        self.instance.file_type = mime
        return upload

    def clean_embed_address(self):
        address = self.cleaned_data.get("embed_address", "").strip()
        if not address:
            return None
        parsed = embeds.parse(address)
        if parsed is None:
            raise forms.ValidationError(
                format_lazy(
                    "{} {}",
                    _("This is not the address of a video on an allowed host:"),
                    ", ".join(p["name"] for p in settings.VIDEO_EMBED_PROVIDERS.values()),
                ),
                code="host",
            )
        return parsed

    def clean(self):
        cleaned = super().clean()
        embed = cleaned.get("embed_address")
        upload = cleaned.get("file")
        if "file" in self.errors or "embed_address" in self.errors:
            return cleaned
        if embed and upload:
            raise forms.ValidationError(
                _("Upload a file or give a video address, not both."), code="both"
            )
        if not embed and not upload:
            raise forms.ValidationError(
                _("Upload a video file or give a video address."), code="neither"
            )
        if embed:
            self.instance.provider, self.instance.video_id = embed
            self.instance.file_type = ""
            cleaned["file"] = False  # clears a file stored before
        else:
            self.instance.provider = self.instance.video_id = ""
        return cleaned


class GalleryAdminForm(SlugFromTextMixin, forms.ModelForm):
    """The gallery form: its slug made from the title and checked as an article's is.

    No Meta: GalleryAdmin.get_form gives the model and its translated fields."""
