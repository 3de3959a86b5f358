import base64
import calendar
import datetime
import functools
import logging
from urllib.parse import urlencode

from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, TemplateView

from core import editions
from core.cache import PublicPageCacheMixin, cached, generation
from core.cache import changes_at as page_changes_at
from core.memo import cached_reverse
from news import article_parts, counting, search
from news.archive import archive_url, month_calendar
from news.models import Article, Author, Category, DailyViews, Tag
from news.pagination import ArchivePaginator, CappedPaginator, kept_pages, page_run

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
SELECTION_CACHE_SECONDS = 600


def until_published(key, compute, also=None, next_publication=None):
    """`compute()`, which only publishing changes, cached until content changes or the
    next scheduled article comes out (or `also(value)`, a moment of its own).

    `next_publication(value)`: when the next scheduled article that could change `value`
    comes out (by default, any scheduled article; asked after compute() from a moment
    read before it, so that what comes out meanwhile is seen again)."""

    def stamped():
        now = timezone.now()
        value = compute()
        if next_publication is not None:
            return {"value": value, "until": next_publication(value)}
        return {"value": value, "until": Article.objects.next_publication(now)}

    def expires(entry):
        moments = [entry["until"], also(entry["value"]) if also and entry["value"] else None]
        return min(filter(None, moments), default=None)

    return cached(key, stamped, SELECTION_CACHE_SECONDS, expires=expires)["value"]


def edition_urls(make_url, codes=editions.CODES):
    """{code: url} for each edition in `codes`, built with that edition active."""
    urls = {}
    for code in codes:
        with translation.override(code):
            urls[code] = make_url()
    return urls


class EditionMixin:
    """Gives templates the current edition and where the switcher leads.

    Views name the editions that have this page through `get_edition_urls`;
    the switcher marks the others as editions without this page.
    """

    def get_edition_urls(self):
        return None  # not known: the switcher leads to each edition's home page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition_urls"] = self.get_edition_urls()
        return context


