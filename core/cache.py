"""Caching of what readers see, invalidated by content changes, never fatal.

Every cached value's key (or, for pages, the entry itself) carries the current
*content generation*, a number that any change readers can see replaces (see
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
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

from core.memo import locale_of_page

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"

# How long past its time a cached page may still answer while one request renders it
# afresh (PageCacheMiddleware): many readers of a page, or a whole listing's pages
# stored together, then cost one render at their expiry, not one per reader.
STALE_SECONDS = 10


def _quietly(operation, default=None):
    try:
        return operation()
    except Exception:  # any backend error (Redis down, timeouts): degrade to no caching
        logger.warning("cache unavailable", exc_info=True)
        return default


# One page render reads the generation once and each cached fragment at most once:
# {"generation": …, "values": {key: value}} while PublicPageCacheMixin renders a page,
# so a page costs one cache round trip per fragment, not two per use of one, and one
# for all the fragments registered with page_fragment. A generation of None (the cache
# unreachable) holds for the whole render.
_page_render = contextvars.ContextVar("page_render", default=None)


def generation():
    """The current content generation, or None when the cache is unreachable."""
    render = _page_render.get()
    if render is not None:
        return render["generation"]
    return _generation_at(GENERATION_KEY)


def _generation_at(key):
    """The generation stored at `key`, started now if there is none; None when the cache
    is unreachable."""
    value = _quietly(lambda: cache.get(key))
    if value is None:
        value = new_generation()
        if not _quietly(lambda: cache.add(key, value, None), default=False):
            value = _quietly(lambda: cache.get(key))
    return value


def new_generation():
    """A generation that says when it started (to the microsecond) and is never another's,
    even one started at the same moment (a frozen clock in tests, another machine)."""
    return time.time_ns() // 1000 * 1000 + secrets.randbelow(1000)


def bump_generation():
    _page_render.set(None)  # a page being rendered stops reading the old generation's values
    _quietly(lambda: _announce(GENERATION_KEY, new_generation()))


# Redis announces each new content generation to every worker (core.redis_cache.Watch):
# a page-cache hit on a worker's own copy then asks Redis nothing. Other backends are
# asked each time.


def _announce(key, value):
    """Set `key` for good and tell every process, where the backend can."""
    if hasattr(cache, "announce"):
        cache.announce(key, value)
    else:
        cache.set(key, value, None)


def _announced(key):
    """`key`'s value as announced to this process and still trusted, or None: ask."""
    if not hasattr(cache, "announced"):
        return None
    return _quietly(lambda: cache.announced(key))


def _confirm(key, value):
    """What the cache answered for `key` just now, for the next _announced(key)."""
    if hasattr(cache, "confirm"):
        _quietly(lambda: cache.confirm(key, value))


# Markup kept across content generations (news.article_parts) shows the names of
# categories, tags and authors and the body pictures: a change to one of those starts
# a new *labels generation* instead, which makes all such markup unreachable at once.
LABELS_GENERATION_KEY = "labels-generation"


def labels_generation():
    """The current labels generation, or None when the cache is unreachable."""
    return lasting_generation(LABELS_GENERATION_KEY)


def bump_labels_generation():
    bump_lasting_generation(LABELS_GENERATION_KEY)


def lasting_generation(key):
    """The generation at `key` (one that no content generation ends, as the labels
    generation), read with the page's fragments when the page asked for it; None when
    the cache is unreachable."""
    render = _page_render.get()
    if render is not None and render["generation"] is None:
        return None
    return lasting(key) or _generation_at(key)


def bump_lasting_generation(key):
    _quietly(lambda: cache.set(key, new_generation(), None))


def lasting(key):
    """The cache's value at `key`, which no content generation ends (None: none, or the
    cache unreachable); read with the page's fragments when the page asked for it
    (PublicPageCacheMixin.lasting_keys)."""
    render = _page_render.get()
    if render is not None:
        if render["generation"] is None:
            return None
        if key in render["values"]:
            return render["values"][key]
    return _quietly(lambda: cache.get(key))


def keep_lasting(key, value, timeout):
    _quietly(lambda: cache.set(key, value, timeout))


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


