"""Clicking through: the edition switcher on an article, and the search box."""

import pytest

from tests.browser.conftest import HEADLINES
from tests.builders import make_article

pytestmark = pytest.mark.browser


def test_switcher_on_an_article_leads_to_the_same_article_or_marks_the_edition_missing(
    page, site, newsroom
):
    only_two = make_article("Bilateral talks", codes=("en", "ru"), category=newsroom.news)
    page.goto(site + only_two.get_absolute_url())

    page.locator(".switcher a[hreflang=ru]").click()
    assert page.url == f"{site}/ru/article/{only_two.pk}-{only_two.slug}/"
    assert page.locator("h1").inner_text() == only_two.title_ru
    assert page.locator("html").get_attribute("lang") == "ru"

    # Not written in Chinese: the switcher says so instead of linking anywhere.
    assert page.locator(".switcher a[hreflang=zh-Hans]").count() == 0
    unavailable = page.locator(".switcher .unavailable", has_text="中文")
    assert unavailable.is_visible()
    assert unavailable.get_attribute("title") == "Нет в этом издании"  # the reader's language
    page.goto(f"{site}/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    # From there to an article that has every edition, and across to kk-arab.
    page.get_by_role("link", name=HEADLINES["zh-hans"]).first.click()
    page.locator(".switcher a[hreflang=kk-Arab]").click()
    lead = newsroom.lead
    assert page.url == f"{site}/kk-arab/article/{lead.pk}-{lead.slug}/"
    assert page.locator("h1").inner_text() == HEADLINES["kk-arab"]


def test_search_form_submits_and_shows_the_matching_articles(page, site, newsroom):
    found = make_article("Astana hosts the forum", codes=("en",), category=newsroom.news)
    page.goto(f"{site}/en/")
    page.locator("#search-q").fill("astana forum")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/en/search/?q=astana+forum")

    results = page.locator("main .card").get_by_role("heading").get_by_role("link")
    assert results.all_inner_texts() == [found.title_en]
    assert page.locator("#search-page-q").input_value() == "astana forum"
    results.first.click()
    assert page.url == site + found.get_absolute_url()
