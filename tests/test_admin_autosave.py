"""Unsaved changes in the article form are kept on the server and offered back."""

import json
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from coediting.models import Autosave
from core.cache import generation
from news.models import Article
from tests.admin_helpers import (
    CHIEF_EDITOR,
    EDITOR,
    add_url,
    article_form_data,
    change_url,
    form_data_of,
    make_staff,
)
from tests.builders import make_article, make_category, make_tag

pytestmark = pytest.mark.django_db


def autosave_url(article=None):
    if article is None:
        return reverse("admin:news_article_autosave_new")
    return reverse("admin:news_article_autosave", args=[article.pk])


def autosave(client, article=None, since=0, labels=None, **fields):
    data = {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    return client.post(
        autosave_url(article),
        {"data": json.dumps(data), "labels": json.dumps(labels or {}), "since": since},
    )


def offered(html):
    """The autosave the form offers back: (the notice's text, the stored fields), or None."""
    found = re.search(r'<script id="coediting-autosave"[^>]*>(.*?)</script>', html)
    if not found:
        return None
    notice = re.search(r"<span>(Restore unsaved changes from [^<]*)</span>", html).group(1)
    return notice, json.loads(found.group(1))["data"]


@pytest.fixture
def editor():
    return make_staff(EDITOR, "aigerim")


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def draft():
    return make_article(codes=("en", "kk"), status=Article.Status.DRAFT)


def test_autosave_is_offered_again_after_signing_out_and_in(client, editor, draft):
    client.force_login(editor)
    answer = autosave(client, draft, title_kk="Жаңа тақырып", body_kk="<p>Жазылып жатыр</p>")
    now = timezone.localtime().strftime("%H:%M")
    assert answer.status_code == 200
    assert answer.json() == {"saved": True, "text": f"Unsaved changes stored at {now}."}

    client.post(reverse("admin:logout"))
    assert client.get(change_url(draft)).status_code == 302  # signed out indeed
    client.force_login(editor)

    notice, data = offered(client.get(change_url(draft)).content.decode())
    assert notice == f"Restore unsaved changes from {now}?"
    assert data == {"title_kk": ["Жаңа тақырып"], "body_kk": ["<p>Жазылып жатыр</p>"]}


def test_the_offer_is_in_the_admin_language(signed_in, draft):
    autosave(signed_in, draft, title_kk="Жаңа")
    html = signed_in.get(f"/kk-arab/admin/news/article/{draft.pk}/change/").content.decode()
    assert "ساقتالماعان وزگەرىستەردى قايتارۋ كەرەك پە؟" in html
    assert "وزگەرىستەرىمدى قايتارۋ" in html  # the restore button


def test_a_new_unsaved_article_is_autosaved_too(signed_in):
    tag = make_tag(name="Senate")
    answer = autosave(
        signed_in, title_en="Breaking", tags=[str(tag.pk)], labels={"tags": {str(tag.pk): "Senate"}}
    )
    assert answer.status_code == 200

    _notice, data = offered(signed_in.get(add_url()).content.decode())
    assert data == {"title_en": ["Breaking"], "tags": [str(tag.pk)]}
    assert Autosave.objects.get().labels == {"tags": {str(tag.pk): "Senate"}}


def test_autosaves_are_per_editor_and_article(client, editor, draft):
    other = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    autosave(client, draft, title_en="Mine")
    assert offered(client.get(change_url(other)).content.decode()) is None
    assert offered(client.get(add_url()).content.decode()) is None

    client.force_login(make_staff(EDITOR, "bolat"))
    assert offered(client.get(change_url(draft)).content.decode()) is None


def test_a_later_autosave_replaces_the_earlier(signed_in, draft):
    autosave(signed_in, draft, title_en="First try")
    autosave(signed_in, draft, title_en="Second try")
    assert Autosave.objects.get().data == {"title_en": ["Second try"]}


def test_autosaves_change_nothing_readers_see(client):
    article = make_article(codes=("en",), title="Public")
    public = client.get(article.get_absolute_url()).content
    before, revisions = generation(), Version.objects.count()

    # A published article is the chief editor's to change.
    client.force_login(make_staff(CHIEF_EDITOR))
    assert autosave(client, article, title_en="Draft one").status_code == 200
    assert autosave(client, article, title_en="Draft two").status_code == 200
    assert client.post(autosave_url(article), {"discard": "1"}).status_code == 200

    assert generation() == before
    assert Version.objects.count() == revisions
    client.logout()
    assert client.get(article.get_absolute_url()).content == public


def test_saving_the_form_clears_its_autosave(signed_in, draft):
    autosave(signed_in, draft, title_en="Typed")
    saved = signed_in.post(change_url(draft), form_data_of(draft, title_en="Typed"))
    assert saved.status_code == 302
    assert not Autosave.objects.exists()
    assert offered(signed_in.get(change_url(draft)).content.decode()) is None


def test_adding_the_article_clears_the_new_article_autosave(signed_in):
    autosave(signed_in, title_en="Typed")
    assert signed_in.post(add_url(), article_form_data(make_category())).status_code == 302
    assert not Autosave.objects.exists()


def test_a_late_autosave_after_the_save_is_not_kept(signed_in, draft):
    since = int(
        re.search(r'data-since="(\d+)"', signed_in.get(change_url(draft)).content.decode()).group(1)
    )
    signed_in.post(change_url(draft), form_data_of(draft, title_en="Saved"))
    answer = autosave(signed_in, draft, since=since, title_en="Saved and one more letter")
    assert answer.status_code == 409
    assert not Autosave.objects.exists()


def test_discarding_forgets_the_autosave(signed_in, draft):
    autosave(signed_in, draft, title_en="Typed")
    assert signed_in.post(autosave_url(draft), {"discard": "1"}).json() == {"saved": False}
    assert not Autosave.objects.exists()


def test_changes_undone_leave_nothing_to_restore(signed_in, draft):
    autosave(signed_in, draft, title_en="Typed")
    assert autosave(signed_in, draft).json() == {"saved": False}
    assert not Autosave.objects.exists()


def test_an_editor_cannot_autosave_a_published_article(signed_in):
    published = make_article()
    assert autosave(signed_in, published, title_en="Sneaky").status_code == 403
    assert not Autosave.objects.exists()
    # …and their view-only form offers no autosave.
    assert 'data-autosave-url=""' in signed_in.get(change_url(published)).content.decode()


def test_autosave_needs_the_right_to_write_articles(client, draft):
    viewer = User.objects.create_user("viewer", password="unused", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert autosave(client, draft, title_en="x").status_code == 403
    assert autosave(client, title_en="x").status_code == 403
    assert not Autosave.objects.exists()


def test_autosave_needs_a_signed_in_editor_and_a_csrf_token(client, editor, draft):
    assert autosave(client, draft, title_en="x").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert autosave(strict, draft, title_en="x").status_code == 403
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"data": "{not json"},
        {"data": "[]"},
        {"data": '{"title_en": "not a list"}'},
        {"data": '{"title_en": [1]}'},
        {"data": json.dumps({f"f{n}": ["x"] for n in range(301)})},
        {"data": json.dumps({"x" * 101: ["x"]})},
        {"data": '{"tags": ["1"]}', "labels": '{"authors": {"1": "A"}}'},
        {"data": '{"tags": ["1"]}', "labels": '{"tags": {"1": 5}}'},
        {"data": '{"title_en": ["x"]}', "since": "soon"},
    ],
)
def test_bad_autosaves_are_refused_clearly(signed_in, draft, fields):
    response = signed_in.post(autosave_url(draft), fields)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Autosave.objects.exists()


def test_autosave_of_a_missing_article_and_by_get(signed_in, draft):
    assert signed_in.get(autosave_url(draft)).status_code == 405
    missing = reverse("admin:news_article_autosave", args=[draft.pk + 1000])
    assert signed_in.post(missing, {"data": "{}"}).status_code == 404
