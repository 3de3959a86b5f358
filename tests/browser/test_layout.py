"""Every edition renders in its language and direction, mirrored for kk-arab, with real
glyphs for Chinese and Arabic script, and fits a phone without sideways scrolling."""

import subprocess

import pytest

from core import editions
from tests.browser.conftest import HEADLINES, PHONE, unavailable

pytestmark = pytest.mark.browser


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_every_edition_home_page_has_its_language_and_direction(page, site, newsroom):
    for edition in editions.EDITIONS:
        response = page.goto(f"{site}/{edition.code}/")
        assert response.status == 200, edition.code
        html = page.locator("html")
        assert html.get_attribute("lang") == edition.bcp47
        assert html.get_attribute("dir") == ("rtl" if edition.bidi else "ltr")
        # The direction is the one the browser lays out, not only an attribute.
        assert page.evaluate("getComputedStyle(document.body).direction") == html.get_attribute(
            "dir"
        )
        assert page.locator(".lead-story h2").inner_text() == HEADLINES[edition.code]


@pytest.mark.parametrize("code, sidebar_side", [("en", "right"), ("kk-arab", "left")])
def test_desktop_layout_is_mirrored_for_right_to_left(page, site, newsroom, code, sidebar_side):
    page.goto(f"{site}/{code}/")
    content, sidebar = box(page, "main"), box(page, "aside.sidebar")
    if sidebar_side == "right":
        assert sidebar["x"] >= content["x"] + content["width"]
    else:
        assert sidebar["x"] + sidebar["width"] <= content["x"]
    # Side by side at desktop width.
    assert abs(sidebar["y"] - content["y"]) < 50

    switcher = page.locator(".switcher a")
    first, last = switcher.first.bounding_box(), switcher.last.bounding_box()
    assert first["y"] == pytest.approx(last["y"], abs=2)  # one row
    if sidebar_side == "right":
        assert first["x"] < last["x"]  # "En" first, on the left
    else:
        assert first["x"] > last["x"]  # "En" first, on the right


def font_families_for(language):
    """Installed font families that cover `language`, as fontconfig reports them."""
    try:
        listing = subprocess.run(
            ["fc-list", f":lang={language}", "family"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        unavailable(f"fc-list cannot tell which fonts are installed: {error}")
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


@pytest.mark.parametrize(
    "code, language, package",
    [("zh-hans", "zh-cn", "fonts-noto-cjk"), ("kk-arab", "kk", "fonts-noto-core")],
)
def test_chinese_and_arabic_script_headlines_render_with_real_glyphs(
    page, site, newsroom, code, language, package
):
    # fontconfig knows Kazakh only in Cyrillic; "ar" stands for the Arabic script.
    families = font_families_for("ar" if code == "kk-arab" else language)
    if not families:
        unavailable(f"no font for {code} is installed: apt-get install {package}")
    page.goto(f"{site}{newsroom.lead.get_absolute_url().replace('/en/', f'/{code}/', 1)}")
    assert page.locator("h1").inner_text() == HEADLINES[code]

    # Ask Chromium which fonts it drew the headline with: each must cover the script,
    # otherwise the reader sees empty boxes.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
    script_fonts = [font for font in used if font["familyName"] in families]
    assert script_fonts, (used, sorted(families)[:10])
    drawn = sum(font["glyphCount"] for font in script_fonts)
    assert drawn >= len(HEADLINES[code].replace(" ", ""))


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_phone_width_pages_never_scroll_sideways_and_stack_the_sidebar(
    open_page, site, newsroom, code
):
    page = open_page(viewport=PHONE)
    article = newsroom.lead.get_absolute_url().replace("/en/", f"/{code}/", 1)
    for path in (f"/{code}/", f"/{code}/category/news/", article):
        assert page.goto(site + path).status == 200, path
        scroll_width, inner_width = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, (path, scroll_width, inner_width)
        content, sidebar = box(page, "main"), box(page, "aside.sidebar")
        assert sidebar["y"] >= content["y"] + content["height"], path
        assert sidebar["width"] == pytest.approx(content["width"], abs=1), path
