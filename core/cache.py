"""Caching of what readers see, invalidated by content changes, never fatal.

Every cached value's key carries the current *content generation*, a number
that any save or delete in the newsroom or widgets replaces (see
`core.signals`). Bumping it makes all earlier entries unreachable at once,
so an editor's change shows on the next request, without tracking which pages
showed what. If the cache backend is down, everything is computed afresh.

Every use of the cache on the reader's path goes through this module, whose
helpers turn a backend failure into "not cached" instead of an error.
"""

import contextvars
import datetime
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"


def _quietly(operation, default=None):
    try:
        return operation()
    except Exception:  # any backend error (Redis down, timeouts): degrade to no caching
        logger.warning("cache unavailable", exc_info=True)
        return default


# One page render reads the generation once and each cached fragment at most once:
# {"generation": …, "values": {key: value}} while PublicPageCacheMixin renders a page,
# so a page costs one cache round trip per fragment, not two per use of one, and one
# for all the fragments registered with page_fragment.
_page_render = contextvars.ContextVar("page_render", default=None)


def generation():
    """The current content generation, or None when the cache is unreachable."""
    render = _page_render.get()
    if render is not None:
        return render["generation"]
    value = _quietly(lambda: cache.get(GENERATION_KEY))
    if value is None:
        value = time.time_ns()
        if not _quietly(lambda: cache.add(GENERATION_KEY, value, None), default=False):
            value = _quietly(lambda: cache.get(GENERATION_KEY))
    return value


def bump_generation():
    _page_render.set(None)  # a page being rendered stops reading the old generation's values
    _quietly(lambda: cache.set(GENERATION_KEY, time.time_ns(), None))


def changed_at():
    """When the current content generation started (now if the cache is unreachable)."""
    current = generation()
    seconds = current / 1e9 if current is not None else time.time()
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def get_many(keys):
    """{key: value} of the `keys` the cache holds; {} when it is unreachable."""
    return _quietly(lambda: cache.get_many(keys), default={})


def set_many(values, timeout):
    _quietly(lambda: cache.set_many(values, timeout))


def add(key, value, timeout):
    """True if `key` was absent and is now set, False if present, None if the cache failed."""
    return _quietly(lambda: cache.add(key, value, timeout))


def hits(key, period):
    """How many times `hits` was called for `key` in the current `period` seconds window.

    None when the cache is unreachable. Windows are fixed slices of the clock: the
    file cache's incr() renews an entry's expiry, so a window that started at the
    first hit would stretch for as long as the hits kept coming.
    """
    window_key = f"{key}:{time.time() // period}"

    def count():
        if cache.add(window_key, 1, period):
            return 1
        try:
            return cache.incr(window_key)
        except ValueError:  # evicted between add and incr: count afresh
            cache.add(window_key, 1, period)
            return 1

    return _quietly(count)


def cached(key, compute, timeout, expires=None):
    """`compute()`, kept for `timeout` seconds or until the content changes.

    `expires(value)`: the moment a value goes stale with no write to say so (a
    scheduled article coming out; None: never); a stored value past it is computed
    and stored afresh.
    """
    current = generation()
    if current is None:
        return compute()
    full_key = f"{key}:g{current}"
    render = _page_render.get()
    if render is not None and full_key in render["values"]:
        value = render["values"][full_key]
    else:
        value = _quietly(lambda: cache.get(full_key))
    if value is not None and expires is not None:
        moment = expires(value)
        if moment is not None and moment <= datetime.datetime.now(tz=datetime.UTC):
            value = None
    if value is None:
        value = compute()
        _quietly(lambda: cache.set(full_key, value, timeout))
    if render is not None:
        render["values"][full_key] = value
    return value


# key(code) of each fragment nearly every page of edition `code` shows (page_fragment).
_page_fragments = []


def page_fragment(make_key):
    """Register `make_key(code)`: the key (as given to `cached`) of a fragment nearly every
    page of edition `code` shows. A page render fetches them all in one round trip."""
    _page_fragments.append(make_key)
    return make_key


def _fragments_of_page(current):
    """{full key: value} of the registered fragments the cache holds, for a page render."""
    code = translation.get_language()
    keys = [f"{make_key(code)}:g{current}" for make_key in _page_fragments]
    return get_many(keys) if keys else {}


# The moments at which what the page being rendered shows changes by itself (an
# expiry that no write announces); None outside a page-cache render.
_changes_at = contextvars.ContextVar("page_changes_at", default=None)


def changes_at(moment):
    """Tell the page cache that the page being rendered changes by itself at `moment`.

    Saves start a new content generation, but an expiry (a front-page choice, a
    breaking-news banner) passes without any write: the cached page must not
    outlive it. None (never expires) is ignored.
    """
    moments = _changes_at.get()
    if moments is not None and moment is not None:
        moments.append(moment)


class PublicPageCacheMixin:
    """Serve anonymous readers a cached copy of the page; never cache for staff.

    Responses say `Cache-Control: public, max-age=…` so a CDN may hold them
    briefly too. Reads are still counted: the page's beacon is a separate request.
    """

    page_cache_parameters = ("page",)

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = super().dispatch(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        current = generation()
        # Only parameters that change the page make a key of their own, so that
        # junk query strings (?utm_…=…) cannot fill the cache with copies.
        meaningful = sorted(
            (name, value)
            for name, value in request.GET.items()
            if name in self.page_cache_parameters
        )
        digest = hashlib.sha256(repr((request.path, meaningful)).encode()).hexdigest()
        key = f"page:{digest}:g{current}" if current is not None else None
        page = _quietly(lambda: cache.get(key)) if key else None
        if page is not None and _seconds_left(page) <= 0:
            page = None  # something it shows has expired since it was stored
        if page is None:
            render = _page_render.set(
                {"generation": current, "values": _fragments_of_page(current)}
                if current is not None
                else None
            )
            try:
                page = self._render_for_cache(request, *args, **kwargs)
            finally:
                _page_render.reset(render)
            if page is None:
                return self._response
            if key and _seconds_left(page) > 0:
                timeout = math.ceil(_seconds_left(page))
                _quietly(lambda: cache.set(key, page, timeout))
        status, content_type, location, content, *_expiry = page
        response = HttpResponse(content, status=status, content_type=content_type)
        if location:
            response["Location"] = location
        patch_cache_control(response, public=True, max_age=max(0, int(_seconds_left(page))))
        return response

    def _render_for_cache(self, request, *args, **kwargs):
        """The page as a picklable tuple; None (and self._response) if it must not be cached."""
        moments = _changes_at.set([])
        try:
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            expires = min(_changes_at.get(), default=None)
        finally:
            _changes_at.reset(moments)
        if response.status_code not in (200, 301) or response.cookies or response.streaming:
            self._response = response
            return None
        return (
            response.status_code,
            response["Content-Type"],
            response.get("Location"),
            response.content,
            expires.timestamp() if expires else None,
        )


def _seconds_left(page):
    """How long a stored page may still be served: PAGE_CACHE_SECONDS at most, and
    never past the first expiry it shows. Entries stored before expiries were kept
    have four fields."""
    expires = page[4] if len(page) > 4 else None
    if expires is None:
        return settings.PAGE_CACHE_SECONDS
    return min(settings.PAGE_CACHE_SECONDS, expires - time.time())
