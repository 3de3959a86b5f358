"""Pagination that never counts a whole table.

A listing in a million-article archive would otherwise run COUNT(*) over
every matching row on every request. Counting stops after MAX_PAGES pages;
the last page then points readers to search for older news.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 100


class CappedPaginator(Paginator):
    @cached_property
    def count(self):
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)

    @property
    def cap(self):
        return MAX_PAGES * self.per_page

    @property
    def is_capped(self):
        return self.count > self.cap
