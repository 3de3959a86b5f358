import sys

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token

from core import editions, security
from core.site import absolute_url


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
