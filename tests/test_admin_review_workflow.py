"""Draft → awaiting review → scheduled or published: the editor submits, the chief decides."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from news.models import Article, ArticleEvent
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, change_url, form_data_of, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/news/article/"


def workflow_url(article):
    return f"/en/admin/news/article/{article.pk}/workflow/"


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def editor():
    return make_staff(EDITOR, "aigerim")


@pytest.fixture
def chief():
    return make_staff(CHIEF_EDITOR, "bolat")


def submitted(client, editor, article, when=None, note="Ready for the evening"):
    client.force_login(editor)
    data = {"step": "submit", "note": note, "publish_at": local_input(when) if when else ""}
    return client.post(workflow_url(article), data, follow=True)


def test_editor_submits_a_draft_with_a_proposed_time_and_a_note(client, editor):
    draft = make_article("Budget", codes=("en", "kk"), status=Article.Status.DRAFT)
    evening = (timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)
    response = submitted(client, editor, draft, evening)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert draft.proposed_publish_at == evening
    assert "Submitted for review" in " ".join(messages_of(response))
    event = draft.events.get()
    assert (event.user, event.action, event.note) == (
        editor,
        ArticleEvent.Action.SUBMITTED,
        "Ready for the evening",
    )
    assert client.get(draft.get_absolute_url()).status_code == 404  # readers see nothing yet


def test_editor_sees_the_submit_form_but_not_the_chief_editors_buttons(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(change_url(draft)).content.decode()
    assert 'value="submit"' in html and 'name="publish_at"' in html
    assert 'value="approve_now"' not in html


def test_editor_cannot_approve_their_own_submission(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft)
    response = client.post(workflow_url(draft), {"step": "approve_now"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_a_proposed_time_in_the_past_is_refused_with_a_reason(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    response = submitted(client, editor, draft, timezone.now() - timedelta(hours=1))
    assert "already passed" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and not draft.events.exists()


def test_a_malformed_time_is_a_message_not_an_error_page(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        workflow_url(draft), {"step": "submit", "publish_at": "tomorrow-ish"}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_chief_editor_publishes_a_reviewed_article_now(client, editor, chief):
    draft = make_article("Election", codes=("en", "ru"), status=Article.Status.DRAFT)
    submitted(client, editor, draft, timezone.now() + timedelta(days=1))
    client.force_login(chief)
    response = client.post(
        workflow_url(draft), {"step": "approve_now", "note": "Good, going now"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.state == Article.State.PUBLISHED
    assert client.get(draft.get_absolute_url()).status_code == 200
    text = " ".join(messages_of(response))
    assert "is now live in" in text
    assert f'href="/en/article/{draft.pk}-{draft.slug}/"' in text
    assert f'href="/ru/article/{draft.pk}-{draft.slug}/"' in text


def test_chief_editor_publishes_at_the_proposed_time(client, editor, chief):
    draft = make_article(status=Article.Status.DRAFT)
    evening = (timezone.now() + timedelta(hours=6)).replace(second=0, microsecond=0)
    submitted(client, editor, draft, evening)
    client.force_login(chief)
    response = client.post(workflow_url(draft), {"step": "approve_at_time"}, follow=True)
    draft.refresh_from_db()
    assert draft.state == Article.State.SCHEDULED
    assert draft.published_at == evening
    assert "is scheduled for" in " ".join(messages_of(response))
    assert client.get(draft.get_absolute_url()).status_code == 404
    with time_machine.travel(evening + timedelta(minutes=1), tick=False):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_chief_editor_sends_it_back_with_a_note(client, editor, chief):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft)
    client.force_login(chief)
    client.post(workflow_url(draft), {"step": "return", "note": "Check the figures"})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    returned = draft.events.first()
    assert (returned.user, returned.action, returned.note) == (
        chief,
        ArticleEvent.Action.RETURNED,
        "Check the figures",
    )


def test_sending_back_without_a_note_is_refused(client, editor, chief):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft)
    client.force_login(chief)
    response = client.post(workflow_url(draft), {"step": "return", "note": " "}, follow=True)
    assert "Say what should change" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_both_see_who_did_what_and_when_in_the_change_form(client, editor, chief):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft, note="Ready for the evening")
    client.force_login(chief)
    client.post(workflow_url(draft), {"step": "return", "note": "Check the figures"})
    for user in (editor, chief):
        client.force_login(user)
        html = client.get(change_url(draft)).content.decode()
        log = html[html.index('class="workflow-log"') :]
        rows = re.findall(r'<tr class="workflow-event (workflow-\w+)">(.*?)</tr>', log, re.S)
        assert [row[0] for row in rows] == ["workflow-returned", "workflow-submitted"]
        assert "bolat" in rows[0][1] and "Check the figures" in rows[0][1]
        assert "aigerim" in rows[1][1] and "Ready for the evening" in rows[1][1]
        assert "<time datetime=" in rows[0][1]


def test_an_article_in_no_edition_cannot_be_submitted(client, editor):
    empty = make_article(codes=(), status=Article.Status.DRAFT)
    response = submitted(client, editor, empty)
    assert "no title and body in any edition" in " ".join(messages_of(response))
    empty.refresh_from_db()
    assert empty.status == Article.Status.DRAFT


def test_a_status_change_through_the_form_is_logged_too(client, chief):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(chief)
    response = client.post(change_url(draft), form_data_of(draft, status="published"), follow=True)
    assert "is now live in" in " ".join(messages_of(response))
    event = draft.events.get()
    assert (event.user, event.action) == (chief, ArticleEvent.Action.PUBLISHED)


def test_the_form_refuses_to_publish_an_article_in_no_edition(client, chief):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(chief)
    data = form_data_of(draft, status="published", title_en="", body_en="")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_bulk_publish_refuses_an_article_in_no_edition_with_a_reason(client, chief):
    untitled = make_article(codes=(), status=Article.Status.DRAFT, slug="no-words-yet")
    ready = make_article("Ready", codes=("kk",), status=Article.Status.DRAFT)
    client.force_login(chief)
    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [untitled.pk, ready.pk]},
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "“no-words-yet” was not published: it has no title and body in any edition" in text
    assert "1 article published." in text
    assert f'href="/kk/article/{ready.pk}-{ready.slug}/"' in text
    untitled.refresh_from_db()
    ready.refresh_from_db()
    assert untitled.status == Article.Status.DRAFT and not untitled.events.exists()
    assert ready.status == Article.Status.PUBLISHED


def test_bulk_publish_of_only_edition_less_articles_changes_nothing(client, chief):
    untitled = make_article(codes=(), status=Article.Status.DRAFT)
    client.force_login(chief)
    response = client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [untitled.pk]}, follow=True
    )
    assert "published." not in " ".join(messages_of(response))
    untitled.refresh_from_db()
    assert untitled.status == Article.Status.DRAFT


def test_the_change_list_says_awaiting_review(client, editor, chief):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft)
    client.force_login(chief)
    html = client.get(f"{CHANGELIST}?state=review").content.decode()
    assert "Awaiting review" in html and draft.title_en in html


@pytest.mark.parametrize("code", ["ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"])
def test_the_workflow_panel_speaks_the_admins_language(client, editor, chief, code):
    draft = make_article(status=Article.Status.DRAFT)
    submitted(client, editor, draft, timezone.now() + timedelta(days=1))
    client.force_login(chief)
    html = client.get(f"/{code}/admin/news/article/{draft.pk}/change/").content.decode()
    panel = html[html.index('class="module workflow-panel"') : html.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", panel)
    for english in ("Workflow", "Publish now", "Send back", "Who did what", "Submitted for"):
        assert english not in text, (code, english)
    assert "Ready for the evening" in text  # the note itself is as written
