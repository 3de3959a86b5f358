"""What feeds, sitemaps and page metadata share: hreflang alternates and HTTP caching."""

import hashlib
from functools import wraps

from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from core import editions
from core.cache import generation

# Feeds and sitemaps may be reused by caches and crawlers for this long.
MAX_AGE_SECONDS = 300


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
    the response changed; it is computed once per request. The ETag also carries
    the content generation, which any newsroom save starts anew: renaming a
    category, tag or author changes what feeds and sitemaps show without
    touching an article.
    """

    def state(request, kwargs):
        if not hasattr(request, "_discovery_freshness"):
            request._discovery_freshness = {
                **freshness(scope(request, **kwargs)),
                "generation": generation(),
            }
        return request._discovery_freshness

    def last_modified(request, *args, **kwargs):
        return state(request, kwargs)["changed"]

    def etag(request, *args, **kwargs):
        current = state(request, kwargs)
        key = "|".join(str(current[part]) for part in ("changed", "count", "generation"))
        key = f"{request.get_full_path()}|{key}"
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