class HomeView(PublicPageCacheMixin, EditionMixin, TemplateView):
    template_name = "news/home.html"

    def get_edition_urls(self):
        return edition_urls(lambda: cached_reverse("news:home"))

    def selection_key(self):
        return f"home:{translation.get_language()}"

    def page_cache_keys(self):
        return [self.selection_key()]

    @staticmethod
    def select():
        articles = Article.objects.for_readers().for_listing()
        latest = list(articles[:20])
        lead, top, changes_at = articles.front_page(latest)
        shown = {a.pk for a in top} | ({lead.pk} if lead else set())
        blocks = []
        for category in Category.objects.in_edition().filter(parent=None):
            items = list(articles.in_category(category).exclude(pk__in=shown)[:4])
            if items:
                blocks.append((category, items))
        return {
            "lead": lead,
            "top_stories": top,
            "latest": latest,
            "category_blocks": blocks,
            "changes_at": changes_at,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A dozen queries that only publishing changes.
        selection = until_published(
            self.selection_key(), self.select, also=lambda selection: selection["changes_at"]
        )
        # A chosen story that expires leaves the page by itself: no cached copy outlives it.
        page_changes_at(selection["changes_at"])
        context.update(
            lead=selection["lead"],
            top_stories=selection["top_stories"],
            latest=selection["latest"],
            category_blocks=selection["category_blocks"],
        )
        return context


class ArticleListView(EditionMixin, ListView):
    """Base of every paginated, newest-first list of the edition's articles."""

    paginate_by = PAGE_SIZE
    paginator_class = ArchivePaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.for_readers().for_listing()


class SubjectListView(PublicPageCacheMixin, ArticleListView):
    """Articles about one category, tag or author, which must have a page in this edition."""

    subject_model = None

    def subject_context(self, subject):
        """What the page shows of its subject besides its articles (cached with it)."""
        return {}

    def kept_key(self, what):
        """The cache key (until_published's) of what the page keeps of its subject."""
        model = self.subject_model._meta.model_name
        return f"{what}:{model}:{translation.get_language()}:{self.kwargs['slug']}"

    def page_cache_keys(self):
        # The subject, and the pages of the run of the page asked for.
        keys = [self.kept_key("subject")]
        try:
            number = int(self.request.GET.get(self.page_kwarg, "1"))
        except ValueError:  # junk: the paginator answers 404
            return keys
        if number >= 1:
            keys.append(f"{self.kept_key('listing-pages')}:{page_run(number)}")
        return keys

    def get_subject_page(self):
        """{"subject": …, **subject_context}, cached (until_published); 404 if none."""
        if not hasattr(self, "_subject_page"):
            slug = self.kwargs["slug"]
            code = translation.get_language()
            now = timezone.now()

            def find():
                subject = self.subject_model.page_for_readers(slug, now)
                # Whether readers can reach it (for_readers()) is read from its flag: as a
                # filter, PostgreSQL joins the test over every readable article (0.6–2 s
                # for an author at a million articles); as a flag, it probes this one.
                if subject is None or code not in subject.editions():
                    raise Http404  # before anything is stored: junk addresses fill no cache
                return {"subject": subject, **self.subject_context(subject)}

            self._subject_page = until_published(
                self.kept_key("subject"),
                find,
                next_publication=lambda page: self.next_publication_in(page, now),
            )
        return self._subject_page

    def next_publication_in(self, page, now):
        """When the next scheduled article of subject page `page` (get_subject_page()'s)
        comes out after `now`: what the page lists changes then, with no write to say so.
        Other subjects' articles coming out leave it as it is. Read once per request,
        from the first `now` asked: what the subject and its page starts both keep."""
        if not hasattr(self, "_next_publication"):
            listed = Article.objects.under(*self.listed_in(page))
            self._next_publication = listed.next_publication(now)
        return self._next_publication

    def get_subject(self):
        return self.get_subject_page()["subject"]

    def listed(self):
        """(relation, ids): the page lists the articles whose relation is among ids."""
        return self.listed_in(self.get_subject_page())

    def listed_in(self, page):
        """listed() of subject page `page` (get_subject_page()'s)."""
        raise NotImplementedError

    def get_queryset(self):
        relation, ids = self.listed()
        # Built only if read: pages are read by Article.listing_page; this finds where
        # deep pages start, and reads them with OFFSET when the cache is unreachable.
        return SimpleLazyObject(lambda: Article.objects.listed_under(relation, ids))

    def get_template_names(self):
        # ListView's would add a name made from the listing's model, building the listing.
        return [self.template_name]

    def get_paginator(self, queryset, per_page, **kwargs):
        read_page = functools.partial(Article.listing_page, *self.listed(), per_page + 1)
        if generation() is None:
            # Nowhere to keep the pages: finding them again for each request would cost
            # more than the OFFSET walk they spare.
            return super().get_paginator(queryset, per_page, read_page=read_page, **kwargs)
        key = self.kept_key("listing-pages")
        # A deep page found from nothing keeps a run of pages per PAGES_PER_WALK pages
        # before it: one question for all of them of when they go stale.
        now = timezone.now()
        page = self.get_subject_page()

        def walk(run, find):
            return until_published(
                f"{key}:{run}",
                find,
                next_publication=lambda _pages: self.next_publication_in(page, now),
            )

        page_ids, read_ids = kept_pages(
            queryset,
            per_page,
            walk,
            read_first=read_page,
            # A few rows found by their keys: for a tag, its own query passes over every
            # newer article of the edition to find its twenty (2.5 ms at a million).
            read_ids=lambda pks: Article.listing_page("pk", pks, len(pks)),
        )
        return super().get_paginator(
            queryset,
            per_page,
            read_page=read_page,
            page_ids=page_ids,
            read_ids=read_ids,
            **kwargs,
        )

    def get_edition_urls(self):
        subject = self.get_subject()
        return edition_urls(subject.get_absolute_url, subject.editions())

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.get_subject(), **kwargs)


class CategoryView(SubjectListView):
    subject_model = Category
    template_name = "news/category.html"

    def subject_context(self, category):
        return {
            "breadcrumbs": category.ancestors(),
            "subcategories": list(category.children.in_edition()),
            "descendant_ids": category.descendant_ids(),
        }

    def listed_in(self, page):
        return "category", page["descendant_ids"]

    def get_context_data(self, **kwargs):
        page = self.get_subject_page()
        return super().get_context_data(
            breadcrumbs=page["breadcrumbs"], subcategories=page["subcategories"], **kwargs
        )


class TagView(SubjectListView):
    subject_model = Tag
    template_name = "news/tag.html"

    def listed_in(self, page):
        return "tags", [page["subject"].pk]


class AuthorView(SubjectListView):
    subject_model = Author
    template_name = "news/author.html"

    def listed_in(self, page):
        return "authors", [page["subject"].pk]


