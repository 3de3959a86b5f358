"""The admin home page is the newsroom's desk: one edition's drafts, reviews, schedule and day."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db

# Midday in Almaty, so "today" has hours on both sides.
NOON = timezone.make_aware(datetime(2025, 3, 5, 12, 0))


def desk_boxes(html):
    """{box key: (count, link)} as the desk shows them."""
    found = re.findall(
        r'desk-box desk-(\w+)">\s*<h3><a href="([^"]+)">[^<]*<span class="desk-count">(\d+)</span>',
        html,
    )
    return {key: (int(count), link.replace("&amp;", "&")) for key, link, count in found}


def changelist_count(client, link):
    return client.get(link).context["cl"].result_count


@pytest.fixture
def newsroom():
    """Articles in every state, in Kazakh and in Chinese, by two editors."""
    with time_machine.travel(NOON, tick=False):
        aigerim, bolat = make_staff(EDITOR, "aigerim"), make_staff(EDITOR, "bolat")
        made = {
            "mine_kk": make_article("Mine", codes=("kk",), status=Article.Status.DRAFT),
            "mine_zh": make_article("Mine", codes=("zh-hans",), status=Article.Status.DRAFT),
            "theirs_kk": make_article("Theirs", codes=("kk",), status=Article.Status.DRAFT),
            "review_kk": make_article(
                "Review",
                codes=("kk", "en"),
                status=Article.Status.REVIEW,
                proposed_publish_at=NOON + timedelta(hours=4),
            ),
            "scheduled_kk": make_article(
                "Later", codes=("kk",), published_at=NOON + timedelta(hours=3)
            ),
            "today_kk": make_article(
                "Today", codes=("kk",), published_at=NOON - timedelta(hours=2)
            ),
            "yesterday_kk": make_article(
                "Old", codes=("kk",), published_at=NOON - timedelta(days=1)
            ),
            "today_zh": make_article(
                "Today", codes=("zh-hans",), published_at=NOON - timedelta(hours=1)
            ),
        }
        Article.objects.filter(pk__in=[made["mine_kk"].pk, made["mine_zh"].pk]).update(
            created_by=aigerim
        )
        Article.objects.filter(pk=made["theirs_kk"].pk).update(created_by=bolat)
    return aigerim, made


def test_desk_counts_each_box_for_the_chosen_edition(client, newsroom):
    aigerim, _made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        client.get("/en/admin/news/article/desk/", {"edition": "kk"})
        boxes = desk_boxes(client.get("/en/admin/").content.decode())
    assert {key: count for key, (count, _link) in boxes.items()} == {
        "drafts": 1,
        "review": 1,
        "scheduled": 1,
        "today": 1,
    }


def test_each_box_links_to_the_same_articles_in_the_change_list(client, newsroom):
    aigerim, made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        client.get("/en/admin/news/article/desk/", {"edition": "kk"})
        boxes = desk_boxes(client.get("/en/admin/").content.decode())
        for key, (count, link) in boxes.items():
            assert "edition=kk" in link, key
            assert changelist_count(client, link) == count, key
        drafts = client.get(boxes["drafts"][1]).content.decode()
    assert made["mine_kk"].title_kk in drafts and made["theirs_kk"].title_kk not in drafts


def test_the_chosen_edition_is_remembered_and_another_edition_counts_its_own(client, newsroom):
    aigerim, _made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        client.get("/en/admin/news/article/desk/", {"edition": "zh-hans"})
        first = client.get("/en/admin/").content.decode()
        again = client.get("/ru/admin/").content.decode()
    assert '<option value="zh-hans" lang="zh-Hans" selected>' in first
    counts = {key: count for key, (count, _link) in desk_boxes(again).items()}
    assert counts == {"drafts": 1, "review": 0, "scheduled": 0, "today": 1}


def test_scheduled_box_shows_the_time(client, newsroom):
    aigerim, made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        client.get("/en/admin/news/article/desk/", {"edition": "kk"})
        html = client.get("/en/admin/").content.decode()
    box = html[html.index("desk-scheduled") : html.index("desk-today")]
    assert made["scheduled_kk"].title_kk in box
    assert '<time datetime="2025-03-05T15:00:00+05:00">' in box


def test_without_a_choice_the_desk_shows_the_admin_languages_edition(client, newsroom):
    aigerim, _made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        html = client.get("/kk/admin/").content.decode()
    assert '<option value="kk" lang="kk" selected>' in html


def test_an_unknown_edition_is_refused_with_a_message(client, newsroom):
    aigerim, _made = newsroom
    client.force_login(aigerim)
    response = client.get("/en/admin/news/article/desk/", {"edition": "xx"}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the editions." in response.content.decode()


def test_the_chief_editor_sees_the_same_desk(client, newsroom):
    client.force_login(make_staff(CHIEF_EDITOR))
    with time_machine.travel(NOON, tick=False):
        client.get("/en/admin/news/article/desk/", {"edition": "kk"})
        boxes = desk_boxes(client.get("/en/admin/").content.decode())
    assert boxes["review"][0] == 1 and boxes["drafts"][0] == 0


@pytest.mark.parametrize("code", ["ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"])
def test_the_desk_speaks_the_admins_language(client, newsroom, code):
    aigerim, _made = newsroom
    client.force_login(aigerim)
    with time_machine.travel(NOON, tick=False):
        html = client.get(f"/{code}/admin/").content.decode()
    desk = html[html.index('class="newsroom-desk"') : html.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", desk)
    for english in ("The desk", "My drafts", "Awaiting review", "Scheduled", "Published today"):
        assert english not in text, (code, english)
