"""Photo galleries and video: what an agency's site shows beyond the text of articles.

A gallery is an ordered set of photos with caption, credit and alt text per
edition. It exists in an edition where it has a title there, and readers see it
once published with a publish time that has come, like an article. It has its
own page and may also be placed under an article (`article`).

An article may carry one video: an uploaded MP4 or WebM file, or a video on one
of the hosts in settings.VIDEO_EMBED_PROVIDERS, of which only the host's name
and the video's id are stored, never HTML.
"""

import posixpath
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.images import FORMATS, CleanImageField, make_renditions
from news.models import Article, EditionContent, EditionQuerySet, FoldedSearch


def _random_name(folder, filename, extensions):
    """A random name under `folder`/YYYY/MM/: only a known extension survives from `filename`."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    if extension not in extensions:
        extension = extensions[0]
    return timezone.now().strftime(f"{folder}/%Y/%m/{uuid.uuid4().hex}.{extension}")


def gallery_photo_path(instance, filename):
    # The cleaned image's name already carries its true format (news.images.clean_upload).
    return _random_name("galleries", filename, list(FORMATS.values()))


def video_poster_path(instance, filename):
    return _random_name("video/posters", filename, list(FORMATS.values()))


def video_file_path(instance, filename):
    # The form names the file after what its bytes are (.mp4 or .webm), never after the upload.
    return _random_name("video", filename, ["mp4", "webm"])


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class GalleryQuerySet(EditionQuerySet):
    def published(self, now=None):
        """What readers may see: published, with a publish time that has come."""
        return self.filter(Gallery.published_q(now))

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_photos(self):
        return self.prefetch_related("photos")

    def with_cover_id(self):
        """Annotated with `cover_id`, the first photo's id (see views.with_covers)."""
        first = Photo.objects.filter(gallery=OuterRef("pk")).order_by("position", "pk")
        return self.annotate(cover_id=Subquery(first.values("pk")[:1]))


class Gallery(FoldedSearch, EditionContent):
    edition_fields = ("title",)
    # The admin finds a gallery by its slug and titles in any case and script.
    search_sources = ("title",)

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; part of the gallery's address."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publish time"), default=timezone.now, db_index=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        related_name="galleries",
        on_delete=models.SET_NULL,
        help_text=_("Optional: the gallery is also shown under this article."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GalleryQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_gallery", _("Can publish galleries"))]

    def __str__(self):
        return self.title or self.slug

    @staticmethod
    def published_q(now=None):
        return Q(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    @classmethod
    def public_in(cls, code, now=None):
        return cls.presence_in(code) & cls.published_q(now)

    def get_absolute_url(self):
        return reverse("multimedia:gallery", kwargs={"slug": self.slug})


class Photo(models.Model):
    gallery = models.ForeignKey(
        Gallery, verbose_name=_("photo gallery"), related_name="photos", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image = CleanImageField(
        _("image"),
        upload_to=gallery_photo_path,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or posixpath.basename(self.image.name)


class Video(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Uploaded file")
        EMBED = "embed", _("Embedded from a video host")

    article = models.OneToOneField(
        Article, verbose_name=_("article"), related_name="video", on_delete=models.CASCADE
    )
    file = models.FileField(_("video file"), upload_to=video_file_path, blank=True)
    # The file's type as its bytes said when it was uploaded (video/mp4, video/webm).
    file_type = models.CharField(max_length=20, blank=True, editable=False)
    provider = models.CharField(_("video host"), max_length=20, blank=True, editable=False)
    video_id = models.CharField(_("video id"), max_length=40, blank=True, editable=False)
    poster = CleanImageField(
        _("poster image"),
        upload_to=video_poster_path,
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
        help_text=_(
            "Shown before the video plays; nothing is loaded from the video host until then."
        ),
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints = [
            models.CheckConstraint(
                name="video_is_a_file_or_an_embed",
                condition=(Q(file="") & ~Q(video_id="") & ~Q(provider=""))
                | (~Q(file="") & Q(video_id="") & Q(provider="")),
            )
        ]

    def __str__(self):
        return str(self.article)

    @property
    def kind(self):
        return self.Kind.FILE if self.file else self.Kind.EMBED

    @property
    def host(self):
        return settings.VIDEO_EMBED_PROVIDERS.get(self.provider)

    @property
    def embed_url(self):
        host = self.host
        return host["embed"].format(id=self.video_id) if host else None

    @property
    def watch_url(self):
        host = self.host
        return host["watch"].format(id=self.video_id) if host else None


def make_photo_renditions(sender, instance, raw=False, **kwargs):
    """post_save receiver; raw saves (fixtures, restores) bring renditions made at first save."""
    if instance.image and not raw:
        make_renditions(instance.image)


def make_poster_renditions(sender, instance, raw=False, **kwargs):
    if instance.poster and not raw:
        make_renditions(instance.poster)


def with_reader_media(articles, now=None):
    """`articles` with their video and `has_galleries`: whether a gallery readers of the
    active edition can see at `now` is placed in each (added to an article's page, see
    apps)."""
    placed = Gallery.objects.published(now).in_edition().filter(article=OuterRef("pk"))
    return articles.select_related("video").annotate(has_galleries=Exists(placed))
