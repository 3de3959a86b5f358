"""The demo newsroom: the reference article and its neighbours, loaded once however often."""

import hashlib
import inspect
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from modeltranslation.utils import build_localized_fieldname

from core import editions
from live.models import LiveCoverage, LiveEntry
from multimedia.models import Gallery, Photo, Video
from news.demo import images
from news.demo.images import lead_image
from news.models import Article, Author, Category, DailyViews, Tag
from widgets.models import Rate, WeatherReading

pytestmark = pytest.mark.django_db

REFERENCE_SLUG = "kazakh-senate-speaker-russian-ambassador-meet"
POPULAR = [
    "Kazakhstan's SCAT Airlines launches flights between Almaty and Lahore",
    "Maulen Ashimbayev meets General Secretary of Muslim Council of Elders Mohamed Abdelsalam",
    "Bodies of three foresters killed in wildfires in Abai region not identified yet",
    "Kazakhstan appoints new Minister of Emergencies",
    "Former British PM Johnson stands down as MP",
]
RELATED = [
    "Tokayev meets with Total Energies CEO Patrick Pouyanné",
    "Kazakh Health Minister, Power International Holding Chairman agree to build "
    "medical hub in Astana",
    "President Tokayev meets with EU Commissioner for Agriculture Janusz Wojciechowski",
    "Kazakh FM Nurtleu met with UNESCO Director-General Audrey Azoulay",
]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def counts():
    return [model.objects.count() for model in (Article, Category, Tag, Author, DailyViews)] + [
        Article.tags.through.objects.count(),
        Article.related.through.objects.count(),
    ]


def test_loading_twice_duplicates_nothing(demo):
    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first


def test_reference_article_is_as_on_the_seed_page(demo):
    article = Article.objects.get(slug=REFERENCE_SLUG)
    assert article.title_en == "Kazakh Senate Speaker, Russian ambassador meet"
    assert article.published_at == datetime(2021, 4, 23, 16, 38, tzinfo=ZoneInfo("Asia/Almaty"))
    assert article.dateline_city_en == "Nur-Sultan"
    assert [c.slug for c in [*article.category.ancestors(), article.category]] == [
        "news",
        "parliament",
    ]
    assert sorted(t.slug for t in article.tags.all()) == ["parliament", "russia", "senate"]
    assert [a.name_en for a in article.authors.all()] == ["Adlet Seilkhanov"]
    assert article.editions() == list(editions.CODES)
    assert sorted(a.title_en for a in article.related.all()) == sorted(RELATED)
    assert article.image_width and article.image_height


def test_demo_spans_categories_and_editions(demo):
    articles = list(Article.objects.for_readers("en")) + list(Article.objects.all())
    assert Article.objects.count() >= 30
    assert Category.objects.filter(articles__isnull=False).distinct().count() >= 6
    assert all(a.image for a in articles)
    edition_counts = [len(a.editions()) for a in Article.objects.all()]
    assert sum(n == len(editions.CODES) for n in edition_counts) >= 5
    assert sum(n <= 2 for n in edition_counts) >= 3


def test_reference_article_is_reachable_from_the_english_home_page(client, demo):
    article = Article.objects.get(slug=REFERENCE_SLUG)
    # Main Page › News › Parliament › the article, following links a reader sees.
    trail = ["/en/", "/en/category/news/", "/en/category/parliament/"]
    for here, there in zip(trail, [*trail[1:], article.get_absolute_url()], strict=True):
        assert f'href="{there}"' in client.get(here).content.decode(), (here, there)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "NUR-SULTAN. KAZINFORM –" in page
    assert "23 April 2021, 16:38" in page


def test_popular_list_is_filled_on_a_fresh_install(client, demo):
    article = Article.objects.get(slug=REFERENCE_SLUG)
    page = client.get(article.get_absolute_url()).content.decode()
    popular = page[page.index('id="popular-heading"') :]
    positions = [popular.index(title.replace("'", "&#x27;")) for title in POPULAR]
    assert positions == sorted(positions)


def test_every_edition_has_demo_news(client, demo):
    for code in editions.CODES:
        assert Article.objects.for_readers(code).count() >= 5, code
        assert client.get(f"/{code}/").status_code == 200


