"""Draft, scheduled, published, unpublished; previews for staff; "View on site"."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, change_url, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def preview(article, code="en"):
    return f"/{code}/preview/{article.pk}/"


def test_scheduled_article_appears_to_readers_by_itself_at_its_time(client):
    at = timezone.now() + timedelta(hours=3)
    article = make_article("Budget vote", published_at=at)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Budget vote" not in client.get("/en/").content.decode()
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "Budget vote" in client.get("/en/").content.decode()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.UNPUBLISHED])
def test_unpublished_states_are_hidden_from_readers(client, status):
    article = make_article(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_is_404_for_anonymous_and_for_signed_in_non_staff(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(preview(draft)).status_code == 404
    client.force_login(User.objects.create_user("reader", password="x"))
    assert client.get(preview(draft)).status_code == 404


@pytest.mark.parametrize("role", [EDITOR, CHIEF_EDITOR])
def test_staff_preview_a_draft_as_readers_will_see_it(client, role):
    draft = make_article("Secret plan", codes=("en", "kk"), status=Article.Status.DRAFT)
    client.force_login(make_staff(role))
    response = client.get(preview(draft))
    assert response.status_code == 200
    assert response.templates[0].name == "news/article.html"
    html = response.content.decode()
    assert f"<h1>Secret plan {draft.slug.split('-')[1]} [en]" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_preview_is_per_edition_and_404_where_the_article_is_not_written(client):
    scheduled = make_article(codes=("en", "kk"), published_at=timezone.now() + timedelta(days=1))
    client.force_login(make_staff(EDITOR))
    kazakh = client.get(preview(scheduled, "kk")).content.decode()
    assert "[kk]</h1>" in kazakh
    assert f'href="/en/preview/{scheduled.pk}/"' in kazakh  # the switcher stays in preview
    assert client.get(preview(scheduled, "ru")).status_code == 404


def test_change_form_offers_a_preview_per_edition_and_view_on_site(client):
    draft = make_article(codes=("en", "zh-hans"), status=Article.Status.DRAFT)
    client.force_login(make_staff(CHIEF_EDITOR))
    html = client.get(change_url(draft)).content.decode()
    assert f'href="/en/preview/{draft.pk}/"' in html
    assert f'href="/zh-hans/preview/{draft.pk}/"' in html
    assert f'<a href="/en/preview/{draft.pk}/" class="viewsitelink">' in html


def test_view_on_site_of_a_live_article_is_its_reader_page(client):
    article = make_article(codes=("ru",))
    client.force_login(make_staff(CHIEF_EDITOR))
    html = client.get(change_url(article)).content.decode()
    assert f'<a href="/ru/article/{article.pk}-{article.slug}/" class="viewsitelink">' in html
