"""Remembering, per worker, what pages repeat in every list and cost more than the
markup around them: addresses (reverse()) and formatted dates of articles.

A value depends only on its arguments and the locale it is made in: the URLconf,
the active edition (the address prefix, the date formats and month names), the script
prefix and the time zone. All four are part of the key, so a changed URLconf, prefix
or edition never gets another one's value.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation

# Per function: enough for the articles of the pages read most, in every edition, in a
# few megabytes.
MAX_ENTRIES = 10_000


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
        locale = (
            get_resolver(get_urlconf()),
            language,
            get_script_prefix(),
            timezone.get_current_timezone_name(),
        )
        return in_locale(locale, args, tuple(sorted(kwargs.items())))

    wrapper.cache_clear = in_locale.cache_clear
    return wrapper


@remembered
def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered; kwargs must be hashable."""
    return reverse(viewname, kwargs=kwargs)
