"""The front page the chief editor arranges: top story and pinned stories per edition,
each until its expiry, and today's rule (newest featured, then newest) without a choice."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.cache import bump_generation
from frontpage.models import FrontPage, Placement
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.builders import make_article, make_category
from tests.caching import warm

pytestmark = pytest.mark.django_db

CHANGE = "/en/admin/frontpage/frontpage/{}/change/"
TOP, PIN1, PIN2 = Placement.Slot.TOP, Placement.Slot.PINNED_1, Placement.Slot.PINNED_2


def place(article, slot, code="en", expires_at=None):
    return Placement.objects.create(
        front_page=FrontPage.objects.get(edition=code),
        article=article,
        slot=slot,
        expires_at=expires_at,
    )


def lead_of(html):
    section = html[html.index('class="lead-story"') :]
    return section[: section.index("</section>")]


def top_stories_of(html):
    section = html[html.index('class="top-stories"') :]
    return section[: section.index("</section>")]


@pytest.fixture
def stories():
    """Six English stories, newest first, the third featured: today's rule leads with it."""
    category = make_category()
    now = timezone.now()
    return [
        make_article(
            f"Story {n}",
            category=category,
            published_at=now - timedelta(hours=n + 1),
            featured=n == 2,
        )
        for n in range(6)
    ]


def test_without_a_choice_the_newest_featured_story_leads(client, stories):
    html = client.get("/en/").content.decode()

    assert stories[2].title in lead_of(html)
    top = top_stories_of(html)
    assert [stories[n].title in top for n in range(6)] == [True, True, False, True, True, False]


def test_without_any_featured_story_the_newest_leads(client, stories):
    Article.objects.update(featured=False)

    assert stories[0].title in lead_of(client.get("/en/").content.decode())


def test_the_chief_editors_top_story_leads_and_pinned_stories_come_first(client, stories):
    place(stories[5], TOP)
    place(stories[4], PIN1)
    place(stories[3], PIN2)

    html = client.get("/en/").content.decode()

    assert stories[5].title in lead_of(html)
    top = top_stories_of(html)
    # Two pinned, then the newest others; featured only matters for the lead.
    titles = [stories[4].title, stories[3].title, stories[0].title, stories[1].title]
    assert all(title in top for title in titles)
    assert [top.index(title) for title in titles] == sorted(top.index(t) for t in titles)
    assert stories[2].title not in top


def test_pinned_stories_without_a_top_story_keep_the_rule_for_the_lead(client, stories):
    place(stories[2], PIN1)  # the featured one is pinned, so the newest leads

    html = client.get("/en/").content.decode()

    assert stories[0].title in lead_of(html)
    assert stories[2].title in top_stories_of(html)


def test_choices_are_per_edition(client, stories):
    russian = make_article("Русская", codes=("en", "ru"))
    place(russian, TOP, code="ru")

    assert russian.text("title", "ru") in lead_of(client.get("/ru/").content.decode())
    assert stories[2].title in lead_of(client.get("/en/").content.decode())


def test_a_chosen_story_readers_can_no_longer_read_is_not_shown(client, stories):
    place(stories[5], TOP)
    stories[5].status = Article.Status.UNPUBLISHED
    stories[5].save()

    html = client.get("/en/").content.decode()

    assert stories[5].title not in html
    assert stories[2].title in lead_of(html)


def test_an_expired_top_story_leaves_the_cached_home_page_by_itself(client, stories):
    expiry = timezone.now() + timedelta(minutes=10)
    place(stories[4], TOP, expires_at=expiry)
    place(stories[5], PIN1, expires_at=expiry + timedelta(minutes=5))

    with time_machine.travel(expiry - timedelta(seconds=30), tick=False):
        html = warm(client, "/en/")
        assert stories[4].title in lead_of(html)
        # Neither the page cache nor a CDN may keep the page past the expiry.
        assert "max-age=30" in client.get("/en/")["Cache-Control"]

    with time_machine.travel(expiry + timedelta(seconds=1), tick=False):
        html = client.get("/en/").content.decode()
        assert stories[4].title not in lead_of(html)
        assert stories[2].title in lead_of(html)
        assert stories[5].title in top_stories_of(html)  # pinned five minutes longer

    with time_machine.travel(expiry + timedelta(minutes=5, seconds=1), tick=False):
        assert stories[5].title not in top_stories_of(client.get("/en/").content.decode())


def test_the_cached_home_page_is_served_until_the_very_moment_the_top_story_expires(
    client, stories
):
    expiry = timezone.now() + timedelta(minutes=10)
    place(stories[4], TOP, expires_at=expiry)

    with time_machine.travel(expiry - timedelta(milliseconds=500), tick=False):
        # Half a second left: still worth keeping, and no CDN may hold it at all.
        assert stories[4].title in lead_of(warm(client, "/en/"))
        directives = {part.strip() for part in client.get("/en/")["Cache-Control"].split(",")}
        assert "max-age=0" in directives

    with time_machine.travel(expiry, tick=False):
        assert stories[4].title not in lead_of(client.get("/en/").content.decode())


