"""One reader's way through the site: from the English home page through the main
navigation and a sub-category to an article, its related and popular news, across
to the same article in Russian, and on to the right-to-left kk-arab edition."""

import pytest

from news.models import DailyViews
from tests.browser.conftest import HEADLINES
from tests.builders import make_article, make_tag

pytestmark = pytest.mark.browser


def crumbs(page):
    """(text, href) of each crumb; href None for a crumb that is not a link."""
    return page.locator(".breadcrumbs li").evaluate_all(
        "items => items.map(li => { const a = li.querySelector('a');"
        " return [li.textContent.trim(), a && a.getAttribute('href')]; })"
    )


def texts(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


@pytest.fixture
def journey(newsroom):
    """Related news by shared tags and a popular list with distinct read counts."""
    lead, (first, second, third, fourth) = newsroom.lead, newsroom.others
    # A second shared tag changes nothing: related news are newest first.
    japan = make_tag("japan", name="Japan")
    lead.tags.add(japan)
    second.tags.add(japan)
    # No shared tag: never related, however new.
    make_article("Unrelated", codes=("en", "ru"), category=newsroom.news)
    # English reads over the last days, all different, so the order is certain.
    reads = {third: 9, lead: 7, first: 5, fourth: 3, second: 1}
    for article, count in reads.items():
        DailyViews.objects.filter(article=article, edition="en").update(count=count)
    newsroom.related = [fourth, third, second, first]  # newest first
    # Popular leaves out the article being read (the lead).
    newsroom.popular = [article for article in reads if article != lead]
    return newsroom


def test_reader_goes_from_the_home_page_to_an_article_and_across_editions(page, site, journey):
    lead = journey.lead
    page.goto(f"{site}/en/")

    # Main navigation: a top category, then its sub-category.
    page.locator(".main-nav").get_by_role("link", name="News [en]").click()
    page.wait_for_url(f"{site}/en/category/news/")
    assert page.locator("h1").inner_text() == "News [en]"
    page.locator(".subcategories").get_by_role("link", name="Politics [en]").click()
    page.wait_for_url(f"{site}/en/category/politics/")
    assert crumbs(page) == [
        ["Main Page", "/en/"],
        ["News [en]", "/en/category/news/"],
        ["Politics [en]", "/en/category/politics/"],
    ]
    assert page.locator(".breadcrumbs a[aria-current=page]").inner_text() == "Politics [en]"

    # From the list to the lead story.
    page.locator("main .card").get_by_role("link", name=HEADLINES["en"]).click()
    article_path = f"/article/{lead.pk}-{lead.slug}/"
    page.wait_for_url(f"{site}/en{article_path}")
    assert page.locator("h1").inner_text() == HEADLINES["en"]
    assert crumbs(page) == [
        ["Main Page", "/en/"],
        ["News [en]", "/en/category/news/"],
        ["Politics [en]", "/en/category/politics/"],
    ]
    assert texts(page, ".related h2") == ["Related news"]
    # Each headline, then its date linked to the archive of that day.
    assert texts(page, ".related li a:first-child") == [a.title_en for a in journey.related]
    assert texts(page, ".popular h2") == ["Popular"]
    assert texts(page, ".popular ol li a") == [
        HEADLINES["en"] if a == lead else a.title_en for a in journey.popular
    ]

    # The switcher leads to the same article in Russian.
    page.locator(".switcher a[hreflang=ru]").click()
    page.wait_for_url(f"{site}/ru{article_path}")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == HEADLINES["ru"]

    # And on to the right-to-left edition, mirrored.
    page.locator(".switcher a[hreflang=kk-Arab]").click()
    page.wait_for_url(f"{site}/kk-arab{article_path}")
    assert page.locator("h1").inner_text() == HEADLINES["kk-arab"]
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("main").evaluate("main => getComputedStyle(main).direction") == "rtl"
    main = page.locator("main").bounding_box()
    sidebar = page.locator("aside.sidebar").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= main["x"]  # the sidebar is on the left
    assert abs(sidebar["y"] - main["y"]) < 50  # beside the article, not under it
