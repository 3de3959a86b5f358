"""Uploaded images: one cleaning path for every image field, and renditions for srcset.

Every image field of the project is a `CleanImageField`: whatever reaches it
(an admin upload, the demo loader, a shell) is opened with Pillow and refused
unless it is a real JPEG, PNG or WebP of at most MAX_PIXELS pixels and
MAX_BYTES bytes that decodes completely. What is stored is a new image made
from the decoded pixels only (orientation applied, colours converted to sRGB):
no EXIF (so no GPS position), XMP, ICC profile, text chunks or JPEG comments
survive, and it is stored under a random name, so nothing of the uploader's
file name reaches storage.

Renditions are made next to an article's lead image (`<name>-640w.webp`,
`<name>-640w.jpg`) when the article is saved, whichever way it is saved.
"""

import io
import logging
import posixpath
import uuid
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
WIDTHS = (320, 640, 960, 1280)
# Pillow format name → the extension we store it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 80
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _random_path(folder, filename):
    """A random name under `folder`/YYYY/MM/; only a known extension survives from `filename`."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    if extension not in FORMATS.values():
        extension = "jpg"
    return timezone.now().strftime(f"{folder}/%Y/%m/{uuid.uuid4().hex}.{extension}")


def article_image_path(instance, filename):
    return _random_path("articles", filename)


def author_photo_path(instance, filename):
    return _random_path("authors", filename)


class CleanImage(SimpleUploadedFile):
    """An image made by clean_upload(): stored as it is, never cleaned twice."""


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def clean_upload(upload):
    """The upload re-encoded by Pillow as a new CleanImage, or a ValidationError saying why not."""
    if isinstance(upload, CleanImage):
        return upload
    if upload.size > MAX_BYTES:
        _refuse(
            _("The image is %(size)s MB; at most %(max)s MB is allowed."),
            "too_large",
            size=round(upload.size / 1024 / 1024, 1),
            max=MAX_BYTES // 1024 // 1024,
        )
    upload.seek(0)
    try:
        # Pillow only warns between its own bomb limit and twice that: make it an error.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in FORMATS:
                    _refuse(_("Upload a JPEG, PNG or WebP image."), "format", format=image.format)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    _refuse(
                        _(
                            "The image is %(width)s×%(height)s pixels; at most %(max)s "
                            "megapixels are allowed."
                        ),
                        "too_many_pixels",
                        width=width,
                        height=height,
                        max=MAX_PIXELS // 1_000_000,
                    )
                image.load()  # decodes everything: a truncated file fails here
                image_format = image.format
                data = _reencode(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(_("The image is too large to be decoded safely."), "bomb")
    except Exception:
        # Whatever a hostile or broken file makes the decoder do, it is refused.
        logger.info("refused an image that does not decode", exc_info=True)
        _refuse(
            _("The file is not a complete JPEG, PNG or WebP image, or it is damaged."), "invalid"
        )
    upload.seek(0)
    name = f"{uuid.uuid4().hex}.{FORMATS[image_format]}"
    return CleanImage(name, data, content_type=f"image/{image_format.lower()}")


def _pixels_only(image, image_format):
    """A new image holding only the pixels of `image`, upright, in sRGB, in a mode the format keeps.

    A fresh Image has an empty `info`, so Pillow's encoders find no EXIF,
    XMP, ICC profile, text chunk or comment to carry over.
    """
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    if image_format == "JPEG":
        mode = "L" if upright.mode in ("L", "1") else "RGB"
    elif upright.mode in ("L", "LA") and image_format == "PNG":
        mode = upright.mode
    else:
        mode = "RGBA" if has_alpha else "RGB"
    converted = None
    if icc_profile and upright.mode in ("RGB", "RGBA", "CMYK") and mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(upright, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: keep the numbers as they are
    if converted is None:
        converted = upright if upright.mode == mode else upright.convert(mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _reencode(image):
    """The image's pixels in its own format, without any metadata."""
    image_format = image.format
    clean = _pixels_only(image, image_format)
    if image_format == "JPEG":
        options = {"quality": JPEG_QUALITY, "optimize": True}
    elif image_format == "WEBP":
        options = {"quality": WEBP_QUALITY}
    else:
        options = {"optimize": True}
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **options)
    return buffer.getvalue()


class CleanImageFormField(forms.ImageField):
    """An image upload that the form turns into its clean re-encoding, or a form error."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if getattr(data, "pending", None):
            # Kept after a form error (core.pending_uploads): cleaned then, not twice.
            return data
        if getattr(data, "size", 0) > MAX_BYTES:
            # Refuse before Pillow spends time on it.
            return clean_upload(data)
        checked = super().to_python(data)
        return clean_upload(checked)


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way of storing a file on the field comes here (forms through the
        # field's pre_save, the demo loader and shells directly): clean it first,
        # and store it under the clean file's random name in its true format.
        content = clean_upload(content)
        super().save(content.name, content, save)


class CleanImageField(models.ImageField):
    """An ImageField whose files are always stored cleaned (see clean_upload)."""

    attr_class = CleanImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})


@dataclass(frozen=True)
class Rendition:
    width: int
    webp: str
    jpeg: str


def rendition_widths(width):
    """The widths made for an image `width` pixels wide: never wider than the original."""
    if not width:
        return []
    return sorted({min(w, width) for w in WIDTHS})


def rendition_name(name, width, extension):
    stem = posixpath.splitext(name)[0]
    return f"{stem}-{width}w.{extension}"


def renditions(field_file, width):
    """Rendition URLs of a stored image, narrowest first (no storage access)."""
    if not field_file:
        return []
    storage, name = field_file.storage, field_file.name
    return [
        Rendition(
            w,
            storage.url(rendition_name(name, w, "webp")),
            storage.url(rendition_name(name, w, "jpg")),
        )
        for w in rendition_widths(width)
    ]


def make_renditions(field_file):
    """Write the missing renditions of a stored image; running it again writes nothing."""
    if not field_file:
        return []
    storage, name = field_file.storage, field_file.name
    with storage.open(name, "rb") as original, Image.open(original) as image:
        image.load()
        image = ImageOps.exif_transpose(image)
        written = []
        for width in rendition_widths(image.width):
            targets = {
                "webp": rendition_name(name, width, "webp"),
                "jpg": rendition_name(name, width, "jpg"),
            }
            missing = {ext: path for ext, path in targets.items() if not storage.exists(path)}
            if not missing:
                continue
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            for extension, path in missing.items():
                storage.save(path, _encoded(resized, extension))
                written.append(path)
    return written


def _encoded(image, extension):
    from django.core.files.base import ContentFile

    buffer = io.BytesIO()
    # `resize` copies the original's info: never let it carry metadata along.
    image.info = {}
    if extension == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY)
    else:
        if image.mode in ("RGBA", "LA", "P"):
            # JPEG has no transparency: put transparent parts on white.
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def make_article_renditions(sender, instance, raw=False, **kwargs):
    """post_save receiver: every saved article's lead image gets its renditions.

    Raw saves (fixtures, restored backups, reverted revisions) bring rows whose
    renditions were made when the image was first saved.
    """
    if instance.image and not raw:
        make_renditions(instance.image)
