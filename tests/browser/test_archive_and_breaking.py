"""The archive day page and a home page under a breaking-news banner, at phone and
desktop width, left-to-right and right-to-left: they fit, read in their direction,
and are photographed for people to look at."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core import editions
from frontpage.models import BreakingNews, FrontPage
from news.archive import archive_url
from tests.browser.conftest import DESKTOP, HEADLINES, PHONE, headline_fields, unavailable
from tests.browser.test_accessibility import AXE, BLOCKING, RUN_AXE
from tests.builders import make_article

pytestmark = pytest.mark.browser

BREAKING = {
    "en": "Earthquake of magnitude 5 felt in Almaty",
    "kk-arab": "الماتىدا 5 بالدىق جەر سىلكىنىسى سەزىلدى",
}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def archive(illustrated):
    """The newsroom with stories on the two days before today and a breaking banner
    in English and Arabic-script Kazakh, linked to the lead story."""
    today = timezone.localtime()
    for days in (1, 3):
        make_article(
            category=illustrated.news,
            published_at=today - timedelta(days=days),
            **headline_fields(),
        )
    for code, text in BREAKING.items():
        front_page, _created = FrontPage.objects.get_or_create(edition=code)
        BreakingNews.objects.create(
            front_page=front_page,
            text=text,
            article=illustrated.lead,
            expires_at=timezone.now() + timedelta(hours=1),
        )
    return illustrated


def lead_day(newsroom):
    return timezone.localdate(newsroom.lead.published_at)


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_archive_day_and_breaking_banner_fit_and_are_photographed(
    open_page, site, archive, screenshots_dir, code
):
    edition = editions.get(code)
    direction = "rtl" if edition.bidi else "ltr"
    # The lead story's day: "today" would be empty in the hour after midnight in Almaty,
    # as the newsroom's stories came out an hour ago.
    day = f"/{code}{archive_url(lead_day(archive)).removeprefix('/en')}"
    for width, viewport in WIDTHS.items():
        page = open_page(viewport=viewport)
        for kind, path in (("home-breaking", f"/{code}/"), ("archive-day", day)):
            name = f"{code}-{kind}-{width}"
            assert page.goto(site + path).status == 200, name
            banner = page.locator(".breaking")
            assert banner.is_visible(), name
            assert BREAKING[code] in banner.inner_text(), name
            assert banner.evaluate("e => getComputedStyle(e).direction") == direction, name
            scroll_width, inner_width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (name, scroll_width, inner_width)
            if kind == "archive-day":
                assert page.locator(".calendar").is_visible(), name
                assert page.locator(".calendar a[aria-current=date]").count() == 1, name
                assert page.locator("main .card").count() >= 1, name
                assert page.locator('a[rel="prev"]').is_visible(), name
                assert HEADLINES[code] in page.locator("main").inner_text(), name
            page.screenshot(path=screenshots_dir / f"{name}.png", full_page=True)

    # The banner's link leads to the story, and the story's date back to its day.
    page.goto(site + f"/{code}/")
    page.locator(".breaking a").click()
    page.wait_for_load_state()
    page.locator("main .meta a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(site + f"/{code}/archive/")


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_archive_pages_and_the_banner_have_no_serious_accessibility_violations(
    open_page, site, archive, code
):
    if not AXE.is_file():
        unavailable(f"no {AXE.relative_to(settings.BASE_DIR)}: run `npm ci --ignore-scripts`")
    page = open_page(bypass_csp=True)  # to inject axe, as in test_accessibility.py
    today = lead_day(archive)
    problems = []
    for part in ("day", "month", "year"):
        path = f"/{code}{archive_url(today, part).removeprefix('/en')}"
        assert page.goto(site + path).status == 200, path
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE)
        assert result["rules"] > 20, path
        problems += [
            f"{path}: [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in result["violations"]
            if v["impact"] in BLOCKING
        ]
    assert not problems, "\n".join(problems)
