"""Editors pick the admin language in the admin header; kk-arab is right-to-left."""

import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib.auth.models import User

from core import editions

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", password="a long editor password")
    client.force_login(user)
    return user


def html_tag(page):
    return re.search(r"<html [^>]*>", page.content.decode()).group()


def switcher_options(page):
    form = re.search(r'<form class="admin-language".*?</form>', page.content.decode(), re.S).group()
    return re.findall(r'<option value="([^"]+)" lang="([^"]+)"( selected)?>([^<]+)</option>', form)


def test_every_admin_page_offers_the_seven_languages_in_local_names(client, editor):
    options = switcher_options(client.get("/kk/admin/"))
    assert [(code, lang, name) for code, lang, _, name in options] == [
        (e.code, e.bcp47, e.name_local) for e in editions.EDITIONS
    ]
    assert [code for code, _, selected, _ in options if selected] == ["kk"]


def test_the_login_page_has_the_switcher_too(client):
    options = switcher_options(client.get("/uz/admin/login/"))
    assert [code for code, _, selected, _ in options if selected] == ["uz"]


def test_the_switcher_posts_to_set_language_without_inline_script(client, editor):
    html = client.get("/en/admin/news/article/").content.decode()
    form = re.search(r'<form class="admin-language".*?</form>', html, re.S).group()
    assert 'action="/i18n/setlang/" method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/admin/news/article/">' in form
    assert "<script" not in form and "onchange" not in form


@pytest.mark.parametrize("page", ["/admin/", "/admin/news/article/?status=draft"])
def test_switching_lands_on_the_same_admin_page_in_the_chosen_language(client, editor, page):
    # The editor came in on the English admin with a Russian browser and no cookie.
    response = client.post(
        SETLANG,
        {"language": "kk-arab", "next": page},
        HTTP_ACCEPT_LANGUAGE="ru",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/kk-arab{page}"
    assert response.status_code == 200
    assert 'lang="kk-Arab" dir="rtl"' in html_tag(response)


def test_the_choice_is_a_lasting_cookie_that_wins_over_the_browser(client, editor):
    response = client.post(SETLANG, {"language": "uz", "next": "/admin/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "uz"
    assert cookie["max-age"] >= 30 * 24 * 60 * 60  # survives closing the browser
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.status_code == 302
    assert response["Location"] == "/uz/admin/"


def test_without_a_cookie_the_browser_language_chooses_the_admin_language(client, editor):
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="kk-Latn,kk;q=0.8")
    assert response["Location"] == "/kk-latn/admin/"


def test_an_unknown_language_changes_nothing(client, editor):
    response = client.post(SETLANG, {"language": "xx", "next": "/admin/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("edition", editions.EDITIONS, ids=lambda e: e.code)
def test_admin_html_element_has_bcp47_language_and_direction(client, editor, edition):
    for path in ("admin/", "admin/login/"):
        if path == "admin/login/":
            client.logout()
        tag = html_tag(client.get(f"/{edition.code}/{path}"))
        direction = "rtl" if edition.bidi else "ltr"
        assert f'lang="{edition.bcp47}" dir="{direction}"' in tag


def test_right_to_left_admin_loads_django_rtl_stylesheet(client, editor):
    assert "admin/css/rtl." in client.get("/kk-arab/admin/").content.decode()
    assert "admin/css/rtl." not in client.get("/kk/admin/").content.decode()


def test_admin_base_template_is_djangos_with_only_the_language_lines_changed():
    """A Django upgrade that changes admin/base.html makes this fail: copy it again."""
    ours = (Path(settings.BASE_DIR) / "templates/admin/base.html").read_text()
    djangos = (Path(django.__file__).parent / "contrib/admin/templates/admin/base.html").read_text()
    ours = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", ours, count=1, flags=re.S)
    changes = [
        ("{% load i18n static %}", "{% load i18n static admin_language %}"),
        ("{% get_current_language_bidi as LANGUAGE_BIDI %}", "{% edition_bidi as LANGUAGE_BIDI %}"),
        ('<html lang="{{ LANGUAGE_CODE|default:"en-us" }}"', '<html lang="{% edition_bcp47 %}"'),
    ]
    for old, new in changes:
        assert djangos.count(old) == 1
        djangos = djangos.replace(old, new)
    assert ours == djangos
