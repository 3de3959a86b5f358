"""Lead images: upload checks, clean re-encoding and renditions for srcset.

An upload is opened with Pillow and refused unless it is a real JPEG, PNG or
WebP of at most MAX_PIXELS pixels and MAX_BYTES bytes that decodes completely.
What is stored is Pillow's re-encoding of it (orientation applied, metadata
gone) under a random name: nothing of the uploader's file name reaches storage.

Renditions are made next to the original (`<name>-640w.webp`, `<name>-640w.jpg`)
when an article is saved, whichever way it is saved (admin, demo loader, shell).
"""

import io
import posixpath
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
WIDTHS = (320, 640, 960, 1280)
# Pillow format name → the extension we store it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 80


def article_image_path(instance, filename):
    """A random name under articles/YYYY/MM/; only a known extension survives from `filename`."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    if extension not in FORMATS.values():
        extension = "jpg"
    return timezone.now().strftime(f"articles/%Y/%m/{uuid.uuid4().hex}.{extension}")


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def clean_upload(upload):
    """The upload re-encoded by Pillow as a new file, or a ValidationError saying what is wrong."""
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
                extension = FORMATS[image.format]
                data = _reencode(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(_("The image is too large to be decoded safely."), "bomb")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _refuse(
            _("The file is not a complete JPEG, PNG or WebP image, or it is damaged."), "invalid"
        )
    upload.seek(0)
    return SimpleUploadedFile(f"image.{extension}", data, content_type=f"image/{image.format}")


def _reencode(image):
    """The image upright, in its own format, without EXIF, XMP or text chunks."""
    image_format = image.format
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        options |= {"quality": JPEG_QUALITY, "optimize": True}
    elif image_format == "WEBP":
        options |= {"quality": WEBP_QUALITY}
    else:
        options |= {"optimize": True}
    buffer = io.BytesIO()
    upright.save(buffer, image_format, **options)
    return buffer.getvalue()


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


def make_article_renditions(sender, instance, **kwargs):
    """post_save receiver: every saved article's lead image gets its renditions."""
    if instance.image:
        make_renditions(instance.image)
