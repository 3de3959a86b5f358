"""Tags and authors reach readers only through a published article; changing them is publishing."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname
from PIL import Image

from core import editions
from news.models import Article, Author, Tag
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.builders import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db

LINKS = {"tag": "tags", "author": "authors"}


def make(kind, **kwargs):
    return (make_tag if kind == "tag" else make_author)(**kwargs)


def page(client, subject, code="en"):
    with translation.override(code):
        return client.get(subject.get_absolute_url())


def sitemap_locations(client, kind, code="en"):
    response = client.get(f"/sitemap-{kind}s-{code}.xml")
    if response.status_code == 404:  # an edition with no such pages has no section
        return []
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (20, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def subject_form_data(subject, **changes):
    """What the tag or author change form posts, with `changes` applied."""
    data = {"slug": subject.slug}
    names = ["name"] + (["bio"] if isinstance(subject, Author) else [])
    for name in names:
        for code in editions.CODES:
            data[build_localized_fieldname(name, code)] = (
                getattr(subject, build_localized_fieldname(name, code)) or ""
            )
    data.update(changes)
    return data


def change_url(subject, code="en"):
    with translation.override(code):
        return reverse(f"admin:news_{subject._meta.model_name}_change", args=[subject.pk])


@pytest.fixture
def editor(client):
    client.force_login(make_staff(EDITOR))


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


@pytest.mark.parametrize("kind", ["tag", "author"])
@pytest.mark.parametrize(
    "article",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
        {"codes": ("ru",)},  # published, but in another edition
    ],
    ids=["draft", "unpublished", "scheduled", "other-edition"],
)
def test_a_subject_without_a_published_article_in_the_edition_has_no_page(client, kind, article):
    subject = make(kind)
    make_article(**{LINKS[kind]: [subject]}, **article)
    assert page(client, subject).status_code == 404
    assert subject.get_absolute_url() not in " ".join(sitemap_locations(client, kind))


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_a_subject_page_lives_exactly_as_long_as_a_published_article_carries_it(client, kind):
    subject = make(kind, slug="subject")
    assert page(client, subject).status_code == 404
    article = make_article(**{LINKS[kind]: [subject]})
    assert page(client, subject).status_code == 200
    assert sitemap_locations(client, kind) == [f"http://testserver/en/{kind}/subject/"]

    article.status = Article.Status.UNPUBLISHED
    article.save()
    assert page(client, subject).status_code == 404
    assert sitemap_locations(client, kind) == []


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_a_subject_page_links_only_to_editions_where_it_has_a_page(client, kind):
    subject = make(kind)  # named in all seven editions
    make_article(codes=("en", "kk-arab"), **{LINKS[kind]: [subject]})
    make_article(codes=("ru",), status=Article.Status.DRAFT, **{LINKS[kind]: [subject]})
    html = page(client, subject).content.decode()
    assert f'hreflang="kk-Arab" href="http://testserver/kk-arab/{kind}/{subject.slug}/"' in html
    assert f"/ru/{kind}/{subject.slug}/" not in html
    assert page(client, subject, "ru").status_code == 404
    assert page(client, subject, "kk-arab").status_code == 200


@pytest.mark.parametrize("model, link", [(Tag, "tags"), (Author, "authors")])
def test_readers_query_is_one_exists_subquery(model, link):
    subject = make_tag() if model is Tag else make_author()
    make_article(**{link: [subject]})
    with CaptureQueriesContext(connection) as queries:
        assert list(model.objects.for_readers("en")) == [subject]
    (query,) = queries.captured_queries
    assert "EXISTS" in query["sql"].upper()


def test_an_author_an_editor_creates_stays_private_until_a_chief_editor_publishes(client, editor):
    data = subject_form_data(
        Author(slug="new-voice", name_en="New Voice", bio_en="Writes about the Senate."),
        photo=SimpleUploadedFile("me.jpg", jpeg_bytes(), "image/jpeg"),
    )
    with translation.override("en"):
        response = client.post(reverse("admin:news_author_add"), data)
    assert response.status_code == 302
    author = Author.objects.get(slug="new-voice")
    assert author.photo
    assert page(client, author).status_code == 404
    assert sitemap_locations(client, "author") == []

    article = make_article(status=Article.Status.DRAFT, authors=[author])
    assert page(client, author).status_code == 404
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    html = page(client, author).content.decode()
    assert "Writes about the Senate." in html


@pytest.mark.parametrize(
    "kind, changes",
    [
        ("tag", {"name_en": "Renamed"}),
        ("tag", {"name_kk_arab": "باسقا"}),
        ("tag", {"slug": "renamed"}),
        ("author", {"name_en": "Someone else"}),
        ("author", {"bio_en": "A new biography."}),
        ("author", {"photo": "upload"}),
    ],
)
def test_an_editor_cannot_change_what_published_articles_show(client, editor, kind, changes):
    subject = make(kind, name="Original")
    make_article(**{LINKS[kind]: [subject]})
    if changes.get("photo") == "upload":
        changes = {"photo": SimpleUploadedFile("new.jpg", jpeg_bytes(), "image/jpeg")}
    response = client.post(change_url(subject), subject_form_data(subject, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "only a chief editor can change" in " ".join(errors)
    stored = type(subject).objects.get(pk=subject.pk)
    assert (stored.slug, stored.name_en) == (subject.slug, "Original [en]")
    if kind == "author":
        assert not stored.photo and not stored.bio_en


def test_the_refusal_is_in_the_editors_language(client, editor):
    tag = make_tag()
    make_article(tags=[tag])
    response = client.post(change_url(tag, "ru"), subject_form_data(tag, name_ru="Другое"))
    assert "Этот тег показан в опубликованных статьях" in response.content.decode()


@pytest.mark.parametrize(
    "article",
    [{"status": Article.Status.DRAFT}, {"status": Article.Status.UNPUBLISHED}],
)
def test_an_editor_may_change_a_subject_that_no_published_article_shows(client, editor, article):
    tag = make_tag()
    make_article(tags=[tag], **article)
    response = client.post(change_url(tag), subject_form_data(tag, name_en="Renamed"))
    assert response.status_code == 302
    assert Tag.objects.get(pk=tag.pk).name_en == "Renamed"


def test_a_scheduled_article_counts_as_published(client, editor):
    tag = make_tag()
    make_article(tags=[tag], published_at=timezone.now() + timedelta(hours=2))
    response = client.post(change_url(tag), subject_form_data(tag, name_en="Renamed"))
    assert response.status_code == 200
    assert Tag.objects.get(pk=tag.pk).name_en != "Renamed"


def test_a_chief_editor_may_rename_a_published_tag(client, chief):
    tag = make_tag()
    article = make_article(tags=[tag])
    response = client.post(change_url(tag), subject_form_data(tag, name_en="Renamed"))
    assert response.status_code == 302
    assert 'rel="tag">Renamed</a>' in client.get(article.get_absolute_url()).content.decode()
