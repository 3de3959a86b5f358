"""Galleries and video in a real browser: the viewer by keyboard, the gallery without
JavaScript, an embedded video that asks nothing of its host before the reader presses
play, and screenshots of both at phone and desktop width in English and Arabic script."""

import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core import editions
from tests.browser.conftest import DESKTOP, PHONE, headline_fields, jpeg, unavailable
from tests.browser.test_accessibility import AXE, BLOCKING, RUN_AXE
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_html_valid import vnu_command
from tests.builders import make_article, make_category, make_gallery, make_video

pytestmark = pytest.mark.browser

PLAYER_HOST = "www.youtube-nocookie.com"
# The smallest file an MP4's first bytes are recognised in (see tests/test_video.py).
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"\0" * 64


def counter_reads(page, text):
    """Waits until the viewer's counter says `text` (a function, not a string to evaluate:
    the page's policy forbids eval)."""
    page.wait_for_function(
        "text => document.querySelector('.gallery-counter').textContent === text", arg=text
    )


def gallery_with_photos(codes=editions.CODES, photos=3):
    return make_gallery(photos=photos, codes=codes, size=(900, 600))


def test_embedded_video_requests_nothing_from_its_host_before_play(page, site):
    article = make_article(category=make_category(), **headline_fields(("en",)))
    make_video(article)
    local = urlsplit(site).netloc
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(RECORD_VIOLATIONS)
    # The player's host never leaves this machine: a stand-in page answers for it.
    page.context.route(
        f"https://{PLAYER_HOST}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>player</p>"),
    )
    page.goto(site + article.get_absolute_url(), wait_until="networkidle")
    page.wait_for_timeout(500)
    assert [url for url in requests if urlsplit(url).netloc != local] == []
    assert page.locator("iframe").count() == 0

    page.get_by_role("button", name="Play video").click()
    page.wait_for_selector("iframe")
    player = page.locator(".video-facade iframe")
    assert player.get_attribute("src").startswith(f"https://{PLAYER_HOST}/embed/dQw4w9WgXcQ")
    page.wait_for_timeout(500)
    outside = {urlsplit(url).netloc for url in requests} - {local}
    assert outside == {PLAYER_HOST}
    # The player is framed under the page's Content-Security-Policy without a violation.
    assert page.evaluate("window.__violations") == []


def test_embedded_video_plays_from_the_keyboard(page, site):
    article = make_article(**headline_fields(("en",)))
    make_video(article)
    page.context.route(
        f"https://{PLAYER_HOST}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>player</p>"),
    )
    page.goto(site + article.get_absolute_url())
    page.locator(".video-play").focus()
    page.keyboard.press("Space")
    page.wait_for_selector(".video-facade iframe")


def test_gallery_viewer_moves_with_buttons_and_arrow_keys_and_counts(page, site):
    gallery = gallery_with_photos(photos=4)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(site + f"/en/galleries/{gallery.slug}/")
    counter = page.locator(".gallery-counter")
    assert counter.text_content() == "1 / 4"
    assert page.get_by_role("button", name="Previous photo").is_disabled()
    page.get_by_role("button", name="Next photo").click()
    counter_reads(page, "2 / 4")
    photos = page.locator(".gallery-photos")
    photos.focus()
    page.keyboard.press("ArrowRight")
    counter_reads(page, "3 / 4")
    page.keyboard.press("End")
    counter_reads(page, "4 / 4")
    assert page.get_by_role("button", name="Next photo").is_disabled()
    # The photo shown is the one counted, in view inside the list (once scrolling ends).
    page.wait_for_function(
        """() => {
          const list = document.querySelector(".gallery-photos");
          const last = list.children[3].getBoundingClientRect();
          return Math.abs(last.left - list.getBoundingClientRect().left) < 2;
        }""".strip()
    )
    page.keyboard.press("Home")
    counter_reads(page, "1 / 4")
    assert page.evaluate("window.__violations") == []


def test_in_right_to_left_editions_the_left_arrow_goes_forward(page, site):
    gallery = gallery_with_photos()
    page.goto(site + f"/kk-arab/galleries/{gallery.slug}/")
    with translation.override("kk-arab"):
        expected = translation.gettext("%(current)s / %(total)s") % {"current": 2, "total": 3}
    page.locator(".gallery-photos").focus()
    page.keyboard.press("ArrowLeft")
    counter_reads(page, expected)


