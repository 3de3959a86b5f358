"""What feeds, sitemaps and page metadata share: hreflang alternates and HTTP caching."""

import hashlib
import math
import time
import zlib
from datetime import datetime
from functools import wraps

from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from core import cache, editions

# Feeds and sitemaps may be reused by caches and crawlers for this long.
MAX_AGE_SECONDS = 300
# A rendered feed or sitemap is kept this long at most (a new generation drops it sooner).
KEEP_SECONDS = 24 * 60 * 60


def w3c(moment):
    """A moment as W3C/ISO 8601 in the agency's zone (sitemaps, JSON-LD), None for None."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def hreflang_alternates(urls):
    """[(hreflang, url)] for the editions in `urls` ({code: absolute url}), plus x-default.

    x-default is the default edition's version where the page exists there,
    otherwise the first edition in the table that has it.
    """
    links = [
        (edition.bcp47, urls[edition.code]) for edition in editions.EDITIONS if edition.code in urls
    ]
    if links:
        default = urls.get(editions.DEFAULT) or links[0][1]
        links.append(("x-default", default))
    return links


def freshness(*querysets):
    """What changes when readers see a change in `querysets` without any save (a
    scheduled article whose time comes, a bulk update): the newest update and publish
    time of each, read from their indexes (one query each, never a scan)."""
    marks = []
    for rows in querysets:
        latest = rows.aggregate(updated=Max("updated_at"), published=Max("published_at"))
        marks += [latest["updated"], latest["published"]]
    return marks


def cacheable(marks, parameters=()):
    """Serve the view's bytes from the cache, with ETag and Last-Modified, answering 304.

    The rendered response is kept per URL (and its `parameters`) under the content
    generation (core.cache) and `marks(request, **kwargs)`, a cheap list of values that
    change when readers see a change no save announced (freshness()). The ETag is a
    digest of the marks, the last rename of a subject and the bytes, so a save readers
    cannot see (a draft), which starts a new generation, renders the same bytes again
    and keeps the ETag; and Last-Modified stays that of the first response with them.
    """

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            current = [*marks(request, **kwargs), _subjects_stamp()]
            # Only parameters that change the response make a key of their own.
            url = repr((request.path, [(name, request.GET.get(name)) for name in parameters]))
            generation = cache.generation()
            digest = hashlib.sha256(repr((url, current, generation)).encode()).hexdigest()
            # The headers apart from the bytes (megabytes for a sitemap page), so that a
            # 304 reads only them.
            head_key, body_key = f"discovery-head:{digest}", f"discovery-body:{digest}"
            head = cache.get_many([head_key]).get(head_key) if generation else None
            if head is not None:
                response = _conditional(request, head, b"")
                if response.status_code == 304:
                    return response
                packed = cache.get_many([body_key]).get(body_key)
                if packed is not None:
                    return _conditional(request, head, zlib.decompress(packed))
            moments = cache._changes_at.set([])  # as the page cache: see core.cache.changes_at
            try:
                head, body = _render(view, request, args, kwargs, url, current)
                expires = min(cache._changes_at.get(), default=None)
            finally:
                cache._changes_at.reset(moments)
            keep = KEEP_SECONDS
            if expires is not None:
                keep = min(keep, math.ceil((expires - timezone.now()).total_seconds()))
            if generation and keep > 0:
                # Compressed: XML shrinks tenfold, and a generation's sitemap pages
                # would otherwise hold more than a gigabyte at a million articles.
                cache.set_many({head_key: head, body_key: zlib.compress(body, 1)}, keep)
            return _conditional(request, head, body)

        return cached_view

    return decorator


# Renaming a category, tag or author is a change readers see in feeds (and in
# sitemaps when it adds an edition) that no article's dates show.
SUBJECTS_KEY = "discovery-subjects"


def subjects_changed(sender, **kwargs):
    cache.set_many({SUBJECTS_KEY: time.time_ns()}, None)


def _subjects_stamp():
    return cache.get_many([SUBJECTS_KEY]).get(SUBJECTS_KEY)


def _render(view, request, args, kwargs, url, current):
    """((content type, extra headers, ETag, Last-Modified timestamp), bytes) of the view."""
    response = view(request, *args, **kwargs)
    if hasattr(response, "render"):
        response.render()
    etag = hashlib.sha256(repr(current).encode() + response.content).hexdigest()[:32]
    # When these bytes were first served, remembered past the generations drafts start.
    seen_key = "discovery-seen:" + hashlib.sha256(url.encode()).hexdigest()
    seen = cache.get_many([seen_key]).get(seen_key)
    if seen and seen[0] == etag:
        modified = seen[1]
    else:
        moments = [cache.changed_at(), *(m for m in current if isinstance(m, datetime))]
        modified = min(max(moments), timezone.now()).timestamp()
        cache.set_many({seen_key: (etag, modified)}, None)
    headers = {name: response[name] for name in ("X-Robots-Tag",) if name in response}
    return (response["Content-Type"], headers, etag, modified), response.content


def _conditional(request, head, content):
    """The response, or 304 if the request's ETag or date says the client has it."""
    content_type, headers, etag, modified = head
    response = HttpResponse(content, content_type=content_type, headers=headers)
    response["ETag"] = quote_etag(etag)
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=int(modified), response=response
    )