def header_words(client, url):
    html = client.get(url).content.decode()
    return " ".join(
        re.sub(r"<[^>]+>", " ", html[html.index("<header") : html.index("</header>")]).split()
    )


def test_a_fresh_demo_shows_the_recorded_rates_and_weather_labelled_with_their_date(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Months after the samples were recorded: they still load, and say how old they are.
    with time_machine.travel(datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))):
        call_command("load_demo", verbosity=0)
        english = header_words(client, "/en/")
        russian = header_words(client, "/ru/")
    assert Rate.objects.filter(date=date(2026, 11, 25)).count() == Rate.objects.count() > 4
    assert WeatherReading.objects.get().city.slug == "astana"
    assert "Currency rates : usd/kzt 447.9" in english
    assert "as of 25 November 2026" in english
    assert "Weather : Astana −3°C snow" in english
    assert "Курсы валют" in russian and "по состоянию на 25 ноября 2026" in russian


def test_demo_pictures_differ_and_carry_no_lettering_in_any_script(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    digests = {hashlib.sha256(a.image.read()).hexdigest() for a in Article.objects.all()}
    assert len(digests) == Article.objects.count()
    # The same article always gets the same picture, so reloading changes no file.
    assert lead_image("some-slug") == lead_image("some-slug") != lead_image("other-slug")
    source = inspect.getsource(images)
    assert ".text(" not in source and "ImageFont" not in source


# The gallery, video and live coverage loaders build on load_demo's articles.

MULTIMEDIA_CONTENT = json.loads(
    (Path(__file__).resolve().parents[1] / "multimedia/demo/content.json").read_text("utf-8")
)
LIVE_CONTENT = json.loads(
    (Path(__file__).resolve().parents[1] / "live/demo/content.json").read_text("utf-8")
)
DEMO_GALLERY = MULTIMEDIA_CONTENT["galleries"][0]
DEMO_VIDEO = MULTIMEDIA_CONTENT["videos"][0]
DEMO_LIVE = LIVE_CONTENT["coverage"][0]


@pytest.fixture
def multimedia_demo(demo):
    call_command("load_demo_multimedia", verbosity=0)
    call_command("load_demo_live", verbosity=0)


def plain(html):
    return re.sub(r"<[^>]+>", "", html)


def in_edition(code, obj):
    with translation.override(code):
        return obj.get_absolute_url()


def multimedia_state():
    gallery = Gallery.objects.get(slug=DEMO_GALLERY["slug"])
    video = Video.objects.get()
    coverage = LiveCoverage.objects.get()
    return {
        "counts": [m.objects.count() for m in (Gallery, Photo, Video, LiveCoverage, LiveEntry)],
        "gallery": (gallery.published_at, gallery.article_id, gallery.title_kk_arab),
        "photos": [(p.position, p.image.name, p.caption_zh_hans) for p in gallery.photos.all()],
        "video": (video.article_id, video.poster.name, video.provider, video.video_id),
        "coverage": (coverage.article_id, coverage.started_at, coverage.ended_at),
        "entries": list(LiveEntry.objects.values_list("published_at", "body_uz")),
    }


def test_demo_gallery_has_six_illustrated_photos_described_in_every_edition(multimedia_demo):
    gallery = Gallery.objects.get(slug=DEMO_GALLERY["slug"])
    assert gallery in Gallery.objects.published()
    assert gallery.article.slug == DEMO_GALLERY["article"]
    assert gallery.editions() == list(editions.CODES)
    photos = list(gallery.photos.all())
    assert [p.position for p in photos] == list(range(6))
    for photo in photos:
        assert photo.image_width == images.WIDTH and photo.image_height == images.HEIGHT
        for code in editions.CODES:
            for field in ("caption", "credit", "alt"):
                assert getattr(photo, build_localized_fieldname(field, code)), (field, code)
    digests = {hashlib.sha256(p.image.read()).hexdigest() for p in photos}
    assert len(digests) == 6
    assert "：" in gallery.title_zh_hans and "：" in photos[0].alt_zh_hans


def test_demo_video_is_an_embed_with_a_drawn_poster_on_a_demo_article(multimedia_demo):
    video = Video.objects.select_related("article").get()
    assert video.article.slug == DEMO_VIDEO["article"]
    assert (video.kind, video.provider, video.video_id) == (
        Video.Kind.EMBED,
        "youtube",
        "aqz-KE-bpKQ",
    )
    assert not video.file
    assert (video.poster_width, video.poster_height) == (images.WIDTH, images.HEIGHT)


def test_demo_live_coverage_runs_with_five_entries_over_the_last_hours(multimedia_demo):
    coverage = LiveCoverage.objects.select_related("article").get()
    assert coverage.article.slug == DEMO_LIVE["article"]
    assert coverage.is_running()
    now = timezone.now()
    times = [entry.published_at for entry in coverage.entries.order_by("published_at")]
    assert len(times) == 5
    assert now - timedelta(hours=4) < times[0] and times[-1] < now
    assert times[-1] - times[0] >= timedelta(hours=3)
    for code in editions.CODES:
        assert coverage.entries_for_readers(code).count() == 5, code


def test_loading_the_gallery_video_and_live_demo_again_changes_nothing(multimedia_demo):
    first = multimedia_state()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("load_demo", verbosity=0)
        call_command("load_demo_multimedia", verbosity=0)
        call_command("load_demo_live", verbosity=0)
    assert multimedia_state() == first


def test_demo_gallery_page_shows_its_own_texts_in_every_edition(client, multimedia_demo):
    gallery = Gallery.objects.get(slug=DEMO_GALLERY["slug"])
    for code in editions.CODES:
        gallery_in_edition_shows_its_texts(client, gallery, code)


def gallery_in_edition_shows_its_texts(client, gallery, code):
    response = client.get(in_edition(code, gallery))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(DEMO_GALLERY["title"][code]) in html
    assert escape(DEMO_GALLERY["description"][code]) in html
    for photo in DEMO_GALLERY["photos"]:
        assert escape(photo["caption"][code]) in html
        assert escape(photo["alt"][code]) in html
    assert escape(DEMO_GALLERY["credit"][code]) in html
    # The article it is placed in shows it too.
    article_page = client.get(in_edition(code, gallery.article)).content.decode()
    assert escape(DEMO_GALLERY["title"][code]) in article_page


def test_demo_video_list_shows_the_video_article_in_every_edition(client, multimedia_demo):
    article = Video.objects.get().article
    for code in editions.CODES:
        with translation.override(code):
            url = reverse("multimedia:videos")
        response = client.get(url)
        assert response.status_code == 200, code
        html = response.content.decode()
        assert escape(article.text("title", code)) in html, code
        assert in_edition(code, article) in html, code


def test_demo_live_article_shows_every_entry_in_every_edition(client, multimedia_demo):
    article = LiveCoverage.objects.get().article
    for code in editions.CODES:
        response = client.get(in_edition(code, article))
        assert response.status_code == 200, code
        html = response.content.decode()
        assert html.count('class="live-entry"') == 5, code
        assert 'class="live-label"' in html, code
        for entry in DEMO_LIVE["entries"]:
            assert plain(entry["body"][code]) in html, code


@pytest.mark.parametrize("command", ["load_demo_multimedia", "load_demo_live"])
def test_demo_loaders_refuse_a_missing_or_broken_file_clearly(tmp_path, command):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    wrong_shape = tmp_path / "wrong.json"
    wrong_shape.write_text('{"galleries": 3, "coverage": [{}]}', encoding="utf-8")
    for path, message in [
        (tmp_path / "missing.json", "cannot read"),
        (broken, "is not valid JSON"),
        (wrong_shape, "malformed demo content"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command(command, file=path, verbosity=0)
    assert [m.objects.count() for m in (Gallery, Photo, Video, LiveCoverage, LiveEntry)] == [0] * 5


@pytest.mark.parametrize("command", ["load_demo_multimedia", "load_demo_live"])
def test_demo_loaders_ask_for_load_demo_first_and_leave_nothing_behind(settings, tmp_path, command):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="run load_demo first"):
        call_command(command, verbosity=0)
    assert [m.objects.count() for m in (Gallery, Photo, Video, LiveCoverage, LiveEntry)] == [0] * 5