def _fragments_of_page(current, own_keys=(), lasting_keys=()):
    """{full key: value, or None if the cache has none} of the registered fragments, of
    the page's `own_keys` (as given to `cached`) and of its `lasting_keys` (as given to
    `lasting`), for a page render: what is missing is computed without asking again."""
    code = translation.get_language()
    keys = [make_key(code) for make_key in _page_fragments] + list(own_keys)
    full_keys = [f"{key}:g{current}" for key in keys] + list(lasting_keys)
    found = get_many(full_keys) if full_keys else {}
    return {key: found.get(key) for key in full_keys}


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


# Query parameters that change a page (a listing's page, the words searched for); any
# other (?utm_…=…) shares the page's copy, so junk query strings cannot fill the cache.
PAGE_CACHE_PARAMETERS = ("page", "q")


def page_key(request):
    meaningful = sorted(
        (name, value) for name, value in request.GET.items() if name in PAGE_CACHE_PARAMETERS
    )
    return "page:" + hashlib.sha256(repr((request.path, meaningful)).encode()).hexdigest()


class PageCacheMiddleware:
    """Answer anonymous readers' page views from the page cache, with one cache round trip
    at most: none for a page the worker holds, of the generation Redis announced to it.

    Placed before the session, CSRF, sign-in, messages and lockout middleware: a
    request without a session cookie is nobody's in particular, so a page stored for
    one such reader serves the next as it is. On the way out it stores the pages
    PublicPageCacheMixin marked, with the headers the inner middleware added, so a
    hit answers exactly as the view and that middleware did. Each entry records the
    content generation it was rendered in and is served only in that generation.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Pages live under an edition's prefix: /healthz, feeds, sitemaps pay no lookup.
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not request.path.startswith(self.prefixes)
        ):
            return self.get_response(request)
        request.get_host()  # a Host not in ALLOWED_HOSTS is refused here as on a miss
        key = page_key(request)
        copy = local_copies.get(key)
        # A copy at hand, of the generation announced to this worker: no round trip.
        if copy is not None and _servable(copy, _announced(GENERATION_KEY)):
            return _replay(copy)
        # With a copy at hand, only the generation is asked for: a page is tens of
        # kilobytes, half the time of a hit to fetch.
        found = _quietly(
            lambda: cache.get_many([GENERATION_KEY] if copy else [GENERATION_KEY, key])
        )
        if found is None:
            # The cache is unreachable: the rest of this request stops asking it, rather
            # than paying a failed call (a timeout, if Redis hangs) for each fragment.
            unreachable = _page_render.set({"generation": None, "values": {}})
            try:
                return self.get_response(request)
            finally:
                _page_render.reset(unreachable)
        current = found.get(GENERATION_KEY)
        _confirm(GENERATION_KEY, current)
        if copy is not None:
            if _servable(copy, current):
                return _replay(copy)
            local_copies.discard(key)  # of another generation: the cache may hold this one's
            found = _quietly(lambda: cache.get_many([key])) or {}
        page = found.get(key)
        if _servable(page, current):
            local_copies.put(key, page)
            return _replay(page)
        renewing = None
        if _stale_servable(page, current):
            renewing = f"renewing:{key}"
            if add(renewing, 1, STALE_SECONDS) is False:
                # Another request is rendering it afresh: this one need not wait, nor
                # render it too (every reader of a popular page would, at its expiry).
                return _replay(page, stale=True)
        request.content_generation = current
        response = self.get_response(request)
        # Unmarked responses expired long ago. Whole seconds, rounded down: a stored
        # copy never outlives the first expiry it shows.
        expires = getattr(response, "page_cache_expires", 0)
        seconds = int(min(_seconds_left(expires), _kept_for(key)))
        if seconds > 0 and _storable(response):
            current = current or generation()
            if current is not None:
                page = (
                    current,
                    response.status_code,
                    list(response.items()),
                    response.content,
                    expires,
                    time.time() + seconds,  # when the cache drops it: a copy does too
                )
                # Kept STALE_SECONDS longer: see _stale_servable.
                _quietly(lambda: cache.set(key, page, seconds + STALE_SECONDS))
                local_copies.put(key, page)
        if renewing:
            # Renewed (or found not to be kept): the next time it is late, or if it was
            # not stored, the next request renders it again.
            _quietly(lambda: cache.delete(renewing))
        return response


def _kept_for(key):
    """The longest the page stored at `key` is kept: PAGE_CACHE_SECONDS less up to a
    quarter of it, in whole seconds, drawn from the key. Pages stored in one burst (a
    crawler walking a listing's pages, the first readers after an edit) then expire over
    seconds, not in the same one, where each would be rendered again at once."""
    spread = settings.PAGE_CACHE_SECONDS // 4
    return settings.PAGE_CACHE_SECONDS - int(key[-8:], 16) % (spread + 1)


def _servable(page, current):
    """Whether a stored entry may answer now: of this generation, with time left. The
    backend's expiry rounds to seconds and runs on its own clock, so the moment the page
    changes by itself is checked here too."""
    return _of_generation(page, current) and _seconds_left(page[4]) > 0 and page[5] > time.time()


def _of_generation(page, current):
    """Whether a stored entry has this release's shape (another release's entry is a
    miss, not an error) and was rendered in generation `current`."""
    return isinstance(page, tuple) and len(page) == 6 and page[0] == current


def _stale_servable(page, current):
    """Whether an entry past its PAGE_CACHE_SECONDS may still answer while one request
    renders its page afresh: of this generation, its page unchanged (no expiry it shows
    has come), and at most STALE_SECONDS late. So it is as true as when it was fresh,
    but for what changes with no write and no announced moment (the most read list)."""
    return _of_generation(page, current) and min(page[4], page[5] + STALE_SECONDS) > time.time()


def _replay(page, stale=False):
    _generation, status, headers, content, expires, _dropped = page
    response = HttpResponse(content, status=status, headers=dict(headers))
    # A late copy is not for shared caches to keep: the next request may be fresher.
    patch_cache_control(response, max_age=0 if stale else int(_seconds_left(expires)))
    return response


class PublicPageCacheMixin:
    """Mark anonymous readers' pages for PageCacheMiddleware to keep; never staff's.

    Responses say `Cache-Control: public, max-age=…` so a CDN may hold them
    briefly too. Reads are still counted: the page's beacon is a separate request.
    """

    def page_cache_keys(self):
        """Keys (as given to `cached`) of what this page keeps for itself: fetched with
        the fragments every page shows, in the same round trip."""
        return []

    def lasting_keys(self):
        """Keys (as given to `lasting`) of what this page keeps beyond the content
        generation: fetched in the same round trip too."""
        return []

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = super().dispatch(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # The generation the middleware read with its lookup, else one read; then every
        # fragment the page shows is read once for the whole render.
        current = getattr(request, "content_generation", None) or generation()
        # With the cache unreachable (None) the render stops asking it: each fragment is
        # computed, rather than each paying for another failed call.
        render = _page_render.set(
            {
                "generation": current,
                "values": (
                    _fragments_of_page(current, self.page_cache_keys(), self.lasting_keys())
                    if current is not None
                    else {}
                ),
            }
        )
        moments = _changes_at.set([])
        try:
            with locale_of_page():
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            expires = min(_changes_at.get(), default=None)
        finally:
            _changes_at.reset(moments)
            _page_render.reset(render)
        if _storable(response):
            # When the page stops being true by itself; never, if nothing it shows expires.
            response.page_cache_expires = expires.timestamp() if expires else math.inf
            seconds = max(0, int(_seconds_left(response.page_cache_expires)))
            patch_cache_control(response, public=True, max_age=seconds)
        return response


class LocalCopies:
    """The pages this process served lately, up to `max_bytes` of content, newest kept:
    served again, as the cache's own entries are, only in their content generation and
    before their time is up, so a hit needs only the generation from the cache."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()  # the development server serves from threads

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        if len(page[3]) > self.max_bytes // 8:  # a rare large page would push out many
            return
        with self.lock:
            self._remove(key)
            self.pages[key] = page
            self.size += len(page[3])
            while self.size > self.max_bytes:
                self._remove(next(iter(self.pages)))

    def discard(self, key):
        with self.lock:
            self._remove(key)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0

    def _remove(self, key):
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= len(page[3])


# 16 MB: a few hundred pages per worker, well inside its memory budget.
local_copies = LocalCopies(16 * 1024 * 1024)


def _storable(response):
    """Whether the response may be shared: a page or a permanent redirect, no cookie."""
    return response.status_code in (200, 301) and not response.cookies and not response.streaming


def _seconds_left(expires):
    """How long a page stored now may be served: PAGE_CACHE_SECONDS at most, and
    never past `expires`, the first expiry it shows (a timestamp, or inf)."""
    return min(settings.PAGE_CACHE_SECONDS, expires - time.time())
