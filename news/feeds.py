"""RSS 2.0 feeds of an edition and of one of its categories."""

import mimetypes
from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.translation import gettext, pgettext
from modeltranslation.utils import build_localized_fieldname

from core import cache, editions
from core.site import absolute_url, as_site_request
from news.discovery import cacheable, freshness
from news.models import Article, Category

FEED_LENGTH = 50
IMAGE_SIZE_CACHE_SECONDS = 24 * 60 * 60


def image_sizes(articles):
    """{file name: bytes} of the articles' lead images.

    RSS wants an enclosure's length; asking the storage is a disk stat here but
    a network request on object storage, so sizes are remembered in the cache.
    """
    names = {article.image.name: article.image for article in articles if article.image}
    keys = {f"image-size:{name}": name for name in names}
    known = {keys[key]: size for key, size in cache.get_many(list(keys)).items()}
    fresh = {}
    for name, image in names.items():
        if name not in known:
            try:
                fresh[name] = image.storage.size(name)
            except OSError:
                fresh[name] = 0  # a missing file must not break the feed
    if fresh:
        cache.set_many(
            {f"image-size:{name}": size for name, size in fresh.items()}, IMAGE_SIZE_CACHE_SECONDS
        )
        # A feed kept rendered must not name these sizes longer than they are remembered.
        cache.changes_at(timezone.now() + timedelta(seconds=IMAGE_SIZE_CACHE_SECONDS))
    return known | fresh


def names_by_article(relation, articles):
    """{article id: [names]} of the `relation` ("tags" or "authors") of `articles` that
    exist in the active edition, in their model's order: one query of names, where
    prefetch_related() built two querysets and a dozen instances per article (half the
    time of a feed rendered afresh)."""
    field = Article._meta.get_field(relation)
    to_article = field.related_query_name()
    name = build_localized_fieldname("name", translation.get_language())
    rows = (
        field.related_model.objects.in_edition()
        .filter(**{f"{to_article}__in": [article.pk for article in articles]})
        .values_list(to_article, name)
    )
    names = {}
    for article_id, subject_name in rows:
        names.setdefault(article_id, []).append(subject_name)
    return names


class EditionFeed(Feed):
    """The newest articles of the active edition; one instance per request."""

    def __init__(self, request):
        super().__init__()
        self.request = request
        self.sizes = {}

    @property
    def language(self):
        return editions.get(translation.get_language()).bcp47

    def get_object(self, request):
        return None

    def articles(self, obj):
        return Article.objects.for_readers()

    def items(self, obj):
        items = list(
            self.articles(obj)
            .newest_first()
            # Items show this edition's texts but its body.
            .texts_of(body=False)
            .select_related("category")[:FEED_LENGTH]
        )
        self.sizes = image_sizes(items)
        self.author_names = names_by_article("authors", items)
        self.tag_names = names_by_article("tags", items)
        return items

    def title(self, obj):
        return pgettext("site name", "Kazinform")

    def description(self, obj):
        return gettext("National news agency of Kazakhstan: news of Kazakhstan and the world.")

    def link(self, obj):
        return absolute_url(reverse("news:home"))

    def feed_url(self, obj):
        return absolute_url(self.request.path)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_title(self, item):
        # Plain text, as feed readers take <title> (Django's default escapes it twice).
        return item.title

    def item_description(self, item):
        # <description> is HTML by convention: the plain-text lead is escaped once.
        return escape(item.lead)

    def item_guid(self, item):
        # The address by id survives slug edits, so readers never see an item twice.
        return absolute_url(reverse("news:article-by-id", args=[item.pk]))

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        # In the agency's zone, so the offset shown is Almaty's (+0500 / +0600).
        return timezone.localtime(item.published_at)

    def item_author_name(self, item):
        return ", ".join(self.author_names.get(item.pk, ())) or None

    def item_categories(self, item):
        names = [item.category.name] if item.category.name else []
        return names + self.tag_names.get(item.pk, [])

    def item_enclosures(self, item):
        if not item.image:
            return []
        return [
            Enclosure(
                url=absolute_url(item.image.url),
                length=str(self.sizes.get(item.image.name, 0)),
                mime_type=mimetypes.guess_type(item.image.name)[0] or "image/jpeg",
            )
        ]


class CategoryFeed(EditionFeed):
    """The newest articles of a category of the active edition and its sub-categories."""

    def get_object(self, request, slug):
        return get_object_or_404(Category.objects.in_edition(), slug=slug)

    def articles(self, obj):
        return super().articles(obj).in_category(obj)

    def title(self, obj):
        return f"{obj.name} | {super().title(obj)}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())


def published_articles(request, **kwargs):
    # Any published article decides for every feed: one indexed query, never stale,
    # at the price of a few needless renders.
    return freshness(Article.objects.published())


@cacheable(published_articles)
def edition_feed(request):
    request = as_site_request(request)
    return EditionFeed(request)(request)


@cacheable(published_articles)
def category_feed(request, slug):
    request = as_site_request(request)
    return CategoryFeed(request)(request, slug=slug)
