"""`manage.py fetch_weather`: Open-Meteo's forecast API, read over real HTTP from a local server."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.widget_server import Answer, SampleServer, closed_port_url, sample
from widgets.models import City, WeatherReading

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 17, 30, tzinfo=ZoneInfo("Asia/Almaty"))
FORECAST = sample("open_meteo_forecast.json")
DEFAULT_CITIES = ["astana", "almaty", "shymkent", "karaganda", "aktobe", "atyrau"]


@pytest.fixture(autouse=True)
def fast_http(settings):
    settings.WIDGETS_HTTP_TIMEOUT = 0.5
    settings.WIDGETS_HTTP_RETRIES = 2
    settings.WIDGETS_HTTP_BACKOFF_SECONDS = 0.01


@pytest.fixture(autouse=True)
def on_the_sample_day():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def server():
    with SampleServer() as running:
        yield running


@pytest.fixture
def api(server, settings):
    settings.WEATHER_API_URL = server.answer("/v1/forecast", Answer(FORECAST))
    return server


def fetch_weather():
    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    call_command("fetch_weather", stdout=Out())
    return "".join(lines)


def stored():
    return sorted(
        WeatherReading.objects.values_list(
            "city__slug", "observed_at", "temperature", "temperature_min", "temperature_max"
        )
    )


def changed(**fields):
    data = json.loads(FORECAST)
    for path, value in fields.items():
        section, key = path.split("__")
        data[section][key] = value
    return json.dumps(data).encode()


def test_default_cities_come_with_names_in_every_edition_astana_first():
    cities = list(City.objects.shown())
    assert [city.slug for city in cities] == DEFAULT_CITIES
    astana = cities[0]
    assert (astana.name_en, astana.name_ru, astana.name_zh_hans) == ("Astana", "Астана", "阿斯塔纳")
    assert astana.name_kk_arab == "استانا"
    assert all(
        getattr(city, f"name_{suffix}")
        for city in cities
        for suffix in ("en", "ru", "kk", "kk_latn", "zh_hans", "kk_arab", "uz")
    )


def test_fetch_weather_stores_a_reading_for_every_shown_city(api):
    output = fetch_weather()
    assert WeatherReading.objects.count() == len(DEFAULT_CITIES)
    astana = WeatherReading.objects.get(city__slug="astana")
    # 17:00 in Almaty's zone (UTC+5 in 2026) is 12:00 UTC.
    assert astana.observed_at == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert (astana.temperature, astana.temperature_min, astana.temperature_max) == (
        Decimal("-3.4"),
        Decimal("-8.6"),
        Decimal("-1.2"),
    )
    assert astana.weather_code == 71
    assert "Weather for 6 cities: 6 readings stored, 0 corrected, 0 already stored." in output


# Written out here, not read from the City rows: a city asked for by the wrong
# coordinates would otherwise agree with itself.
COORDINATES = [
    ("51.1694", "71.4491"),  # Astana
    ("43.2389", "76.8897"),  # Almaty
    ("42.3417", "69.5901"),  # Shymkent
    ("49.8047", "73.1094"),  # Karaganda
    ("50.2839", "57.1670"),  # Aktobe
    ("47.1167", "51.8833"),  # Atyrau
]


def test_each_city_is_asked_for_by_its_coordinates_in_almatys_zone(api):
    fetch_weather()
    asked = [(r["query"]["latitude"], r["query"]["longitude"]) for r in api.requests]
    assert asked == [([lat], [lon]) for lat, lon in COORDINATES]
    for request in api.requests:
        assert request["query"]["current"] == ["temperature_2m,weather_code"]
        assert request["query"]["daily"] == ["temperature_2m_max,temperature_2m_min"]
        assert request["query"]["timezone"] == ["Asia/Almaty"]
        assert request["headers"]["User-Agent"].startswith("KazinformPortal/1.0 (+")


def test_hidden_cities_are_not_fetched(api):
    City.objects.exclude(slug="astana").update(shown=False)
    fetch_weather()
    assert len(api.requests) == 1
    assert list(WeatherReading.objects.values_list("city__slug", flat=True)) == ["astana"]


def test_running_twice_stores_nothing_twice(api):
    fetch_weather()
    before = stored()
    output = fetch_weather()
    assert stored() == before
    assert "0 readings stored, 0 corrected, 6 already stored." in output


def test_no_shown_city_is_a_clear_error():
    City.objects.update(shown=False)
    with pytest.raises(CommandError, match="no cities are set to be shown"):
        fetch_weather()


FAILURES = {
    "timeout": (
        Answer(FORECAST, delay=2),
        "did not answer within 0.5 s (gave up after 3 attempts)",
    ),
    "server error": (Answer(b"oops", 502), "answered HTTP 502"),
    "api error": (
        Answer(b'{"error":true,"reason":"Latitude must be in range of -90 to 90"}', 400),
        "answered HTTP 400",
    ),
    "empty answer": (Answer(b""), "sent an empty answer"),
    "garbage": (Answer(b"<html>Bad gateway</html>"), "malformed JSON"),
    "hostile nesting": (Answer(b"[" * 200_000 + b"]" * 200_000), "malformed JSON"),
    "not an object": (Answer(b"[1, 2, 3]"), "expected a JSON object"),
    "no current section": (Answer(b'{"daily": {}}'), "no current or daily section"),
    "too hot": (Answer(changed(current__temperature_2m=99.5)), "implausible current temperature"),
    "too cold": (
        Answer(changed(daily__temperature_2m_min=[-120])),
        "implausible minimum temperature: -120",
    ),
    "not a number": (
        Answer(changed(current__temperature_2m=True)),
        "current temperature is not a number",
    ),
    "minimum above maximum": (
        Answer(changed(daily__temperature_2m_min=[5.0])),
        "minimum 5.0 above maximum -1.2",
    ),
    "unknown code": (Answer(changed(current__weather_code=42)), "unknown WMO weather code 42"),
    "bad time": (Answer(changed(current__time="yesterday")), "current time is not ISO 8601"),
    "old time": (
        Answer(changed(current__time="2020-01-01T00:00")),
        "implausible observation time",
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_failing_api_is_a_clear_error_and_changes_nothing(server, settings, case):
    astana = City.objects.get(slug="astana")
    WeatherReading.objects.create(
        city=astana,
        observed_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
        temperature=Decimal("-5"),
        temperature_min=Decimal("-9"),
        temperature_max=Decimal("-2"),
        weather_code=3,
        fetched_at=NOW,
    )
    before = stored()
    answer, reason = FAILURES[case]
    settings.WEATHER_API_URL = server.answer("/v1/forecast", answer)
    with pytest.raises(CommandError) as error:
        fetch_weather()
    message = str(error.value)
    assert message.startswith("weather not fetched, nothing changed: astana: ")
    assert reason in message
    assert "\n" not in message
    assert stored() == before


def test_one_failing_city_stores_nothing_for_the_others(server, settings):
    settings.WEATHER_API_URL = server.answer("/v1/forecast", Answer(FORECAST), Answer(b"", 500))
    with pytest.raises(CommandError, match="almaty: .*answered HTTP 500"):
        fetch_weather()
    assert not WeatherReading.objects.exists()


def test_a_refused_connection_is_a_clear_error(settings):
    settings.WEATHER_API_URL = closed_port_url("/v1/forecast")
    with pytest.raises(CommandError, match=r"astana: cannot connect to 127\.0\.0\.1"):
        fetch_weather()
    assert not WeatherReading.objects.exists()


def test_a_passing_timeout_is_retried(server, settings):
    settings.WEATHER_API_URL = server.answer(
        "/v1/forecast", Answer(FORECAST, delay=2), Answer(FORECAST)
    )
    City.objects.exclude(slug="astana").update(shown=False)
    fetch_weather()
    assert len(server.requests) == 2
    assert WeatherReading.objects.count() == 1
