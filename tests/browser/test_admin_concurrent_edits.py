"""In a real browser: two editors edit one article at once, and a pasted long title is kept."""

import pytest
from django.contrib.auth.models import User

from news.models import Article
from tests.browser.conftest import new_page
from tests.builders import make_article

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password 42"


def signed_in(browser, site, username, language="en"):
    User.objects.create_superuser(username, password=PASSWORD, first_name=username.title())
    context, tab = new_page(browser)
    tab.goto(f"{site}/{language}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{site}/{language}/admin/")
    return context, tab


def open_article(tab, site, article, language):
    tab.goto(f"{site}/{language}/admin/news/article/{article.pk}/change/")
    tab.locator(".ProseMirror:visible").first.wait_for(state="visible")


def fill_field(tab, name, text):
    """Fill a translated field, first choosing its edition's tab if it is hidden."""
    field = tab.locator(f"#id_{name}")
    if not field.is_visible():
        tab.locator(f'a[href="#tab_id_{name}"]').click()
    field.fill(text)


def save(tab):
    tab.locator("input[name=_continue]").click()
    tab.wait_for_load_state()


def test_two_editors_in_two_languages_edit_two_editions_and_both_are_kept(browser, site):
    article = make_article("Budget", codes=("en", "kk-arab"), status=Article.Status.DRAFT)
    first, aigerim = signed_in(browser, site, "aigerim", "en")
    second, boris = signed_in(browser, site, "boris", "kk-arab")
    try:
        open_article(aigerim, site, article, "en")
        open_article(boris, site, article, "kk-arab")
        fill_field(aigerim, "title_en", "Budget passed")
        fill_field(boris, "title_kk_arab", "بيۋدجەت قابىلداندى")
        save(aigerim)
        save(boris)
        assert boris.locator(".merge-conflicts").count() == 0
        assert aigerim.locator(".merge-conflicts").count() == 0
    finally:
        first.close()
        second.close()
    article.refresh_from_db()
    assert article.title_en == "Budget passed"
    assert article.title_kk_arab == "بيۋدجەت قابىلداندى"


@pytest.mark.parametrize("language", ["en", "kk-arab"])
def test_same_field_conflict_is_resolved_in_the_browser(browser, site, screenshots_dir, language):
    article = make_article("Budget", codes=("en",), status=Article.Status.DRAFT)
    first, aigerim = signed_in(browser, site, "aigerim", "en")
    second, boris = signed_in(browser, site, "boris", language)
    try:
        open_article(aigerim, site, article, "en")
        open_article(boris, site, article, language)
        fill_field(aigerim, "title_en", "Hers")
        fill_field(boris, "title_en", "His")
        save(aigerim)
        save(boris)
        conflict = boris.locator(".merge-conflict")
        conflict.wait_for()
        assert "Hers" in conflict.inner_text()
        boris.locator(".merge-conflicts").scroll_into_view_if_needed()
        boris.screenshot(path=screenshots_dir / f"admin-conflict-{language}.png")
        conflict.locator("input[value=mine]").check()
        save(boris)
        assert boris.locator(".merge-conflicts").count() == 0
    finally:
        first.close()
        second.close()
    article.refresh_from_db()
    assert article.title_en == "His"


def test_a_pasted_long_title_is_counted_kept_and_refused(browser, site):
    article = make_article("Budget", codes=("en",), status=Article.Status.DRAFT)
    context, tab = signed_in(browser, site, "aigerim", "en")
    try:
        open_article(tab, site, article, "en")
        counter = tab.locator("#id_title_en-length")
        assert counter.inner_text() == f"{len(article.title_en)} / 300"
        fill_field(tab, "title_en", "x" * 10_000)
        assert counter.inner_text() == "10,000 / 300: too long by 9,700, shorten it"
        assert "over-limit" in counter.get_attribute("class")
        save(tab)
        refusal = tab.locator(".errorlist").first.inner_text()
        assert "at most 300 characters (it has 10000)" in refusal
        assert len(tab.locator("#id_title_en").input_value()) == 10_000
    finally:
        context.close()
    article.refresh_from_db()
    assert article.title_en != "x" * 10_000
