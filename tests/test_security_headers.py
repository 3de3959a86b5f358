"""The production profile passes Django's deployment checks and sends the
security headers; the Content-Security-Policy allows no inline script."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.builders import make_article

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "ALLOWED_HOSTS": "www.inform.kz",
    "SECRET_KEY": "production-like-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
}


def test_production_profile_passes_the_deployment_checks():
    # Only what production has: not the test run's database, cache or the
    # browser tests' async override.
    leave_out = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    return settings


def policy(response):
    """The CSP header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "ARTICLE", "/kk-arab/search/?q=x", "/en/admin/login/"])
def test_pages_send_the_security_headers(client, production, path):
    if path == "ARTICLE":
        path = make_article().get_absolute_url()
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]


@pytest.mark.django_db
def test_reader_pages_allow_no_inline_script_at_all(client):
    csp = policy(client.get(make_article().get_absolute_url()))
    assert csp["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_article_page_has_no_inline_script_but_its_structured_data(client):
    html = client.get(make_article().get_absolute_url()).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts
    for attributes, content in scripts:
        # Either a data block (not run, not subject to CSP) or an external file.
        assert 'type="application/ld+json"' in attributes or (
            "src=" in attributes and not content.strip()
        ), attributes


@pytest.mark.django_db
def test_admin_allows_only_its_editors_import_map_by_hash(client):
    client.force_login(User.objects.create_superuser("chief"))
    response = client.get("/en/admin/news/article/add/")
    assert response.status_code == 200
    html = response.content.decode()
    # The inline import map exactly as the browser hashes it: the text between the tags.
    import_maps = re.findall(r'<script type="importmap">(.*?)</script>', html, re.DOTALL)
    assert len(import_maps) == 1
    digest = hashlib.sha256(import_maps[0].encode("utf-8")).digest()
    expected = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
    sources = policy(response)["script-src"]
    assert sources == ["'self'", expected]


@pytest.mark.django_db
def test_cookies_are_secure_and_hidden_from_scripts(client, production):
    User.objects.create_user("editor", password="correct horse battery staple", is_staff=True)
    login = client.get("/en/admin/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        "/en/admin/login/",
        {"username": "editor", "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    language = client.post("/i18n/setlang/", {"language": "ru", "next": "/ru/"}, secure=True)
    assert language.cookies["django_language"]["secure"]
    assert language.cookies["django_language"]["httponly"]


@pytest.mark.django_db
def test_a_page_from_the_cache_carries_the_policy_of_the_settings_in_force(client, settings):
    """The reader pages' header is built once, not per response: a copy served from the
    page cache carries the same policy as the rendered page, and a change of the
    settings is in the next header."""
    url = make_article().get_absolute_url()
    rendered = client.get(url)
    cached = client.get(url)
    assert not hasattr(cached, "templates") or not cached.templates  # served from the cache
    assert cached["Content-Security-Policy"] == rendered["Content-Security-Policy"]
    assert policy(cached)["img-src"] == ["'self'", "data:"]

    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    assert policy(client.get(url))["img-src"] == ["'self'"]
