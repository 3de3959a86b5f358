"""Sitemaps: one section per edition and kind of page, and a news sitemap per edition.

An article, category, tag or author exists only in the editions it is written
in. Django 5.2's `Sitemap.i18n` with `get_languages_for_item` could say so, but
it builds every language's items in memory (`_items()`) before paginating,
which a million articles cannot afford; so each edition has its own sections,
paginated by the database, and the hreflang alternates of an item name exactly
the editions that have it (`EditionContent.editions()`, from annotated flags).
"""

from datetime import timedelta
from functools import cached_property, partial

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import pgettext
from modeltranslation.utils import build_localized_fieldname

from core import editions
from core.site import as_site_request
from news.discovery import cacheable, hreflang_alternates, w3c
from news.models import Article, Author, Category, Tag

NEWS_DAYS = 2
# Google reads at most 1,000 URLs from one news sitemap.
NEWS_LIMIT = 1000


class EditionSitemap(Sitemap):
    """Pages of one edition, each with links to its versions in the other editions."""

    limit = 50_000

    def __init__(self, code):
        self.code = code

    @cached_property
    def paginator(self):
        # One count per request rather than one per use of the property.
        return Paginator(self.items(), self.limit)

    def location(self, item):
        with translation.override(self.code):
            return item.get_absolute_url()

    def lastmod(self, item):
        return item.lastmod

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            url["lastmod_w3c"] = w3c(url["lastmod"])
            codes = url["item"].editions()
            if len(codes) > 1:
                versions = {}
                for code in codes:
                    with translation.override(code):
                        versions[code] = origin + url["item"].get_absolute_url()
                url["alternates"] = [
                    {"lang_code": hreflang, "location": location}
                    for hreflang, location in hreflang_alternates(versions)
                ]
        return urls


class ReadableSitemap(EditionSitemap):
    """The rows of `model` that readers of the edition can open (its queryset's
    for_readers()), each with its last update: articles here, galleries in multimedia."""

    model = None

    def items(self):
        return (
            self.model.objects.for_readers(self.code)
            .only("pk", "slug", "updated_at")
            .with_edition_flags()
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        readable = self.model.objects.for_readers(self.code)
        return readable.aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(ReadableSitemap):
    model = Article


class SubjectSitemap(EditionSitemap):
    """Categories, tags or authors named in the edition, dated by their newest article."""

    model = None
    link = None  # how Article reaches the subject: "category", "tags", "authors"

    def items(self):
        newest = (
            Article.objects.for_readers(self.code)
            .filter(**{self.link: OuterRef("pk")})
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            self.model.objects.for_readers(self.code)
            .with_edition_flags()
            .only("pk", "slug")
            .annotate(lastmod=Subquery(newest))
            .order_by("pk")
        )

    def get_latest_lastmod(self):
        return (
            Article.objects.for_readers(self.code)
            .filter(**{f"{self.link}__isnull": False})
            .aggregate(latest=Max("updated_at"))["latest"]
        )


class CategorySitemap(SubjectSitemap):
    model, link = Category, "category"


class TagSitemap(SubjectSitemap):
    model, link = Tag, "tags"


class AuthorSitemap(SubjectSitemap):
    model, link = Author, "authors"


class NewsSitemap(Sitemap):
    """An edition's articles of the last two days, in the news-sitemap format."""

    limit = NEWS_LIMIT

    def __init__(self, code):
        self.code = code
        self.since = timezone.now() - timedelta(days=NEWS_DAYS)
        self.title_column = build_localized_fieldname("title", code)

    @cached_property
    def paginator(self):
        return Paginator(self.items(), self.limit)

    def items(self):
        return (
            Article.objects.for_readers(self.code)
            .filter(published_at__gte=self.since)
            .only("pk", "slug", "published_at", "updated_at", self.title_column)
            .newest_first()
        )

    def location(self, item):
        with translation.override(self.code):
            return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        with translation.override(self.code):
            name = pgettext("site name", "Kazinform")
        # Google wants an ISO 639 code, and zh-cn for Simplified Chinese.
        language = "zh-cn" if self.code == "zh-hans" else self.code.split("-")[0]
        for url in urls:
            item = url["item"]
            url["lastmod_w3c"] = w3c(url["lastmod"])
            url["news"] = {
                "name": name,
                "language": language,
                "publication_date": w3c(item.published_at),
                "title": getattr(item, self.title_column),
            }
        return urls


KINDS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
SECTIONS = {
    f"{kind}-{code}": (code, partial(sitemap, code))
    for kind, sitemap in KINDS.items()
    for code in editions.CODES
}
NEWS_SECTIONS = {code: (code, partial(NewsSitemap, code)) for code in editions.CODES}


def add_kind(kind, sitemap):
    """Sections of another app's pages (one per edition) in the sitemap index, so that
    this module needs to know nothing of that app (galleries: multimedia.sitemaps)."""
    for code in editions.CODES:
        SECTIONS[f"{kind}-{code}"] = (code, partial(sitemap, code))


def non_empty(sections):
    """The sections that have pages, so the index never leads to an empty <urlset>."""
    live = {}
    for name, (_code, make) in sections.items():
        sitemap = make()
        if sitemap.paginator.count:
            live[name] = sitemap
    return live


def all_articles(request, **kwargs):
    return Article.objects.published()


def section_articles(sections):
    def articles(request, section):
        if section not in sections:
            return Article.objects.none()
        return Article.objects.for_readers(sections[section][0])

    return articles


def views_for(sections, section_url_name, template_name):
    """The index view and the section view of one family of sitemaps."""

    @cacheable(all_articles)
    def index(request):
        return sitemap_views.index(
            as_site_request(request),
            non_empty(sections),
            template_name="sitemaps/index.xml",
            sitemap_url_name=section_url_name,
        )

    @cacheable(section_articles(sections))
    def section(request, section):
        if section not in sections:
            raise Http404("No such sitemap.")
        return sitemap_views.sitemap(
            as_site_request(request),
            {section: sections[section][1]},
            section=section,
            template_name=template_name,
        )

    return index, section


index, section = views_for(SECTIONS, "sitemap-section", "sitemaps/sitemap.xml")
news_index, news_section = views_for(NEWS_SECTIONS, "news-sitemap-section", "sitemaps/news.xml")
