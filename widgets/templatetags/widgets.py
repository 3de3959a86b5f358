from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

from widgets import display, weather

register = template.Library()

STALE_AFTER = timedelta(days=1)


@register.filter
def temperature(value):
    """Whole degrees with a sign, as the reference shows: +26, 0, −3 (a true minus sign)."""
    degrees = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if degrees > 0:
        return f"+{degrees}"
    if degrees < 0:
        return f"\u2212{-degrees}"
    return "0"


@register.inclusion_tag("widgets/rates.html")
def currency_rates():
    """The configured currencies' newest official rates; nothing at all when none are stored."""
    data = display.rates()
    if not data["rates"]:
        return {"rates": None}
    return {
        "rates": data["rates"],
        "date": data["date"],
        "stale": timezone.localdate() - data["date"] > STALE_AFTER,
    }


@register.inclusion_tag("widgets/weather.html")
def weather_widget():
    """The first shown city's weather in the header, the other cities one click away."""
    now = timezone.now()
    cities = [
        {
            **city,
            "condition": weather.condition(city["weather_code"]),
            "stale": now - city["observed_at"] > STALE_AFTER,
        }
        for city in display.weather()
    ]
    return {"city": cities[0] if cities else None, "others": cities[1:]}
