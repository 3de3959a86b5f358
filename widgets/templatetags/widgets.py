from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.cache import cached, changes_at, page_fragment
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


def _header_widgets():
    """Both widgets' HTML and the moment it turns stale by itself (None: never)."""
    rates = currency_rates()
    weather = weather_widget()
    html = "\n".join(
        (
            render_to_string("widgets/rates.html", rates),
            render_to_string("widgets/weather.html", weather),
        )
    )
    # "as of …" appears without any write: rates two Almaty days after their date,
    # a reading a day after it was observed (as judged above).
    moments = []
    if rates["rates"] and not rates["stale"]:
        stale_on = rates["date"] + 2 * STALE_AFTER
        moments.append(timezone.make_aware(datetime.combine(stale_on, time.min)))
    cities = [weather["city"], *weather["others"]] if weather["city"] else []
    moments += [
        city["observed_at"] + STALE_AFTER + timedelta(microseconds=1)
        for city in cities
        if not city["stale"]
    ]
    return {"html": html, "stale_at": min(moments, default=None)}


@page_fragment
def widgets_key(code):
    return f"widgets:html:{code}"


@register.simple_tag
def header_widgets():
    """Rates and weather for the header, rendered once per edition and content generation
    (fetches start a new one) and afresh once something in them has turned stale."""
    code = translation.get_language()
    fragment = cached(
        widgets_key(code),
        _header_widgets,
        display.CACHE_SECONDS,
        expires=lambda fragment: fragment["stale_at"],
    )
    changes_at(fragment["stale_at"])
    return mark_safe(fragment["html"])
