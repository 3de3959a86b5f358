"""The article form and the sign-in page fit at 1280 and 1920 px in every admin language:
no two buttons or inputs overlap, nothing in the header is cut off, and the title and
lead inputs take the form's width. The slug follows the title as the editor types, by
the same rules as the server, in the article and the gallery forms."""

import pytest

from core import editions, slugs
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, make_staff
from tests.browser.conftest import DESKTOP, headline_fields
from tests.builders import make_article, make_category

pytestmark = pytest.mark.browser

PASSWORD = "unused-in-tests"  # tests.admin_helpers.make_staff's
WIDE = {"width": 1920, "height": 1080}

# Pairs of visible controls (and headings' text) whose boxes intersect, described for the
# failure message.
OVERLAPS = """
() => {
  const selector = "button, input:not([type=hidden]), select, textarea, a.button, "
    + ".object-tools a, .submit-row a, #site-name a";
  const visible = (el) => el.offsetParent !== null
    && getComputedStyle(el).visibility !== "hidden";
  const boxes = [...document.querySelectorAll(selector)].filter(visible)
    .map((el) => ({ el, r: el.getBoundingClientRect() }));
  // A heading's text, not its block: the block spans the line whether or not the words do.
  for (const el of document.querySelectorAll("#content > h1, #content > h2")) {
    if (!visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    boxes.push({ el, r: range.getBoundingClientRect() });
  }
  const shown = boxes.filter(({ r }) => r.width > 0 && r.height > 0);
  const name = (el) => `${el.tagName.toLowerCase()}#${el.id || ""}.${el.className || ""}`
    + `[${(el.value || el.textContent || "").trim().slice(0, 30)}]`;
  const found = [];
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const a = shown[i], b = shown[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) found.push(`${name(a.el)} / ${name(b.el)}`);
    }
  }
  return found;
}
"""

# Header parts whose text is cut off: content wider than its box, or a box reaching out
# of the header (whose container clips it on the sign-in page) or of the viewport.
CLIPPED = """
(selectors) => {
  const header = document.getElementById("header").getBoundingClientRect();
  const right = Math.min(header.right, document.documentElement.clientWidth);
  const left = Math.max(header.left, 0);
  return selectors.flatMap((selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => el.scrollWidth > el.clientWidth + 1
      || el.getBoundingClientRect().right > right + 1
      || el.getBoundingClientRect().left < left - 1)
    .map((el) => `${selector}: ${el.textContent.trim().slice(0, 40)}`));
}
"""
HEADER = ["#site-name", "#site-name a", ".admin-language", ".admin-language button"]


def sign_in(page, site, language, username):
    page.goto(f"{site}/{language}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/{language}/admin/")


@pytest.fixture
def long_article(site):
    make_staff(CHIEF_EDITOR, "chief")
    # Long titles, the longest in Uzbek, where the title used to run under the buttons.
    fields = headline_fields()
    for code in editions.CODES:
        fields[f"title_{code.replace('-', '_')}"] = " ".join(
            [fields[f"title_{code.replace('-', '_')}"]] * 3
        )
    return make_article(
        codes=(),
        category=make_category(),
        status=Article.Status.DRAFT,
        slug="senate-speaker",
        **fields,
    )


@pytest.mark.parametrize("viewport", [DESKTOP, WIDE], ids=["1280", "1920"])
@pytest.mark.parametrize("language", ["en", "kk-arab", "uz"])
def test_change_form_has_no_overlapping_controls(
    open_page, site, long_article, screenshots_dir, language, viewport
):
    page = open_page(viewport)
    sign_in(page, site, language, "chief")
    page.goto(f"{site}/{language}/admin/news/article/{long_article.pk}/change/")
    page.locator("#id_title_en").wait_for(state="attached")
    page.screenshot(
        path=screenshots_dir / f"admin-change-form-{language}-{viewport['width']}.png",
        full_page=True,
    )
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(CLIPPED, HEADER) == []
    # The title and the lead take the form's width, not ~270 px.
    row = page.locator("#article_form fieldset.module").first.bounding_box()
    for name in ("title", "lead"):
        field = page.locator(f"[id^=id_{name}_]:visible").first.bounding_box()
        assert field["width"] >= 0.6 * row["width"], name
    # Leave the form while the server is up: the co-editing script says goodbye on leaving.
    page.goto(f"{site}/{language}/admin/")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [DESKTOP, WIDE], ids=["1280", "1920"])
