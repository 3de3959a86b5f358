"""The newsroom: categories, tags, authors and the articles they describe.

Reader-facing text fields are translated per edition by django-modeltranslation
(see translation.py): `title` becomes `title_en`, `title_ru`, `title_kk_latn`…
Which editions a row exists in is decided in one place, `EditionContent`: an
article exists in an edition when it has a title and a body there, a category,
tag or author when it has a name there.
"""

import datetime
import functools
import operator
from collections import namedtuple
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from core import editions
from core.casefold import fold
from core.loading import LoadedFromRows
from core.memo import cached_reverse
from core.prepared import PreparedQuery, give_prefetched
from core.singleton import SingletonModel
from news.images import (
    CleanImageField,
    FocalPointField,
    article_image_path,
    author_photo_path,
    body_image_path,
)


class OctetLength(Func):
    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))", **extra_context
        )


class EditionQuerySet(models.QuerySet):
    def in_edition(self, code=None):
        """Rows that exist in edition `code` (the active one by default); never a fallback."""
        return self.filter(self.model.presence_in(code or translation.get_language()))

    def in_edition_by_bits(self, code):
        """in_edition(code), tested on the set of editions a row is in (`edition_bits()`):
        for a model that stores it, a test of one small integer a covering index can carry."""
        bit = editions.bit(code)
        return self.alias(in_edition_bit=self.model.edition_bits().bitand(bit)).filter(
            in_edition_bit=bit
        )

    def for_readers(self, code=None):
        """Rows readers of edition `code` can reach (the active one by default)."""
        return self.filter(self.model.public_in(code or translation.get_language()))

    def with_edition_flags(self, now=None):
        """Annotate, per edition, whether readers of it can reach each row (at `now`, the
        present by default), so that `editions()` reads the flags instead of the texts
        (which then stay in the database)."""
        return self.annotate(
            **{
                _flag(code): ExpressionWrapper(
                    self.model.public_in(code, now), output_field=BooleanField()
                )
                for code in editions.CODES
            }
        )


def _flag(code):
    return build_localized_fieldname("in_edition", code)


# The annotation through which a model that stores its set of editions gives them to
# `editions()` (its QuerySet's with_edition_flags()), instead of one flag per edition.
EDITION_FLAG_BITS = "edition_flag_bits"


class PublicSubjectQuerySet(EditionQuerySet):
    def on_published_articles(self):
        """Rows carried by a published or scheduled article, in any edition."""
        return self.filter(
            Exists(
                Article.objects.filter(
                    status=Article.Status.PUBLISHED, **{self.model.article_link: OuterRef("pk")}
                )
            )
        )


class FoldedSearch(models.Model):
    """A row the admin finds by its slug and names in any case and script (news.admin's
    FoldedSearchMixin): articles, categories, tags and authors."""

    # The translated fields the admin's search and pickers look in, besides the slug.
    search_sources = ()

    # The slug and every edition's `search_sources`, case-folded (core.casefold): the
    # admin searches this column with a folded term, so that case does not matter in any
    # script on SQLite or PostgreSQL (there with a trigram index, migration 0008).
    admin_search = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # refresh_admin_search runs on pre_save; a partial save of a source must write it too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.admin_search_columns()):
            kwargs["update_fields"] = {*update_fields, "admin_search"}
        super().save(*args, **kwargs)

    @classmethod
    def admin_search_columns(cls):
        return ["slug", *get_translation_fields(*cls.search_sources)]

    @classmethod
    def admin_search_text(cls, values):
        """The folded search text of a row whose columns are `values` (a mapping)."""
        parts = (values.get(name) for name in cls.admin_search_columns())
        return "\n".join(fold(part) for part in parts if part)

    def refresh_admin_search(self):
        # getattr, not __dict__: a deferred column is read rather than left out.
        columns = self.admin_search_columns()
        self.admin_search = self.admin_search_text({name: getattr(self, name) for name in columns})


def presence_in(edition_fields, code):
    """EditionContent.presence_in() of a model whose `edition_fields` are these.

    Measured by stored length: `body_en > ''` decompresses every long body it reads,
    OCTET_LENGTH reads the size PostgreSQL keeps beside it (listings and sitemaps at a
    million articles scan two to three times faster)."""
    query = Q()
    for name in edition_fields:
        query &= Q(GreaterThan(OctetLength(build_localized_fieldname(name, code)), 0))
    return query


