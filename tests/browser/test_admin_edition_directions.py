"""The article change form at 1280 px in English, Arabic-script Kazakh and Uzbek: each
translated field runs in its own edition's direction, the rich-text editor's editing
area included, and the editor's toolbar and the edition tabs speak the admin's language."""

import pytest
from django.contrib.auth.models import User
from modeltranslation.utils import build_localized_fieldname

from core import editions
from tests.builders import make_article

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password 42"

FIELD_DIRECTIONS = """
() => Array.from(document.querySelectorAll("[data-edition-label]")).map((el) => ({
  name: el.name, lang: el.lang, direction: getComputedStyle(el).direction,
}))
"""
EDITOR_AREAS = """
() => Array.from(
  document.querySelectorAll("textarea[data-django-prose-editor-configurable]")
).map((el) => {
  const root = el.closest(".prose-editor") || el.parentElement;
  const area = root.querySelector("[contenteditable]");
  return {name: el.name, direction: area && getComputedStyle(area).direction,
          lang: area && area.lang};
})
"""
TOOLBAR_TITLES = """
() => Array.from(document.querySelectorAll(".prose-editor [title]")).map((el) => el.title)
"""
MENU_TEXTS = """
() => Array.from(document.querySelectorAll(".prose-editor *"))
  .filter((el) => el.children.length === 0 && !el.isContentEditable
          && !el.closest("[contenteditable]") && !el.classList.contains("material-icons"))
  .map((el) => el.textContent.trim()).filter(Boolean)
"""
TAB_NAMES = """
() => Array.from(document.querySelectorAll(".ui-tabs-nav a")).map((a) => [a.textContent, a.lang])
"""
SWITCH_NAMES = """
() => Array.from(document.querySelectorAll(".modeltranslation-switch option")).map(
  (o) => [o.textContent, o.lang])
"""
TAB_CASE = """
() => getComputedStyle(document.querySelector(".ui-tabs-nav a")).textTransform
"""


def expected(name):
    """The edition of a translated field's name: body_kk_arab is kk-arab's."""
    (edition,) = [
        e for e in editions.EDITIONS if name.endswith(build_localized_fieldname("", e.code))
    ]
    return edition


@pytest.mark.parametrize("code", ["en", "kk-arab", "uz"])
def test_each_translated_field_runs_in_its_editions_direction(page, site, screenshots_dir, code):
    User.objects.create_superuser("chief", password=PASSWORD)
    article = make_article(codes=editions.CODES)
    page.goto(site + f"/{code}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + f"/{code}/admin/")
    page.goto(site + f"/{code}/admin/news/article/{article.pk}/change/")
    page.wait_for_selector(".prose-editor [contenteditable]", state="attached")
    page.wait_for_selector(".ui-tabs-nav a[lang]", state="attached")

    fields = page.evaluate(FIELD_DIRECTIONS)
    assert len(fields) >= 5 * len(editions.CODES)  # title, lead, body, dateline, caption…
    for field in fields:
        edition = expected(field["name"])
        assert field["lang"] == edition.bcp47, field
        assert field["direction"] == ("rtl" if edition.bidi else "ltr"), field

    areas = page.evaluate(EDITOR_AREAS)
    assert len(areas) == len(editions.CODES)
    for area in areas:
        edition = expected(area["name"])
        assert area["direction"] == ("rtl" if edition.bidi else "ltr"), area
        assert area["lang"] == edition.bcp47, area

    # The toolbar's tooltips are translated (English only in the English admin).
    titles = page.evaluate(TOOLBAR_TITLES)
    assert titles
    if code != "en":
        assert not {"bold", "italic", "undo", "insert link", "Insert table"} & set(titles), titles
    # So is the block menu ("Paragraph", "Heading 2"), which is text, not tooltips.
    menu = set(page.evaluate(MENU_TEXTS))
    if code != "en":
        assert not {"Paragraph", "Heading 2", "Heading 3"} & menu, menu
    else:
        assert {"Paragraph", "Heading 2"} <= menu, menu
    # The tabs carry the switcher's labels, each in its own language.
    tabs = page.evaluate(TAB_NAMES)
    assert [list(tab) for tab in tabs[: len(editions.EDITIONS)]] == [
        [edition.label, edition.bcp47] for edition in editions.EDITIONS
    ]
    assert page.evaluate(SWITCH_NAMES) == [
        [edition.label, edition.bcp47] for edition in editions.EDITIONS
    ]
    assert page.evaluate(TAB_CASE) == "none"  # "ру" and "qz", not "РУ" and "QZ"
    shot = screenshots_dir / f"admin-change-form-directions-{code}.png"
    page.screenshot(path=shot, full_page=True)


def test_the_gallery_form_names_its_tabs_and_directions_as_the_article_form(page, site):
    User.objects.create_superuser("chief", password=PASSWORD)
    page.goto(site + "/ru/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/ru/admin/")
    page.goto(site + "/ru/admin/multimedia/gallery/add/")
    page.wait_for_selector(".ui-tabs-nav a[lang]", state="attached")
    tabs = page.evaluate(TAB_NAMES)
    assert [list(tab) for tab in tabs[: len(editions.EDITIONS)]] == [
        [edition.label, edition.bcp47] for edition in editions.EDITIONS
    ]
    fields = [f for f in page.evaluate(FIELD_DIRECTIONS) if f["name"].startswith("title_")]
    assert len(fields) == len(editions.CODES)
    for field in fields:
        edition = expected(field["name"])
        assert field["lang"] == edition.bcp47, field
        assert field["direction"] == ("rtl" if edition.bidi else "ltr"), field
