import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views import View

from core.cache import cached
from live import coverage as live
from news.discovery import w3c
from news.models import Article


def feed_payload(pk):
    """(etag, JSON body) of the coverage of article `pk` in this edition; False if readers
    of this edition cannot open the article or it has no coverage."""
    article = Article.objects.published().in_edition().filter(pk=pk).first()
    found = live.for_article(article) if article is not None else None
    if found is None:
        return False
    body = json.dumps(
        {
            "running": found.running,
            "started": w3c(found.coverage.started_at),
            "ended": w3c(found.coverage.ended_at),
            "entries": [
                {
                    "id": entry.pk,
                    "published": w3c(entry.published_at),
                    "html": live.entry_html(entry),
                }
                for entry in found.entries
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"', body


class LiveUpdatesView(View):
    """The entries of a live article as JSON, for the page's script to poll.

    Cached like the pages (until the content changes, at most PAGE_CACHE_SECONDS),
    public for a short while, and answered with 304 when the reader's ETag is
    still the current one, so polling every page costs little.
    """

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        code = translation.get_language()
        payload = cached(
            f"live-updates:{pk}:{code}", lambda: feed_payload(pk), settings.PAGE_CACHE_SECONDS
        )
        if not payload:
            raise Http404
        etag, body = payload
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=settings.LIVE_FEED_MAX_AGE)
        return response