# Archive addresses outside these years are bad input (and the date arithmetic of
# a day's bounds in Almaty would overflow at the ends of Python's calendar).
ARCHIVE_YEARS = range(1900, 9999)


class ArchiveMixin(PublicPageCacheMixin, EditionMixin):
    """A page of the archive by date: the date in its address, checked (an impossible
    date is a 404), and the edition's articles of that date. A date without news in
    the edition is a 404 too, so that crawlers find no endless empty calendar."""

    def archive_date(self):
        kwargs = self.kwargs
        if kwargs["year"] not in ARCHIVE_YEARS:
            raise Http404
        try:
            return datetime.date(kwargs["year"], kwargs.get("month", 1), kwargs.get("day", 1))
        except ValueError:
            raise Http404 from None

    def articles(self):
        return Article.objects.for_readers()

    def breadcrumbs(self, day, parts):
        return [
            {
                "name": capfirst(date_format(day, "Y" if part == "year" else "YEAR_MONTH_FORMAT")),
                "get_absolute_url": archive_url(day, part),
            }
            for part in parts
        ]


class ArchiveDayView(ArchiveMixin, ArticleListView):
    template_name = "news/archive_day.html"

    def get_queryset(self):
        return super().get_queryset().published_on(self.archive_date())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["articles"]:
            raise Http404
        day = self.archive_date()
        articles = self.articles()
        context.update(
            day=day,
            breadcrumbs=self.breadcrumbs(day, ("year", "month")),
            earlier=articles.nearest_day(day, later=False),
            later=articles.nearest_day(day, later=True),
            calendar=month_calendar(
                day.replace(day=1), articles.days_with_news(day.year, day.month), current=day
            ),
        )
        return context


class ArchiveMonthView(ArchiveMixin, TemplateView):
    template_name = "news/archive_month.html"

    def get_context_data(self, **kwargs):
        first = self.archive_date()
        articles = self.articles()
        days = articles.days_with_news(first.year, first.month)
        if not days:
            raise Http404
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        earlier = articles.nearest_day(first, later=False)
        later = articles.nearest_day(last, later=True)
        context = super().get_context_data(**kwargs)
        context.update(
            month=first,
            breadcrumbs=self.breadcrumbs(first, ("year",)),
            calendar=month_calendar(first, days),
            earlier=earlier and earlier.replace(day=1),
            later=later and later.replace(day=1),
        )
        return context


class ArchiveYearView(ArchiveMixin, TemplateView):
    template_name = "news/archive_year.html"

    def get_context_data(self, **kwargs):
        first = self.archive_date()
        articles = self.articles()
        with_news = set(articles.months_with_news(first.year))
        if not with_news:
            raise Http404
        earlier = articles.nearest_day(first, later=False)
        later = articles.nearest_day(first.replace(month=12, day=31), later=True)
        context = super().get_context_data(**kwargs)
        context.update(
            year=first,
            months=[
                (month, archive_url(month, "month") if month.month in with_news else None)
                for month in (first.replace(month=number) for number in range(1, 13))
            ],
            earlier=earlier,
            later=later,
        )
        return context


