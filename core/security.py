"""What keeps the site safe and serving: the CSP header, sign-in lockouts, a
503 page when the database is gone, and uploads served as inert files.
SECURITY.md at the repository root explains the whole picture.
"""

import base64
import functools
import hashlib
import logging
import mimetypes
import posixpath
import re

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import static

from core import editions

logger = logging.getLogger(__name__)

# --- Content-Security-Policy ------------------------------------------------

_IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _source_hash(text):
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def trusted_inline_script_hashes():
    """CSP sources for the inline import map of the admin's rich-text editor.

    django-prose-editor writes its module import map inline
    (`<script type="importmap">`), which browsers treat as an inline script.
    Rather than allowing inline scripts, the policy names this one exact text
    by its hash. It is computed from the package's own import map, never from
    the response, so markup injected into a page can never allow itself. The
    URLs in it depend on the static files storage, hence computed each time.
    """
    from django_prose_editor.widgets import importmap

    return [_source_hash(text) for text in _IMPORT_MAP.findall(str(importmap))]


# Tiptap (inside the editor's bundle) adds its base styles as a <style> element,
# written in the bundle as a template literal starting with `.ProseMirror {`.
_EDITOR_BASE_STYLE = re.compile(r"=`(\.ProseMirror \{[^`$\\]*)`")


@functools.cache
def trusted_inline_style_hashes():
    """CSP sources for the base styles the admin's rich-text editor injects.

    Read from the bundled editor.js itself, so an upgrade of the package brings
    its own hash (tests/browser/test_csp.py fails if the bundle changes shape).
    """
    path = finders.find("django_prose_editor/editor.js")
    if not path:
        return []
    with open(path, encoding="utf-8") as bundle:
        return [_source_hash(text) for text in _EDITOR_BASE_STYLE.findall(bundle.read())]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, allowing the rich-text editor's import map in the admin.

    Reader pages get the policy as it is in settings: no inline script at all. That
    header is the same for every such response, so it is built once, not per response
    (building it was a third of a page-cache hit's time).
    """

    def process_response(self, request, response):
        if not self._takes_the_settings_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = settings_policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _takes_the_settings_policy(request, response):
        return not (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or isinstance(getattr(request, "_csp_nonce", None), str)
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
            or _in_admin(request)
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and _in_admin(request):
            update = dict(parts.update or {})
            update["script-src"] = [
                *update.get("script-src", []),
                *trusted_inline_script_hashes(),
            ]
            update["style-src"] = [*update.get("style-src", []), *trusted_inline_style_hashes()]
            parts.update = update
        return parts


def _in_admin(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.namespaces


# What django-csp's decorators set on a response to change its policy.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{name}{mode}"
    for name in ("exempt", "config", "update", "replace")
    for mode in ("", "_ro")
)


@functools.cache
def settings_policy():
    return build_policy()


@receiver(setting_changed)
def _forget_settings_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()


# --- Database unavailable ---------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def failure_page(code, status, heading, message):
    """A short page in edition `code` that touches neither database nor cache (500, 503).

    Rendered without a request, so no context processor or signed-in user is
    looked up: the failure may be the database itself.
    """
    with translation.override(code):
        html = loader.render_to_string(
            "error.html", {"edition": editions.get(code), "heading": heading, "message": message}
        )
    return HttpResponse(html, status=status)


def database_unavailable(request):
    """503 in the reader's edition, with Retry-After: the site will be back."""
    code = translation.get_language_from_path(request.path_info) or editions.DEFAULT
    response = failure_page(
        code,
        503,
        _("Temporarily unavailable"),
        _("The news is on its way back: please try again in a minute."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Outermost middleware: a lost database connection is a 503, not a 500.

    Readers and crawlers get a page saying the site will be back, with
    Retry-After, instead of an error page that suggests something is broken
    for good.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS:
            # Raised by middleware outside Django's per-layer exception handling.
            logger.exception("database unavailable")
            return database_unavailable(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None


# --- Sign-in throttling (django-axes) ---------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page in the admin's look and the editor's language, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": translation.gettext("Too many failed sign-ins"),
        "minutes": minutes,
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def client_ip(request):
    """The address to count failed sign-ins against.

    Behind our proxy (BEHIND_PROXY) that is the last X-Forwarded-For entry,
    the one the proxy itself appended: entries before it are whatever the
    client chose to send. Otherwise the connection's own address.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


# --- Uploaded media ----------------------------------------------------------

# Only these are served inline; everything else is a download in a sandbox. Videos
# are media a browser only plays (never runs), and the upload form checked their bytes.
INLINE_MEDIA_TYPES = {
    *("image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"),
    *("video/mp4", "video/webm"),
}


def serve_media(request, path):
    """Serve an upload so that a browser can only ever show it as a picture or play it.

    Images we made ourselves (news.images re-encodes every upload) are shown
    inline. Anything else, HTML or SVG above all, would run script in the
    site's origin if shown; it is sent as an attachment under a CSP sandbox
    with no sources allowed, so even a browser that ignores the disposition
    runs nothing.
    """
    if posixpath.basename(path).startswith("."):
        raise Http404
    # MEDIA_ROOT read per request, not bound when the URLconf is imported.
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type, _ = mimetypes.guess_type(path)
    response["X-Content-Type-Options"] = "nosniff"
    if content_type not in INLINE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    else:
        response["Content-Security-Policy"] = "default-src 'none'"
    return response