def test_a_new_choice_shows_on_the_next_request(client, stories):
    warm(client, "/en/")

    place(stories[5], TOP)

    assert stories[5].title in lead_of(client.get("/en/").content.decode())


def test_the_home_page_stays_within_its_query_budget_with_choices(
    client, stories, django_assert_max_num_queries
):
    place(stories[5], TOP)
    place(stories[4], PIN1)
    client.get("/en/")
    bump_generation()  # forgets the page and the fragments…
    client.get("/en/no-such-page/")  # …which another page fills again, as on a running site
    with django_assert_max_num_queries(15):  # the budget of tests/test_query_budgets.py
        assert client.get("/en/").status_code == 200


# The admin: only the chief editor arranges the front page.


def inline_data(rows, initial=0):
    data = {
        "placements-TOTAL_FORMS": len(rows),
        "placements-INITIAL_FORMS": initial,
        "placements-MIN_NUM_FORMS": 0,
        "placements-MAX_NUM_FORMS": 5,
        "_save": "Save",
    }
    for index, (slot, article, expires) in enumerate(rows):
        local = timezone.localtime(expires) if expires else None
        data.update(
            {
                f"placements-{index}-slot": slot,
                f"placements-{index}-article": article.pk,
                f"placements-{index}-expires_at_0": local.strftime("%Y-%m-%d") if local else "",
                f"placements-{index}-expires_at_1": local.strftime("%H:%M:%S") if local else "",
                f"placements-{index}-front_page": "en",
            }
        )
    return data


def test_the_chief_editor_arranges_the_front_page_readers_see(client, stories):
    reader = Client()
    warm(reader, "/en/")
    client.force_login(make_staff(CHIEF_EDITOR))
    expiry = timezone.now() + timedelta(hours=2)

    response = client.post(
        CHANGE.format("en"), inline_data([(TOP, stories[5], expiry), (PIN1, stories[4], None)])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Placement.objects.get(slot=TOP).article == stories[5]
    assert abs(Placement.objects.get(slot=TOP).expires_at - expiry) < timedelta(seconds=1)
    assert stories[5].title in lead_of(reader.get("/en/").content.decode())


def test_an_article_not_published_in_the_edition_is_refused_with_a_clear_error(client):
    russian_only = make_article(codes=("ru",))
    client.force_login(make_staff(CHIEF_EDITOR))

    response = client.post(CHANGE.format("en"), inline_data([(TOP, russian_only, None)]))

    assert response.status_code == 200
    assert "This article is not published in English" in response.content.decode()
    assert not Placement.objects.exists()


def test_only_recent_published_articles_are_offered(client, stories):
    old = make_article("Old story", published_at=timezone.now() - timedelta(days=400))
    draft = make_article("Draft story", status=Article.Status.DRAFT)
    client.force_login(make_staff(CHIEF_EDITOR))

    response = client.get(
        "/en/admin/autocomplete/",
        {
            "app_label": "frontpage",
            "model_name": "placement",
            "field_name": "article",
            "term": "story",
        },
    )

    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert {story.pk for story in stories} <= offered
    assert old.pk not in offered and draft.pk not in offered
    # A crafted post with an old article is refused too.
    response = client.post(CHANGE.format("en"), inline_data([(TOP, old, None)]))
    assert response.status_code == 200 and not Placement.objects.exists()


def test_an_editor_may_not_arrange_the_front_page(client, stories):
    client.force_login(make_staff(EDITOR))

    assert client.get(CHANGE.format("en")).status_code == 403
    assert (
        client.post(CHANGE.format("en"), inline_data([(TOP, stories[5], None)])).status_code == 403
    )
    assert not Placement.objects.exists()
    assert client.get("/en/admin/frontpage/breakingnews/add/").status_code == 403


@pytest.mark.parametrize("code", ["en", "ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"])
def test_the_front_page_admin_speaks_the_editors_language(client, code):
    client.force_login(make_staff(CHIEF_EDITOR))
    english = ("Top story", "Pinned story 1", "expires", "Front page", "front page")

    change = client.get(f"/{code}/admin/frontpage/frontpage/en/change/")
    listing = client.get(f"/{code}/admin/frontpage/frontpage/")

    assert change.status_code == 200 and listing.status_code == 200
    text = change.content.decode() + listing.content.decode()
    if code != "en":
        assert not [word for word in english if f">{word}<" in text or f"{word}:" in text]
