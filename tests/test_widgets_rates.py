"""`manage.py fetch_rates`: the National Bank's feed, read over real HTTP from a local server."""

import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.widget_server import BOMB, Answer, SampleServer, closed_port_url, sample
from widgets.models import Rate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))
FEED = sample("nbk_rates_all.xml")


@pytest.fixture(autouse=True)
def fast_http(settings):
    """Real timeouts and retries, only shorter, so the failure tests stay quick."""
    settings.WIDGETS_HTTP_TIMEOUT = 0.5
    settings.WIDGETS_HTTP_RETRIES = 2
    settings.WIDGETS_HTTP_BACKOFF_SECONDS = 0.01
    settings.SITE_URL = "https://portal.example"


@pytest.fixture(autouse=True)
def on_the_sample_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def server():
    with SampleServer() as running:
        yield running


@pytest.fixture
def feed(server, settings):
    """The feed address pointed at the local server, answering with the committed sample."""
    settings.RATES_FEED_URL = server.answer("/rss/rates_all.xml", Answer(FEED))
    return server


def fetch_rates(*args):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("fetch_rates", *args, stdout=Out())
    return "".join(out)


def stored():
    return sorted(Rate.objects.values_list("currency", "date", "rate", "quantity", "value"))


def test_fetch_rates_stores_the_banks_rates_for_the_day(feed):
    output = fetch_rates()
    usd = Rate.objects.get(currency="USD")
    assert (usd.date, usd.rate, usd.quantity) == (date(2026, 11, 25), Decimal("447.9"), 1)
    assert Rate.objects.count() == 16
    assert "Rates for 2026-11-25: 16 stored, 0 corrected, 0 already stored." in output


def test_rates_quoted_per_10_100_or_1000_units_are_stored_per_unit(feed):
    fetch_rates()
    by_code = {row.currency: row for row in Rate.objects.all()}
    assert (by_code["HUF"].quantity, by_code["HUF"].value) == (10, Decimal("13.54"))
    assert by_code["HUF"].rate == Decimal("1.354")
    assert (by_code["UZS"].quantity, by_code["UZS"].rate) == (100, Decimal("0.0372"))
    assert (by_code["IRR"].quantity, by_code["IRR"].rate) == (1000, Decimal("0.01066"))


def test_the_request_names_the_day_and_the_portal(feed):
    fetch_rates("--date", "2026-11-20")
    request = feed.requests[-1]
    assert request["query"]["fdate"] == ["20.11.2026"]
    assert request["headers"]["User-Agent"] == "KazinformPortal/1.0 (+https://portal.example)"


def test_running_twice_stores_nothing_twice(feed):
    fetch_rates()
    before = stored()
    output = fetch_rates()
    assert stored() == before
    assert Rate.objects.count() == 16
    assert "0 stored, 0 corrected, 16 already stored." in output


def test_a_rate_the_bank_corrects_is_updated_in_place(feed, settings):
    fetch_rates()
    settings.RATES_FEED_URL = feed.answer(
        "/corrected.xml", Answer(FEED.replace(b"<description>447.9<", b"<description>448.1<"))
    )
    output = fetch_rates()
    assert Rate.objects.get(currency="USD").rate == Decimal("448.1")
    assert Rate.objects.count() == 16
    assert "1 corrected" in output


def test_a_passing_server_error_is_retried(server, settings):
    settings.RATES_FEED_URL = server.answer(
        "/flaky.xml", Answer(b"busy", 503), Answer(b"busy", 500), Answer(FEED)
    )
    fetch_rates()
    assert len(server.requests) == 3
    assert Rate.objects.count() == 16


def out_of_range(old, new):
    return FEED.replace(old.encode(), new.encode())


