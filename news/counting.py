"""Honest view counts: one per reader per article per day, only from the page itself.

A reader is known only by a keyed hash of their address and user agent, kept
in the cache for a day and never stored raw. The script on the page counts by
POST; the <noscript> image counts by GET only with a signed token from the page
it was served in. A browser's `Sec-Fetch-Site` tells requests sent from other
sites (an <img> or a form elsewhere), which never count. When the cache is
unreachable nothing can be told apart, so nothing is counted.
"""

import re

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core import cache
from core.security import client_ip

TOKEN_SALT = "news.counting.token"
READER_SALT = "news.counting.reader"
DAY_SECONDS = 24 * 60 * 60
RATE_WINDOW_SECONDS = 60

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|preview|monitor|curl|wget|python-requests|headless",
    re.IGNORECASE,
)


def token_seconds():
    # A token is minted when the page is rendered, which may be served from
    # caches for PAGE_CACHE_SECONDS; then the reader has a while to load it.
    return settings.PAGE_CACHE_SECONDS + 15 * 60


def view_token(article_id, edition):
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(f"{article_id}:{edition}")


def token_is_valid(token, article_id, edition):
    try:
        value = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=token_seconds())
    except signing.BadSignature:  # also SignatureExpired
        return False
    return value == f"{article_id}:{edition}"


def over_rate_limit(request):
    """True once this address sent more beacons than VIEW_BEACONS_PER_MINUTE this minute."""
    count = cache.hits(f"beacon-rate:{reader_hash(client_ip(request))}", RATE_WINDOW_SECONDS)
    return count is not None and count > settings.VIEW_BEACONS_PER_MINUTE


def reader_hash(*parts):
    return salted_hmac(READER_SALT, "|".join(parts), algorithm="sha256").hexdigest()


def from_this_site(request):
    # Browsers say where a request comes from; one that says nothing is not a browser
    # we can ask, and the other checks still hold for it.
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


def countable(request, article_id, edition):
    """Whether this request is a reader's page counting a read (not yet deduplicated)."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent) or not from_this_site(request):
        return False
    if request.method == "POST":
        return True
    return token_is_valid(request.GET.get("t", ""), article_id, edition)


def first_read_today(request, article_id):
    """True the first time today this reader's beacon for this article arrives."""
    day = timezone.localdate().isoformat()
    reader = reader_hash(client_ip(request), request.headers.get("User-Agent", ""))
    key = f"seen:{reader_hash(reader, str(article_id), day)}"
    return cache.add(key, 1, DAY_SECONDS) is True
