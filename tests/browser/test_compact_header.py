"""With the widgets full of data, the header stays compact on a phone: an article's first
line of text is on the first screen, nothing scrolls sideways, and the widgets keep
their labels in view, at phone and desktop size, in four scripts."""

import importlib

import pytest
from django.apps import apps

from widgets.demo import load_samples

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

# Where the first line of the article's text sits, and the widget labels' boxes.
MEASURE = """() => {
  // The first line: the box of the body's first character.
  const body = document.querySelector(".article .body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT,
    {acceptNode: node => node.textContent.trim() ? NodeFilter.FILTER_ACCEPT
                                                 : NodeFilter.FILTER_SKIP});
  const text = walker.nextNode();
  const range = document.createRange();
  const start = text.textContent.search(/\\S/);
  range.setStart(text, start);
  range.setEnd(text, start + 1);
  const labels = [...document.querySelectorAll(".widget-label")].map(label => {
    const box = label.getBoundingClientRect();
    const style = getComputedStyle(label);
    return {text: label.textContent.trim(), left: box.left, right: box.right, top: box.top,
            hidden: style.visibility !== "visible" || style.clipPath !== "none" || box.width < 10};
  });
  return {firstLineBottom: range.getBoundingClientRect().bottom,
          scrollWidth: document.scrollingElement.scrollWidth, innerWidth, innerHeight, labels};
}"""


@pytest.fixture
def article_with_widgets(illustrated):
    # The live server's database is emptied between tests, the cities the migration
    # adds included: put them back, then the recorded samples, as `make run` loads them.
    importlib.import_module("widgets.migrations.0002_default_cities").create_cities(apps, None)
    load_samples()
    return illustrated.lead


@pytest.mark.parametrize("code", ["en", "ru", "kk-arab", "zh-hans"])
@pytest.mark.parametrize("size", SIZES)
def test_first_body_line_is_on_the_first_screen_with_labelled_widgets(
    open_page, site, article_with_widgets, code, size
):
    page = open_page(viewport=SIZES[size])
    url = article_with_widgets.get_absolute_url().replace("/en/", f"/{code}/", 1)
    assert page.goto(site + url).status == 200
    seen = page.evaluate(MEASURE)
    name = f"{code} at {size}"
    assert seen["scrollWidth"] <= seen["innerWidth"], (name, seen["scrollWidth"])
    assert seen["firstLineBottom"] <= seen["innerHeight"], (name, seen["firstLineBottom"])
    labels = seen["labels"]
    assert len(labels) == 2, name
    for label in labels:
        assert label["text"] and not label["hidden"], (name, label)
        # In view, not scrolled off the side of a widget's line.
        assert label["left"] >= 0 and label["right"] <= seen["innerWidth"], (name, label)
        assert 0 <= label["top"] < seen["innerHeight"], (name, label)


def test_desktop_widgets_read_like_the_reference(open_page, site, article_with_widgets):
    page = open_page(viewport=SIZES["desktop"])
    page.goto(f"{site}/en/")
    rates = " ".join(page.locator(".widget.rates").inner_text().split())
    weather = " ".join(page.locator(".widget.weather").inner_text().split())
    assert rates.startswith("Currency rates: usd/kzt 447.9"), rates
    assert weather.startswith("Weather: Astana −3°C"), weather
    # One line each at desktop width.
    for selector in (".widget.rates", ".widget.weather .current-city"):
        box = page.locator(selector).bounding_box()
        assert box["height"] < 40, (selector, box)
