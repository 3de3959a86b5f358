"""reverse() for the addresses pages repeat in every list: remembered per worker.

A listing links each article, its day in the archive and its subjects, and a
reverse() costs more than rendering the link around it. Addresses depend only on
the URLconf, the active edition (the prefix) and the script prefix, which are part
of the key, so a changed URLconf or prefix never returns an old address.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation

# Enough for the articles, days and subjects of the pages read most, in every edition.
MAX_ADDRESSES = 20_000


@functools.lru_cache(maxsize=MAX_ADDRESSES)
def _reverse(resolver, language, prefix, viewname, kwargs):
    return reverse(viewname, kwargs=dict(kwargs))


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered; kwargs must be hashable."""
    language = translation.get_language()
    if language is None:  # translations deactivated: the prefix comes from settings
        return reverse(viewname, kwargs=kwargs)
    return _reverse(
        get_resolver(get_urlconf()),
        language,
        get_script_prefix(),
        viewname,
        tuple(sorted(kwargs.items())),
    )