@pytest.mark.parametrize("language", ["en", "kk-arab", "uz"])
def test_sign_in_header_is_not_cut_off(open_page, site, screenshots_dir, language, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/{language}/admin/login/")
    page.screenshot(path=screenshots_dir / f"admin-sign-in-{language}-{viewport['width']}.png")
    assert page.evaluate(CLIPPED, HEADER) == []
    assert page.evaluate(OVERLAPS) == []


def test_article_list_is_dense_with_its_columns(open_page, site, long_article, screenshots_dir):
    for _ in range(20):
        make_article(category=long_article.category)
    page = open_page(DESKTOP)
    sign_in(page, site, "kk", "chief")
    page.goto(f"{site}/kk/admin/news/article/")
    page.screenshot(path=screenshots_dir / "admin-article-list-kk-1280.png")
    for column in ("thumbnail", "title_and_filing", "edition_marks", "state", "updated_at"):
        assert page.locator(f"th.column-{column}").count() == 1, column
    assert page.locator("th.column-updated_by_name").count() == 1
    # At least eight rows on a 900 px screen (it was three or four).
    row = page.locator("#result_list tbody tr").nth(7).bounding_box()
    assert row["y"] + row["height"] <= DESKTOP["height"]
    # Every column shows: the table is no wider than its box, nothing scrolls sideways.
    assert page.evaluate(
        "(() => { const box = document.querySelector('.results');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_slug_follows_the_title_by_the_servers_rules(open_page, site):
    make_staff(CHIEF_EDITOR, "chief")
    page = open_page(DESKTOP)
    sign_in(page, site, "en", "chief")
    page.goto(f"{site}/en/admin/news/article/add/")
    page.fill("#id_title_en", "Senate passes the budget")
    assert page.input_value("#id_slug") == "senate-passes-the-budget"
    # A Cyrillic title comes first: Kazakh by the project's Latin alphabet.
    title = "Сенат Шығыс өңірдің бюджетін қабылдады"
    page.locator("#id_title_kk").evaluate(
        "(el, value) => { el.value = value; el.dispatchEvent(new Event('input')); }", title
    )
    assert page.input_value("#id_slug") == slugs.slugify(title, "kk", 200)
    # Typed by hand, the slug stays as typed.
    page.fill("#id_slug", "my-own-slug")
    page.fill("#id_title_en", "Something else")
    assert page.input_value("#id_slug") == "my-own-slug"


def test_gallery_slug_follows_the_title_as_the_articles_does(open_page, site):
    make_staff(CHIEF_EDITOR, "chief")
    page = open_page(DESKTOP)
    sign_in(page, site, "en", "chief")
    page.goto(f"{site}/en/admin/multimedia/gallery/add/")
    page.fill("#id_title_en", "Flood in the north")
    assert page.input_value("#id_slug") == "flood-in-the-north"
    # The Kazakh title comes first, as for articles (Django's prepopulate took only English).
    page.locator("#id_title_kk").evaluate(
        "(el, value) => { el.value = value; el.dispatchEvent(new Event('input')); }",
        "Солтүстіктегі су тасқыны",
    )
    assert page.input_value("#id_slug") == "soltustiktegi-su-tasqyny"
    page.fill("#id_slug", "my-own-slug")
    page.fill("#id_title_en", "Something else")
    assert page.input_value("#id_slug") == "my-own-slug"
