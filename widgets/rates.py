"""The National Bank of Kazakhstan's daily official rates feed.

The bank publishes an RSS document per day (`…rates_all.xml?fdate=DD.MM.YYYY`):

    <rss><channel><item>
      <title>USD</title><pubDate>25.11.2026</pubDate><description>447.9</description>
      <quant>1</quant><index>UP</index><change>+1.2</change>
    </item>…</channel></rss>

`description` is the tenge price of `quant` units; currencies worth little are
quoted per 10, 100 or 1000 units, which we normalise to one unit.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
from django.conf import settings
from django.utils import timezone

from widgets import http, storing
from widgets.http import SourceError
from widgets.models import Rate

QUANTITIES = {1, 10, 100, 1000}
# No currency the bank quotes is worth more than this many tenge per unit, or
# less than this; anything outside is a broken feed, not a market move.
MAX_RATE = Decimal(100_000)
MIN_RATE = Decimal("0.000001")
FIRST_DATE = date(1993, 11, 15)  # the tenge's first day
FOUR_PLACES = Decimal("0.0001")  # as many as Rate.value keeps


@dataclass(frozen=True)
class QuotedRate:
    currency: str
    date: date
    quantity: int
    value: Decimal
    change: Decimal | None

    @property
    def rate(self):
        return (self.value / self.quantity).quantize(Decimal("0.000001"))


def feed_url(day):
    """The configured feed address with `fdate` set to `day`."""
    parts = urlsplit(settings.RATES_FEED_URL)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "fdate"]
    query.append(("fdate", day.strftime("%d.%m.%Y")))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _text(item, tag, currency="?"):
    element = item.find(tag)
    if element is None or not (element.text or "").strip():
        raise SourceError(f"rate item {currency} has no <{tag}>")
    return element.text.strip()


def _decimal(text, what):
    try:
        number = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        raise SourceError(f"{what} is not a number: {text[:40]!r}") from None
    if not number.is_finite():
        raise SourceError(f"{what} is not a finite number: {text[:40]!r}")
    return number


def parse(body, today=None):
    """The rates in an answer of the feed; SourceError for anything we will not store."""
    today = today or timezone.localdate()
    try:
        root = defusedxml.ElementTree.fromstring(body)
    except defusedxml.DefusedXmlException as error:
        raise SourceError(
            f"refused hostile XML ({type(error).__name__}: entity or DTD declarations "
            "are not allowed)"
        ) from None
    except ParseError as error:
        raise SourceError(f"malformed XML: {error}") from None
    if root.tag != "rss" or root.find("channel") is None:
        raise SourceError(f"not the rates feed: root element is <{root.tag}>, expected <rss>")
    quotes, seen = [], set()
    for item in root.iterfind("channel/item"):
        currency = _text(item, "title").upper()
        if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
            raise SourceError(f"implausible currency code {currency[:20]!r}")
        if currency in seen:
            raise SourceError(f"currency {currency} appears twice")
        seen.add(currency)
        try:
            day = datetime.strptime(_text(item, "pubDate", currency), "%d.%m.%Y").date()
        except ValueError:
            raise SourceError(f"{currency}: pubDate is not DD.MM.YYYY") from None
        if not FIRST_DATE <= day <= today + timedelta(days=1):
            raise SourceError(f"{currency}: implausible rate date {day:%d.%m.%Y}")
        quantity = _decimal(_text(item, "quant", currency), f"{currency} quant")
        if quantity not in QUANTITIES:
            raise SourceError(f"{currency}: implausible quantity {quantity}")
        raw_value = _text(item, "description", currency)
        value = _decimal(raw_value, f"{currency} rate").quantize(FOUR_PLACES)
        change_element = item.find("change")
        change = None
        if change_element is not None and (change_element.text or "").strip():
            change = _decimal(change_element.text.strip(), f"{currency} change")
            change = change.quantize(FOUR_PLACES)
        quote = QuotedRate(currency, day, int(quantity), value, change)
        if not MIN_RATE <= quote.rate <= MAX_RATE:
            raise SourceError(f"{currency}: implausible rate {raw_value} per {quote.quantity}")
        if change is not None and abs(change) >= value:
            raise SourceError(f"{currency}: implausible change {change} on a rate of {value}")
        quotes.append(quote)
    if not quotes:
        raise SourceError("the feed lists no rates")
    return quotes


def fetch(day):
    return parse(http.fetch(feed_url(day), accept="application/rss+xml, application/xml"))


def store(quotes, now=None):
    """Store validated quotes; a rate already stored is not stored twice."""
    return storing.store(
        Rate,
        (
            (
                {"currency": quote.currency, "date": quote.date},
                {
                    "rate": quote.rate,
                    "quantity": quote.quantity,
                    "value": quote.value,
                    "source_change": quote.change,
                },
            )
            for quote in quotes
        ),
        now or timezone.now(),
    )
