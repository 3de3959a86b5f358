"""Seven editions: URL prefixes, the root redirect, lang and dir on every page."""

import re

import pytest
from django.conf import settings

from core import editions

pytestmark = pytest.mark.django_db

EXPECTED = {
    "en": ("en", "ltr"),
    "ru": ("ru", "ltr"),
    "kk": ("kk", "ltr"),
    "kk-latn": ("kk-Latn", "ltr"),
    "zh-hans": ("zh-Hans", "ltr"),
    "kk-arab": ("kk-Arab", "rtl"),
    "uz": ("uz", "ltr"),
}


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_seven_editions_are_configured():
    assert [code for code, _name in settings.LANGUAGES] == list(EXPECTED)
    assert [e.code for e in editions.EDITIONS if e.bidi] == ["kk-arab"]
    assert [e.label for e in editions.EDITIONS] == ["En", "ру", "қз", "qz", "中文", "ق ز", "Ўз"]


@pytest.mark.parametrize("code", EXPECTED)
def test_home_page_has_the_editions_lang_and_dir(client, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    lang, direction = EXPECTED[code]
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


@pytest.mark.parametrize("code", EXPECTED)
def test_not_found_page_is_in_the_edition(client, code):
    response = client.get(f"/{code}/no-such-page/")
    assert response.status_code == 404
    lang, direction = EXPECTED[code]
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


@pytest.mark.parametrize(
    ("accept_language", "edition"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("kk-Latn", "kk-latn"),
        ("kk-Arab,kk;q=0.5", "kk-arab"),
        ("kk", "kk"),
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("uz", "uz"),
        ("fr-FR,de;q=0.5", "en"),
        ("", "en"),
        ("not a language header ;;; q=x", "en"),
    ],
)
def test_root_redirects_to_the_preferred_edition(client, accept_language, edition):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == f"/{edition}/"


def test_unknown_edition_prefix_is_not_found(client):
    assert client.get("/fr/").status_code == 404
