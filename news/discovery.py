"""What feeds, sitemaps and page metadata share: hreflang alternates and HTTP caching."""

import hashlib
from functools import wraps

from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from core import cache, editions

# Feeds and sitemaps may be reused by caches and crawlers for this long.
MAX_AGE_SECONDS = 300


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


def freshness(articles):
    """When what readers see in `articles` last changed, and how many there are: one query.

    A scheduled article becomes visible when its publish time comes without any
    write, so its publish time counts as a change; the count catches articles
    that were unpublished or deleted.
    """
    return articles.aggregate(
        changed=Max(Greatest("updated_at", "published_at")), count=Count("pk")
    )


def cacheable(scope):
    """Cache-Control public with a short max-age, Last-Modified and ETag, answering 304.

    `scope(request, **kwargs)` gives the articles whose freshness decides whether
    the response changed; it is computed once per request. The content
    generation (core.cache) counts too, so renaming a category, tag or author,
    which no article's dates show, still changes the ETag and Last-Modified.
    """

    def state(request, kwargs):
        if not hasattr(request, "_discovery_freshness"):
            current = freshness(scope(request, **kwargs))
            current["generation"] = cache.generation()
            current["content_changed"] = cache.changed_at()
            request._discovery_freshness = current
        return request._discovery_freshness

    def last_modified(request, *args, **kwargs):
        current = state(request, kwargs)
        return max(filter(None, (current["changed"], current["content_changed"])))

    def etag(request, *args, **kwargs):
        current = state(request, kwargs)
        key = "|".join(
            str(part)
            for part in (
                request.get_full_path(),
                current["changed"],
                current["count"],
                current["generation"],
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def decorator(view):
        @wraps(view)
        def own_last_modified(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            # The syndication and sitemap views set Last-Modified from publish
            # times, which miss edits: let condition() set the one it compares.
            if "Last-Modified" in response.headers:
                del response.headers["Last-Modified"]
            return response

        return cache_control(public=True, max_age=MAX_AGE_SECONDS)(
            condition(etag_func=etag, last_modified_func=last_modified)(own_last_modified)
        )

    return decorator
