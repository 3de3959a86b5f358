"""A live article: new entries appear without reloading, the label goes when coverage
ends and polling stops; without JavaScript every entry is on the page. Screenshots
of a live article at phone and desktop width, in English and Arabic-script Kazakh."""

import json
import subprocess
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone, translation

from live.models import LiveEntry
from tests.admin_helpers import EDITOR, make_staff
from tests.browser.conftest import DESKTOP, PHONE, jpeg, unavailable
from tests.browser.test_accessibility import AXE, BLOCKING, RUN_AXE
from tests.browser.test_html_valid import vnu_command
from tests.builders import make_live_coverage

pytestmark = pytest.mark.browser

TEXTS = [
    (
        "<p>Rescuers have reached the village of Akkol; <strong>120 people</strong> "
        "were taken to the school in Kokshetau.</p>",
        "<p>قۇتقارۋشىلار اققول اۋىلىنا جەتتى؛ <strong>120 ادام</strong> كوكشەتاۋداعى مەكتەپكە "
        "جەتكىزىلدى.</p>",
    ),
    (
        "<p>The water in the Esil river has risen by 40 centimetres since the morning.</p>",
        "<p>ەسىل وزەنىندەگى سۋ تاڭەرتەڭنەن بەرى 40 سانتيمەترگە كوتەرىلدى.</p>",
    ),
    (
        "<p>The regional akimat has opened a hotline: 109.</p>",
        "<p>وبلىس اكىمدىگى جەدەل جەلى اشتى: 109.</p>",
    ),
]


def add_entry(coverage, minutes_ago, body_en, body_kk_arab, **fields):
    return LiveEntry.objects.create(
        coverage=coverage,
        published_at=timezone.now() - timedelta(minutes=minutes_ago),
        body_en=body_en,
        body_kk_arab=body_kk_arab,
        **fields,
    )


@pytest.fixture
def live_story(newsroom):
    coverage = make_live_coverage(newsroom.lead, started_at=timezone.now() - timedelta(hours=3))
    for minutes, (english, arabic) in zip((150, 90, 30), TEXTS, strict=True):
        add_entry(coverage, minutes, english, arabic)
    return coverage


def url_of(site, coverage, code="en"):
    with translation.override(code):
        return site + coverage.article.get_absolute_url()


def is_feed(coverage):
    return lambda response: urlsplit(response.url).path.endswith(
        f"/article/{coverage.article.pk}/live/"
    )


def entry_ids(page):
    return [
        int(i) for i in page.locator(".live-entry").evaluate_all("l => l.map(e => e.dataset.entry)")
    ]


def test_an_entry_added_after_the_page_loaded_appears_without_reload(
    page, site, live_story, settings
):
    settings.LIVE_POLL_SECONDS = 1
    feed_statuses = []
    page.on("response", lambda r: is_feed(live_story)(r) and feed_statuses.append(r.status))
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url_of(site, live_story))
    page.evaluate("window.sameDocument = true")
    before = entry_ids(page)
    assert len(before) == 3
    assert page.locator("header .live-label").is_visible()

    # The first polls find nothing new: 304, and the list stays as it is.
    deadline = time.monotonic() + 10
    while 304 not in feed_statuses and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert 304 in feed_statuses, feed_statuses

    added = add_entry(live_story, 0, "<p>Breaking: the dam holds.</p>", "<p>بوگەت توتىپ تۇر.</p>")
    page.locator(f"#live-entry-{added.pk}").wait_for()
    assert entry_ids(page) == [added.pk, *before]  # newest first, at the top
    assert page.locator(".live-entry").first.inner_text().endswith("Breaking: the dam holds.")
    assert page.evaluate("window.sameDocument") is True  # no reload happened

    # The editor ends coverage: the label goes, and the page stops asking.
    live_story.ended_at = timezone.now()
    live_story.save()
    page.locator(".live-label").first.wait_for(state="detached")
    assert page.locator(".live-label").count() == 0
    asked = len(feed_statuses)
    page.wait_for_timeout(3000)
    assert len(feed_statuses) == asked
    assert entry_ids(page) == [added.pk, *before]
    assert errors == []


