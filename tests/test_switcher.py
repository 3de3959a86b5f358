"""The edition switcher leads to the same page in each edition that has it."""

import re

import pytest

from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db


def switcher_links(html):
    nav = html[html.index('class="switcher"') :]
    nav = nav[: nav.index("</nav>")]
    return dict(
        (hreflang, href)
        for href, hreflang in re.findall(r'<a href="([^"]+)" lang="[^"]+" hreflang="([^"]+)"', nav)
    )


def test_switcher_shows_the_seven_labels_in_order(client):
    html = client.get("/en/").content.decode()
    labels = re.findall(r'title="[^"]+"(?: aria-current="page")?>([^<]+)</a>', html)
    assert labels[:7] == ["En", "ру", "қз", "qz", "中文", "ق ز", "Ўз"]


def unavailable_labels(html):
    nav = html[html.index('class="switcher"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(
        r'<span class="unavailable"[^>]*><span lang="[^"]+" aria-hidden="true">([^<]+)<', nav
    )


def test_switcher_on_an_article_links_its_translations_and_marks_the_other_editions(client):
    article = make_article(codes=("en", "ru", "kk-arab"), slug="meeting")
    html = client.get(article.get_absolute_url()).content.decode()
    assert switcher_links(html) == {
        "en": f"/en/article/{article.pk}-meeting/",
        "ru": f"/ru/article/{article.pk}-meeting/",
        "kk-Arab": f"/kk-arab/article/{article.pk}-meeting/",
    }
    assert unavailable_labels(html) == ["қз", "qz", "中文", "Ўз"]


def test_switcher_on_a_category_leads_to_the_same_category(client):
    make_category("sport", codes=("en", "ru"))
    html = client.get("/en/category/sport/").content.decode()
    assert switcher_links(html)["ru"] == "/ru/category/sport/"
    assert "kk" not in switcher_links(html)
    assert "қз" in unavailable_labels(html)


def test_switcher_marks_the_current_edition(client):
    html = client.get("/kk-latn/").content.decode()
    current = (
        '<a href="/kk-latn/" lang="kk-Latn" hreflang="kk-Latn" title="Qazaqsha" '
        'aria-current="page">qz</a>'
    )
    assert current in html