def edition_bits(edition_fields):
    """EditionContent.edition_bits() of a model whose `edition_fields` are these."""
    return functools.reduce(
        operator.add,
        (
            Case(When(presence_in(edition_fields, code), then=Value(editions.bit(code))), default=0)
            for code in editions.CODES
        ),
    )


class EditionContent(LoadedFromRows):
    """Content that exists in some editions only: where all of its `edition_fields`
    are filled. The one definition of "in which editions" for every model. Its rows
    carry every edition's texts, so it loads them directly (core.loading)."""

    edition_fields = ()

    class Meta:
        abstract = True

    @classmethod
    def presence_in(cls, code):
        """A Q matching the rows that exist in edition `code`: each of its texts is written."""
        return presence_in(cls.edition_fields, code)

    @classmethod
    def edition_bits(cls):
        """An integer expression whose bit `editions.bit(code)` is set where the row exists
        in that edition: worked out by the query here, stored by models that keep it."""
        return edition_bits(cls.edition_fields)

    @classmethod
    def public_in(cls, code, now=None):
        """A Q matching the rows readers of edition `code` can reach at `now` (the present
        by default): by default, where the row exists; models that need more (a published
        article) say so here."""
        return cls.presence_in(code)

    @classmethod
    def presence_columns(cls):
        """Every column `editions()` reads when no flags are annotated."""
        return get_translation_fields(*cls.edition_fields)

    def text(self, name, code):
        """The value of translated field `name` in edition `code`, without any fallback."""
        return getattr(self, build_localized_fieldname(name, code))

    def editions(self):
        """Codes of the editions this object exists in, in the switcher's order; when
        fetched `with_edition_flags()`, the editions in which readers can reach it."""
        return [code for code in editions.CODES if self._exists_in(code)]

    def _exists_in(self, code):
        bits = self.__dict__.get(EDITION_FLAG_BITS)
        if bits is not None:
            return bool(bits & editions.bit(code))
        flag = _flag(code)
        if flag in self.__dict__:  # annotated; NULL (an empty nullable column) means absent
            return bool(self.__dict__[flag])
        return all(self.text(name, code) for name in self.edition_fields)


class Subject(FoldedSearch, EditionContent):
    """What articles are filed under and readers browse by: a category, tag or author.
    It exists in an edition where it has a name there."""

    edition_fields = ("name",)
    search_sources = ("name",)
    url_name = None  # the reader page of one subject

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["slug"]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return cached_reverse(self.url_name, slug=self.slug)

    @classmethod
    def page_for_readers(cls, slug, now):
        """The subject `slug` of the active edition with its edition flags, as its page shows
        it (None if it has no name here), in one query built once per worker and edition:
        building a tag's or author's seven flags cost three to five times running them."""
        query = subject_page_query(cls)
        found = query(slug=slug, **({"now": now} if "now" in query.examples else {}))
        return found[0] if found else None


