"""Remembering, per worker, what pages repeat in every list and cost more than the
markup around them: addresses (reverse()) and formatted dates of articles.

A value depends only on its arguments and the locale it is made in: the URLconf,
the active edition (the address prefix, the date formats and month names), the script
prefix and the time zone. All four are part of the key, so a changed URLconf, prefix
or edition never gets another one's value; while a page renders (locale_of_page), all
but the edition are read once for the whole page.
"""

import contextlib
import contextvars
import functools
import sys
import threading

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation

# Per function: enough for the articles of the pages read most, in every edition, in a
# few megabytes.
MAX_ENTRIES = 10_000

# The URLconf, script prefix and time zone of the page being rendered (locale_of_page).
# Each costs microseconds to read (asgiref's Local, an exception when unset): more than
# a remembered value, read for each of a page's fifty addresses and dates.
_page_locale = contextvars.ContextVar("page_locale", default=None)


def _locale_but_language():
    return (get_resolver(get_urlconf()), get_script_prefix(), timezone.get_current_timezone_name())


@contextlib.contextmanager
def locale_of_page():
    """Within: the URLconf, script prefix and time zone are read once. A page render
    sets none of them (the request did before); it may change the language (the
    edition switcher does), which is still read at each call."""
    token = _page_locale.set(_locale_but_language())
    try:
        yield
    finally:
        _page_locale.reset(token)


def remembered(function):
    """`function`, remembered per locale; its arguments must be hashable."""

    @functools.lru_cache(maxsize=MAX_ENTRIES)
    def in_locale(locale, args, kwargs):
        return function(*args, **dict(kwargs))

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        language = translation.get_language()
        if language is None:  # translations deactivated: prefix and formats come from settings
            return function(*args, **kwargs)
        locale = (language, _page_locale.get() or _locale_but_language())
        return in_locale(locale, args, tuple(sorted(kwargs.items())) if kwargs else ())

    wrapper.cache_clear = in_locale.cache_clear
    return wrapper


@remembered
def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered; kwargs must be hashable."""
    return reverse(viewname, kwargs=kwargs)


class BoundedMemo:
    """Values this process computed, by key, up to `max_bytes` of them (as sys.getsizeof
    counts), the oldest forgotten first: for values whose key says all they depend on
    (an article's version, say), so that nothing expires them but room."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.values = {}
        self.size = 0
        self.lock = threading.Lock()  # the development server serves from threads

    def get(self, key, compute):
        value = self.values.get(key)
        if value is None:
            value = compute()
            with self.lock:
                if key not in self.values:
                    self.values[key] = value
                    self.size += sys.getsizeof(value)
                while self.size > self.max_bytes:
                    self.size -= sys.getsizeof(self.values.pop(next(iter(self.values))))
        return value

    def clear(self):
        with self.lock:
            self.values.clear()
            self.size = 0
