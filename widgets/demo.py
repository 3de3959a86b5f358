"""The header widgets' recorded answers, loaded by `load_demo` so that a fresh site
shows currency rates and weather as the reference page does, without the network.

The same files are what the fetcher tests serve from their local HTTP server
(tests/widget_server.py), so the demo shows exactly what the parsers were tested on.
Being recorded on one day, they show as "as of <that day>" once they have aged.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from widgets import display, rates, weather
from widgets.models import City

SAMPLES = Path(__file__).resolve().parent / "samples"
RATES_SAMPLE = SAMPLES / "nbk_rates_all.xml"
# Open-Meteo's answer for Astana's coordinates.
WEATHER_SAMPLE = SAMPLES / "open_meteo_forecast.json"
WEATHER_CITY = "astana"


def sample(name):
    return (SAMPLES / name).read_bytes()


def recorded_at(forecast):
    """The moment a forecast answer was recorded (its current time, in UTC).

    The parser refuses readings more than a week older than "now"; judged against
    the moment of recording, the sample stays loadable however old it grows.
    """
    data = json.loads(forecast)
    local = datetime.fromisoformat(data["current"]["time"])
    return (local - timedelta(seconds=data["utc_offset_seconds"])).replace(tzinfo=UTC)


def load_samples():
    """Store the recorded rates and Astana's recorded weather; (rates, readings) stored anew.

    Idempotent through widgets.storing: loading twice stores nothing twice.
    """
    quotes = rates.parse(RATES_SAMPLE.read_bytes())
    rates_result = rates.store(quotes)
    body = WEATHER_SAMPLE.read_bytes()
    moment = recorded_at(body)
    reading = weather.parse(body, now=moment)
    readings_result = None
    city = City.objects.filter(slug=WEATHER_CITY).first()
    if city is not None:  # an ops team may have removed it; the rates still show
        readings_result = weather.store([(city, reading)], now=moment)
    display.invalidate()
    return rates_result, readings_result
