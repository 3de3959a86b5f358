"""Editions without the page are marked in the switcher, and a link to an article's
missing edition is a 404 that names the editions where it can be read."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db


def main(html):
    """The page's own content: the footer lists every edition's home page on every page."""
    return html[html.index("<main") : html.index("</main>")]


def switcher(html):
    nav = html[html.index('class="switcher"') :]
    return nav[: nav.index("</nav>")]


def linked(html):
    return dict(
        (hreflang, href)
        for href, hreflang in re.findall(
            r'<a href="([^"]+)" lang="[^"]+" hreflang="([^"]+)"', switcher(html)
        )
    )


def unavailable(html):
    """{label: hint} of the editions marked as not having this page."""
    return dict(
        (label, hint)
        for hint, label in re.findall(
            r'<span class="unavailable" title="([^"]+)"><span lang="[^"]+" aria-hidden="true">'
            r"([^<]+)</span>",
            switcher(html),
        )
    )


def test_editions_without_the_article_are_not_links_and_say_why(client):
    article = make_article(codes=("en", "ru"), slug="meeting")
    html = client.get(article.get_absolute_url()).content.decode()
    assert set(linked(html)) == {"en", "ru"}
    assert unavailable(html) == dict.fromkeys(
        ["қз", "qz", "中文", "ق ز", "Ўз"], "Not available in this edition"
    )
    assert 'href="/kk/"' not in switcher(html)


def test_the_hint_is_in_the_readers_edition_and_read_out_by_screen_readers(client):
    article = make_article(codes=("en", "kk-arab"), slug="meeting")
    html = client.get(f"/kk-arab/article/{article.pk}-meeting/").content.decode()
    assert set(unavailable(html).values()) == {"بۇل نۇسقادا جوق"}
    # The label is hidden from assistive technology; the edition's name and the hint are not.
    assert (
        '<span class="visually-hidden"><span lang="ru">Русский</span> — بۇل نۇسقادا جوق</span>'
        in switcher(html)
    )


def test_pages_that_exist_everywhere_mark_nothing(client):
    html = client.get("/zh-hans/").content.decode()
    assert len(linked(html)) == 7 and unavailable(html) == {}


def test_a_plain_page_not_found_leads_to_each_editions_home(client):
    html = client.get("/ru/no-such-page/").content.decode()
    assert linked(html)["kk"] == "/kk/" and unavailable(html) == {}


def test_category_missing_in_an_edition_is_marked_too(client):
    make_article(codes=("en", "ru"), category=make_category("sport", codes=("en", "ru")))
    html = client.get("/ru/category/sport/").content.decode()
    assert set(linked(html)) == {"en", "ru"}
    assert "中文" in unavailable(html)


def test_missing_edition_of_a_published_article_is_a_404_naming_where_to_read_it(client):
    article = make_article(codes=("en", "ru", "zh-hans"), slug="meeting")
    response = client.get(f"/kk/article/{article.pk}-meeting/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Бұл нұсқада жоқ</h1>" in html
    assert (
        "Бұл мақала мына нұсқаларда бар: "
        f'<a href="/en/article/{article.pk}-meeting/" lang="en" hreflang="en">English</a>, '
        f'<a href="/ru/article/{article.pk}-meeting/" lang="ru" hreflang="ru">Русский</a>, '
        f'<a href="/zh-hans/article/{article.pk}-meeting/" lang="zh-Hans" hreflang="zh-Hans">'
        "中文</a>"
    ) in html
    assert '<meta name="robots" content="noindex">' in html
    # The switcher there leads to the same editions and marks the rest.
    assert set(linked(html)) == {"en", "ru", "zh-Hans"}
    assert "қз" in unavailable(html)


def test_the_missing_edition_404_advertises_no_alternates_or_canonical_address(client):
    article = make_article(codes=("en", "ru"), slug="meeting")
    html = client.get(f"/kk/article/{article.pk}-meeting/").content.decode()
    head = html[: html.index("</head>")]
    assert 'rel="alternate" hreflang' not in head
    assert 'rel="canonical"' not in head and "og:url" not in head
    assert "og:locale:alternate" not in head
    # The page of the article itself does advertise them.
    head = client.get(f"/en/article/{article.pk}-meeting/").content.decode().split("</head>")[0]
    assert '<link rel="alternate" hreflang="ru"' in head


def test_the_404_lists_editions_the_way_the_readers_language_does(client):
    article = make_article(codes=("en", "ru"), slug="meeting")
    html = client.get(f"/zh-hans/article/{article.pk}/").content.decode()
    assert "本文有以下语言版本：<a " in html
    assert ">English</a>、<a " in html


def test_an_old_slug_of_a_missing_edition_still_names_the_canonical_addresses(client):
    article = make_article(codes=("ru",), slug="meeting")
    response = client.get(f"/uz/article/{article.pk}-old-slug/")
    assert response.status_code == 404
    assert f'href="/ru/article/{article.pk}-meeting/"' in response.content.decode()


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.UNPUBLISHED, "scheduled"], ids=str
)
def test_articles_readers_may_not_see_reveal_no_editions(client, status):
    if status == "scheduled":
        article = make_article(published_at=timezone.now() + timedelta(days=1), slug="meeting")
    else:
        article = make_article(status=status, slug="meeting")
    response = client.get(f"/ru/article/{article.pk}-meeting/")
    assert response.status_code == 404
    html = main(response.content.decode())
    assert "Эта статья есть" not in html and "English</a>" not in html


def test_unknown_article_is_a_plain_404(client):
    response = client.get("/en/article/987654-nothing/")
    assert response.status_code == 404
    assert "This article is available in" not in response.content.decode()


def test_previews_of_a_missing_edition_reveal_nothing_to_anonymous_readers(client):
    article = make_article(codes=("en",))
    response = client.get(f"/ru/preview/{article.pk}/")
    assert response.status_code == 404
    assert "English</a>" not in main(response.content.decode())
