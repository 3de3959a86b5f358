"""Previews say what readers can see: draft, scheduled, unpublished; never indexed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.admin_helpers import EDITOR, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db

CODES = ("en", "kk-arab")


@pytest.fixture
def editor(client):
    client.force_login(make_staff(EDITOR))
    return client


def preview(client, article, code):
    response = client.get(f"/{code}/preview/{article.pk}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    text = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in text
    return text


@pytest.mark.parametrize(
    ("code", "banner"),
    [
        ("en", "Draft — readers cannot see this page"),
        ("kk-arab", "جوبا — وقىرماندار بۇل بەتتى كورمەيدى"),
    ],
)
def test_a_draft_preview_says_draft(editor, code, banner):
    article = make_article(codes=CODES, status=Article.Status.DRAFT)
    assert f'<p class="preview-banner" role="status">{banner}</p>' in preview(editor, article, code)


@pytest.mark.parametrize(
    ("code", "banner"),
    [("en", "Scheduled for "), ("kk-arab", "ۋاقىتىنا جوسپارلانعان")],
)
def test_a_scheduled_preview_says_when(editor, code, banner):
    at = timezone.now() + timedelta(days=2)
    article = make_article(codes=CODES, published_at=at)
    text = preview(editor, article, code)
    assert banner in text
    assert str(timezone.localtime(at).year) in text.split('class="preview-banner"')[1][:200]


@pytest.mark.parametrize(
    ("code", "banner"),
    [
        ("en", "Unpublished — readers cannot see this page"),
        ("kk-arab", "جارييالاۋدان الىندى — وقىرماندار بۇل بەتتى كورمەيدى"),
    ],
)
def test_an_unpublished_preview_says_unpublished(editor, code, banner):
    article = make_article(codes=CODES, status=Article.Status.UNPUBLISHED)
    assert banner in preview(editor, article, code)


def test_a_published_article_preview_says_it_is_a_preview(editor):
    article = make_article(codes=CODES)
    assert "Preview of a published article" in preview(editor, article, "en")


def test_the_live_page_has_no_banner(client):
    article = make_article(codes=CODES)
    text = client.get(article.get_absolute_url()).content.decode()
    assert "preview-banner" not in text
    assert 'content="noindex' not in text
