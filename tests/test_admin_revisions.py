"""Every save of an article is kept; editors see who changed what and restore old versions."""

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


def history_url(article):
    return f"/en/admin/news/article/{article.pk}/history/"


def revision_url(article, version):
    return f"/en/admin/news/article/{article.pk}/history/{version.pk}/"


@pytest.fixture
def written(client):
    """An article written by an editor, then rewritten in two editions by another."""
    category, senate = make_category(), make_tag(name="Senate")
    first = article_form_data(
        category,
        title_en="First title",
        title_ru="Первый заголовок",
        body_ru="<p>Первый текст</p>",
        tags=[senate.pk],
    )
    client.force_login(make_staff(EDITOR, "aigerim"))
    assert client.post(add_url(), first).status_code == 302
    article = Article.objects.get()
    client.force_login(make_staff(EDITOR, "bolat"))
    second = {**first, "title_en": "Second title", "title_ru": "Второй заголовок", "tags": []}
    assert client.post(change_url(article), second).status_code == 302
    return article, first


def test_every_save_is_kept_with_who_and_when(client, written):
    article, _first = written
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    assert [v.revision.user.username for v in versions] == ["bolat", "aigerim"]
    html = client.get(history_url(article)).content.decode()
    assert "aigerim" in html and "bolat" in html
    assert "Changed Title [English], Title [Russian], Tags" in html


def test_restoring_an_old_revision_brings_back_every_edition_and_tags(client, written):
    article, first = written
    oldest = Version.objects.get_for_object(article).last()
    client.force_login(make_staff(CHIEF_EDITOR))
    form = client.get(revision_url(article, oldest)).content.decode()
    assert 'value="First title"' in form and 'value="Первый заголовок"' in form
    article.refresh_from_db()
    assert article.title_en == "Second title"  # looking at a revision changes nothing
    response = client.post(revision_url(article, oldest), first)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title_en, article.title_ru) == ("First title", "Первый заголовок")
    assert [tag.name_en for tag in article.tags.all()] == ["Senate [en]"]
    assert Version.objects.get_for_object(article).count() == 3


def test_an_editor_cannot_restore_over_a_published_article(client, written):
    article, first = written
    oldest = Version.objects.get_for_object(article).last()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    client.force_login(make_staff(EDITOR, "carlos"))
    assert client.post(revision_url(article, oldest), first).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.title_en == "Second title"
