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
`<name>-640w.jpg`) when the article is saved, whichever way it is saved, and
one set per aspect ratio that pages crop to (`<name>-3x2-f500x250-640w.webp`):
each crop is the largest of that ratio centred on the image's focal point (two
fractions 0..1, `FocalPointField`), pushed back inside the picture at the
edges. The focal point is part of the name, so moving it makes new crops
instead of serving stale ones from a cache.
"""

import io
import logging
import posixpath
import uuid
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
WIDTHS = (320, 640, 960, 1280)
# The aspect ratios pages crop images to (static/css/portal.css): cards 3:2, the lead story 16:9.
ASPECTS = {"3x2": (3, 2), "16x9": (16, 9)}
CENTRE = (0.5, 0.5)
# Pillow format name → the extension we store it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 80
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def random_upload_path(folder, filename):
    """A random name under `folder`/YYYY/MM/; only a known extension survives from `filename`."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    if extension not in FORMATS.values():
        extension = "jpg"
    return timezone.now().strftime(f"{folder}/%Y/%m/{uuid.uuid4().hex}.{extension}")


def article_image_path(instance, filename):
    return random_upload_path("articles", filename)


def author_photo_path(instance, filename):
    return random_upload_path("authors", filename)


def body_image_path(instance, filename):
    return random_upload_path("body", filename)


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

    @property
    def focus(self):
        """The focal point (across, down) as fractions 0..1; the centre without focus fields."""
        names = self.field.focus_fields
        if not names:
            return CENTRE
        values = (getattr(self.instance, name, None) for name in names)
        return tuple(0.5 if value is None else value for value in values)


class CleanImageField(models.ImageField):
    """An ImageField whose files are always stored cleaned (see clean_upload).

    `focus_fields` names the model's two FocalPointFields (across, down) that
    its cropped renditions centre on; without them crops centre on the middle.
    """

    attr_class = CleanImageFieldFile

    def __init__(self, *args, focus_fields=None, **kwargs):
        self.focus_fields = tuple(focus_fields) if focus_fields else None
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.focus_fields:
            kwargs["focus_fields"] = self.focus_fields
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})


class FocalPointField(models.FloatField):
    """One coordinate of an image's focal point: a fraction 0..1 of its width or height."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 0.5)
        kwargs.setdefault("validators", [MinValueValidator(0.0), MaxValueValidator(1.0)])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Fixed by the class: keep migrations free of them.
        kwargs.pop("validators", None)
        if kwargs.get("default") == 0.5:
            kwargs.pop("default")
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": FocalPointFormField, **kwargs})


class FocalPointFormField(forms.FloatField):
    """A fraction 0..1; left empty (or not sent at all, by an older form) it is the centre."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, min_value=0.0, max_value=1.0)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.001"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return CENTRE[0] if value is None else value


class FocalPointWidget(forms.NumberInput):
    """The across fraction as a number, with the image under it: a click on the image sets
    this field and the down field (`down_id`) to where it was clicked (news/focal-point.js);
    both stay typeable for editors without a pointer."""

    template_name = "news/widgets/focal_point.html"

    def __init__(self, image_url, down_id, attrs=None):
        super().__init__({"step": "0.001", "min": "0", "max": "1", **(attrs or {})})
        self.image_url = image_url
        self.down_id = down_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["image_url"] = self.image_url
        context["widget"]["down_id"] = self.down_id
        return context

    class Media:
        css = {"all": ("news/focal-point.css",)}
        js = ("news/focal-point.js",)


def _focus_key(focus):
    """The focal point in thousandths, clamped to the picture: what names and crops use."""
    return tuple(round(min(1.0, max(0.0, float(value))) * 1000) for value in focus)


