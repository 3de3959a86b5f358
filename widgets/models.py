"""Official exchange rates and weather readings, kept as history, and the widget settings.

The fetch commands write these tables; pages only ever read them (through
widgets/display.py, cached), so a page never waits on a remote service.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _


class RateQuerySet(models.QuerySet):
    def for_currencies(self, codes):
        return self.filter(currency__in=codes)

    def newest_dates(self, count=2):
        """The `count` newest rate dates present, newest first."""
        return list(self.order_by("-date").values_list("date", flat=True).distinct()[:count])


class Rate(models.Model):
    """One currency's official rate in tenge on one date, as the National Bank published it."""

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("rate date"))
    rate = models.DecimalField(_("tenge per unit"), max_digits=18, decimal_places=6)
    # What the bank itself quotes: `value` tenge for `quantity` units (10, 100, 1000
    # for currencies worth little), kept to check the normalisation against.
    quantity = models.PositiveIntegerField(_("quoted quantity"))
    value = models.DecimalField(_("quoted value"), max_digits=14, decimal_places=4)
    # The bank's own change against its previous rate, used when we lack that rate.
    source_change = models.DecimalField(
        _("quoted change"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    fetched_at = models.DateTimeField(_("fetched at"))

    objects = RateQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="one_rate_per_currency_date")
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.rate}"


class CityQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(shown=True).order_by("position", "slug")

    def with_latest_reading(self):
        """Each city with `latest` = a list of at most one newest reading (one extra query)."""
        newest = WeatherReading.objects.order_by("-observed_at")[:1]
        return self.prefetch_related(Prefetch("readings", queryset=newest, to_attr="latest"))


class City(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=4)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=4)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    shown = models.BooleanField(
        _("shown and fetched"),
        default=True,
        help_text=_("Shown in the weather widget (first by position in the header) and fetched."),
    )

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name or self.slug

    def clean(self):
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("Latitude must be between -90 and 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _("Longitude must be between -180 and 180.")})


class WeatherReading(models.Model):
    city = models.ForeignKey(
        City, verbose_name=_("city"), related_name="readings", on_delete=models.CASCADE
    )
    observed_at = models.DateTimeField(_("observed at"))
    temperature = models.DecimalField(_("temperature, °C"), max_digits=4, decimal_places=1)
    temperature_min = models.DecimalField(_("today's minimum, °C"), max_digits=4, decimal_places=1)
    temperature_max = models.DecimalField(_("today's maximum, °C"), max_digits=4, decimal_places=1)
    # WMO weather interpretation code, as Open-Meteo reports it (see widgets/weather.py).
    weather_code = models.PositiveSmallIntegerField(_("weather code"))
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("weather reading")
        verbose_name_plural = _("weather readings")
        ordering = ["-observed_at", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "observed_at"], name="one_reading_per_city_time"
            )
        ]

    def __str__(self):
        return f"{self.city} {self.observed_at:%Y-%m-%d %H:%M}: {self.temperature}"


CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def parse_currency_list(text):
    """'usd, EUR ,rub' -> ['USD', 'EUR', 'RUB'], without repeats; ValueError on a bad code."""
    codes = []
    for item in re.split(r"[\s,;]+", text.strip().upper()):
        if not item:
            continue
        if not CURRENCY_CODE.match(item):
            raise ValueError(item)
        if item not in codes:
            codes.append(item)
    return codes


class WidgetSettings(models.Model):
    """The one row of widget choices editors change without a deployment."""

    currencies = models.CharField(
        _("currencies shown"),
        max_length=200,
        default="USD, EUR, RUB, CNY",
        help_text=_("Three-letter codes in the order shown, separated by commas."),
    )

    class Meta:
        verbose_name = _("widget settings")
        verbose_name_plural = _("widget settings")

    def __str__(self):
        return str(_("Widget settings"))

    def clean(self):
        try:
            codes = parse_currency_list(self.currencies)
        except ValueError as error:
            raise ValidationError(
                {
                    "currencies": _("“%(code)s” is not a three-letter currency code.")
                    % {"code": error.args[0]}
                }
            ) from None
        if not codes:
            raise ValidationError({"currencies": _("Name at least one currency.")})
        self.currencies = ", ".join(codes)

    @property
    def currency_codes(self):
        try:
            return parse_currency_list(self.currencies)
        except ValueError:
            return []

    @classmethod
    def current(cls):
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    @classmethod
    def read(cls):
        """The saved row, or the defaults before anyone saved it.

        For pages: reading never writes, since a write starts a new content
        generation and would throw away every cached page (core.cache).
        """
        return cls.objects.filter(pk=1).first() or cls(pk=1)
