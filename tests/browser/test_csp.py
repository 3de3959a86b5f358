"""Under the strict Content-Security-Policy, reader pages and the admin work in a
real browser and the browser reports no violation."""

import pytest
from django.contrib.auth.models import User

from tests.builders import make_article, make_author, make_tag

pytestmark = pytest.mark.browser

# Runs before any page script (Playwright injects it past the CSP) and keeps
# every violation the browser reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations from events and from the console collected."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return console + page.evaluate("window.__violations")

    page.violations = violations
    return page


def test_article_page_runs_its_beacon_and_keeps_its_structured_data(watched, site, newsroom):
    article = newsroom.lead
    with watched.expect_response(lambda r: r.url.endswith(f"/article/{article.pk}/seen/")) as hit:
        watched.goto(site + article.get_absolute_url())
    assert hit.value.status == 204
    assert watched.locator('script[type="application/ld+json"]').count() == 2
    assert (found := watched.violations()) == [], "\n".join(found)


def sign_in(page, site):
    User.objects.create_superuser("chief", password="a long enough password 42")
    page.goto(site + "/en/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long enough password 42")
    page.click("input[type=submit]")
    page.wait_for_url(site + "/en/admin/")


def test_admin_works_under_the_policy(watched, site, newsroom):
    sign_in(watched, site)
    make_tag("election", name="Election")
    make_author("aigerim", name="Aigerim")
    article = make_article("In the admin", codes=("en",), category=newsroom.news)

    watched.goto(site + "/en/admin/news/article/")
    assert watched.locator("#result_list").is_visible()

    watched.goto(site + f"/en/admin/news/article/{article.pk}/change/")
    # The rich-text editor (an ES module loaded through an inline import map) starts.
    editor = watched.locator(".ProseMirror:visible").first
    editor.wait_for(state="visible")
    editor.click()
    watched.keyboard.type(" typed under CSP")
    assert "typed under CSP" in editor.inner_text()

    # The tags autocomplete (select2, fed by the admin's JSON view) finds a tag.
    watched.locator(".field-tags .select2-selection").click()
    watched.locator('.select2-search__field[aria-controls="select2-id_tags-results"]').fill("Elec")
    watched.locator(".select2-results__option", has_text="Election").wait_for()

    assert (found := watched.violations()) == [], "\n".join(found)