class Category(Subject):
    url_name = "news:category"

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def ancestors(self):
        """This category's parents, from the top down, without itself."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]

    @classmethod
    def menu(cls, code=None):
        """Top categories of edition `code` that readers there find news in, directly or in
        a sub-category at any depth. One query: every category with an EXISTS that stops at
        its first visible article (the category index), rolled up to the top in Python."""
        code = code or translation.get_language()
        with translation.override(code):
            categories = _categories_with_news(now=timezone.now())
        parent_of = {category.pk: category.parent_id for category in categories}
        with_news = set()
        for category in categories:
            node = category.pk if category.has_news else None
            while node is not None and node not in with_news:
                with_news.add(node)
                node = parent_of.get(node)
        return [
            category
            for category in categories
            if category.parent_id is None
            and category.pk in with_news
            and code in category.editions()
        ]

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


class PublicSubject(Subject):
    """A tag or author: public in an edition only through a published article there.

    An editor may create or fill one in freely; nothing of it reaches readers
    (page, sitemap, switcher) until a chief editor publishes an article that
    carries it. One EXISTS subquery per edition keeps this cheap.
    """

    article_link = None  # how Article reaches this model: "tags" or "authors"

    objects = PublicSubjectQuerySet.as_manager()

    class Meta(Subject.Meta):
        abstract = True

    @classmethod
    def public_in(cls, code, now=None):
        published_there = Article.objects.for_readers(code, now).filter(
            **{cls.article_link: OuterRef("pk")}
        )
        return cls.presence_in(code) & Q(Exists(published_there))


class Tag(PublicSubject):
    url_name = "news:tag"
    article_link = "tags"

    class Meta(Subject.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")


class Author(PublicSubject):
    url_name = "news:author"
    article_link = "authors"

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = CleanImageField(_("photo"), upload_to=author_photo_path, blank=True)

    class Meta(Subject.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


RELATED_CANDIDATES_PER_TAG = 1000
# Related news shown under an article, and how many of the newest articles of each tag
# are stored per edition for them (LatestInTag). An article's list needs at most
# RELATED_SHOWN + 1 of each tag: the article itself and each editor's choice that ranks
# above a shown one take a place of the tag's list but also one of the shown five.
RELATED_SHOWN = 5
LATEST_PER_TAG = 10
TOP_STORIES = 4

# What a home page leads with: the lead story, the top stories under it, and when
# the chief editor's choice among them next expires (None: not by itself).
FrontPageStories = namedtuple("FrontPageStories", "lead top_stories changes_at")


# What other apps show on an article's own page and fetch with it (add_to_article_page).
_ARTICLE_PAGE_ADDITIONS = []


def add_to_article_page(addition):
    """Register `addition(articles, now) -> articles`: what another app's part of an
    article's page reads (a video, live coverage) at moment `now` (None: the present),
    added to the page's one query for the article, so that the page asks nothing more
    about what most articles do not have."""
    _ARTICLE_PAGE_ADDITIONS.append(addition)
    return addition


def popular_since(now=None, days=None):
    """The first day (by UTC) of the most read list's last `days` days at `now`."""
    return ((now or timezone.now()) - timedelta(days=days or settings.POPULAR_DAYS)).date()


