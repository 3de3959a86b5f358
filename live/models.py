"""Live coverage of an article: when it runs, and the short entries editors add.

An entry exists in an edition where it has text there (`EditionContent`), like
an article exists where it has a title and a body; its text is cleaned with the
article body's allow-list and its image goes through the same cleaning and
renditions as an article's lead image.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname

from core import editions

# One naming rule for every upload: random names under folder/YYYY/MM/.
from news.images import CleanImageField, make_renditions, random_upload_path
from news.models import Article, EditionContent, EditionQuerySet
from news.sanitize import clean_html


def entry_image_path(instance, filename):
    return random_upload_path("live", filename)


class LiveCoverageQuerySet(models.QuerySet):
    def running(self):
        """Coverage that has started and not ended: the article shows the "Live" label."""
        now = timezone.now()
        return self.filter(started_at__lte=now).exclude(ended_at__lte=now)


class LiveCoverage(models.Model):
    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        related_name="live_coverage",
        on_delete=models.CASCADE,
    )
    started_at = models.DateTimeField(_("coverage started"), default=timezone.now)
    ended_at = models.DateTimeField(
        _("coverage ended"),
        null=True,
        blank=True,
        help_text=_("Set it when the event is over: the “Live” label disappears at this time."),
    )

    objects = LiveCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = pgettext_lazy("plural", "live coverage")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return str(self.article)

    def is_running(self, now=None):
        now = now or timezone.now()
        return self.started_at <= now and (self.ended_at is None or self.ended_at > now)

    is_running.boolean = True
    is_running.short_description = _("live now")

    def entries_for_readers(self, code=None):
        """The entries readers of edition `code` see, newest first."""
        return self.entries.for_readers(code)


class LiveEntryQuerySet(EditionQuerySet):
    def for_readers(self, code=None):
        """Entries with text in edition `code` whose time has come, newest first."""
        code = code or translation.get_language()
        return (
            self.in_edition(code).filter(published_at__lte=timezone.now()).order_by(*NEWEST_FIRST)
        )


NEWEST_FIRST = ("-published_at", "-pk")


class LiveEntry(EditionContent):
    edition_fields = ("body",)

    coverage = models.ForeignKey(
        LiveCoverage,
        verbose_name=_("live coverage"),
        related_name="entries",
        on_delete=models.CASCADE,
    )
    published_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Not "text": EditionContent.text(name, code) reads translated fields.
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("A few sentences; links and emphasis as in an article body."),
    )
    image = CleanImageField(
        _("image"),
        upload_to=entry_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        ordering = list(NEWEST_FIRST)

    def clean(self):
        # Without text in any edition an entry would show nowhere: say so instead.
        if not any(getattr(self, name) for name in TEXT_FIELDS):
            raise ValidationError(
                _("Write the entry’s text in at least one edition."), code="no_text"
            )

    def __str__(self):
        return date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT")


TEXT_FIELDS = tuple(build_localized_fieldname("body", code) for code in editions.CODES)


def sanitize_entry(sender, instance, **kwargs):
    """pre_save receiver: every edition's text through the article body's allow-list."""
    for name in TEXT_FIELDS:
        value = getattr(instance, name)
        if value:
            setattr(instance, name, clean_html(value))


def make_entry_renditions(sender, instance, raw=False, **kwargs):
    """post_save receiver: an entry's image gets the same renditions as a lead image."""
    if instance.image and not raw:
        make_renditions(instance.image)
