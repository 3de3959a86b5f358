"""Pagination that never counts a whole table.

A listing in a million-article archive would otherwise run COUNT(*) over
every matching row on every request. Listings (category, tag, author) do not
count at all: a page reads one row more than it shows to know whether an
older page exists. Search counts, but stops after MAX_PAGES pages. Beyond
MAX_PAGES pages, readers are pointed to search for older news. The admin's
article list counts exactly up to a cap and estimates beyond it.
"""

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

MAX_PAGES = 100
# What kept_pages' page_ids says of a page after the listing's end.
PAST_END = object()
# Listings' pages are found and kept this many at a time (kept_pages).
PAGES_PER_WALK = 5


class CappedPaginator(Paginator):
    """Counts matches, but no further than MAX_PAGES pages (search results)."""

    counts = True

    @cached_property
    def count(self):
        if hasattr(self.object_list, "count_up_to"):  # news.search.RankedMatches
            return self.object_list.count_up_to(self.cap + 1)
        # Unordered, so that the database may stop at the cap without sorting every match.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)

    @property
    def cap(self):
        return MAX_PAGES * self.per_page

    @property
    def is_capped(self):
        return self.count > self.cap


class ArchivePage(Page):
    def __init__(self, object_list, number, paginator, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more and self.number < MAX_PAGES

    @property
    def reaches_cap(self):
        """The last page listed, with older news still behind it."""
        return self.more and self.number >= MAX_PAGES


class ArchivePaginator(Paginator):
    """Newest-first listings: no COUNT, one extra row per page instead.

    `page_ids(number)`, if given, tells which articles a page shows (their pks, and the
    next page's first if there is one; PAST_END if the listing ends before it), and
    `read_ids(pks)` reads those of them readers can reach, newest first: a few rows
    found by their keys (kept_pages), where OFFSET walks every newer article and a
    listing's own query may pass over hundreds of other articles to find its page.
    Without them, `read_page()`, if given, reads page 1's rows (per_page + 1) faster
    than the queryset would (Article.listing_page), and deeper pages are read with OFFSET.
    """

    counts = False

    def __init__(self, *args, read_page=None, page_ids=None, read_ids=None, **kwargs):
        self.read_page = read_page
        self.page_ids = page_ids
        self.read_ids = read_ids
        super().__init__(*args, **kwargs)

    @property
    def num_pages(self):
        return MAX_PAGES  # only used for ?page=last; an empty page answers 404

    def _check_object_list_is_ordered(self):
        # With read_page, the listing is newest first by construction (for_listing()),
        # and asking would build the queryset that read_page spares.
        if self.read_page is None:
            super()._check_object_list_is_ordered()

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= MAX_PAGES:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        ids = self.page_ids(number) if self.page_ids and self.read_ids else None
        if ids is PAST_END:
            raise EmptyPage("That page contains no results")
        if ids is not None:
            rows = self.read_ids(ids[: self.per_page]) if ids else []
            more = len(ids) > self.per_page
        else:
            rows = self.read_rows(number)
            more = len(rows) > self.per_page
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return ArchivePage(rows[: self.per_page], number, self, more)

    def read_rows(self, number):
        """Page `number`'s rows and one more, without page_ids."""
        if self.read_page and number == 1:
            return self.read_page()
        bottom = (number - 1) * self.per_page
        return list(self.object_list[bottom : bottom + self.per_page + 1])


class LargeTablePaginator(Paginator):
    """The admin's article list: an exact count only where it is cheap.

    COUNT(*) over a million articles reads every row on every view of the list.
    This counts at most EXACT_UP_TO + 1 matches (a LIMITed subquery); when there are
    more, PostgreSQL's planner estimate of the query's rows stands in for the count
    (`estimated` is then true and the list says "about"). SQLite has no estimate: there
    the count stops at the cap and the list says "more than".
    """

    EXACT_UP_TO = 10_000

    @cached_property
    def _counted(self):
        """(count, how): how is "exact", "estimated" or "capped" (no estimate to be had)."""
        capped = self.object_list.order_by()[: self.EXACT_UP_TO + 1].count()
        if capped <= self.EXACT_UP_TO:
            return capped, "exact"
        estimate = planner_estimate(self.object_list.order_by())
        if estimate is None:
            return capped, "capped"
        return max(estimate, capped), "estimated"

    @property
    def count(self):
        return self._counted[0]

    @property
    def estimated(self):
        return self._counted[1] == "estimated"

    @property
    def capped(self):
        """More than EXACT_UP_TO matches, and no estimate of how many."""
        return self._counted[1] == "capped"


def planner_estimate(queryset):
    """The rows PostgreSQL's planner expects `queryset` to return; None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def kept_pages(listing, per_page, walk, read_first, read_ids):
    """ArchivePaginator's page_ids and read_ids for newest-first `listing` (an
    ArticleQuerySet), from what `walk(run, find)` keeps (a cache until content changes)
    of each run of pages: run FIRST_PAGE is page 1, run N pages 2 + N * PAGES_PER_WALK
    and the PAGES_PER_WALK after it. Kept per page: its start and its articles' pks, and
    the next page's first.

    Page 1 is found by `read_first()` (its rows and one more), which then answer this
    request too. Later runs are found by one walk of (published_at, pk) from the start
    of the run before's last page: a deep page then reads like page 1, where OFFSET
    walked every newer article (page 19 of a tag, at a million articles: 17 ms).
    `read_ids(pks)` reads the rows of a page whose pks are kept."""
    read_now = {}  # the first page's pks: its rows, read while finding them

    def run_pages(run):
        """[(start, pks)] of the pages of `run`, as many of them as the listing has."""

        def find():
            if run == FIRST_PAGE:
                rows = read_first()
                read_now[tuple(row.pk for row in rows[:per_page])] = rows
                return pages_of([(row.published_at, row.pk) for row in rows], 0, 1)
            if run == 0:
                rows = listing
            else:
                before = run_pages(run - 1)
                if len(before) < PAGES_PER_WALK or len(before[-1][1]) <= per_page:
                    return []  # the listing ends in an earlier run
                rows = listing.from_position(*before[-1][0])
            # The first rows are the page before the run (page 1, or the previous run's
            # last page); each next per_page of them is a page of the run.
            walked = rows.values_list("published_at", "pk")[: (PAGES_PER_WALK + 1) * per_page + 1]
            return pages_of(list(walked), per_page, PAGES_PER_WALK)

        return walk(run, find)

    def pages_of(positions, first, count):
        """The first `count` pages in `positions` from index `first` on: (start, pks)."""
        tops = range(first, min(len(positions), first + count * per_page), per_page)
        pages = [
            (positions[top], [pk for _published_at, pk in positions[top : top + per_page + 1]])
            for top in tops
        ]
        return pages or [(None, [])]

    def page(number):
        if number == 1:
            return run_pages(FIRST_PAGE)[0]
        run, index = page_run(number), (number - 2) % PAGES_PER_WALK
        pages = run_pages(run)
        return pages[index] if index < len(pages) else None

    def page_ids(number):
        found = page(number)
        return PAST_END if found is None else found[1]

    def read_kept(pks):
        rows = read_now.pop(tuple(pks), None)
        return rows if rows is not None else read_ids(pks)

    return page_ids, read_kept


# kept_pages' run of page 1 alone (the newest articles, read as often as all others).
FIRST_PAGE = "first"


def page_run(number):
    """Which run of kept pages (kept_pages) holds page `number`."""
    return FIRST_PAGE if number == 1 else (number - 2) // PAGES_PER_WALK
