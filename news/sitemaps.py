"""Sitemaps: one section per edition and kind of page, and a news sitemap per edition.

An article, category, tag or author exists only in the editions it is written
in. Django 5.2's `Sitemap.i18n` with `get_languages_for_item` could say so, but
it builds every language's items in memory (`_items()`) before paginating,
which a million articles cannot afford; so each edition has its own sections,
paginated by the database, and the hreflang alternates of an item name exactly
the editions that have it (`EditionContent.editions()`, from annotated flags).
"""

import html
import math
import re
from datetime import timedelta
from functools import cached_property, partial
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import pgettext
from modeltranslation.utils import build_localized_fieldname

from core import editions
from core.site import absolute_url, as_site_request
from news.discovery import cacheable, freshness, hreflang_alternates, w3c
from news.models import Article, Author, Category, Tag, _flag
from news.sitemap_census import KeptCensus

NEWS_DAYS = 2
# What Django's sitemap views say, so that search engines do not list the sitemaps themselves.
ROBOTS = "noindex, noodp, noarchive"
# Google reads at most 1,000 URLs from one news sitemap.
NEWS_LIMIT = 1000
# Ids are bigints: no page of ids lies beyond.
MAX_ID = 2**63 - 1


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
    for_readers()), each with its last update: articles here, galleries in multimedia.

    A million articles make sitemaps of 50,000 URLs at most: page n holds the readable
    rows whose ids run from (n - 1) × 50,000, so a page is found by the primary key and
    keeps its rows as others are published or taken down, and its lastmod is its own
    rows' newest update (crawlers fetch again only the pages that changed). The rows
    are read as bare values and written out as text, never as model instances and a
    template."""

    model = None
    url_name = None
    url_fields = ("slug",)  # the URL's arguments: the model's fields of the same names

    @classmethod
    def census(cls):
        """{code: {page: newest update}} of every edition's pages that hold a readable row,
        from the census kept as rows change (news.sitemap_census)."""
        census = {code: {} for code in editions.CODES}
        for page, groups in KeptCensus(cls).current().items():
            for in_editions, latest in groups.items():
                for code in editions.codes_in(in_editions):
                    pages = census[code]
                    pages[page] = max(pages.get(page, latest), latest)
        return census

    def readable(self):
        return self.model.objects.published().in_edition_by_bits(self.code)

    def page_rows(self, page):
        """(*url_fields, updated_at, edition bits) of the rows on page `page`: those with
        ids from (page - 1) × limit, so no page holds more than `limit` rows and a row
        stays on its page whatever is published or taken down before it."""
        if not 1 <= page <= MAX_ID // self.limit:
            raise Http404("No such page.")
        rows = (
            self.readable()
            .filter(pk__gte=(page - 1) * self.limit, pk__lt=page * self.limit)
            .annotate(in_editions=self.model.edition_bits())
            .order_by("pk")
        )
        # Django's own values_list(): modeltranslation's builds a dict for every row.
        plain = QuerySet(model=self.model, query=rows.query)
        found = list(plain.values_list(*self.url_fields, "updated_at", "in_editions"))
        if not found and page > 1:  # the first page answers even while nothing is published
            raise Http404("No such page.")
        return found

    def url_format(self, code):
        """The escaped absolute URL of the edition's page, with {0}, {1}... for url_fields."""
        with translation.override(code):
            path = reverse(
                self.url_name, kwargs={name: PLACEHOLDER[name] for name in self.url_fields}
            )
        pattern = html.escape(absolute_url(path)).replace("{", "{{").replace("}", "}}")
        for number, name in enumerate(self.url_fields):
            pattern = pattern.replace(PLACEHOLDER[name], f"{{{number}}}")
        return pattern

    def render(self, page):
        """The page's <urlset>, as the template sitemaps/sitemap.xml writes it (escaped
        the same way) but in a fraction of the time: 50,000 rows make 250,000 lines."""
        formats = {code: self.url_format(code) for code in editions.CODES}
        zone = timezone.get_current_timezone()
        templates = {}
        parts = [SITEMAP_HEAD]
        for *arguments, updated, bits in self.page_rows(page):
            key = (bits, updated is not None)
            if key not in templates:
                templates[key] = self.url_template(formats, *key)
            # w3c(), without looking up the active time zone 50,000 times.
            lastmod = updated.astimezone(zone).isoformat(timespec="seconds") if updated else ""
            parts.append(templates[key].format(*map(url_text, arguments), lastmod))
        parts.append("</urlset>\n")
        return "".join(parts)

    def url_template(self, formats, bits, dated):
        """The <url> element of every row in the editions `bits`, with the row's URL
        arguments and lastmod left as {0}, {1}…: its alternates are the same for each of
        them (there are at most 2⁷ sets of editions, and 50,000 rows a page)."""
        versions = {code: formats[code] for code in editions.codes_in(bits)}
        template = f"  <url>\n    <loc>{versions[self.code]}</loc>"
        if dated:
            template += f"\n    <lastmod>{{{len(self.url_fields)}}}</lastmod>"
        if len(versions) > 1:
            for hreflang, href in hreflang_alternates(versions):
                template += ALTERNATE.format(hreflang=hreflang, href=href)
        return template + "\n  </url>\n"


def url_text(value):
    """A URL argument as reverse() writes it, escaped for XML: once quoted, only & and '
    of the characters XML escapes can be left."""
    if isinstance(value, int):
        return str(value)
    if PLAIN_SLUG(value):  # what reverse() and XML leave as it is, as most slugs are
        return value
    return quote(value, safe=URL_SAFE).replace("&", "&amp;").replace("'", "&#x27;")


