"""What the chief editor arranges per edition: the top story, pinned stories, breaking news.

Each choice may expire; an expired choice is simply no longer read (nothing
deletes it), and pages that show a choice tell the page cache when it expires
(`core.cache.changes_at`). Saves and deletes here start a new content
generation (`core.signals`), so a change shows on the next request.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import editions
from news.models import Article

EDITION_CHOICES = [(edition.code, edition.name_local) for edition in editions.EDITIONS]


def recent_published():
    """What the admin offers to choose from: articles published in the last
    FRONT_PAGE_RECENT_DAYS days (a callable, so that "now" is the time of the request)."""
    now = timezone.now()
    return Q(
        status=Article.Status.PUBLISHED,
        published_at__lte=now,
        published_at__gte=now - timedelta(days=settings.FRONT_PAGE_RECENT_DAYS),
    )


def still_current(now=None):
    """A Q for choices that have not expired at `now`."""
    now = now or timezone.now()
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


class FrontPage(models.Model):
    """One edition's front page: the chief editor's choices hang on it."""

    edition = models.CharField(
        _("edition"), max_length=10, primary_key=True, choices=EDITION_CHOICES
    )

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")
        ordering = ["edition"]

    def __str__(self):
        return editions.get(self.edition).name_local


def _check_article_in_edition(article, code, field="article"):
    if article is not None and not Article.objects.for_readers(code).filter(pk=article.pk).exists():
        raise ValidationError(
            {
                field: _("This article is not published in %(edition)s: choose one that is.")
                % {"edition": editions.get(code).name_local}
            }
        )


class Placement(models.Model):
    """An article the chief editor put in one place of an edition's front page."""

    class Slot(models.IntegerChoices):
        TOP = 0, _("Top story")
        PINNED_1 = 1, _("Pinned story 1")
        PINNED_2 = 2, _("Pinned story 2")
        PINNED_3 = 3, _("Pinned story 3")
        PINNED_4 = 4, _("Pinned story 4")

    front_page = models.ForeignKey(
        FrontPage, verbose_name=_("front page"), related_name="placements", on_delete=models.CASCADE
    )
    slot = models.PositiveSmallIntegerField(_("place"), choices=Slot.choices)
    # ArticleQuerySet.front_page reads the choices through this relation's name.
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        related_name="placements",
        on_delete=models.CASCADE,
        limit_choices_to=recent_published,
    )
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep it until you change it."),
    )

    class Meta:
        verbose_name = _("front-page story")
        verbose_name_plural = _("front-page stories")
        ordering = ["front_page", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["front_page", "slot"], name="one_story_per_place"),
            models.UniqueConstraint(fields=["front_page", "article"], name="one_place_per_story"),
        ]

    def __str__(self):
        return f"{self.get_slot_display()}: {self.article}"

    def clean(self):
        if self.front_page_id and self.article_id:
            _check_article_in_edition(self.article, self.front_page_id)


class BreakingNewsQuerySet(models.QuerySet):
    def active(self, code=None, now=None):
        """Breaking news readers of edition `code` see now: neither expired nor lifted."""
        code = code or translation.get_language()
        return self.filter(still_current(now), front_page_id=code, lifted_at__isnull=True).order_by(
            "-created_at", "-pk"
        )


class BreakingNews(models.Model):
    """A banner on every reader page of one edition until it expires or is lifted."""

    front_page = models.ForeignKey(
        FrontPage, verbose_name=_("edition"), related_name="breaking", on_delete=models.CASCADE
    )
    text = models.CharField(_("text"), max_length=200)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        limit_choices_to=recent_published,
        help_text=_("Optional: the banner links to it."),
    )
    expires_at = models.DateTimeField(_("expires"))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("breaking news")
        verbose_name_plural = pgettext_lazy("plural", "breaking news")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["front_page", "expires_at"], name="breaking_edition_expiry")
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.front_page_id:
            _check_article_in_edition(self.article, self.front_page_id)

    @property
    def is_active(self):
        return self.lifted_at is None and self.expires_at > timezone.now()