class ArticleView(PublicPageCacheMixin, EditionMixin, DetailView):
    template_name = "news/article.html"
    missing_template_name = "news/not_in_edition.html"
    context_object_name = "article"

    def readable(self, articles):
        """Those of `articles` this reader may open in the editions that have them."""
        return articles.published()

    def find(self, pk):
        """Article `pk` as its page shows it in this edition, or None."""
        return Article.page_for_readers(pk)

    def get_object(self, queryset=None):
        article = self.find(self.kwargs["pk"])
        if article is None:
            raise Http404
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.not_in_this_edition()
        if self.wants_canonical_address and kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    # Old or mistyped slugs lead to the article's one address.
    wants_canonical_address = True

    def not_in_this_edition(self):
        """A 404 that names the editions where this article can be read, if any."""
        article = (
            self.readable(Article.objects.all())
            .with_edition_flags()
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if article is None or not article.editions():
            raise Http404
        self.object = article
        urls = self.get_edition_urls()
        return TemplateResponse(
            self.request,
            self.missing_template_name,
            {
                "edition_urls": urls,
                "available": [(editions.get(code), url) for code, url in urls.items()],
                "page_not_found": True,
            },
            status=404,
        )

    def get_edition_urls(self):
        return edition_urls(self.object.get_absolute_url, self.object.editions())

    def lasting_keys(self):
        return article_parts.lasting_key_of(self.kwargs["pk"])

    def kept_parts(self, article):
        """The parts of the page kept across content generations, or None."""
        return article_parts.ArticleParts.of(article)

    def get_context_data(self, **kwargs):
        article = self.object
        parts = self.kept_parts(article)
        if parts is None or not parts.complete:
            article.read_tags_and_authors()
        return super().get_context_data(
            breadcrumbs=[*article.category.ancestors(), article.category],
            related=article.related_articles(),
            article_parts=parts,
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["article_parts"] is not None:
            response.add_post_render_callback(lambda _response: context["article_parts"].keep())
        return response


def preview_notice(article):
    """What the preview banner says about who can see `article`, in the active language."""
    match article.state:
        case Article.State.SCHEDULED:
            return _("Scheduled for %(time)s — readers cannot see this page until then") % {
                "time": date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            }
        case Article.State.PUBLISHED:
            return _("Preview of a published article — readers see it at its public address")
        case Article.State.DRAFT:
            return _("Draft — readers cannot see this page")
        case Article.State.UNPUBLISHED:
            return _("Unpublished — readers cannot see this page")
    return _("%(status)s — readers cannot see this page") % {"status": article.get_status_display()}


@method_decorator(never_cache, name="dispatch")
class PreviewView(ArticleView):
    """Any article of this edition, whatever its status, as readers will see it.

    Only for signed-in staff who may view articles; everyone else gets the same
    404 as for an article that does not exist, so previews reveal nothing.
    """

    def readable(self, articles):
        user = self.request.user
        if not (user.is_active and user.is_staff and user.has_perm("news.view_article")):
            raise Http404
        return articles

    def find(self, pk):
        return self.readable(Article.objects.all()).in_edition().for_page().filter(pk=pk).first()

    wants_canonical_address = False  # a preview's address has no slug

    def kept_parts(self, article):
        return None  # what it shows is not necessarily what readers see

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_edition_urls(self):
        return edition_urls(
            lambda: reverse("news:preview", kwargs={"pk": self.object.pk}), self.object.editions()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview_notice=preview_notice(self.object), **kwargs)


class SearchView(PublicPageCacheMixin, ArticleListView):
    # Kept per words and page (core.cache.PAGE_CACHE_PARAMETERS): readers search for the
    # same news at the same time.
    template_name = "news/search.html"
    max_query_length = 200
    # Readers are told how many articles matched.
    paginator_class = CappedPaginator

    def get_query(self):
        # No word holds a NUL, and PostgreSQL refuses one in text (a DataError, a 500).
        words = self.request.GET.get("q", "").replace("\x00", "")
        return " ".join(words.split())[: self.max_query_length]

    def get_queryset(self):
        query = self.get_query()
        if not search.is_searchable(query):
            return Article.objects.none()
        return search.readers_matching(query)

    def get_edition_urls(self):
        # The reader's words go along, so that the other edition searches for them at once.
        query = self.get_query()
        suffix = f"?{urlencode({'q': query})}" if query else ""
        return edition_urls(lambda: cached_reverse("news:search") + suffix)

    def get_context_data(self, **kwargs):
        query = self.get_query()
        context = super().get_context_data(
            query=query,
            searchable=search.is_searchable(query),
            highlight=search.highlighter(query, translation.get_language()),
            **kwargs,
        )
        self.found_any = bool(context["object_list"])
        return context

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if not getattr(self, "found_any", True) and hasattr(response, "page_cache_expires"):
            # Words that match nothing are not kept: made-up words by the thousand would
            # otherwise fill the cache with pages nobody asks for again.
            del response.page_cache_expires
        return response


PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def count_view(request, pk):
    """The page's beacon: POST from its script, GET with a token from its <noscript> image.

    Counting happens here rather than in the article view so that it still
    happens when the page itself is served from a cache; see news.counting for
    what counts. Apart from the rate limit's 429 it never fails loudly.
    """
    if counting.over_rate_limit(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = str(counting.RATE_WINDOW_SECONDS)
        return response
    edition = translation.get_language()
    try:
        if (
            counting.countable(request, pk, edition)
            and Article.objects.for_readers().filter(pk=pk).exists()
            and counting.first_read_today(request, pk)
        ):
            DailyViews.record(pk, edition)
    except DatabaseError:
        logger.exception("could not count a view of article %s", pk)
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponse(PIXEL, content_type="image/gif")
