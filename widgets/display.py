"""What the header widgets show, read from the database only and cached.

The cached values are small plain structures kept through `core.cache.cached`:
its keys carry the content generation, which every save in this app bumps
(core.signals) and the fetch commands bump once more after storing
(`invalidate`), and a cache outage means computing afresh, never an error.
Staleness is judged at render time so a cached value never hides that the
data have grown old.
"""

from decimal import Decimal

from django.utils import translation

from core import editions
from core.cache import bump_generation, cached
from widgets.models import City, Rate, WidgetSettings

CACHE_SECONDS = 600
RATES_KEY = "widgets:rates"


def weather_key(code):
    return f"widgets:weather:{code}"


def invalidate():
    """Make new data show on the next page (widgets and cached whole pages alike)."""
    bump_generation()


def format_rate(rate):
    """447.9000 -> '447.9', 5.5400 -> '5.54', 0.0372 -> '0.0372' (as the reference shows)."""
    places = Decimal("0.01") if rate >= 1 else Decimal("0.0001")
    # Quantized to places, the text always has a decimal point to strip back to.
    return format(rate.quantize(places), "f").rstrip("0").rstrip(".")


def _direction(rate, previous, source_change):
    if previous is not None:
        delta = rate - previous
    elif source_change is not None:
        delta = source_change
    else:
        return None
    return "up" if delta > 0 else "down" if delta < 0 else "same"


def _build_rates():
    codes = WidgetSettings.read().currency_codes
    rates = Rate.objects.for_currencies(codes)
    dates = rates.newest_dates(2)
    if not dates:
        return {"date": None, "rates": []}
    rows = {(row.currency, row.date): row for row in rates.filter(date__in=dates)}
    previous_date = dates[1] if len(dates) > 1 else None
    items = []
    for code in codes:
        row = rows.get((code, dates[0]))
        if row is None:
            continue
        previous = rows.get((code, previous_date))
        items.append(
            {
                "pair": f"{code.lower()}/kzt",
                "rate": format_rate(row.rate),
                "direction": _direction(
                    row.rate, previous.rate if previous else None, row.source_change
                ),
            }
        )
    return {"date": dates[0], "rates": items}


def rates():
    """{'date': newest rate date, 'rates': [{'pair', 'rate', 'direction'}…]} for the header."""
    return cached(RATES_KEY, _build_rates, CACHE_SECONDS)


def _build_weather():
    cities = []
    for city in City.objects.shown().with_latest_reading():
        if not city.latest:
            continue
        reading = city.latest[0]
        cities.append(
            {
                # No edition should show a blank where a city's name belongs;
                # English is the one every city is entered with.
                "name": city.name or city.name_en or city.slug,
                "observed_at": reading.observed_at,
                "temperature": reading.temperature,
                "temperature_min": reading.temperature_min,
                "temperature_max": reading.temperature_max,
                "weather_code": reading.weather_code,
            }
        )
    return cities


def weather():
    """The shown cities that have a reading, first city first, in the active edition."""
    key = weather_key(translation.get_language() or editions.DEFAULT)
    return cached(key, _build_weather, CACHE_SECONDS)
