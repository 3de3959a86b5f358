"""Open-Meteo's keyless forecast API: current conditions and today's range per city.

One request per city:

    …/v1/forecast?latitude=51.17&longitude=71.45&current=temperature_2m,weather_code
        &daily=temperature_2m_max,temperature_2m_min&timezone=Asia/Almaty&forecast_days=1

answers JSON with `current.time` (local time of the requested zone),
`utc_offset_seconds`, `current.temperature_2m`, `current.weather_code` and the
`daily` arrays, whose first element is today.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from widgets import http, storing
from widgets.http import SourceError
from widgets.models import WeatherReading

# WMO weather interpretation codes (the table in Open-Meteo's documentation),
# grouped into the words a reader needs.
CONDITIONS = {
    0: _("clear"),
    1: _("mainly clear"),
    2: _("partly cloudy"),
    3: _("overcast"),
    45: _("fog"),
    48: _("fog"),
    51: _("drizzle"),
    53: _("drizzle"),
    55: _("drizzle"),
    56: _("freezing drizzle"),
    57: _("freezing drizzle"),
    61: _("rain"),
    63: _("rain"),
    65: _("heavy rain"),
    66: _("freezing rain"),
    67: _("freezing rain"),
    71: _("snow"),
    73: _("snow"),
    75: _("heavy snow"),
    77: _("snow grains"),
    80: _("showers"),
    81: _("showers"),
    82: _("heavy showers"),
    85: _("snow showers"),
    86: _("snow showers"),
    95: _("thunderstorm"),
    96: _("thunderstorm with hail"),
    99: _("thunderstorm with hail"),
}

# Beyond the records of Kazakhstan (and of the planet) by a margin.
MIN_TEMPERATURE = -70
MAX_TEMPERATURE = 60
TENTH = Decimal("0.1")


def condition(code):
    return CONDITIONS.get(code, "")


@dataclass(frozen=True)
class Reading:
    observed_at: datetime
    temperature: Decimal
    temperature_min: Decimal
    temperature_max: Decimal
    weather_code: int


def forecast_url(city):
    parts = urlsplit(settings.WEATHER_API_URL)
    query = dict(parse_qsl(parts.query))
    query.update(
        latitude=str(city.latitude),
        longitude=str(city.longitude),
        current="temperature_2m,weather_code",
        daily="temperature_2m_max,temperature_2m_min",
        timezone=settings.TIME_ZONE,
        forecast_days="1",
    )
    return urlunsplit(parts._replace(query=urlencode(query)))


def _number(value, what):
    # bool is an int in Python; JSON true is not a temperature.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f"{what} is not a number: {str(value)[:40]!r}")
    if not MIN_TEMPERATURE <= value <= MAX_TEMPERATURE:
        raise SourceError(f"implausible {what}: {value}")
    return Decimal(str(value)).quantize(TENTH)


def _first(daily, key):
    values = daily.get(key)
    if not isinstance(values, list) or not values:
        raise SourceError(f"the answer has no daily {key}")
    return values[0]


def parse(body, now=None):
    """The reading in one forecast answer; SourceError for anything we will not store."""
    now = now or timezone.now()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise SourceError(f"malformed JSON: {str(error)[:80]}") from None
    if not isinstance(data, dict):
        raise SourceError("malformed answer: expected a JSON object")
    if data.get("error"):
        raise SourceError(f"the API reports an error: {str(data.get('reason'))[:80]}")
    current, daily = data.get("current"), data.get("daily")
    if not isinstance(current, dict) or not isinstance(daily, dict):
        raise SourceError("the answer has no current or daily section")
    offset = data.get("utc_offset_seconds")
    if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > 14 * 3600:
        raise SourceError(f"implausible utc_offset_seconds: {str(offset)[:20]!r}")
    try:
        local = datetime.fromisoformat(str(current.get("time")))
    except ValueError:
        raise SourceError(
            f"current time is not ISO 8601: {str(current.get('time'))[:30]!r}"
        ) from None
    # The API gives wall-clock time in the requested zone plus its offset.
    observed_at = (local.replace(tzinfo=None) - timedelta(seconds=offset)).replace(tzinfo=UTC)
    if not now - timedelta(days=7) <= observed_at <= now + timedelta(hours=2):
        raise SourceError(f"implausible observation time {current.get('time')}")
    code = current.get("weather_code")
    if isinstance(code, bool) or not isinstance(code, int) or code not in CONDITIONS:
        raise SourceError(f"unknown WMO weather code {str(code)[:20]}")
    reading = Reading(
        observed_at=observed_at,
        temperature=_number(current.get("temperature_2m"), "current temperature"),
        temperature_min=_number(_first(daily, "temperature_2m_min"), "minimum temperature"),
        temperature_max=_number(_first(daily, "temperature_2m_max"), "maximum temperature"),
        weather_code=code,
    )
    if reading.temperature_min > reading.temperature_max:
        raise SourceError(
            f"implausible range: minimum {reading.temperature_min} above "
            f"maximum {reading.temperature_max}"
        )
    return reading


def fetch(city):
    try:
        return parse(http.fetch(forecast_url(city), accept="application/json"))
    except SourceError as error:
        raise SourceError(f"{city.slug}: {error}") from None


def store(readings, now=None):
    """Store (city, reading) pairs; a reading already stored is not stored twice."""
    return storing.store(
        WeatherReading,
        (
            (
                {"city": city, "observed_at": reading.observed_at},
                {
                    "temperature": reading.temperature,
                    "temperature_min": reading.temperature_min,
                    "temperature_max": reading.temperature_max,
                    "weather_code": reading.weather_code,
                },
            )
            for city, reading in readings
        ),
        now or timezone.now(),
    )
