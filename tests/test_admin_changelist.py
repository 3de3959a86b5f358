"""The article list of the admin: editions at a glance, filters, search, fixed query count."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, make_staff
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/news/article/"


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


def rows(client, query=""):
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return response.context["cl"].result_list, response.content.decode()


def test_list_shows_every_edition_marking_the_written_ones(client, chief):
    make_article("Bilingual", codes=("en", "kk-arab"))
    _rows, html = rows(client)
    assert 'class="edition edition-present" title="English: written" lang="en">En<' in html
    assert 'class="edition edition-present" title="قازاقشا: written" lang="kk-Arab">ق ز<' in html
    assert 'class="edition edition-absent" title="Русский: not written" lang="ru">ру<' in html


def row_of(html, headline):
    """The changelist row (<tr>…</tr>) showing `headline`."""
    (row,) = [r for r in re.findall(r"<tr\b.*?</tr>", html, re.S) if headline in r]
    return row


def test_list_shows_status_category_authors_and_publish_time(client, chief):
    author = make_author(name="Adlet Seilkhanov")
    category = make_category(name="Parliament")
    make_article(
        "Scheduled one",
        category=category,
        authors=[author],
        # 04:26 UTC is 09:26 in Almaty (UTC+5), the newsroom's clock.
        published_at=datetime(2031, 3, 14, 4, 26, tzinfo=UTC),
    )
    make_article("Draft one", status=Article.Status.DRAFT)
    _rows, html = rows(client)
    scheduled = row_of(html, "Scheduled one")
    assert '<td class="field-state">Scheduled</td>' in scheduled
    assert "Parliament [en]" in scheduled
    assert "Adlet Seilkhanov [en]" in scheduled
    assert '<td class="field-published_at nowrap">14 March 2031, 09:26</td>' in scheduled
    assert '<td class="field-state">Draft</td>' in row_of(html, "Draft one")


def test_title_falls_back_to_another_edition_only_in_the_admin_list(client, chief):
    make_article("Only in Russian", codes=("ru",))
    _rows, html = rows(client)
    assert "Only in Russian" in html


@pytest.mark.parametrize(
    "state, expected",
    [
        ("draft", {"draft"}),
        ("scheduled", {"scheduled"}),
        ("published", {"live"}),
        ("unpublished", {"unpublished"}),
    ],
)
def test_status_filter_tells_scheduled_from_published(client, chief, state, expected):
    made = {
        "draft": make_article(status=Article.Status.DRAFT),
        "scheduled": make_article(published_at=timezone.now() + timedelta(hours=2)),
        "live": make_article(),
        "unpublished": make_article(status=Article.Status.UNPUBLISHED),
    }
    found, _html = rows(client, f"?state={state}")
    assert {key for key, article in made.items() if article in found} == expected


def test_edition_filter_uses_title_and_body(client, chief):
    kazakh = make_article(codes=("kk",))
    english = make_article(codes=("en",))
    title_only = make_article(codes=("en",), title_kk="Тек тақырып")
    found, _html = rows(client, "?edition=kk")
    assert list(found) == [kazakh]
    assert english not in found and title_only not in found


def test_filters_by_category_author_and_featured(client, chief):
    category, author = make_category(), make_author()
    in_category = make_article(category=category)
    by_author = make_article(authors=[author])
    featured = make_article(featured=True)
    assert list(rows(client, f"?category__id__exact={category.pk}")[0]) == [in_category]
    assert list(rows(client, f"?authors__id__exact={author.pk}")[0]) == [by_author]
    assert list(rows(client, "?featured__exact=1")[0]) == [featured]


def test_search_finds_a_title_in_any_edition(client, chief):
    found_article = make_article(codes=("en",), title_zh_hans="哈萨克斯坦议会")
    make_article("Something else")
    assert list(rows(client, "?q=议会")[0]) == [found_article]


def test_date_hierarchy_and_autocomplete_are_offered(client, chief):
    make_article()
    _rows, html = rows(client)
    assert '<nav class="toplinks">' in html  # the date hierarchy
    form = client.get("/en/admin/news/article/add/").content.decode()
    for field in ("tags", "authors", "related"):
        assert f'id="id_{field}"' in form
        assert "admin-autocomplete" in form
    tag = make_tag(name="Senate")
    response = client.get(
        "/en/admin/autocomplete/",
        {"term": "Senate", "app_label": "news", "model_name": "article", "field_name": "tags"},
    )
    assert response.json()["results"][0]["id"] == str(tag.pk)


def hierarchy_links(html):
    """The periods offered (the "back" link, which has a class, left out); [] if none."""
    if '<nav class="toplinks">' not in html:
        return []
    start = html.index('<nav class="toplinks">')
    nav = html[start : html.index("</nav>", start)]
    return re.findall(r'<a href="[^"]*">([^<]+)</a>', nav)


def test_date_hierarchy_offers_the_periods_with_articles_without_a_distinct_scan(client, chief):
    # Almaty is UTC+5 (+6 before March 2024): 31 December 2019, 20:00 UTC is already 2020.
    for moment in ("2019-06-01T12:00Z", "2019-12-31T20:00Z", "2022-03-08T09:00Z"):
        make_article(published_at=datetime.fromisoformat(moment))
    with CaptureQueriesContext(connection) as queries:
        _rows, html = rows(client)
    assert hierarchy_links(html) == ["2019", "2020", "2022"]
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    _rows, html = rows(client, "?published_at__year=2020")
    assert hierarchy_links(html) == ["January 2020"]
    _rows, html = rows(client, "?published_at__year=2020&published_at__month=1")
    assert hierarchy_links(html) == ["1 January"]
    # A search narrows the periods as Django's own query would.
    _rows, html = rows(client, "?q=nothing-matches-this")
    assert hierarchy_links(html) == []


def test_changelist_query_count_does_not_grow_with_rows(client, chief):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            rows(client)
        return len(queries)

    rows(client)  # first request makes the site-settings row: not part of the measure
    tags = [make_tag(), make_tag()]
    for _ in range(3):
        make_article(codes=("en", "ru"), authors=[make_author(), make_author()], tags=tags)
    few = count_queries()
    for _ in range(12):
        make_article(codes=("kk",), authors=[make_author()], category=make_category())
    assert count_queries() == few


def test_list_shows_a_thumbnail_and_who_updated_it_when(client, chief):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.admin_helpers import change_url, form_data_of

    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (11, 79, 138)).save(buffer, "JPEG")
    pictured = make_article("With a picture")
    pictured.image = SimpleUploadedFile("lead.jpg", buffer.getvalue(), content_type="image/jpeg")
    pictured.save()
    make_article("Without a picture")
    # Saved through the form by a named editor, at a known time.
    editor = make_staff(CHIEF_EDITOR, "aigerim")
    editor.first_name, editor.last_name = "Aigerim", "Sadykova"
    editor.save()
    with time_machine.travel(datetime(2031, 3, 14, 4, 26, tzinfo=UTC), tick=False):
        client.force_login(editor)
        response = client.post(change_url(pictured), form_data_of(pictured))
    assert response.status_code == 302
    assert response.url.endswith("/admin/news/article/")
    client.force_login(editor)
    _rows, html = rows(client)
    row = row_of(html, "With a picture")
    stem = Article.objects.get(pk=pictured.pk).image.name.rsplit(".", 1)[0]
    assert f'<img class="article-thumb" src="/media/{stem}-320w.jpg"' in row
    assert '<td class="field-updated_by_name">Aigerim Sadykova</td>' in row
    assert '<td class="field-updated_at nowrap">14 March 2031, 09:26</td>' in row
    bare = row_of(html, "Without a picture")
    assert 'class="article-thumb article-thumb-none"' in bare
    assert '<td class="field-updated_by_name">—</td>' in bare


def test_workflow_steps_and_bulk_actions_record_who_updated(client, chief):
    from news import workflow

    user = make_staff(CHIEF_EDITOR, "bolat")
    draft = make_article(status=Article.Status.DRAFT)
    workflow.submit_for_review(draft, user)
    assert Article.objects.get(pk=draft.pk).updated_by == user
    other = make_article(status=Article.Status.DRAFT)
    workflow.publish(other, user, "Published")
    assert Article.objects.get(pk=other.pk).updated_by == user
