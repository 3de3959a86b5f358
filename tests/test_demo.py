"""The demo newsroom: the reference article and its neighbours, loaded once however often."""

import hashlib
import inspect
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from core import editions
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
