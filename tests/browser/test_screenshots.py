"""Every kind of reader page, at phone and desktop width, in four scripts, renders
in its language without sideways scrolling; a screenshot of each is kept for people
to look at (CI artifacts, in the folder printed at the end of the run)."""

import pytest

from core import editions
from tests.browser.conftest import DESKTOP, PHONE, reader_pages

pytestmark = pytest.mark.browser

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
# Headlines of cards whose text is pressed into a narrow column (as it was in the
# image column when a card had no image).
SQUEEZED_CARDS = """[...document.querySelectorAll("main .card")]
  .filter(card => !card.querySelector("img"))
  .filter(card => card.lastElementChild.offsetWidth < card.offsetWidth * 0.9)
  .map(card => card.querySelector("a").textContent)"""
# Phone numbers must read left to right, also inside right-to-left text.
DIRECTIONS = "links => links.map(link => getComputedStyle(link).direction)"


@pytest.mark.parametrize("code", ["en", "ru", "zh-hans", "kk-arab"])
def test_every_page_type_fits_phone_and_desktop_and_is_photographed(
    open_page, site, illustrated, screenshots_dir, code
):
    edition = editions.get(code)
    for width, viewport in WIDTHS.items():
        page = open_page(viewport=viewport)
        for kind, (path, status) in reader_pages(illustrated, code).items():
            name = f"{code}-{kind}-{width}"
            assert page.goto(site + path).status == status, name
            assert page.locator("html").get_attribute("lang") == edition.bcp47, name
            assert page.locator("main h1").count() == 1, name
            scroll_width, inner_width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (name, scroll_width, inner_width)
            assert page.evaluate(SQUEEZED_CARDS) == [], name
            assert set(page.locator('a[href^="tel:"]').evaluate_all(DIRECTIONS)) == {"ltr"}, name
            page.screenshot(path=screenshots_dir / f"{name}.png", full_page=True)
            assert (screenshots_dir / f"{name}.png").stat().st_size > 0, name
