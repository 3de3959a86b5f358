from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from core.cache import cached, changes_at, page_fragment
from core.prepared import PreparedQuery
from frontpage.models import BreakingNews
from news.models import EXAMPLE_TIMES, Article

register = template.Library()

BREAKING_CACHE_SECONDS = 600


def _breaking(now):
    readable = Article.objects.for_readers(now=now).filter(pk=OuterRef("article_id"))
    return (
        BreakingNews.objects.active(now=now)
        .select_related("article")
        .only("text", "expires_at", "article__id", "article__slug")
        .annotate(article_readable=Exists(readable))
    )


# The active edition's banner items at `now`, whether each one's article is readable:
# built once per worker and edition (building it cost eight times running it).
_breaking_now = PreparedQuery(BreakingNews, _breaking, now=EXAMPLE_TIMES)


@page_fragment
def breaking_key(code):
    return f"breaking:{code}"


@register.inclusion_tag("includes/breaking.html")
def breaking_news():
    """The edition's breaking news for the banner on every reader page.

    Kept with the site-wide fragments until content changes (lifting or editing
    one is a save, which starts a new generation); expiry needs no write, so
    expired items are dropped here at every render, and the page cache is told
    when the first one shown expires.
    """
    code = translation.get_language()

    def compute():
        return [
            {
                "text": item.text,
                "url": item.article.get_absolute_url() if item.article_readable else None,
                "expires_at": item.expires_at,
            }
            for item in _breaking_now(now=timezone.now())
        ]

    now = timezone.now()
    items = [
        item
        for item in cached(breaking_key(code), compute, BREAKING_CACHE_SECONDS)
        if item["expires_at"] > now
    ]
    changes_at(min((item["expires_at"] for item in items), default=None))
    return {"items": items}
