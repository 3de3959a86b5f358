"""An article page's own parts (meta tags, JSON-LD, breadcrumbs, the <article> element)
are kept across content generations (news.article_parts): a publication elsewhere does
not make every article render them again, and nothing they show goes stale."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.cache import bump_generation
from news import article_parts
from news.models import Article
from tests.builders import (
    make_article,
    make_author,
    make_category,
    make_live_coverage,
    make_live_entry,
    make_tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_each_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders the page, as after a publication


def page(client, article, code="en"):
    with translation.override(code):
        url = article.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    # The reading beacon's signed token is new on every request.
    return re.sub(r"\?t=[^\"&]+", "?t=TOKEN", response.content.decode())


def kept_parts_of(article, code="en"):
    with translation.override(code):
        return cache.get(article_parts.parts_key(article.pk))


def mark_kept_article_part(article, old, new):
    """Change the kept <article> part of `article`'s page, keeping its stamp."""
    stamp, parts = kept_parts_of(article)
    marked = {**parts, "article": parts["article"].replace(old, new)}
    cache.set(article_parts.parts_key(article.pk), (stamp, marked))


def an_article():
    return make_article(
        "Senate",
        category=make_category("politics", name="Politics"),
        tags=[make_tag("senate", name="Senate")],
        authors=[make_author("adlet", name="Adlet")],
    )


def test_after_a_publication_an_article_page_is_the_same_without_reading_tags_or_authors(
    client,
):
    article = an_article()
    first = page(client, article)
    make_article("Another story", category=article.category)  # a new content generation
    with CaptureQueriesContext(connection) as queries:
        again = page(client, article)
    assert again == first
    read = " ".join(query["sql"] for query in queries)
    assert '"news_tag"' not in read and '"news_author"' not in read
    assert "Senate [en]" in again and "Adlet [en]" in again and "Politics [en]" in again


def test_the_kept_parts_are_what_the_page_shows(client):
    """The page really is made of the kept parts: what the cache holds is what it shows."""
    article = an_article()
    page(client, article)
    assert set(kept_parts_of(article)[1]) == set(article_parts.PART_NAMES)
    mark_kept_article_part(article, "Lead of Senate", "Marked lead")
    bump_generation()
    assert "Marked lead" in page(client, article)


def test_an_edited_article_shows_its_edit_everywhere_on_its_page(client):
    article = an_article()
    page(client, article)
    article.title_en = "Senate passes the budget"
    article.save()
    shown = page(client, article)
    assert "<h1>Senate passes the budget</h1>" in shown
    assert 'property="og:title" content="Senate passes the budget"' in shown
    assert '"headline": "Senate passes the budget"' in shown


def test_a_write_that_leaves_updated_at_alone_shows_too(client):
    article = an_article()
    page(client, article)
    Article.objects.filter(pk=article.pk).update(lead_en="A lead written by a script")
    bump_generation()
    assert "A lead written by a script" in page(client, article)


def test_tags_and_authors_given_without_a_save_of_the_article_show(client):
    article = an_article()
    budget = make_tag("budget", name="Budget")  # a new tag: a new labels generation
    page(client, article)
    article.tags.add(budget)
    assert 'rel="tag">Budget [en]</a>' in page(client, article)
    article.authors.clear()
    assert "Adlet [en]" not in page(client, article)


def test_tags_given_from_the_tags_side_show(client):
    article = an_article()
    budget = make_tag("budget", name="Budget")
    page(client, article)
    budget.articles.add(article)
    assert 'rel="tag">Budget [en]</a>' in page(client, article)


@pytest.mark.parametrize("subject", ["tag", "author", "category"])
def test_a_renamed_tag_author_or_category_shows_on_pages_kept_before(client, subject):
    article = an_article()
    page(client, article)
    renamed = {
        "tag": article.tags.get(),
        "author": article.authors.get(),
        "category": article.category,
    }[subject]
    renamed.name_en = "Renamed"
    renamed.save()
    shown = page(client, article)
    assert "Renamed" in shown
    if subject == "tag":
        assert '"keywords": ["Renamed"]' in shown


def test_each_edition_keeps_its_own_parts(client):
    article = make_article(codes=("en", "ru"), tags=[make_tag("senate")])
    page(client, article, "en")
    page(client, article, "ru")
    bump_generation()
    english, russian = page(client, article, "en"), page(client, article, "ru")
    assert "[en]" in english and "[ru]" not in english.split("<main")[1]
    assert "[ru]" in russian and "[en]" not in russian.split("<main")[1]
    assert kept_parts_of(article, "en") != kept_parts_of(article, "ru")


def test_another_release_renders_its_own_parts(client, monkeypatch):
    article = an_article()
    page(client, article)
    mark_kept_article_part(article, "Lead of", "Old release's")
    bump_generation()
    assert "Old release's" in page(client, article)
    monkeypatch.setattr(article_parts, "release", lambda: "another-release")
    bump_generation()
    assert "Old release's" not in page(client, article)


def test_a_live_article_is_rendered_whole_every_time(client):
    article = an_article()
    coverage = make_live_coverage(article)
    make_live_entry(coverage, text="First update")
    assert "First update" in page(client, article)
    make_live_entry(coverage, text="Second update")
    assert "Second update" in page(client, article)
    assert kept_parts_of(article) is None


def test_a_preview_neither_uses_nor_keeps_parts(client, django_user_model):
    article = an_article()
    page(client, article)
    mark_kept_article_part(article, "Lead of", "Kept")
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(editor)
    preview = client.get(f"/en/preview/{article.pk}/").content.decode()
    assert "Lead of Senate" in preview and "Kept" not in preview
    assert '<meta name="robots" content="noindex, nofollow">' in preview


def test_a_body_picture_deleted_leaves_pages_kept_before(client):
    from django.core.files.base import ContentFile

    from news.models import BodyImage
    from tests.test_body_images import figure, picture

    image = BodyImage()
    image.image.save("b.jpg", ContentFile(picture((800, 500))), save=False)
    image.save()
    article = make_article(body_en="<p>Before.</p>" + figure(image.pk, "A wheat field"))
    assert 'alt="A wheat field"' in page(client, article)
    image.delete()
    assert 'alt="A wheat field"' not in page(client, article)
