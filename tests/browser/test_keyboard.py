"""A reader with only a keyboard can skip to the news, reach every edition, and sees
where the focus is."""

import pytest

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, id: el.id, cls: el.className, text: el.textContent.trim(),
    inSwitcher: !!el.closest('.switcher'), inMain: !!el.closest('main'),
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    x: el.getBoundingClientRect().x,
  };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site, newsroom, code):
    page.goto(f"{site}/{code}/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link"
    assert first["x"] >= 0  # shown on screen once focused
    assert first["outline"] != "none"

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"
    page.keyboard.press("Tab")
    assert focused(page)["inMain"]


def test_every_edition_link_is_reachable_by_tab_with_a_visible_outline(page, site, newsroom):
    page.goto(f"{site}/en/")
    reached = {}
    for _ in range(30):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["inSwitcher"]:
            reached[now["text"]] = now
        elif reached:
            break
    assert list(reached) == ["En", "ру", "қз", "qz", "中文", "ق ز", "Ўз"]
    for label, link in reached.items():
        assert link["outline"] != "none" and link["outlineWidth"] >= 2, label