def crop_box(width, height, aspect, focus=CENTRE):
    """The largest (left, top, right, bottom) box of ratio `aspect` in a width×height image
    whose centre is the focal point, shifted only as far as needed to stay inside the image,
    so the focal point is always in the crop, even at the very edge."""
    across, down = aspect
    if width * down > height * across:  # wider than the ratio: keep the full height
        box_width, box_height = max(1, min(width, round(height * across / down))), height
    else:
        box_width, box_height = width, max(1, min(height, round(width * down / across)))
    fx, fy = (value / 1000 for value in _focus_key(focus))
    left = min(max(round(fx * width - box_width / 2), 0), width - box_width)
    top = min(max(round(fy * height - box_height / 2), 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


@dataclass(frozen=True)
class Rendition:
    width: int
    webp: str
    jpeg: str
    height: int | None = None


def rendition_widths(width):
    """The widths made for an image `width` pixels wide: never wider than the original."""
    if not width:
        return []
    return sorted({min(w, width) for w in WIDTHS})


def rendition_name(name, width, extension, aspect=None, focus=CENTRE):
    return _rendition_stem(name, aspect, focus) + _rendition_suffix(width, extension)


def _rendition_stem(name, aspect, focus):
    stem = posixpath.splitext(name)[0]
    if aspect:
        fx, fy = _focus_key(focus)
        stem = f"{stem}-{aspect}-f{fx}x{fy}"
    return stem


def _rendition_suffix(width, extension):
    # Letters, digits, "-" and ".": the same in a path and in a URL.
    return f"-{width}w.{extension}"


def addresses_last(storage):
    """Whether `storage` gives a file the same address every time (the local disk), so
    that an address, or markup made of addresses, can be kept; other storages may sign
    each URL they give."""
    return isinstance(storage, FileSystemStorage)


def _rendition_url(storage, stem):
    """The URL of the rendition whose name is `stem` + suffix, as a function of the suffix.

    On the local disk a name's URL is the storage's address of the name, so the stem's
    URL is worked out once per image instead of once per rendition (16 per picture, a
    list page shows 20 pictures). Other storages: asked each time (addresses_last)."""
    if addresses_last(storage):
        prefix = storage.url(stem)
        return lambda suffix: prefix + suffix
    return lambda suffix: storage.url(stem + suffix)


def focus_of(field_file):
    return getattr(field_file, "focus", CENTRE)


def renditions(field_file, width, aspect=None, height=None):
    """Rendition URLs of a stored image, narrowest first (no storage access).

    With `aspect` (a key of ASPECTS) and the image's `height`: the crops to that
    ratio around the image's focal point, each with its height.
    """
    if not field_file:
        return []
    storage, name = field_file.storage, field_file.name
    if aspect and not height:
        return []
    focus = focus_of(field_file)
    if aspect:
        left, top, right, bottom = crop_box(width, height, ASPECTS[aspect], focus)
        width, height = right - left, bottom - top
    url = _rendition_url(storage, _rendition_stem(name, aspect, focus))
    return [
        Rendition(
            w,
            url(_rendition_suffix(w, "webp")),
            url(_rendition_suffix(w, "jpg")),
            max(1, round(height * w / width)) if height else None,
        )
        for w in rendition_widths(width)
    ]


def make_renditions(field_file):
    """Write the missing renditions of a stored image, whole and cropped to each of ASPECTS
    around its focal point; running it again writes nothing."""
    if not field_file:
        return []
    storage, name = field_file.storage, field_file.name
    focus = focus_of(field_file)
    with storage.open(name, "rb") as original, Image.open(original) as image:
        image.load()
        image = ImageOps.exif_transpose(image)
        written = _write_widths(storage, image, lambda w, ext: rendition_name(name, w, ext))
        for aspect, ratio in ASPECTS.items():
            box = crop_box(image.width, image.height, ratio, focus)
            written += _write_widths(
                storage,
                image,
                lambda w, ext, aspect=aspect: rendition_name(name, w, ext, aspect, focus),
                box,
            )
    return written


def _write_widths(storage, image, name_of, box=None):
    """Write the missing renditions of `image` (cropped to `box`) in every width and format."""
    written = []
    cropped = None
    for width in rendition_widths((box[2] - box[0]) if box else image.width):
        targets = {"webp": name_of(width, "webp"), "jpg": name_of(width, "jpg")}
        missing = {ext: path for ext, path in targets.items() if not storage.exists(path)}
        if not missing:
            continue
        if cropped is None:
            cropped = image.crop(box) if box else image
        height = max(1, round(cropped.height * width / cropped.width))
        resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
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
