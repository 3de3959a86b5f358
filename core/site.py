"""The site's public origin, from settings.SITE_URL, never from the request.

Pages are cached and shared between readers (and by CDNs), so an absolute URL
built from the request's Host or X-Forwarded-Proto would hand one client's
choice of host, port or scheme to everyone who gets the cached copy.
"""

import copy
from urllib.parse import urlsplit

from django.conf import settings


def origin():
    """('https', 'example.kz') of SITE_URL."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def absolute_url(path):
    """`path` on the configured origin; URLs that already name a host are kept."""
    if path.startswith(("http://", "https://", "//")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def as_site_request(request):
    """A copy of `request` whose host and scheme are SITE_URL's.

    For Django views (sitemaps, feeds) that build absolute URLs from the
    request themselves.
    """
    scheme, netloc = origin()
    site_request = copy.copy(request)
    site_request.META = {
        key: value for key, value in request.META.items() if not key.startswith("HTTP_X_FORWARDED_")
    }
    site_request.META.update({"HTTP_HOST": netloc, "wsgi.url_scheme": scheme, "SERVER_PORT": ""})
    site_request.get_host = lambda: netloc
    site_request._get_scheme = lambda: scheme
    return site_request
