"""The newsroom: categories, tags, authors and the articles they describe.

Reader-facing text fields are translated per edition by django-modeltranslation
(see translation.py): `title` becomes `title_en`, `title_ru`, `title_kk_latn`…
An article exists in an edition when it has a title and a body there.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import editions
from news.images import article_image_path


def field_for(name, code):
    """The modeltranslation column of `name` in edition `code` (title, kk-latn → title_kk_latn)."""
    return f"{name}_{code.replace('-', '_')}"


def present_in(code, *names):
    """A Q matching rows whose translated fields `names` are filled in edition `code`."""
    query = Q()
    for name in names:
        query &= Q(**{f"{field_for(name, code)}__gt": ""})
    return query


class TranslatedNameQuerySet(models.QuerySet):
    def in_edition(self, code=None):
        return self.filter(present_in(code or translation.get_language(), "name"))


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TranslatedNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})

    def ancestors(self):
        """This category's parents, from the top down, without itself."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self):
        """Ids of this category and everything below it (one query per level)."""
        ids, level = [self.pk], [self.pk]
        while level:
            level = list(
                Category.objects.filter(parent_id__in=level)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.extend(level)
        return ids


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = TranslatedNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)

    objects = TranslatedNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["slug"]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("news:author", kwargs={"slug": self.slug})


RELATED_CANDIDATES_PER_TAG = 1000


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Published with a publish time still to come: readers see it by itself at that time."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def in_edition(self, code=None):
        """Articles written in edition `code` (the active one by default); never a fallback."""
        return self.filter(present_in(code or translation.get_language(), "title", "body"))

    def for_readers(self, code=None):
        return self.published().in_edition(code)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def in_category(self, category):
        return self.filter(category_id__in=category.descendant_ids())

    def for_listing(self):
        """What a list of headlines needs, in a fixed number of queries."""
        return self.select_related("category").newest_first()

    def popular(self, code=None, days=None, now=None):
        """Most read over the last `days` days in the edition, most read first."""
        code = code or translation.get_language()
        since = (now or timezone.now()) - timedelta(days=days or settings.POPULAR_DAYS)
        return (
            self.filter(daily_views__edition=code, daily_views__day__gte=since.date())
            .annotate(recent_views=Sum("daily_views__count"))
            .order_by("-recent_views", "-published_at")
        )

    def related_to(self, article):
        """Articles sharing tags with `article`, the most shared tags first, then newest.

        A tag such as "President" can hold a hundred thousand articles; counting
        shared tags over all of them is seconds of work. Candidates are the
        newest RELATED_CANDIDATES_PER_TAG articles of each tag, read from the
        (tag, article) index, which is where related news come from anyway.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        through = Article.tags.through
        candidates = set()
        for tag_id in tag_ids:
            candidates.update(
                through.objects.filter(tag_id=tag_id)
                .order_by("-article_id")
                .values_list("article_id", flat=True)[:RELATED_CANDIDATES_PER_TAG]
            )
        candidates.discard(article.pk)
        return (
            self.filter(pk__in=candidates)
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids)))
            .order_by("-shared_tags", "-published_at", "-pk")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        # Taken down after publication; kept, but readers no longer see it.
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(_("title"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=False,
        help_text=_("Latin letters, digits and hyphens; part of the article's address."),
    )
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    dateline_city = models.CharField(
        _("dateline city"),
        max_length=100,
        blank=True,
        help_text=_("The city as it was called when the news was written."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="articles", on_delete=models.PROTECT
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="articles", blank=True)
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), related_name="articles", blank=True
    )
    image = models.ImageField(
        _("lead image"),
        upload_to=article_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publish time"), default=timezone.now, db_index=True)
    featured = models.BooleanField(_("featured"), default=False)
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related articles"),
        symmetrical=False,
        blank=True,
        help_text=_("Shown first under “Related news”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published")
        ]
        permissions = [("publish_article", _("Can publish and unpublish articles"))]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"pk": self.pk, "slug": self.slug})

    def editions(self):
        """Codes of the editions this article is written in."""
        return [
            code
            for code in editions.CODES
            if getattr(self, field_for("title", code)) and getattr(self, field_for("body", code))
        ]

    def is_in_edition(self, code):
        return code in self.editions()

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def related_articles(self, limit=5):
        """The editor's choices first, then articles sharing the most tags, in this edition."""
        chosen = list(self.related.for_readers().exclude(pk=self.pk).for_listing()[:limit])
        if len(chosen) < limit:
            chosen += list(
                Article.objects.for_readers()
                .related_to(self)
                .exclude(pk__in=[a.pk for a in chosen])
                .select_related("category")[: limit - len(chosen)]
            )
        return chosen


class DailyViews(models.Model):
    """Reads of an article in one edition on one day (Asia/Almaty date)."""

    article = models.ForeignKey(Article, related_name="daily_views", on_delete=models.CASCADE)
    edition = models.CharField(
        max_length=10, choices=[(e.code, e.name_local) for e in editions.EDITIONS]
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "edition", "day"], name="one_row_per_article_edition_day"
            )
        ]
        indexes = [models.Index(fields=["edition", "day"], name="views_edition_day")]

    def __str__(self):
        return f"{self.article_id} {self.edition} {self.day}: {self.count}"

    @classmethod
    def record(cls, article_id, edition, day=None):
        """Count one read, exactly, however many requests race for the same row."""
        day = day or timezone.localdate()
        updated = cls.objects.filter(article_id=article_id, edition=edition, day=day).update(
            count=F("count") + 1
        )
        if not updated:
            _row, created = cls.objects.get_or_create(
                article_id=article_id, edition=edition, day=day, defaults={"count": 1}
            )
            if not created:
                cls.objects.filter(article_id=article_id, edition=edition, day=day).update(
                    count=F("count") + 1
                )


class SiteSettings(models.Model):
    """The one row of settings editors change without a deployment."""

    phone = models.CharField(_("contact phone"), max_length=40, default="+7 701 759 90 19")

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    @classmethod
    def current(cls):
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @classmethod
    def read(cls):
        """The saved row, or the defaults before anyone saved it.

        For pages: reading never writes, since a write starts a new content
        generation and would throw away every cached page (core.cache).
        """
        return cls.objects.filter(pk=1).first() or cls(pk=1)
