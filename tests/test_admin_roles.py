"""The Editor and Chief editor roles: what each may do in the admin, enforced on the server."""

import pytest
from django.contrib.auth.models import Group

from news.models import Article, Author, Tag
from tests.admin_helpers import (
    CHIEF_EDITOR,
    EDITOR,
    add_url,
    article_form_data,
    change_url,
    form_data_of,
    make_staff,
)
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    return user


@pytest.fixture
def chief(client):
    user = make_staff(CHIEF_EDITOR)
    client.force_login(user)
    return user


def test_the_migration_makes_both_groups_with_their_permissions():
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    chief = set(Group.objects.get(name=CHIEF_EDITOR).permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "add_tag", "change_author"} <= editor
    assert "publish_article" not in editor and "delete_article" not in editor
    assert {"publish_article", "delete_article", "change_category", "change_sitesettings"} <= chief


def test_editor_can_write_a_draft(client, editor):
    response = client.post(add_url(), article_form_data(make_category()))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="from-the-admin")
    assert article.status == Article.Status.DRAFT
    assert article.title_en == "Written in the admin"


def test_editor_is_not_offered_publishing(client, editor):
    html = client.get(add_url()).content.decode()
    assert 'value="draft"' in html
    assert 'value="published"' not in html


def test_editor_crafted_post_to_publish_a_new_article_is_refused(client, editor):
    data = article_form_data(make_category(), status=Article.Status.PUBLISHED)
    response = client.post(add_url(), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert not Article.objects.exists()


def test_editor_crafted_post_to_publish_a_draft_is_refused(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    data = form_data_of(draft, status=Article.Status.PUBLISHED)
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_cannot_change_or_unpublish_a_published_article(client, editor):
    published = make_article(status=Article.Status.PUBLISHED)
    page = client.get(change_url(published))
    assert page.status_code == 200  # they may read it …
    assert 'name="_save"' not in page.content.decode()  # … but not save it
    data = form_data_of(published, status=Article.Status.UNPUBLISHED, title_en="Changed")
    assert client.post(change_url(published), data).status_code == 403
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
    assert published.title_en != "Changed"


def test_editor_cannot_use_the_publish_action(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    changelist = "/en/admin/news/article/"
    response = client.post(
        changelist, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert response.status_code in (200, 302)


def test_editor_cannot_delete_articles(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.post(f"/en/admin/news/article/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


def test_chief_editor_can_publish_through_the_form(client, chief):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.post(change_url(draft), form_data_of(draft, status="published"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_chief_editor_can_unpublish_and_publish_with_actions(client, chief):
    article = make_article(status=Article.Status.PUBLISHED)
    changelist = "/en/admin/news/article/"
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    client.post(changelist, {"action": "publish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_chief_editor_can_edit_a_published_article(client, chief):
    article = make_article(status=Article.Status.PUBLISHED)
    response = client.post(change_url(article), form_data_of(article, title_en="Corrected"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Corrected"


def test_editor_can_edit_their_draft(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.post(change_url(draft), form_data_of(draft, title_en="Rewritten"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Rewritten"
    assert draft.status == Article.Status.DRAFT


def test_editor_can_add_tags_and_authors(client, editor):
    for model in ("tag", "author"):
        response = client.post(f"/en/admin/news/{model}/add/", {"slug": "new", "name_en": "New"})
        assert response.status_code == 302, model
    assert Tag.objects.filter(slug="new").exists() and Author.objects.filter(slug="new").exists()


def test_editor_may_look_at_categories_but_not_change_them(client, editor):
    category = make_category(slug="politics")
    url = f"/en/admin/news/category/{category.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, {"slug": "renamed", "name_en": "Renamed", "position": 0})
    assert response.status_code == 403
    assert client.get("/en/admin/news/category/add/").status_code == 403
    category.refresh_from_db()
    assert category.slug == "politics"


def test_editor_cannot_delete_tags_or_authors(client, editor):
    tag, author = make_tag(), make_author()
    assert client.post(f"/en/admin/news/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        client.post(f"/en/admin/news/author/{author.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Tag.objects.filter(pk=tag.pk).exists() and Author.objects.filter(pk=author.pk).exists()


def test_chief_editor_can_delete_an_article(client, chief):
    article = make_article()
    response = client.post(f"/en/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_staff_without_a_role_is_refused_the_newsroom(client):
    from django.contrib.auth.models import User

    user = User.objects.create_user("intern", password="unused", is_staff=True)
    client.force_login(user)
    assert client.get("/en/admin/news/article/").status_code == 403
    assert client.post(add_url(), article_form_data(make_category())).status_code == 403
    assert not Article.objects.exists()
