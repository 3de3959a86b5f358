"""The front page and the frame of every page: masthead, menu, labelled widgets, the
latest-news times a reader can place, the footer."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from tests.builders import make_article, make_category
from widgets.demo import load_samples

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
# Almaty is UTC+5 in 2026: 09:30 there is 04:30 UTC, the same calendar day.
NOW = datetime(2026, 11, 30, 9, 30, tzinfo=ALMATY)


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (11, 79, 138)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def news_time(moment, code):
    with translation.override(code):
        return Template("{% load news %}{% news_time moment %}").render(Context({"moment": moment}))


def shown(html):
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    "code, today, yesterday, older",
    [
        # CLDR: en-GB's 24-hour clock in English, "г." after the year in Russian.
        ("en", "07:05", "Yesterday, 23:50", "23 April 2021, 16:38"),
        ("ru", "07:05", "Вчера, 23:50", "23 апреля 2021 г., 16:38"),
        ("zh-hans", "07:05", "昨天 23:50", "2021年4月23日 16:38"),
        ("kk-arab", "07:05", "كەشە، 23:50", None),
    ],
)
def test_latest_news_times_say_the_day_only_when_it_is_not_today(code, today, yesterday, older):
    with time_machine.travel(NOW, tick=False):
        assert shown(news_time(datetime(2026, 11, 30, 7, 5, tzinfo=ALMATY), code)) == today
        assert shown(news_time(datetime(2026, 11, 29, 23, 50, tzinfo=ALMATY), code)) == yesterday
        old = shown(news_time(datetime(2021, 4, 23, 16, 38, tzinfo=ALMATY), code))
    if older is not None:
        assert old == older
    # Whatever the script, an older story names its year.
    assert "2021" in old


def test_a_time_shown_today_says_yesterday_the_next_day():
    # Times are remembered per worker: the day they were formatted on is part of it.
    moment = datetime(2026, 11, 30, 7, 5, tzinfo=ALMATY)
    with time_machine.travel(NOW, tick=False):
        assert shown(news_time(moment, "en")) == "07:05"
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert shown(news_time(moment, "en")) == "Yesterday, 07:05"


def test_days_are_counted_in_almaty_not_in_utc():
    # 00:30 in Almaty is still the previous day in UTC: it is "today" for the reader.
    with time_machine.travel(NOW, tick=False):
        html = news_time(datetime(2026, 11, 30, 0, 30, tzinfo=ALMATY), "en")
    assert shown(html) == "00:30"
    assert 'datetime="2026-11-30T00:30:00+0500"' in html


def test_the_home_page_latest_list_uses_the_day_aware_times(client):
    with time_machine.travel(NOW, tick=True):
        make_article("Fresh", published_at=datetime(2026, 11, 30, 8, 0, tzinfo=ALMATY))
        make_article("Last night", published_at=datetime(2026, 11, 29, 22, 15, tzinfo=ALMATY))
        make_article("Archive", published_at=datetime(2021, 4, 23, 16, 38, tzinfo=ALMATY))
        html = page(client, "/en/")
    latest = shown(
        html[html.index('class="latest"') : html.index("</section>", html.index('class="latest"'))]
    )
    assert "08:00 Fresh" in " ".join(latest.split())
    assert "Yesterday, 22:15 Last night" in " ".join(latest.split())
    assert "23 April 2021, 16:38 Archive" in " ".join(latest.split())


@pytest.mark.parametrize(
    "code, wordmark",
    [
        ("en", "Kazinform"),
        ("ru", "Казинформ"),
        ("zh-hans", "哈通社"),
        ("uz", "Казинформ"),
        ("kk-arab", "قازاقپارات"),
    ],
)
def test_masthead_has_the_logo_and_the_wordmark_in_the_editions_script(client, code, wordmark):
    html = page(client, f"/{code}/")
    masthead = html[html.index('class="wrap masthead"') : html.index("</form>")]
    assert '<svg class="logo"' in masthead and 'aria-hidden="true"' in masthead
    assert f'<span class="wordmark">{wordmark}</span>' in masthead


def nav(html):
    start = html.index('class="main-nav"')
    return html[start : html.index("</nav>", start)]


def current_links(html):
    return dict(re.findall(r'<a href="([^"]+)" aria-current="(page|true)"', nav(html)))


def test_the_menu_marks_the_current_page_and_the_section_of_the_page_being_read(client):
    news = make_category("news", name="News")
    parliament = make_category("parliament", parent=news, name="Parliament")
    make_category("sport", name="Sport")
    article = make_article(category=parliament, slug="meeting")
    make_article(category=make_category("world", name="World"))
    assert current_links(page(client, "/en/")) == {"/en/": "page"}
    assert current_links(page(client, "/en/category/news/")) == {"/en/category/news/": "page"}
    # A sub-category and an article mark the top section they belong to.
    assert current_links(page(client, "/en/category/parliament/")) == {"/en/category/news/": "true"}
    assert current_links(page(client, f"/en/article/{article.pk}-meeting/")) == {
        "/en/category/news/": "true"
    }
    assert current_links(page(client, "/en/search/?q=x")) == {}


def test_header_widgets_carry_visible_labels(client, settings, tmp_path):
    with time_machine.travel(NOW, tick=True):
        load_samples()
        html = page(client, "/en/")
    header = html[html.index("<header") : html.index("</header>")]
    assert re.search(r'<h2 id="widget-rates-title" class="widget-label">Currency rates', header)
    assert re.search(r'<h2 id="widget-weather-title" class="widget-label">Weather', header)
    assert 'visually-hidden">Currency rates' not in header
    words = " ".join(shown(header).split())
    assert "Currency rates: usd/kzt 447.9" in words
    assert "Weather: Astana −3°C" in words


def test_section_blocks_show_a_picture_for_their_first_story(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sport = make_category("sport", name="Sport")
    for _ in range(6):  # lead and top stories first, then the block
        make_article(category=make_category(), published_at=timezone.now())
    first = make_article("Match", category=sport, image=jpeg())
    make_article("Older match", category=sport, published_at=first.published_at.replace(year=2025))
    html = page(client, "/en/")
    block = html[
        html.index('id="block-sport"') : html.index("</section>", html.index('id="block-sport"'))
    ]
    assert block.index("<picture>") < block.index(first.title_en)
    assert '<ul class="headlines">' in block and "Older match" in block


def test_footer_lists_sections_editions_feed_and_contacts_in_the_readers_language(client):
    make_article(codes=("ru",), category=make_category("sport", name="Спорт"))
    html = page(client, "/ru/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Казинформ — национальное информационное агентство Казахстана." in footer
    assert '<a href="/ru/category/sport/">' in footer
    assert '<a href="/kk-arab/" lang="kk-Arab" hreflang="kk-Arab">قازاقشا</a>' in footer
    with translation.override("ru"):
        feed = reverse("news:feed")
    assert f'<a class="rss" href="{feed}" type="application/rss+xml">RSS-лента</a>' in footer
    assert "<h2" in footer and "Контакты" in footer and 'href="tel:' in footer