FAILURES = {
    "timeout": (Answer(FEED, delay=2), "did not answer within 0.5 s (gave up after 3 attempts)"),
    "server error": (Answer(b"oops", 500), "answered HTTP 500"),
    "not found": (Answer(b"missing", 404), "answered HTTP 404"),
    "empty answer": (Answer(b""), "sent an empty answer"),
    "blank answer": (Answer(b"  \n "), "sent an empty answer"),
    "garbage": (Answer(b"<html><body>Service unavailable"), "malformed XML"),
    "not the feed": (Answer(b"<html><body>Maintenance</body></html>"), "not the rates feed"),
    "entity bomb": (Answer(BOMB), "refused hostile XML (EntitiesForbidden"),
    "no items": (Answer(b"<rss><channel></channel></rss>"), "the feed lists no rates"),
    "negative rate": (
        Answer(out_of_range("<description>482.16<", "<description>-482.16<")),
        "EUR: implausible rate -482.16 per 1",
    ),
    "huge rate": (
        Answer(out_of_range("<description>447.9<", "<description>4479000000<")),
        "USD: implausible rate",
    ),
    "not a number": (
        Answer(out_of_range("<description>5.54<", "<description>n/a<")),
        "RUB rate is not a number",
    ),
    "odd quantity": (
        Answer(out_of_range("<quant>100</quant>", "<quant>7</quant>")),
        "implausible quantity 7",
    ),
    "future date": (
        Answer(out_of_range("<pubDate>25.11.2026<", "<pubDate>25.11.2036<")),
        "implausible rate date 25.11.2036",
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_failing_feed_is_a_clear_error_and_changes_nothing(server, settings, case):
    Rate.objects.create(
        currency="USD",
        date=date(2026, 11, 24),
        rate=Decimal("446.7"),
        quantity=1,
        value=Decimal("446.7"),
        fetched_at=TODAY,
    )
    before = stored()
    answer, reason = FAILURES[case]
    settings.RATES_FEED_URL = server.answer("/rss/rates_all.xml", answer)
    with pytest.raises(CommandError) as error:
        fetch_rates()
    message = str(error.value)
    assert message.startswith("rates not fetched, nothing changed: ")
    assert reason in message
    assert "\n" not in message
    assert stored() == before


def test_a_refused_connection_is_a_clear_error(settings):
    settings.RATES_FEED_URL = closed_port_url("/rss/rates_all.xml")
    with pytest.raises(CommandError, match=r"cannot connect to 127\.0\.0\.1:\d+.*3 attempts"):
        fetch_rates()
    assert not Rate.objects.exists()


def test_a_client_error_is_not_retried(server, settings):
    settings.RATES_FEED_URL = server.answer("/gone.xml", Answer(b"gone", 404))
    with pytest.raises(CommandError):
        fetch_rates()
    assert len(server.requests) == 1


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(
        CommandError, match=r"--date must be a date as YYYY-MM-DD, got '2026-13-01'"
    ):
        fetch_rates("--date", "2026-13-01")


def test_tomorrow_is_fetched_as_the_bank_publishes_it_a_day_ahead(feed):
    fetch_rates("--date", "2026-11-26")  # today is 25 November in Almaty
    assert [r["query"]["fdate"] for r in feed.requests] == [["26.11.2026"]]


def test_a_date_beyond_tomorrow_is_refused(feed):
    # The first day beyond tomorrow: the boundary itself, not a date far ahead.
    with pytest.raises(
        CommandError, match=r"^--date 2026-11-27 is in the future; no rates exist yet$"
    ):
        fetch_rates("--date", "2026-11-27")
    assert feed.requests == []


def test_tomorrow_is_counted_in_almatys_zone(feed):
    # 00:30 on 26 November in Almaty is still 25 November in UTC.
    with time_machine.travel(datetime(2026, 11, 26, 0, 30, tzinfo=ZoneInfo("Asia/Almaty"))):
        fetch_rates("--date", "2026-11-27")
    assert [r["query"]["fdate"] for r in feed.requests] == [["27.11.2026"]]


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_operators_see_one_line_and_a_nonzero_exit():
    refused = run_manage(
        "fetch_rates",
        RATES_FEED_URL=closed_port_url(),
        WIDGETS_HTTP_RETRIES="1",
        WIDGETS_HTTP_BACKOFF_MS="10",
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("CommandError: rates not fetched, nothing changed: cannot")
    assert refused.stderr.count("\n") == 1

    bad_date = run_manage("fetch_rates", "--date", "yesterday")
    assert bad_date.returncode == 2
    assert "--date must be a date as YYYY-MM-DD, got 'yesterday'" in bad_date.stderr