def test_gallery_without_javascript_shows_every_photo_as_a_figure(open_page, site):
    gallery = gallery_with_photos(photos=3)
    page = open_page(java_script_enabled=False)
    page.goto(site + gallery.get_absolute_url())
    figures = page.locator(".gallery-photos figure")
    assert figures.count() == 3
    for n in range(3):
        assert figures.nth(n).is_visible()
        assert figures.nth(n).locator("img").is_visible()
    assert page.locator(".gallery button, .gallery-counter").count() == 0


def test_touch_swipe_scrolls_to_the_next_photo_and_the_counter_follows(open_page, site):
    gallery = gallery_with_photos(photos=3)
    page = open_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site + gallery.get_absolute_url())
    # A swipe ends in a scroll of the snapping list; scroll it as a finger would.
    page.locator(".gallery-photos").evaluate("list => list.scrollBy({left: list.clientWidth})")
    counter_reads(page, "2 / 3")


WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_gallery_and_video_pages_fit_and_are_photographed(open_page, site, screenshots_dir, code):
    gallery = gallery_with_photos(photos=5)
    article = make_article(codes=editions.CODES, **headline_fields())
    make_video(article)
    article.image = jpeg(size=(900, 500))
    article.save()
    gallery.article = article
    gallery.save()
    with translation.override(code):
        pages = {"gallery": gallery.get_absolute_url(), "video": article.get_absolute_url()}
    for width, viewport in WIDTHS.items():
        page = open_page(viewport=viewport)
        page.context.route(f"https://{PLAYER_HOST}/**", lambda route: route.abort())
        for kind, path in pages.items():
            name = f"{code}-{kind}-{width}"
            assert page.goto(site + path).status == 200, name
            assert page.locator("html").get_attribute("dir") == (
                "rtl" if editions.get(code).bidi else "ltr"
            )
            scroll_width, inner_width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (name, scroll_width, inner_width)
            page.screenshot(path=screenshots_dir / f"{name}.png", full_page=True)


def multimedia_pages(code):
    """{kind: path} of every page this app adds or changes, with content, in edition `code`."""
    gallery = gallery_with_photos(photos=3)
    article = make_article(codes=editions.CODES, **headline_fields())
    make_video(article)
    gallery.article = article
    gallery.save()
    uploaded = make_article(codes=editions.CODES, **headline_fields())
    make_video(uploaded, file=SimpleUploadedFile("clip.mp4", MP4))
    with translation.override(code):
        return {
            "gallery": gallery.get_absolute_url(),
            "galleries": reverse("multimedia:galleries"),
            "video-embed-article": article.get_absolute_url(),
            "video-file-article": uploaded.get_absolute_url(),
            "videos": reverse("multimedia:videos"),
        }


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_multimedia_pages_have_no_serious_accessibility_violations(open_page, site, code):
    if not AXE.is_file():
        unavailable(f"no {AXE.relative_to(settings.BASE_DIR)}: run `npm ci --ignore-scripts`")
    page = open_page(bypass_csp=True)  # as in test_accessibility: to inject axe
    page.context.route(f"https://{PLAYER_HOST}/**", lambda route: route.abort())
    problems = []
    for kind, path in multimedia_pages(code).items():
        assert page.goto(site + path).status == 200, kind
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_AXE)
        assert result["rules"] > 20, kind
        problems += [
            f"{code} {kind}: [{v['impact']}] {v['id']}: {v['help']}: " + "; ".join(v["nodes"])
            for v in result["violations"]
            if v["impact"] in BLOCKING
        ]
    assert not problems, "\n".join(problems)


def test_multimedia_pages_are_valid_html(client, db, tmp_path):
    command = vnu_command()
    files = []
    for code in ("en", "kk-arab"):
        for kind, path in multimedia_pages(code).items():
            response = client.get(path)
            assert response.status_code == 200, path
            file = tmp_path / f"{code}-{kind}.html"
            file.write_bytes(response.content)
            files.append(str(file))
    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stdout)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert not problems, "\n".join(problems)
