"""The header's rates and weather widgets: from the database only, cached, in every edition."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.caching import warm
from tests.widget_server import Answer, SampleServer, sample
from widgets import display
from widgets.models import City, Rate, WeatherReading, WidgetSettings

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 17, 30, tzinfo=ZoneInfo("Asia/Almaty"))
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def on_the_sample_day():
    # Ticking: the page cache keys on time_ns(), which a frozen clock would never bump.
    with time_machine.travel(NOW, tick=True):
        yield


def make_rate(currency, rate, day=TODAY, quantity=1, change=None):
    rate = Decimal(rate)
    return Rate.objects.create(
        currency=currency,
        date=day,
        rate=rate,
        quantity=quantity,
        value=rate * quantity,
        source_change=None if change is None else Decimal(change),
        fetched_at=NOW,
    )


def make_reading(slug="astana", temperature="-3.4", low="-8.6", high="-1.2", code=71, at=None):
    return WeatherReading.objects.create(
        city=City.objects.get(slug=slug),
        observed_at=at or datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        temperature=Decimal(temperature),
        temperature_min=Decimal(low),
        temperature_max=Decimal(high),
        weather_code=code,
        fetched_at=NOW,
    )


def header(client, edition="en"):
    response = client.get(f"/{edition}/")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<div class="widgets">') : html.index('<a class="phone"')]


def squeeze(html):
    return " ".join(html.split())


def test_rates_show_the_reference_pairs_in_the_configured_order(client):
    for code, rate in [("CNY", "63.46"), ("RUB", "5.54"), ("EUR", "482.16"), ("USD", "447.9")]:
        make_rate(code, rate)
    make_rate("GBP", "566.83")  # published, but not chosen for the header
    html = squeeze(header(client))
    assert "Currency rates" in html
    pairs = [
        '<span class="pair" dir="ltr">usd/kzt</span> <bdi class="rate" dir="ltr">447.9</bdi>',
        '<span class="pair" dir="ltr">eur/kzt</span> <bdi class="rate" dir="ltr">482.16</bdi>',
        '<span class="pair" dir="ltr">rub/kzt</span> <bdi class="rate" dir="ltr">5.54</bdi>',
        '<span class="pair" dir="ltr">cny/kzt</span> <bdi class="rate" dir="ltr">63.46</bdi>',
    ]
    positions = [html.index(pair) for pair in pairs]
    assert positions == sorted(positions)
    assert "gbp/kzt" not in html


def test_rates_read_as_the_reference_writes_them(client):
    # Two places from 1 up, four below, no trailing zeros and no bare point.
    for code, rate in [("USD", "448.0000"), ("EUR", "482.1670"), ("RUB", "1.2345")]:
        make_rate(code, rate)
    make_rate("CNY", "0.0372")
    html = squeeze(header(client))
    for pair, shown in [("usd", "448"), ("eur", "482.17"), ("rub", "1.23"), ("cny", "0.0372")]:
        assert (
            f'<span class="pair" dir="ltr">{pair}/kzt</span> '
            f'<bdi class="rate" dir="ltr">{shown}</bdi>'
        ) in html


def test_the_change_against_the_previous_rate_date_reads_without_colour(client):
    yesterday = TODAY - timedelta(days=1)
    make_rate("USD", "446.7", yesterday)
    make_rate("EUR", "483.21", yesterday)
    make_rate("RUB", "5.54", yesterday)
    make_rate("USD", "447.9")
    make_rate("EUR", "482.16")
    make_rate("RUB", "5.54")
    make_rate("CNY", "63.46", change="+0.15")  # no stored previous rate: the bank's own change
    html = squeeze(header(client))
    usd = html[html.index("usd/kzt") : html.index("eur/kzt")]
    eur = html[html.index("eur/kzt") : html.index("rub/kzt")]
    rub = html[html.index("rub/kzt") : html.index("cny/kzt")]
    cny = html[html.index("cny/kzt") :]
    assert '<span class="trend trend-up" aria-hidden="true">▲</span>' in usd
    assert '<span class="visually-hidden">up</span>' in usd
    assert '▼</span><span class="visually-hidden">down</span>' in eur
    assert '=</span><span class="visually-hidden">unchanged</span>' in rub
    assert '<span class="visually-hidden">up</span>' in cny


def test_editors_choose_the_currencies_and_the_header_follows_at_once(client, each_cache):
    make_rate("USD", "447.9")
    make_rate("GBP", "566.83")
    settings_row = WidgetSettings.current()
    assert "gbp/kzt" not in warm(client, "/en/")
    settings_row.currencies = "GBP"
    settings_row.save()
    html = header(client)
    assert "gbp/kzt" in html
    assert "usd/kzt" not in html


def test_old_rates_say_as_of_when(client):
    make_rate("USD", "447.9", day=date(2026, 11, 20))
    html = squeeze(header(client))
    assert "447.9" in html
    assert '<p class="as-of">as of 20 November 2026</p>' in html


def test_current_rates_do_not_say_as_of(client):
    make_rate("USD", "447.9")
    assert "as of" not in header(client)


def test_the_weather_shows_astana_first_with_its_range_and_condition(client):
    make_reading("almaty", "2.1", "-1", "6.4", code=3)
    make_reading("astana")
    html = squeeze(header(client))
    current = html[html.index('<p class="current-city">') : html.index("</p>")]
    assert '<span class="city">Astana</span>' in current
    assert '<bdi class="temperature" dir="ltr">−3°C</bdi>' in current
    assert '<span class="condition">snow</span>' in current
    assert 'min <bdi dir="ltr">−9°</bdi> max <bdi dir="ltr">−1°</bdi>' in current
    others = html[html.index("<details") :]
    assert "Other cities" in others
    assert (
        '<span class="city">Almaty</span> <bdi class="temperature" dir="ltr">+2°C</bdi>' in others
    )
    assert "overcast" in others
    assert "Shymkent" not in html  # no reading yet: left out, not shown empty


def test_old_weather_says_as_of_when(client):
    make_reading(at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    html = squeeze(header(client))
    assert '<span class="as-of">as of 23 November 2026, 12:00</span>' in html


def test_without_any_data_the_widgets_are_left_out_and_the_page_is_fine(client):
    html = header(client)
    assert "Currency rates" not in html
    assert "Weather" not in html
    assert "<section" not in html


def test_city_names_follow_the_edition(client):
    make_reading()
    assert '<span class="city">Астана</span>' in header(client, "ru")
    assert '<span class="city">阿斯塔纳</span>' in header(client, "zh-hans")


def test_in_the_right_to_left_edition_numbers_stay_left_to_right(client):
    make_rate("USD", "447.9")
    make_reading()
    response = client.get("/kk-arab/")
    assert '<html lang="kk-Arab" dir="rtl">' in response.content.decode()
    html = squeeze(header(client, "kk-arab"))
    assert '<span class="city">استانا</span>' in html
    assert '<bdi class="temperature" dir="ltr">−3°C</bdi>' in html
    assert (
        '<span class="pair" dir="ltr">usd/kzt</span> <bdi class="rate" dir="ltr">447.9</bdi>'
        in html
    )


WIDGETS = Template("{% include 'includes/widgets.html' %}")


def render_widgets():
    with CaptureQueriesContext(connection) as queries:
        html = WIDGETS.render(Context({}))
    return html, len(queries)


def test_widgets_cost_no_query_when_cached_and_a_few_when_not():
    WidgetSettings.current()
    for day in (TODAY - timedelta(days=1), TODAY):
        for code in ("USD", "EUR", "RUB", "CNY"):
            make_rate(code, "100", day)
    for city in City.objects.all():
        make_reading(city.slug)
    html, cold = render_widgets()
    assert "usd/kzt" in html and "Atyrau" in html
    assert cold == 5  # settings, rate dates, rates; shown cities, their newest readings
    html_again, warm = render_widgets()
    assert warm == 0
    assert html_again == html


def test_cold_query_count_does_not_grow_with_history():
    WidgetSettings.current()
    for offset in range(30):
        make_rate("USD", "447.9", TODAY - timedelta(days=offset))
        make_reading(at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC) - timedelta(hours=offset))
    _html, cold = render_widgets()
    assert cold == 5


def test_a_fetch_shows_on_the_next_page_despite_the_cache(client, settings, each_cache):
    make_rate("USD", "440")
    assert "440" in warm(client, "/en/")
    with SampleServer() as server, time_machine.travel(NOW, tick=True):
        settings.RATES_FEED_URL = server.answer("/rss", Answer(sample("nbk_rates_all.xml")))
        settings.WEATHER_API_URL = server.answer(
            "/forecast", Answer(sample("open_meteo_forecast.json"))
        )
        call_command("fetch_rates", stdout=io.StringIO())
        call_command("fetch_weather", stdout=io.StringIO())
    html = squeeze(header(client))
    assert '<bdi class="rate" dir="ltr">447.9</bdi>' in html
    assert '<span class="city">Astana</span>' in html


# --- Admin ----------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(user)
    translation.activate("en")
    return client


def test_rate_and_weather_history_are_read_only_in_the_admin(admin_client):
    rate = make_rate("USD", "447.9")
    reading = make_reading()
    assert admin_client.get(reverse("admin:widgets_rate_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:widgets_rate_add")).status_code == 403
    view = admin_client.get(reverse("admin:widgets_rate_change", args=[rate.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    delete = admin_client.post(
        reverse("admin:widgets_rate_delete", args=[rate.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert admin_client.get(reverse("admin:widgets_weatherreading_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:widgets_weatherreading_change", args=[reading.pk]), {}
        ).status_code
        == 403
    )
    assert Rate.objects.count() == WeatherReading.objects.count() == 1


def test_editors_change_the_currencies_in_the_admin(admin_client):
    url = reverse("admin:widgets_widgetsettings_change", args=[WidgetSettings.current().pk])
    response = admin_client.post(url, {"currencies": "usd, gbp usd"})
    assert response.status_code == 302
    assert WidgetSettings.current().currencies == "USD, GBP"
    response = admin_client.post(url, {"currencies": "US, EUR"})
    assert response.status_code == 200
    assert "“US” is not a three-letter currency code." in response.content.decode()
    assert WidgetSettings.current().currencies == "USD, GBP"


def test_editors_choose_the_cities_shown(admin_client, each_cache):
    make_reading("astana")
    make_reading("almaty", "2.1", "-1", "6.4", code=3)
    reader = Client()  # anonymous: served from the page cache
    assert '<p class="current-city"><span class="city">Astana</span>' in squeeze(
        warm(reader, "/en/")
    )
    astana = City.objects.get(slug="astana")
    response = admin_client.post(
        reverse("admin:widgets_city_changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": astana.pk,
            "form-0-position": astana.position,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert '<p class="current-city"><span class="city">Almaty</span>' in squeeze(header(reader))


def test_data_changed_behind_the_signals_show_within_ten_minutes():
    # A bulk update (or another tool's SQL) sends no signal, so no new content
    # generation: the widgets' own ten-minute expiry is what brings it in.
    make_rate("USD", "447.9")
    make_reading("astana", temperature="-3.4")
    with time_machine.travel(NOW, tick=False) as clock:
        assert display.rates()["rates"][0]["rate"] == "447.9"
        assert display.weather()[0]["temperature"] == Decimal("-3.4")
        Rate.objects.filter(currency="USD").update(rate=Decimal("450.1"))
        WeatherReading.objects.update(temperature=Decimal("-5.0"))
        clock.shift(timedelta(minutes=9, seconds=59))
        assert display.rates()["rates"][0]["rate"] == "447.9"
        assert display.weather()[0]["temperature"] == Decimal("-3.4")
        clock.shift(timedelta(seconds=2))
        assert display.rates()["rates"][0]["rate"] == "450.1"
        assert display.weather()[0]["temperature"] == Decimal("-5.0")


def test_a_currency_without_a_rate_is_left_out_and_the_rest_still_shown(client):
    # The header's order is USD, EUR, RUB, CNY; the first has no rate yet.
    make_rate("EUR", "482.16")
    make_rate("CNY", "63.46")
    html = squeeze(header(client))
    assert "usd/kzt" not in html
    assert '<span class="pair" dir="ltr">eur/kzt</span>' in html
    assert '<span class="pair" dir="ltr">cny/kzt</span>' in html


def test_a_city_without_a_reading_is_left_out_and_the_next_still_shown(client):
    make_reading("almaty", "2.1", "-1", "6.4", code=3)  # Astana, shown first, has none
    html = squeeze(header(client))
    assert "Astana" not in html
    assert '<span class="city">Almaty</span>' in html


def test_a_city_without_a_name_in_the_edition_shows_its_english_name(client):
    City.objects.filter(slug="astana").update(name_uz="")
    make_reading()
    assert '<span class="city">Astana</span>' in header(client, "uz")


def test_each_edition_keeps_its_own_cached_city_names():
    WidgetSettings.current()
    make_reading()
    # No write between the reads: the second edition must not get the first one's copy.
    for code, name in (("ru", "Астана"), ("zh-hans", "阿斯塔纳"), ("ru", "Астана")):
        with translation.override(code):
            assert display.weather()[0]["name"] == name


def test_the_rates_widget_reads_the_rows_of_the_two_newest_dates_only(monkeypatch):
    """Rates are kept for years: the header compares two dates and must read no more."""
    WidgetSettings.current()
    for offset in range(30):
        for code in ("USD", "EUR"):
            make_rate(code, "447.9", TODAY - timedelta(days=offset))
    real_from_db = Rate.from_db.__func__
    rows_read = []

    def counted(cls, *args, **kwargs):
        rows_read.append(1)
        return real_from_db(cls, *args, **kwargs)

    monkeypatch.setattr(Rate, "from_db", classmethod(counted))
    shown = display._build_rates()
    assert [item["pair"] for item in shown["rates"]][:2] == ["usd/kzt", "eur/kzt"]
    assert len(rows_read) == 4  # two currencies on two dates
