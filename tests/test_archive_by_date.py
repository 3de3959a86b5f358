"""The archive by date: day, month and year pages of each edition, in Almaty's days."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import bump_generation
from news.models import Article
from tests.builders import make_article, make_category
from tests.test_translations import EDITION_MARKER, LATIN_WORD, visible_text

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def almaty(*parts):
    return datetime(*parts, tzinfo=ALMATY)


def links(html):
    return re.findall(r'href="([^"]+)"', html)


def test_a_day_page_lists_that_almaty_days_articles_of_the_edition(client):
    # 23 April 2021 in Almaty (UTC+6 then) runs from 22 April 18:00 to 23 April 18:00 UTC.
    first = make_article("First of the day", published_at=almaty(2021, 4, 23, 0, 5))
    last = make_article("Last of the day", published_at=almaty(2021, 4, 23, 23, 55))
    make_article("Day before", published_at=almaty(2021, 4, 22, 23, 59))
    make_article("Day after", published_at=almaty(2021, 4, 24, 0, 0))
    make_article("Only in Russian", codes=("ru",), published_at=almaty(2021, 4, 23, 12, 0))
    make_article("A draft", status=Article.Status.DRAFT, published_at=almaty(2021, 4, 23, 12, 0))

    response = client.get("/en/archive/2021/04/23/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "News archive: 23 April 2021" in html
    assert first.title in html and last.title in html
    assert html.index(last.title) < html.index(first.title)  # newest first
    for absent in ("Day before", "Day after", "Only in Russian", "A draft"):
        assert absent not in html


def test_a_day_after_the_switch_to_utc_plus_five_uses_the_new_offset(client):
    # Since 1 March 2024 Almaty is UTC+5: 00:30 there is 19:30 UTC the day before.
    make_article(
        "Just after midnight", published_at=datetime(2024, 3, 4, 19, 30, tzinfo=ZoneInfo("UTC"))
    )

    assert "Just after midnight" in client.get("/en/archive/2024/03/05/").content.decode()
    assert client.get("/en/archive/2024/03/04/").status_code == 404


def test_earlier_and_later_lead_to_the_nearest_days_with_news(client):
    make_article("Long before", published_at=almaty(2021, 3, 30, 10, 0))
    make_article("The day", published_at=almaty(2021, 4, 23, 10, 0))
    make_article("Russian only, nearer", codes=("ru",), published_at=almaty(2021, 4, 25, 10, 0))
    make_article("Long after", published_at=almaty(2021, 5, 2, 10, 0))

    html = client.get("/en/archive/2021/04/23/").content.decode()

    assert re.search(r'rel="prev" href="/en/archive/2021/03/30/">[^<]*30 March 2021<', html)
    assert re.search(r'rel="next" href="/en/archive/2021/05/02/">[^<]*2 May 2021<', html)


def test_the_newest_day_has_no_later_link_to_the_future(client):
    make_article("Published", published_at=almaty(2021, 4, 23, 10, 0))
    make_article(
        "Scheduled", published_at=timezone.now() + timedelta(days=3)
    )  # readers cannot see it yet

    html = client.get("/en/archive/2021/04/23/").content.decode()

    assert 'rel="next"' not in html


def test_the_month_page_has_a_calendar_of_the_days_with_news(client):
    make_article(published_at=almaty(2021, 4, 1, 9, 0))
    make_article(published_at=almaty(2021, 4, 23, 16, 38))
    make_article(published_at=almaty(2021, 4, 23, 18, 0))
    make_article(codes=("ru",), published_at=almaty(2021, 4, 12, 9, 0))
    make_article(published_at=almaty(2021, 2, 2, 9, 0))

    response = client.get("/en/archive/2021/04/")

    assert response.status_code == 200
    html = response.content.decode()
    calendar = html[html.index('<table class="calendar">') : html.index("</table>")]
    day_links = [url for url in links(calendar) if url.count("/") == 6]
    assert day_links == ["/en/archive/2021/04/01/", "/en/archive/2021/04/23/"]
    # Weeks start on Monday; 1 April 2021 was a Thursday.
    assert re.search(r"<tr>(<td></td>){3}<td><a href=\"/en/archive/2021/04/01/\">1</a>", calendar)
    assert 'rel="prev" href="/en/archive/2021/02/"' in html


def test_the_year_page_links_the_months_with_news(client):
    make_article(published_at=almaty(2021, 4, 23, 9, 0))
    make_article(published_at=almaty(2021, 11, 2, 9, 0))
    make_article(published_at=almaty(2020, 12, 31, 23, 0))

    html = client.get("/en/archive/2021/").content.decode()

    assert [url for url in links(html) if url.startswith("/en/archive/2021/")][-2:] == [
        "/en/archive/2021/04/",
        "/en/archive/2021/11/",
    ]
    assert ">January<" in html  # months without news are named, not linked
    assert 'rel="prev" href="/en/archive/2020/"' in html


@pytest.mark.parametrize(
    ("code", "day_heading", "month_caption", "weekday"),
    [
        # CLDR's long date and year-month patterns of each language (kk's in the
        # edition's own script for kk-latn and kk-arab).
        ("ru", "23 апреля 2021 г.", "Апрель 2021 г.", "Пн"),
        ("kk", "2021 ж. 23 сәуір", "2021 ж. сәуір", "Дб"),
        ("kk-latn", "2021 j. 23 säuır", "2021 j. säuır", "Db"),
        ("kk-arab", "2021 ج. 23 ٴساۋىر", "2021 ج. ٴساۋىر", "دب"),
        ("zh-hans", "2021年4月23日", "2021年4月", "星期一"),
        ("uz", "23 апрел, 2021", "Апрел, 2021", "Душ"),
    ],
)
def test_dates_and_month_names_are_in_the_editions_format_and_script(
    client, code, day_heading, month_caption, weekday
):
    make_article(codes=(code,), published_at=almaty(2021, 4, 23, 16, 38))

    html = client.get(f"/{code}/archive/2021/04/23/").content.decode()

    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert day_heading in h1 and "News" not in h1
    assert f">{month_caption}</a></caption>" in html
    assert f">{weekday}</abbr>" in html


@pytest.mark.parametrize(
    "path",
    [
        "2021/02/30/",
        "2021/13/01/",
        "2021/00/10/",
        "2021/04/00/",
        "2021/04/31/",
        "0000/01/01/",
        "9999/12/31/",
        "0001/01/01/",
        "2021/4/23/",
        "21/04/23/",
        "2021/04/023/",
        "2021/0x/01/",
        "2021/13/",
        "0000/",
        "9999/",
        "2021/04/23/extra/",
        "２０２１/04/23/",
    ],
)
def test_impossible_dates_and_bad_input_are_404(client, path):
    make_article(published_at=almaty(2021, 4, 23, 16, 38))

    assert client.get(f"/en/archive/{path}").status_code == 404


@pytest.mark.parametrize("path", ["2021/04/24/", "2021/05/", "2019/"])
def test_dates_without_news_in_the_edition_are_404(client, path):
    make_article(published_at=almaty(2021, 4, 23, 16, 38))
    make_article(codes=("ru",), published_at=almaty(2021, 4, 24, 10, 0))
    make_article(codes=("ru",), published_at=almaty(2021, 5, 24, 10, 0))

    assert client.get(f"/en/archive/{path}").status_code == 404


def test_a_page_past_the_days_last_is_404(client):
    make_article(published_at=almaty(2021, 4, 23, 16, 38))

    assert client.get("/en/archive/2021/04/23/?page=2").status_code == 404
    assert client.get("/en/archive/2021/04/23/?page=abc").status_code == 404


def test_a_busy_day_is_paginated(client):
    category = make_category()
    for minute in range(25):
        make_article(category=category, published_at=almaty(2021, 4, 23, 10, minute))

    first = client.get("/en/archive/2021/04/23/").content.decode()
    second = client.get("/en/archive/2021/04/23/?page=2").content.decode()

    assert first.count('class="card"') == 20 and second.count('class="card"') == 5
    assert 'rel="next" href="?page=2"' in first


def test_every_articles_date_links_to_its_day(client):
    category = make_category("news")
    article = make_article(category=category, published_at=almaty(2021, 4, 23, 23, 30))
    day = (
        '<a class="dated" href="/en/archive/2021/04/23/"><time datetime="2021-04-23T23:30:00+0600">'
    )

    for url in (article.get_absolute_url(), "/en/", "/en/category/news/"):
        assert day in client.get(url).content.decode(), url


def test_archive_pages_are_page_cached_and_follow_edits(client):
    article = make_article("Before", published_at=almaty(2021, 4, 23, 16, 38))
    client.get("/en/archive/2021/04/23/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/archive/2021/04/23/")
    assert len(queries) == 0
    assert "public" in response["Cache-Control"]

    article.title_en = "After"
    article.save()
    assert "After" in client.get("/en/archive/2021/04/23/").content.decode()


def fill(count):
    """`count` articles over the 2021 spring, a few per day, in English and Russian."""
    category = make_category("news")
    start = almaty(2021, 3, 1, 8, 0)
    Article.objects.bulk_create(
        Article(
            slug=f"story-{n}",
            category=category,
            status=Article.Status.PUBLISHED,
            published_at=start + timedelta(hours=5 * n),
            title_en=f"Story {n}",
            body_en="<p>Body</p>",
            title_ru=f"Новость {n}",
            body_ru="<p>Текст</p>",
        )
        for n in range(count)
    )


ARCHIVE_URLS = {
    "day": "/en/archive/2021/04/23/",
    "month": "/en/archive/2021/04/",
    "year": "/en/archive/2021/",
}
# A page-cache miss with the site-wide fragments cached (as in test_query_budgets):
# day = page rows, earlier, later, days of the month; year = twelve month probes
# and the two neighbours.
BUDGETS = {"day": 6, "month": 5, "year": 16}


def queries_for(client, url):
    client.get(url)
    bump_generation()
    client.get("/en/no-such-page/")  # refills the shared fragments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_archive_pages_keep_their_query_budgets_whatever_the_number_of_articles(client):
    fill(300)
    small = {page: queries_for(client, url) for page, url in ARCHIVE_URLS.items()}
    fill_more = [make_article(published_at=almaty(2021, 4, 23, 9, m)) for m in range(30)]
    assert fill_more
    large = {page: queries_for(client, url) for page, url in ARCHIVE_URLS.items()}

    assert small == large
    assert all(small[page] <= BUDGETS[page] for page in BUDGETS), small


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum would have: without statistics every index looks alike.
            cursor.execute("ANALYZE news_article")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_the_days_with_news_of_a_month_are_one_query_on_the_publish_time_index():
    fill(300)
    articles = Article.objects.for_readers("en")

    with CaptureQueriesContext(connection) as queries:
        days = articles.days_with_news(2021, 4)
    assert len(queries) == 1
    assert len(days) == 30

    month = articles.filter(
        published_at__gte=almaty(2021, 4, 1), published_at__lt=almaty(2021, 5, 1)
    ).dates("published_at", "day")
    used = plan(month)
    assert "news_article_published_at" in used or "article_status_published" in used, used


@pytest.mark.parametrize("code", ["ru", "kk", "zh-hans", "kk-arab", "uz"])
def test_archive_pages_show_no_english_in_non_latin_editions(client, code):
    make_article(codes=(code,), published_at=almaty(2021, 4, 22, 9, 0))
    make_article(codes=(code,), published_at=almaty(2021, 4, 23, 16, 38))
    make_article(codes=(code,), published_at=almaty(2021, 4, 24, 9, 0))

    for path in ("2021/04/23/", "2021/04/", "2021/"):
        text = EDITION_MARKER.sub("", visible_text(client, f"/{code}/archive/{path}", 200))
        # "RSS" is a format's name, written so in every language (the footer's feed link).
        english = set(LATIN_WORD.findall(text)) - {"RSS"}
        assert not english, (path, sorted(english))
