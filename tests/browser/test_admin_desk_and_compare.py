"""The desk, the workflow panel and the revision comparison in a real browser, in English
and in right-to-left Arabic-script Kazakh, under the strict CSP; screenshots are kept."""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import User
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from tests.builders import make_article

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def saved(article, user, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        reversion.set_user(user)


@pytest.mark.parametrize("code", ["en", "kk-arab"])
def test_desk_workflow_and_compare_pages_are_photographed(page, site, screenshots_dir, code):
    chief = User.objects.create_superuser("chief", password="a long enough password 42")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(site + f"/{code}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long enough password 42")
    page.click("input[type=submit]")
    page.wait_for_url(site + f"/{code}/admin/")

    codes = ("en", "kk", "kk-arab")
    review = make_article("Budget", codes=codes, status=Article.Status.REVIEW)
    Article.objects.filter(pk=review.pk).update(
        proposed_publish_at=timezone.now() + timedelta(hours=4)
    )
    make_article("Evening", codes=codes, published_at=timezone.now() + timedelta(hours=2))
    make_article("Morning", codes=codes, published_at=timezone.now() - timedelta(minutes=5))
    saved(review, chief)
    saved(
        review,
        chief,
        lead_en="The senate passed the budget on Wednesday.",
        title_kk_arab="سەنات جاڭا بيۋدجەتتى قابىلدادى",
    )

    page.select_option("#desk-edition", "kk-arab")
    page.click(".desk-edition button")
    page.wait_for_url(site + f"/{code}/admin/")
    assert page.locator(".desk-review .desk-count").inner_text() == "1"
    page.screenshot(path=screenshots_dir / f"admin-desk-{code}.png", full_page=True)

    page.goto(site + f"/{code}/admin/news/article/{review.pk}/change/")
    assert page.locator(".workflow-panel button[value=approve_now]").is_visible()
    page.screenshot(path=screenshots_dir / f"admin-workflow-{code}.png", full_page=False)

    page.goto(site + f"/{code}/admin/news/article/{review.pk}/history/")
    page.click(".submit-row input[type=submit]")
    newer, older = Version.objects.get_for_object(review)[:2]
    page.wait_for_url(f"**/history/compare/?new={newer.pk}&old={older.pk}")
    assert page.locator("ins").count() >= 2 and page.locator("del").count() >= 1
    page.screenshot(path=screenshots_dir / f"admin-compare-{code}.png", full_page=True)

    assert page.evaluate("window.__violations") == []