ALTERNATE = '\n    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{href}"/>'
SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
# What reverse() may leave unquoted in a path (django.urls.resolvers).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_.~]*").fullmatch
# Stand-ins reversed once per edition, then replaced by each row's values.
PLACEHOLDER = {"pk": "9182736450", "slug": "sitemap-slug-placeholder"}


class ArticleSitemap(ReadableSitemap):
    model, url_name, url_fields = Article, "news:article", ("pk", "slug")


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
        named = (
            self.model.objects.in_edition(self.code)
            .with_edition_flags()
            .only("pk", "slug")
            .annotate(lastmod=Subquery(newest))
            .order_by("pk")
        )
        # Those readers can reach, picked from the flags: in SQL, PostgreSQL turns the test
        # for_readers() makes (a published article there) into a join over every article.
        return [subject for subject in named if getattr(subject, _flag(self.code))]

    def get_latest_lastmod(self):
        return (
            Article.objects.for_readers(self.code)
            .filter(**{f"{self.link}__isnull": False})
            .aggregate(latest=Max("updated_at"))["latest"]
        )

    @classmethod
    def census(cls):
        """{code: {page: get_latest_lastmod()}} for every edition that names subjects (pages
        of `limit`, in id order by the paginator): two queries, the dates read from the
        top of the articles' index on updated_at."""
        counts = cls.model.objects.aggregate(
            **{code: Count("pk", filter=cls.model.public_in(code)) for code in editions.CODES}
        )
        newest = {
            code: Subquery(
                Article.objects.for_readers(code)
                .filter(**{f"{cls.link}__isnull": False})
                .order_by("-updated_at")
                .values("updated_at")[:1]
            )
            for code in editions.CODES
        }
        # Any one row carries the uncorrelated subqueries; with no subjects, no section.
        latest = cls.model.objects.annotate(**newest).values(*newest).first() or {}
        return {
            code: dict.fromkeys(range(1, math.ceil(counts[code] / cls.limit) + 1), latest.get(code))
            for code in editions.CODES
        }


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
        self.since = news_since()
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
    if issubclass(sitemap, ReadableSitemap):
        KeptCensus(sitemap).connect()


def readable_kinds():
    """The ReadableSitemap classes of the index's sections (articles, galleries), each of
    which has a census (news.sitemap_census)."""
    kinds = {make.func for _code, make in SECTIONS.values()}
    return sorted((k for k in kinds if issubclass(k, ReadableSitemap)), key=lambda k: k.__name__)


def connect():
    """Keep the census of the articles' pages as they change (news.sitemap_census)."""
    KeptCensus(ArticleSitemap).connect()


def non_empty(sections):
    """The sections that have pages, so the index never leads to an empty <urlset>."""
    live = {}
    for name, (_code, make) in sections.items():
        sitemap = make()
        if sitemap.paginator.count:
            live[name] = sitemap
    return live


def census(sections):
    """{name: {page: newest update}} of the sections that have pages, so the index never
    leads to an empty <urlset>: a query or two per kind of page, whatever the editions."""
    kinds = {}
    for name, (code, make) in sections.items():
        kinds.setdefault(make.func, []).append((name, code))
    live = {}
    for kind, names in kinds.items():
        per_edition = kind.census()
        for name, code in names:
            if pages := per_edition[code]:
                live[name] = pages
    return live


def marks(request, **kwargs):
    """What changes when readers see new or changed pages without any save (a scheduled
    article's time comes, a bulk update): the newest update and publish time of the
    published rows of each model the sections list (one indexed query per model)."""
    if not hasattr(request, "_sitemap_marks"):
        models = {Article} | {make.func.model for _code, make in SECTIONS.values()}
        readable = [m for m in models if hasattr(m.objects, "published")]
        request._sitemap_marks = freshness(
            *(model.objects.published() for model in sorted(readable, key=str))
        )
    return request._sitemap_marks


def page_number(request):
    try:
        return int(request.GET.get("p", 1))
    except ValueError:
        raise Http404("No such page.") from None


@cacheable(marks)
def index(request):
    sitemaps = []
    for name, pages in census(SECTIONS).items():
        location = absolute_url(reverse("sitemap-section", kwargs={"section": name}))
        for page, latest in sorted(pages.items()):
            suffix = f"?p={page}" if page > 1 else ""
            sitemaps.append({"location": location + suffix, "last_mod": latest})
    response = TemplateResponse(
        request, "sitemaps/index.xml", {"sitemaps": sitemaps}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = ROBOTS
    return response


@cacheable(marks, parameters=("p",))
def section(request, section):
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    code, make = SECTIONS[section]
    sitemap = make()
    if isinstance(sitemap, ReadableSitemap):
        content = sitemap.render(page_number(request))
        return HttpResponse(
            content, content_type="application/xml", headers={"X-Robots-Tag": ROBOTS}
        )
    return sitemap_views.sitemap(
        as_site_request(request),
        {section: sitemap},
        section=section,
        template_name="sitemaps/sitemap.xml",
    )


def news_marks(request, **kwargs):
    return freshness(Article.objects.published().filter(published_at__gte=news_since()))


def news_since():
    return timezone.now() - timedelta(days=NEWS_DAYS)


@cacheable(news_marks)
def news_index(request):
    return sitemap_views.index(
        as_site_request(request),
        non_empty(NEWS_SECTIONS),
        template_name="sitemaps/index.xml",
        sitemap_url_name="news-sitemap-section",
    )


@cacheable(news_marks, parameters=("p",))
def news_section(request, section):
    if section not in NEWS_SECTIONS:
        raise Http404("No such sitemap.")
    return sitemap_views.sitemap(
        as_site_request(request),
        {section: NEWS_SECTIONS[section][1]},
        section=section,
        template_name="sitemaps/news.xml",
    )
