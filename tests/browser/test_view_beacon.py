"""An article page counts a reader's read, with JavaScript (beacon) and without
(the <noscript> image), once a day however often they come back."""

from urllib.parse import urlsplit

import pytest

from news.models import DailyViews

pytestmark = pytest.mark.browser


def reads(article, edition="en"):
    return sum(
        DailyViews.objects.filter(article=article, edition=edition).values_list("count", flat=True)
    )


def is_beacon(article):
    return lambda response: urlsplit(response.url).path.endswith(f"/article/{article.pk}/seen/")


def test_with_javascript_the_beacon_counts_one_read_per_reader_and_day(page, site, newsroom):
    article = newsroom.others[0]
    before = reads(article)
    url = site + article.get_absolute_url()
    for _view in (1, 2):
        with page.expect_response(is_beacon(article)) as beacon:
            page.goto(url)
        assert beacon.value.request.method == "POST"
        assert beacon.value.status == 204
        assert reads(article) == before + 1  # the second view is the same reader


def test_without_javascript_the_article_works_and_the_noscript_image_counts_the_read(
    open_page, site, newsroom
):
    page = open_page(java_script_enabled=False)
    article = newsroom.lead
    before = reads(article, "kk-arab")
    url = site + article.get_absolute_url().replace("/en/", "/kk-arab/", 1)
    with page.expect_response(is_beacon(article)) as beacon:
        response = page.goto(url)
    assert response.status == 200
    assert beacon.value.request.method == "GET"
    assert beacon.value.header_value("content-type") == "image/gif"
    assert page.locator("h1").inner_text() == article.title_kk_arab
    assert page.locator("article .body p").count() >= 3
    assert reads(article, "kk-arab") == before + 1

    # Links work without script too: on to the tag page.
    page.locator("a[rel=tag]").first.click()
    assert page.url.endswith("/kk-arab/tag/senate/")
    assert page.locator(".card").count() == 5
