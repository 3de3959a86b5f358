"""Editors see who else has an article open, in which edition tab, and what others saved."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from coediting.models import Presence
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, change_url, form_data_of, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def presence_url(article, language="en"):
    with translation.override(language):
        return reverse("admin:news_article_presence", args=[article.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def editor(name, group=EDITOR):
    user = make_staff(group, name.lower())
    user.first_name = name
    user.save()
    return user


def opened(client, article):
    """Opens the change form; the save notice id its poll starts from."""
    html = client.get(change_url(article)).content.decode()
    return int(re.search(r'data-since="(\d+)"', html).group(1))


def beat(client, article, tab="en", since=0, language="en"):
    return client.post(presence_url(article, language), {"tab": tab, "since": since})


@pytest.fixture
def early_in_a_minute():
    """The clock at the start of the next minute, running: a notice's "at 14:05" and the
    test's own reading of the time fall in the same minute (a test that straddled one
    failed in CI)."""
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture
def draft():
    return make_article(codes=("en", "kk"), status=Article.Status.DRAFT)


@pytest.fixture
def aigerim():
    return signed_in(editor("Aigerim"))


@pytest.fixture
def bolat():
    return signed_in(editor("Bolat"))


def test_change_form_carries_the_presence_panel(bolat, draft):
    html = bolat.get(change_url(draft)).content.decode()
    assert f'data-presence-url="{presence_url(draft)}"' in html
    assert re.search(r"coediting/coediting\.(\w+\.)?js", html)


def test_heartbeat_lists_the_other_editor_and_their_tab(aigerim, bolat, draft):
    assert beat(aigerim, draft, tab="kk").json()["editors"] == []

    answer = beat(bolat, draft, tab="en").json()

    assert [(e["name"], e["tab"]) for e in answer["editors"]] == [("Aigerim", "kk")]
    assert answer["editors"][0]["text"] == ("Aigerim also has this article open, in the kk tab.")
    # Nobody is told about themselves.
    assert [e["name"] for e in beat(aigerim, draft, tab="kk").json()["editors"]] == ["Bolat"]


def test_a_tab_change_shows_in_the_next_heartbeat(aigerim, bolat, draft):
    beat(aigerim, draft, tab="kk")
    beat(aigerim, draft, tab="kk-arab")
    assert [e["tab"] for e in beat(bolat, draft).json()["editors"]] == ["kk-arab"]


def test_presence_is_told_in_the_admin_language(aigerim, bolat, draft):
    beat(aigerim, draft, tab="kk")
    answer = beat(bolat, draft, language="kk-arab").json()
    assert answer["editors"][0]["text"] == "بۇل ماقالانى قازىر Aigerim اشىپ وتىر (kk قويىندىسى)."


def test_an_editor_who_left_is_gone_after_two_minutes(aigerim, bolat, draft):
    beat(aigerim, draft, tab="kk")
    Presence.objects.update(seen_at=timezone.now() - timedelta(minutes=1))
    assert len(beat(bolat, draft).json()["editors"]) == 1

    Presence.objects.filter(user__username="aigerim").update(
        seen_at=timezone.now() - timedelta(minutes=2, seconds=1)
    )
    assert beat(bolat, draft).json()["editors"] == []
    # And the stale heartbeat is cleared away.
    assert not Presence.objects.filter(user__username="aigerim").exists()


def test_closing_the_form_says_goodbye_at_once(aigerim, bolat, draft):
    beat(aigerim, draft, tab="kk")
    assert aigerim.post(presence_url(draft), {"leave": "1"}).status_code == 204
    assert beat(bolat, draft).json()["editors"] == []


@pytest.mark.usefixtures("early_in_a_minute")
def test_a_save_produces_a_notice_for_the_other_editors_poll(aigerim, bolat, draft):
    since = opened(bolat, draft)
    assert beat(bolat, draft, since=since).json()["saves"] == []

    saved = aigerim.post(change_url(draft), form_data_of(draft, title_kk="Жаңа тақырып"))
    assert saved.status_code == 302

    answer = beat(bolat, draft, since=since).json()
    now = timezone.localtime().strftime("%H:%M")
    assert [s["text"] for s in answer["saves"]] == [f"Aigerim saved the kk edition at {now}."]
    # The next poll starts after it: each save is announced once.
    assert beat(bolat, draft, since=answer["since"]).json()["saves"] == []


@pytest.mark.usefixtures("early_in_a_minute")
def test_the_notice_names_every_edition_changed_in_the_readers_language(aigerim, bolat, draft):
    since = opened(bolat, draft)
    aigerim.post(change_url(draft), form_data_of(draft, lead_en="New lead", body_kk="<p>Жаңа</p>"))
    now = timezone.localtime().strftime("%H:%M")
    assert beat(bolat, draft, since=since).json()["saves"][0]["text"] == (
        f"Aigerim saved the en, kk editions at {now}."
    )
    text = beat(bolat, draft, since=since, language="ru").json()["saves"][0]["text"]
    assert text == f"Aigerim сохранил(а) издания en, kk в {now}."


@pytest.mark.usefixtures("early_in_a_minute")
def test_a_save_of_shared_fields_names_the_article(aigerim, bolat, draft):
    since = opened(bolat, draft)
    aigerim.post(change_url(draft), form_data_of(draft, slug="a-new-slug"))
    now = timezone.localtime().strftime("%H:%M")
    assert [s["text"] for s in beat(bolat, draft, since=since).json()["saves"]] == [
        f"Aigerim saved the article at {now}."
    ]


def test_an_editor_is_not_told_about_their_own_save(aigerim, draft):
    since = opened(aigerim, draft)
    aigerim.post(change_url(draft), form_data_of(draft, title_kk="Жаңа тақырып"))
    assert beat(aigerim, draft, since=since).json()["saves"] == []


def test_presence_never_blocks_a_save(aigerim, bolat, draft):
    beat(aigerim, draft, tab="kk")
    saved = bolat.post(change_url(draft), form_data_of(draft, title_en="Saved anyway"))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Saved anyway"


def test_an_editor_may_see_who_is_on_a_published_article(bolat):
    published = make_article()
    chief = signed_in(editor("Dana", CHIEF_EDITOR))
    beat(chief, published, tab="ru")
    assert beat(bolat, published).json()["editors"][0]["name"] == "Dana"


def test_presence_needs_the_right_to_see_articles(draft):
    outsider = User.objects.create_user("outsider", password="unused", is_staff=True)
    assert beat(signed_in(outsider), draft).status_code == 403
    assert not Presence.objects.exists()


def test_presence_needs_a_signed_in_editor(client, draft):
    response = beat(client, draft)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_presence_is_csrf_protected(draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor("Aigerim"))
    assert beat(client, draft).status_code == 403


@pytest.mark.parametrize(
    "fields",
    [
        {"tab": "fr"},
        {"tab": ""},
        {"tab": "en", "since": "yesterday"},
        {"tab": "en", "since": "-4"},
    ],
)
def test_bad_heartbeats_are_refused_clearly(bolat, draft, fields):
    response = bolat.post(presence_url(draft), fields)
    assert response.status_code == 400
    assert response.json()["error"]


def test_heartbeat_of_a_missing_article_and_by_get(bolat, draft):
    missing = Article(pk=draft.pk + 1000)
    assert bolat.post(presence_url(missing), {"tab": "en"}).status_code == 404
    assert bolat.get(presence_url(draft)).status_code == 405


def test_presence_is_shared_through_the_database_not_a_process_cache(aigerim, bolat, draft):
    # Each gunicorn worker has its own local-memory cache; emptying it loses nothing.
    beat(aigerim, draft, tab="uz")
    cache.clear()
    assert [e["tab"] for e in beat(bolat, draft).json()["editors"]] == ["uz"]
