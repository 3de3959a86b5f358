"""Any two revisions side by side, edition by edition; one field restored from an old one."""

import re

import pytest
from reversion.models import Version

from news.models import Article
from tests.admin_helpers import (
    CHIEF_EDITOR,
    EDITOR,
    add_url,
    article_form_data,
    change_url,
    make_staff,
)
from tests.builders import make_category, make_tag

pytestmark = pytest.mark.django_db


def compare_url(article, old, new, code="en"):
    return f"/{code}/admin/news/article/{article.pk}/history/compare/?old={old.pk}&new={new.pk}"


def restore_url(article):
    return f"/en/admin/news/article/{article.pk}/history/compare/restore/"


@pytest.fixture
def written(client):
    """Saved twice: the second save changes the English lead, the Arabic-script title, tags."""
    category, senate = make_category(), make_tag(name="Senate")
    first = article_form_data(
        category,
        title_en="Senate passes the budget",
        lead_en="The senate passed the budget on Tuesday.",
        title_kk_arab="سەنات بيۋدجەتتى قابىلدادى",
        body_kk_arab="<p>مәتىن</p>",
        tags=[senate.pk],
    )
    client.force_login(make_staff(EDITOR, "aigerim"))
    assert client.post(add_url(), first).status_code == 302
    article = Article.objects.get()
    second = {
        **first,
        "lead_en": "The senate passed the budget on Wednesday.",
        "title_kk_arab": "سەنات جاڭا بيۋدجەتتى قابىلدادى",
        "tags": [],
    }
    client.force_login(make_staff(EDITOR, "bolat"))
    assert client.post(change_url(article), second).status_code == 302
    newer, older = Version.objects.get_for_object(article)[:2]
    return article, older, newer


def section(html, heading):
    """The compare table under the group `heading`."""
    start = html.index(f">{heading}</h2>")
    end = html.find("</section>", start)
    return html[start:end]


def test_history_offers_two_revisions_to_compare(client, written):
    article, older, newer = written
    html = client.get(f"/en/admin/news/article/{article.pk}/history/").content.decode()
    assert f'action="/en/admin/news/article/{article.pk}/history/compare/"' in html
    assert f'name="old" value="{older.pk}"' in html and f'name="new" value="{newer.pk}"' in html


def test_compare_shows_the_changed_field_with_deletions_and_additions(client, written):
    article, older, newer = written
    html = client.get(compare_url(article, older, newer)).content.decode()
    english = section(html, "English")
    assert "Lead" in english
    assert "<del>Tuesday</del>" in english and "<ins>Wednesday</ins>" in english
    assert "Title" not in english  # the English title did not change
    arabic = section(html, "قازاقشا")
    assert 'lang="kk-Arab" dir="rtl"' in arabic and "<ins>جاڭا </ins>" in arabic
    shared = section(html, "Shared by all editions")
    assert "<del>Senate [en]</del>" in shared
    assert "aigerim" in html and "bolat" in html
    for unchanged in ("Русский", "中文", "Ўзбекча"):
        assert f">{unchanged}</h2>" not in html


def test_compare_is_the_same_whichever_order_the_revisions_are_chosen(client, written):
    article, older, newer = written
    forwards = client.get(compare_url(article, older, newer)).content.decode()
    backwards = client.get(compare_url(article, newer, older)).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

    def content(html):
        return strip.sub("", html[html.index('id="content-main"') :])

    assert content(forwards) == content(backwards)


def test_compare_speaks_the_admins_language(client, written):
    article, older, newer = written
    html = client.get(compare_url(article, older, newer, code="ru")).content.decode()
    assert "Общее для всех изданий" in html
    assert "Восстановить это значение" in html
    assert "Shared by all editions" not in html and "Restore this value" not in html


def test_compare_page_has_no_inline_script_or_style(client, written):
    article, older, newer = written
    response = client.get(compare_url(article, older, newer))
    html = response.content.decode()
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("query", ["?old=1", "?old=x&new=y", "?old=999999&new=999998", ""], ids=str)
def test_bad_revision_numbers_are_404_not_500(client, written, query):
    article, _older, _newer = written
    url = f"/en/admin/news/article/{article.pk}/history/compare/{query}"
    assert client.get(url).status_code == 404


def test_a_revision_of_another_article_cannot_be_compared(client, written):
    article, older, _newer = written
    client.post(add_url(), article_form_data(make_category(), slug="other"))
    other = Version.objects.get_for_object(Article.objects.get(slug="other")).get()
    assert client.get(compare_url(article, older, other)).status_code == 404


def test_restoring_one_field_keeps_every_other_field(client, written):
    article, older, _newer = written
    response = client.post(
        restore_url(article), {"version": older.pk, "field": "lead_en"}, follow=True
    )
    assert "is back as it was on" in response.content.decode()
    article.refresh_from_db()
    assert article.lead_en == "The senate passed the budget on Tuesday."
    assert article.title_kk_arab == "سەنات جاڭا بيۋدجەتتى قابىلدادى"  # the newer one stays
    assert list(article.tags.all()) == []
    latest = Version.objects.get_for_object(article).first()
    assert latest.revision.user.username == "bolat"
    history = client.get(f"/en/admin/news/article/{article.pk}/history/").content.decode()
    assert "Restored lead [English] from the revision of" in history


def test_restoring_tags_from_an_old_revision(client, written):
    article, older, _newer = written
    client.post(restore_url(article), {"version": older.pk, "field": "tags"})
    assert [tag.name_en for tag in article.tags.all()] == ["Senate [en]"]


def test_only_values_that_differ_from_the_article_now_offer_a_restore(client, written):
    article, older, newer = written
    html = client.get(compare_url(article, older, newer)).content.decode()
    assert f'name="version" value="{older.pk}"' in html
    assert f'name="version" value="{newer.pk}"' not in html  # the newer one is the article now


def test_status_is_never_restored_on_its_own(client, written):
    article, older, _newer = written
    response = client.post(
        restore_url(article), {"version": older.pk, "field": "status"}, follow=True
    )
    assert "cannot be restored on its own" in response.content.decode()


def test_an_editor_cannot_restore_a_field_of_a_published_article(client, written):
    article, older, _newer = written
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    response = client.post(restore_url(article), {"version": older.pk, "field": "lead_en"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.lead_en.endswith("Wednesday.")


def test_the_chief_editor_may_restore_on_a_published_article(client, written):
    article, older, _newer = written
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    client.force_login(make_staff(CHIEF_EDITOR))
    html = client.get(compare_url(article, older, _newer)).content.decode()
    assert "Restore this value" in html
    client.post(restore_url(article), {"version": older.pk, "field": "lead_en"})
    article.refresh_from_db()
    assert article.lead_en.endswith("Tuesday.")
