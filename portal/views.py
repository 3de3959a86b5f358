import logging
import sys

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token

from core import editions, security, security_txt
from core.site import absolute_url

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    if isinstance(sys.exc_info()[1], security.DATABASE_ERRORS):
        # A database error raised where DatabaseUnavailableMiddleware cannot see it.
        return security.database_unavailable(request)
    return security.failure_page(
        translation.get_language() or editions.DEFAULT,
        500,
        _("Server error"),
        _("Something went wrong on our side. Please try again in a few minutes."),
    )


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *"]
    for code in editions.CODES:
        lines += [
            f"Disallow: /{code}/admin/",
            f"Disallow: /{code}/search/",
            f"Disallow: /{code}/preview/",
        ]
    lines.append("")
    for name in ("sitemap-index", "news-sitemap"):
        lines.append(f"Sitemap: {absolute_url(reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """For load balancers and the benchmark's baseline: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


# Browsers ask for these at the site's root whatever the page links to; they lead
# to the versioned static files (a day's caching, so a new icon shows up soon).
ROOT_ICONS = {
    "favicon.ico": "img/favicon.ico",
    "apple-touch-icon.png": "img/apple-touch-icon.png",
    "apple-touch-icon-precomposed.png": "img/apple-touch-icon.png",
}


@cache_control(public=True, max_age=86400)
def root_icon(request, name):
    return HttpResponseRedirect(static(ROOT_ICONS[name]))


@cache_control(public=True, max_age=3600)
def security_txt_view(request):
    """RFC 9116: who to tell about a vulnerability, only as configured (404 otherwise)."""
    try:
        text = security_txt.text()
    except ValueError:
        # `manage.py check` reports the bad setting; readers get no made-up file.
        logger.warning("security.txt is misconfigured", exc_info=True)
        text = None
    if text is None:
        return page_not_found(request)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