def test_without_javascript_every_entry_is_on_the_page_newest_first(open_page, site, live_story):
    page = open_page(java_script_enabled=False)
    assert page.goto(url_of(site, live_story, "kk-arab")).status == 200
    ids = list(live_story.entries.order_by("-published_at").values_list("pk", flat=True))
    assert entry_ids(page) == ids
    assert page.locator(".live-entry").first.inner_text().strip().endswith(TEXTS[2][1][3:-4])
    assert page.locator(".live-label").count() == 2


WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_a_live_article_fits_phone_and_desktop_and_is_photographed(
    open_page, site, live_story, screenshots_dir, code
):
    entry = live_story.entries.order_by("-published_at").first()
    entry.image = jpeg("flood.jpg", (960, 540))
    entry.image_alt_en = "Flooded street in Kokshetau"
    entry.image_alt_kk_arab = "كوكشەتاۋداعى سۋ باسقان كوشە"
    entry.save()
    for width, viewport in WIDTHS.items():
        page = open_page(viewport=viewport)
        assert page.goto(url_of(site, live_story, code)).status == 200
        page.locator(".live-image img").scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.live-image img').complete")
        scroll_width, inner_width = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, (code, width, scroll_width, inner_width)
        assert page.locator(".live-entry").count() == 3
        name = screenshots_dir / f"{code}-live-article-{width}.png"
        page.screenshot(path=name, full_page=True)
        assert name.stat().st_size > 0


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_a_live_article_is_valid_html_and_has_no_serious_accessibility_problems(
    open_page, site, live_story, tmp_path, code
):
    if not AXE.is_file():
        unavailable(f"no {AXE.relative_to(settings.BASE_DIR)}: run `npm ci --ignore-scripts`")
    entry = live_story.entries.order_by("-published_at").first()
    entry.image = jpeg("flood.jpg", (640, 360))
    entry.image_alt_en = entry.image_alt_kk_arab = "Flooded street"
    entry.save()
    # The page as it is while coverage runs, and after it ended (no label, no script).
    for state in ("running", "ended"):
        if state == "ended":
            live_story.ended_at = timezone.now()
            live_story.save()
        page = open_page(bypass_csp=True)  # only to inject axe, as test_accessibility does
        response = page.goto(url_of(site, live_story, code))
        assert response.status == 200
        html_file = tmp_path / f"{code}-{state}.html"
        html_file.write_bytes(response.body())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE)
        assert result["rules"] > 20
        serious = [v for v in result["violations"] if v["impact"] in BLOCKING]
        assert serious == [], (state, serious)
        checked = subprocess.run(
            [*vnu_command(), str(html_file)], capture_output=True, text=True, timeout=120
        )
        messages = json.loads(checked.stdout)["messages"]
        assert [m for m in messages if m.get("type") != "info"] == [], (state, messages)


def test_an_editor_adds_an_entry_in_the_admin_in_her_language_and_readers_see_it(
    open_page, site, live_story, screenshots_dir
):
    make_staff(EDITOR, "aigerim")
    page = open_page()
    page.goto(f"{site}/kk-arab/admin/login/")
    page.fill("#id_username", "aigerim")
    page.fill("#id_password", "unused-in-tests")  # tests.admin_helpers.make_staff's
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/kk-arab/admin/")
    page.goto(f"{site}/kk-arab/admin/live/livecoverage/{live_story.pk}/change/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    new_form = page.locator("#entries-3")  # the empty form after the three entries
    new_form.locator('.ui-tabs-nav a[href="#tab_id_entries-3-body_kk_arab"]').click()
    new_form.locator("#id_entries-3-body_kk_arab").fill("<p>بوگەت توتىپ تۇر.</p>")
    new_form.locator('.ui-tabs-nav a[href="#tab_id_entries-3-body_en"]').click()
    new_form.locator("#id_entries-3-body_en").fill("<p>The dam holds.</p>")
    page.screenshot(path=screenshots_dir / "admin-live-coverage-kk-arab.png", full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_url(f"{site}/kk-arab/admin/live/livecoverage/{live_story.pk}/change/")
    assert page.locator(".messagelist .success").count() == 1

    reader = open_page(viewport=PHONE)
    reader.goto(url_of(site, live_story, "kk-arab"))
    assert reader.locator(".live-entry").first.inner_text().endswith("بوگەت توتىپ تۇر.")
    assert reader.locator(".live-entry").count() == 4