def local_midnight(day):
    """The moment day `day` starts in the newsroom's time zone (Asia/Almaty), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ArticleQuerySet(EditionQuerySet):
    def with_edition_flags(self, now=None):
        # Readers of an edition reach an article where it exists (Article.public_in is
        # presence_in), a set the database keeps: one column read instead of seven flags
        # worked out. Not a filter: PostgreSQL has no statistics on a bit of the column and
        # guesses that 1 row in 200 has it, which turns listings' plans into full scans.
        return self.annotate(**{EDITION_FLAG_BITS: F("stored_edition_bits")})

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The periods with articles, for the admin's date drill-down: Django's DISTINCT
        over a million rows takes a second and more; one short index probe per period
        between the first and the last article takes milliseconds."""
        if field_name != "published_at" or kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        zone = tzinfo or timezone.get_current_timezone()
        bounds = self.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = (bounds[end].astimezone(zone) for end in ("first", "last"))
        start = datetime.datetime(
            first.year,
            first.month if kind != "year" else 1,
            first.day if kind == "day" else 1,
            tzinfo=zone,
        )
        periods = []
        while start <= last:
            if kind == "year":
                end = start.replace(year=start.year + 1)
            elif kind == "month":
                end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
            else:
                end = datetime.datetime.combine(
                    start.date() + timedelta(days=1), datetime.time(), tzinfo=zone
                )
            if self.filter(published_at__gte=start, published_at__lt=end).exists():
                periods.append(start)
            start = end
        return periods if order == "ASC" else periods[::-1]

    def published(self, now=None):
        """What readers may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Published with a publish time still to come: readers see it by itself at that time."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def published_today(self, now=None):
        """Live now, with a publish time since midnight in the newsroom's time zone."""
        now = now or timezone.now()
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return self.published(now).filter(published_at__gte=midnight)

    def in_state(self, state, now=None):
        """Articles in one of Article.State: the states as the newsroom names them."""
        match state:
            case Article.State.SCHEDULED:
                return self.scheduled(now)
            case Article.State.PUBLISHED:
                return self.published(now)
            case Article.State.DRAFT | Article.State.REVIEW | Article.State.UNPUBLISHED:
                return self.filter(status=state)
        return self.none()

    def for_readers(self, code=None, now=None):
        """Articles readers of edition `code` can reach at `now` (the present by default)."""
        return self.published(now).in_edition(code)

    def next_publication(self, now=None):
        """When the next scheduled article comes out (None: none is scheduled): what
        readers can see changes then, with no write to say so."""
        return (
            self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def from_position(self, published_at, pk):
        """In newest_first() order, the articles from this one (included) on. Said as
        `published_at <= …` first, so that the index on publish time starts there."""
        return self.filter(published_at__lte=published_at).filter(
            Q(published_at__lt=published_at) | Q(pk__lte=pk)
        )

    def in_category(self, category, descendant_ids=None):
        """In `category` or below it; `descendant_ids`: its descendant_ids(), if known."""
        return self.filter(category_id__in=descendant_ids or category.descendant_ids())

    def for_page(self, code=None, now=None):
        """What an article's own page shows of it: its category's path and what other apps
        add (add_to_article_page); its tags and authors come after, from
        Article.read_tags_and_authors(). Only edition `code`'s texts (texts_of); the
        editions the article exists in come as flags instead."""
        articles = (
            self.select_related("category__parent__parent").with_edition_flags().texts_of(code)
        )
        for addition in _ARTICLE_PAGE_ADDITIONS:
            articles = addition(articles, now)
        return articles

    def for_listing(self, code=None):
        """What a list of headlines needs, in a fixed number of queries: edition `code`'s
        texts but its body, which lists never show, and no category, which cards never
        show (with it, a page read and built 20 categories of eight names each)."""
        return self.texts_of(code, body=False).newest_first()

    def under(self, relation, ids):
        """Articles whose `relation` ("category", "tags" or "authors") is among `ids`: what
        a category, tag or author page lists."""
        return self.filter(**{f"{relation}__in": ids})

    def listed_under(self, relation, ids, now=None):
        """The list of headlines of a category, tag or author page: articles readers of the
        active edition can reach at `now` `under(relation, ids)`, newest first."""
        return self.for_readers(now=now).for_listing().under(relation, ids)

    def headlines(self, code=None):
        """Only what a headline shows: its address, time and title in edition `code`."""
        code = code or translation.get_language()
        return self.only("slug", "published_at", build_localized_fieldname("title", code))

    def texts_of(self, code=None, body=True):
        """Without the columns a reader of edition `code` never needs (Article.texts_outside),
        nor its body unless `body`: other editions' bodies are the bulk of a row, and
        PostgreSQL decompresses every one it sends."""
        code = code or translation.get_language()
        unread = Article.texts_outside(code)
        if not body:
            unread += (build_localized_fieldname("body", code),)
        # Django's own defer(): modeltranslation's would add the active edition's column
        # to each untranslated name ("title" → "title_ru") and defer that too.
        return models.QuerySet.defer(self, *unread)

    def popular(self, code=None, days=None, now=None, since=None):
        """Most read over the last `days` days in the edition (or since day `since`), most
        read first."""
        code = code or translation.get_language()
        since = since or popular_since(now, days)
        return (
            self.filter(daily_views__edition=code, daily_views__day__gte=since)
            .annotate(recent_views=Sum("daily_views__count"))
            .order_by("-recent_views", "-published_at")
        )

    def front_page(self, latest, code=None, now=None):
        """Edition `code`'s lead story and top stories among these articles.

        First the chief editor's choices that have not expired (frontpage.Placement:
        the top story, then the pinned stories in their order); places left are
        filled by the rule without a choice from `latest`, the newest articles: the
        newest featured one leads (the newest if none is featured), the next newest
        follow. One query.
        """
        code = code or translation.get_language()
        now = now or timezone.now()
        chosen = list(
            self.annotate(
                place=FilteredRelation(
                    "placements",
                    condition=Q(placements__front_page=code)
                    & (Q(placements__expires_at__isnull=True) | Q(placements__expires_at__gt=now)),
                )
            )
            .filter(place__slot__isnull=False)
            .annotate(slot=F("place__slot"), slot_expires_at=F("place__expires_at"))
            .order_by("slot")
        )
        lead = next((article for article in chosen if article.slot == 0), None)
        pinned = [article for article in chosen if article.slot != 0]
        taken = {article.pk for article in chosen}
        rest = [article for article in latest if article.pk not in taken]
        if lead is None:
            lead = next((article for article in rest if article.featured), None) or next(
                iter(rest), None
            )
        if lead is None and pinned:
            lead = pinned.pop(0)
        top = pinned + [article for article in rest if article is not lead]
        expiries = [article.slot_expires_at for article in chosen if article.slot_expires_at]
        return FrontPageStories(lead, top[:TOP_STORIES], min(expiries, default=None))

    def published_on(self, day):
        """Published on `day` in the newsroom's time zone: a range the publish-time
        index answers, never a per-row conversion."""
        return self.filter(
            published_at__gte=local_midnight(day),
            published_at__lt=local_midnight(day + timedelta(days=1)),
        )

    def days_with_news(self, year, month):
        """The dates (Almaty days) of `year`-`month` with at least one of these articles,
        in order. One query over the month's range of the publish-time index."""
        first = datetime.date(year, month, 1)
        following = (first + timedelta(days=31)).replace(day=1)
        return list(
            self.filter(
                published_at__gte=local_midnight(first),
                published_at__lt=local_midnight(following),
            ).dates("published_at", "day")
        )

    def months_with_news(self, year):
        """The months (1–12) of `year` with at least one of these articles: a probe
        per month that stops at its first article, so a year of a million-article
        archive is twelve short index reads, not a scan of the year."""
        months = []
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            following = (first + timedelta(days=31)).replace(day=1)
            if self.filter(
                published_at__gte=local_midnight(first),
                published_at__lt=local_midnight(following),
            ).exists():
                months.append(month)
        return months

    def nearest_day(self, day, later):
        """The nearest Almaty day before `day` (after it, if `later`) with one of these
        articles, or None: one query that stops at the first article."""
        if later:
            after = local_midnight(day + timedelta(days=1))
            rows = self.filter(published_at__gte=after).order_by("published_at", "pk")
        else:
            rows = self.filter(published_at__lt=local_midnight(day)).order_by(
                "-published_at", "-pk"
            )
        moment = rows.values_list("published_at", flat=True).first()
        return timezone.localdate(moment) if moment else None

    def related_to(self, article):
        """Articles sharing a tag with `article`, newest first, as news are read.

        A tag such as "President" can hold a hundred thousand articles; sorting
        all of them is seconds of work. Candidates are the newest
        RELATED_CANDIDATES_PER_TAG articles of each tag, read from the
        (tag, article) index, which is where related news come from anyway.
        """
        through = Article.tags.through
        candidates = set()
        for tag in article.tags.all():
            candidates.update(
                through.objects.filter(tag_id=tag.pk)
                .order_by("-article_id")
                .values_list("article_id", flat=True)[:RELATED_CANDIDATES_PER_TAG]
            )
        candidates.discard(article.pk)
        return self.filter(pk__in=candidates).newest_first()


class Article(FoldedSearch, EditionContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Handed to the chief editor, with a proposed publish time (proposed_publish_at).
        REVIEW = "review", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        # Taken down after publication; kept, but readers no longer see it.
        UNPUBLISHED = "unpublished", _("Unpublished")

    edition_fields = ("title", "body")
    search_sources = ("title",)

    class State(models.TextChoices):
        """The status as the newsroom says it: "published" with a future time is scheduled."""

        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Awaiting review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
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
    image = CleanImageField(
        _("lead image"),
        upload_to=article_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        focus_fields=("image_focus_x", "image_focus_y"),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it; not the caption. "
            "Required in every edition before publishing."
        ),
    )
    image_focus_x = FocalPointField(
        _("focal point across"),
        help_text=_("Click the image to choose what every crop keeps in view."),
    )
    image_focus_y = FocalPointField(_("focal point down"))
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
    # Whose draft it is ("My drafts" on the desk); set when the article is added in the admin.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # Who saved it last in the newsroom (the admin form, a workflow step, a restore).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # The publish time the editor proposed when submitting for review; empty means "on approval".
    proposed_publish_at = models.DateTimeField(
        _("proposed publish time"), null=True, blank=True, editable=False
    )

    # EditionContent.edition_bits(), kept by the database whenever the texts change, so that
    # the sitemaps count and page each edition's articles from an index alone.
    stored_edition_bits = models.GeneratedField(
        expression=edition_bits(edition_fields),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Listings newest first; with what the sitemaps read of every published article
            # included, so that they count and page them without reading the table.
            models.Index(
                fields=["status", "-published_at"],
                include=["id", "stored_edition_bits", "updated_at"],
                name="article_status_published",
            ),
            # A sitemap page's published articles by their numbers, with what the sitemap
            # census reads of each (news.sitemap_census): the pages a save touched are
            # counted again from their own ranges. Partial, so that no query by publish
            # time finds in it a bound that the index above lacks.
            models.Index(
                fields=["id"],
                include=["published_at", "stored_edition_bits", "updated_at"],
                condition=Q(status="published"),
                name="article_published_number",
            ),
            # The newest update of what readers see, from the top of the index rather than a
            # scan: how sitemaps and feeds tell that they changed (news.discovery.freshness).
            models.Index(fields=["-updated_at"], name="article_updated"),
        ]
        permissions = [("publish_article", _("Can publish and unpublish articles"))]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return cached_reverse("news:article", pk=self.pk, slug=self.slug)

    @classmethod
    def edition_bits(cls):
        return F("stored_edition_bits")

    @classmethod
    @functools.cache
    def texts_outside(cls, code):
        """The columns a reader of edition `code` never needs: the other editions' texts,
        the untranslated originals behind modeltranslation's fields, the admin's search
        text. The same for every request in the edition: worked out once."""
        from modeltranslation.translator import translator

        names = translator.get_options_for_model(cls).all_fields
        own = {build_localized_fieldname(name, code) for name in names}
        others = [field for field in get_translation_fields(*names) if field not in own]
        return ("admin_search", *sorted(names), *others)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def state(self):
        """One of Article.State; the same rule as ArticleQuerySet.in_state."""
        if self.status == self.Status.PUBLISHED and not self.is_public:
            return self.State.SCHEDULED
        return self.State(self.status)

    def editions_missing_alt(self):
        """Codes of the editions the article exists in whose readers would get its lead
        image without an alt text."""
        if not self.image:
            return []
        return [code for code in self.editions() if not self.text("image_alt", code)]

    # Whether readers could see the article before the save under way (news.apps).
    _published_before_save = False

    def change_reaches_readers(self, created):
        """Whether saving or deleting the article (or changing its tags, authors or related
        articles) changes a page readers see (core.signals): it is published or scheduled,
        or was before this save. A draft's saves leave every reader's cached page alone."""
        return self.status == self.Status.PUBLISHED or self._published_before_save

    def related_articles(self):
        """The editor's choices first, then articles sharing a tag, each newest first, in this
        edition.

        One query: the candidates are the editor's choices and the newest articles of this
        article's tags stored in LatestInTag (kept by news.related) whose publish time has
        come, so a scheduled article appears by itself at its time; of those, the readable
        ones are ranked here.
        """
        return _related_headlines(pk=self.pk, now=timezone.now())

    @classmethod
    def page_for_readers(cls, pk):
        """Article `pk` as its page shows it to readers of the active edition (for_page()),
        or None where they cannot read it, in one query built once per worker."""
        found = _article_page(pk=pk, now=timezone.now())
        return found[0] if found else None

    @classmethod
    def listing_page(cls, relation, ids, rows):
        """The `rows` newest articles readers of the active edition can reach whose
        `relation` ("tags", "authors", "category", or "pk" for a listing's kept page) is
        among `ids`: what listed_under(relation, ids) reads, in SQL built once per worker
        and shape (docs/benchmark.md: building and compiling a list's query cost several
        times running it)."""
        query = listing_page_query(relation, len(ids), rows)
        return query(now=timezone.now(), **{f"id{i}": value for i, value in enumerate(ids)})

    def read_tags_and_authors(self):
        """Read the tags and authors, which `tags.all()` and `authors.all()` then answer, as
        after prefetch_related(), in one built-once query each (its page shows both)."""
        give_prefetched(self, "tags", _tags_of_article(pk=self.pk))
        give_prefetched(self, "authors", _authors_of_article(pk=self.pk))


def _ranked_related_headlines(pk, now):
    code = translation.get_language()
    chosen = Article.related.through.objects.filter(from_article=pk)
    # The newest stored articles of its tags, ranked in the stored rows: one more than
    # shown, as the article itself may be among them (see RELATED_SHOWN).
    newest_by_tag = (
        LatestInTag.objects.filter(
            edition=code,
            published_at__lte=now,
            tag__in=Article.tags.through.objects.filter(article=pk).values("tag"),
        )
        .values("article")
        .alias(newest=Max("published_at"))
        .order_by("-newest", "-article")[: RELATED_SHOWN + 1]
    )
    # (SQLite takes no LIMIT in a part of a UNION, but takes it in IN.)
    candidates = chosen.values("to_article").union(
        Article.objects.filter(pk__in=newest_by_tag).order_by().values("pk")
    )
    return (
        Article.objects.for_readers(code, now)
        .filter(pk__in=candidates)
        .exclude(pk=pk)
        .annotate(chosen=Exists(chosen.filter(to_article=OuterRef("pk"))))
        .order_by("-chosen", "-published_at", "-pk")
        # Reading every edition's body would cost more than the query.
        .headlines(code)[:RELATED_SHOWN]
    )


# Two moments, for PreparedQuery to find where a query's "now" goes.
EXAMPLE_TIMES = (
    datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
)
# Built once per worker and edition: building it took 1.4 of the 2 ms it cost per page.
_related_headlines = PreparedQuery(
    Article,
    _ranked_related_headlines,
    pk=(1, 2),
    now=EXAMPLE_TIMES,
)


# In the order of the related managers (the models' own ordering).
_tags_of_article = PreparedQuery(Tag, lambda pk: Article(pk=pk).tags.all(), pk=(1, 2))
_authors_of_article = PreparedQuery(Author, lambda pk: Article(pk=pk).authors.all(), pk=(1, 2))


# An article as its page shows it to readers of the active edition.
_article_page = PreparedQuery(
    Article,
    lambda pk, now: Article.objects.for_readers(now=now).for_page(now=now).filter(pk=pk),
    pk=(1, 2),
    now=EXAMPLE_TIMES,
)


def _with_news(now):
    visible = Article.objects.for_readers(now=now).filter(category=OuterRef("pk"))
    return Category.objects.annotate(has_news=Exists(visible))


# Every category, and whether readers of the active edition find news right in it
# (Category.menu): built once per worker and edition, as building it cost twice running it.
_categories_with_news = PreparedQuery(Category, _with_news, now=EXAMPLE_TIMES)


@functools.cache
def most_read(limit):
    """The `limit` most read articles readers of the active edition can reach at `now`,
    read since day `since` (ArticleQuerySet.popular), as headlines: a query built once per
    worker and edition."""
    return PreparedQuery(
        Article,
        lambda now, since: (
            Article.objects.for_readers(now=now).popular(since=since).headlines()[:limit]
        ),
        now=EXAMPLE_TIMES,
        since=(datetime.date(2000, 1, 1), datetime.date(2001, 1, 1)),
    )


@functools.cache
def subject_page_query(model):
    """Subject.page_for_readers's query for `model`."""

    def subject(slug, now=None):
        return model.objects.in_edition().with_edition_flags(now).filter(slug=slug)[:1]

    # A tag or an author is public where a published article carries it, which the time
    # decides; a category, where it has a name.
    times = {"now": EXAMPLE_TIMES} if issubclass(model, PublicSubject) else {}
    return PreparedQuery(model, subject, slug=("a", "b"), **times)


@functools.cache
def listing_page_query(relation, how_many, rows):
    """Article.listing_page's query for `how_many` ids."""
    examples = {f"id{i}": (2 * i + 1, 2 * i + 2) for i in range(how_many)}

    def listing(now, **ids):
        chosen = [ids[name] for name in examples]
        return Article.objects.listed_under(relation, chosen, now)[:rows]

    return PreparedQuery(Article, listing, now=EXAMPLE_TIMES, **examples)


class StoredCensus(models.Model):
    """The last full count of a sitemap's census (news.sitemap_census), kept in the
    database as well as in the cache, so that an emptied cache is not a count of every
    published row (half a second at a million articles) on the next crawl.

    Saves are found again by their update time; what that cannot show (a deletion, a
    save that leaves `updated_at` alone) moves `epoch`, and a census counted in another
    epoch than the current one is not used.
    """

    key = models.CharField(max_length=200, primary_key=True)
    epoch = models.BigIntegerField(default=0)
    counted_in_epoch = models.BigIntegerField(null=True)
    counted = models.DateTimeField(null=True)
    pages = models.JSONField(null=True)

    def __str__(self):
        return self.key

    def change_reaches_readers(self, created):
        return False  # a count of what readers see, which their changes already announced


class LatestInTag(models.Model):
    """One of the newest articles readers of an edition can reach under a tag, kept ahead of
    reading (news.related) so that related news cost one short query per page.

    Per tag and edition: the LATEST_PER_TAG newest readable articles and every scheduled
    one, so the list stays complete as scheduled articles come out by themselves. Any save
    that changes what readers see of an article, or its tags, refreshes its tags' rows.
    """

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    edition = models.CharField(
        max_length=10, choices=[(e.code, e.name_local) for e in editions.EDITIONS]
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    # The article's, stored with it so that a page ranks its candidates here and reads
    # only the few it shows (a probe of every stored row was a third of the page).
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("latest article of a tag")
        verbose_name_plural = _("latest articles of tags")
        constraints = [
            # Also the index of the read: tag_id IN (…) AND edition = ….
            models.UniqueConstraint(
                fields=["tag", "edition", "article"], name="one_row_per_tag_edition_article"
            )
        ]
        indexes = [
            # The read itself (Article.related_articles): the rows of a few tags in one
            # edition whose time has come, answered from the index alone. Through the
            # constraint's index, every scheduled row was fetched to be filtered out.
            models.Index(
                fields=["tag", "edition", "published_at", "article"],
                name="latest_in_tag_readable",
            )
        ]

    def __str__(self):
        return f"{self.tag_id} {self.edition}: {self.article_id}"


class ArticleEvent(models.Model):
    """One step of the newsroom workflow: who did what to an article, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Sent back to the author")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DRAFTED = "drafted", _("Made a draft again")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="events", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # The proposed (submitted) or chosen (published, scheduled) publish time.
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        when = formats.date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")
        return f"{self.get_action_display()}, {when}"

    def change_reaches_readers(self, created):
        return False  # the workflow's log is the newsroom's; the article's own save shows


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


class BodyImage(models.Model):
    """A picture placed in article bodies: stored cleaned, with renditions like a lead image.

    A body refers to it as `<figure data-body-image="ID" …>` (news.body_images); the
    alt text, caption and credit are attributes of that figure, so each edition's body
    describes the picture in its own language.
    """

    image = CleanImageField(
        _("image"),
        upload_to=body_image_path,
        width_field="width",
        height_field="height",
        focus_fields=("focus_x", "focus_y"),
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    focus_x = FocalPointField(_("focal point across"))
    focus_y = FocalPointField(_("focal point down"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("body image")
        verbose_name_plural = _("body images")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.image.name.rsplit("/", 1)[-1] if self.image else str(self.pk)

    def change_reaches_readers(self, created):
        # A new upload is on no page yet: the save of the article that shows it is.
        return not created


class SiteSettings(SingletonModel):
    """Settings of the site that editors change without a deployment."""

    phone = models.CharField(_("contact phone"), max_length=40, default="+7 701 759 90 19")

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))


def remember_whether_published(sender, instance, **kwargs):
    """pre_save receiver (news.apps): whether readers could see the article as stored,
    so that unpublishing it, its last save readers see, empties their cached pages."""
    instance._published_before_save = Article.objects.filter(
        pk=instance.pk, status=Article.Status.PUBLISHED
    ).exists()


def refresh_admin_search(sender, instance, **kwargs):
    """pre_save receiver (news.apps): on every save, raw ones (fixtures, reverted revisions)
    included, the search column follows the titles and names."""
    instance.refresh_admin_search()
