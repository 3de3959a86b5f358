"""The one way the widgets app talks to outside sources: urllib with a timeout,
retries with exponential back-off for passing failures, a size cap and a
User-Agent that names the portal.

Everything that goes wrong ends as a SourceError whose message is one line an
operator can act on; the fetch commands turn it into a non-zero exit.
"""

import http.client
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# Both sources answer in a few kilobytes; anything much bigger is not theirs.
MAX_BYTES = 2 * 1024 * 1024


class SourceError(Exception):
    """A source could not be read or gave an answer we refuse to store."""


class _Passing(Exception):
    """A failure worth retrying (timeout, refused connection, 5xx)."""


def user_agent():
    return f"KazinformPortal/1.0 (+{settings.SITE_URL})"


def _get_once(url, accept, timeout):
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": accept})
    host = urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        message = f"{host} answered HTTP {error.code} {error.reason}"
        if error.code >= 500 or error.code == 429:
            raise _Passing(message) from None
        raise SourceError(message) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _Passing(f"{host} did not answer within {timeout} s") from None
        raise _Passing(f"cannot connect to {host}: {error.reason}") from None
    except TimeoutError:
        raise _Passing(f"{host} did not answer within {timeout} s") from None
    except (ConnectionError, http.client.HTTPException) as error:
        raise _Passing(f"connection to {host} failed: {error!r}") from None
    if len(body) > MAX_BYTES:
        raise SourceError(f"{host} sent more than {MAX_BYTES} bytes; refused")
    if not body.strip():
        raise SourceError(f"{host} sent an empty answer")
    return body


def fetch(url, accept="*/*"):
    """The body of `url` as bytes, or SourceError with a one-line reason."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise SourceError(f"refusing to fetch {url!r}: only http and https addresses are allowed")
    timeout = settings.WIDGETS_HTTP_TIMEOUT
    attempts = max(1, settings.WIDGETS_HTTP_RETRIES + 1)
    delay = settings.WIDGETS_HTTP_BACKOFF_SECONDS
    for attempt in range(1, attempts + 1):
        try:
            return _get_once(url, accept, timeout)
        except _Passing as error:
            if attempt == attempts:
                suffix = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
                raise SourceError(f"{error}{suffix}") from None
            # INFO, not WARNING: a failure must stay one line on stderr for cron mail.
            logger.info("%s; retrying in %.2f s", error, delay)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
