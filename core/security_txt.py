"""`/.well-known/security.txt` (RFC 9116) from settings, and the checks that keep it honest.

The file names only what operations configured: SECURITY_CONTACT (one or more
`mailto:`, `https://` or `tel:` URIs, comma-separated; a bare e-mail address
means `mailto:`) and SECURITY_TXT_EXPIRES (an ISO 8601 date or date-time).
With no contact configured there is no file (404): an invented address would
send reports nowhere.
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

PATH = "/.well-known/security.txt"
# RFC 9116 recommends an expiry less than a year ahead.
LONGEST_EXPIRY = timedelta(days=366)
EXPIRY_WARNING = timedelta(days=30)
_TEL = re.compile(r"\+[0-9][0-9().-]{3,30}")
_email = EmailValidator()
_https = URLValidator(schemes=["https"])


def contact_uri(value):
    """`value` as a Contact URI, or ValueError saying why it is not one."""
    value = value.strip()
    scheme, _colon, rest = value.partition(":")
    try:
        if scheme == "https":
            _https(value)
            return value
        if scheme == "tel" and _TEL.fullmatch(rest):
            return value
        if scheme == "mailto":
            _email(rest)
            return value
        if "@" in value and ":" not in value:  # a bare e-mail address
            _email(value)
            return f"mailto:{value}"
    except ValidationError:
        pass
    raise ValueError(
        f"SECURITY_CONTACT: {value!r} is not a mailto: address, an https:// URL or a tel:+… number"
    )


def expiry(value):
    """SECURITY_TXT_EXPIRES as an aware UTC datetime, or ValueError."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"SECURITY_TXT_EXPIRES: {value!r} is not an ISO 8601 date or date-time "
            "(e.g. 2026-12-31 or 2026-12-31T00:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def configured():
    """(contacts, expires) from settings; None when no contact is configured; ValueError if bad."""
    raw = settings.SECURITY_CONTACT
    contacts = [raw] if isinstance(raw, str) else list(raw)
    contacts = [c for c in contacts if c.strip()]
    if not contacts:
        return None
    uris = [contact_uri(contact) for contact in contacts]
    if not settings.SECURITY_TXT_EXPIRES:
        raise ValueError("SECURITY_TXT_EXPIRES must be set when SECURITY_CONTACT is")
    return uris, expiry(settings.SECURITY_TXT_EXPIRES)


def text():
    """The file's text, or None when none should be served."""
    fields = configured()
    if fields is None:
        return None
    contacts, expires = fields
    lines = [f"Contact: {uri}" for uri in contacts]
    lines.append(f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    site = settings.SITE_URL.rstrip("/")
    if site.startswith("https://"):
        lines.append(f"Canonical: {site}{PATH}")
    return "\n".join(lines) + "\n"


@checks.register(checks.Tags.security)
def check_security_txt(app_configs=None, **kwargs):
    try:
        fields = configured()
    except ValueError as error:
        return [checks.Error(str(error), id="core.E001", hint="See SECURITY.md.")]
    if fields is None:
        return []
    expires, now = fields[1], datetime.now(UTC)
    if expires <= now:
        return [
            checks.Warning(
                f"security.txt expired on {expires:%Y-%m-%d}: readers will treat it as stale.",
                hint="Review the contact and move SECURITY_TXT_EXPIRES ahead.",
                id="core.W001",
            )
        ]
    if expires - now > LONGEST_EXPIRY:
        return [
            checks.Warning(
                "SECURITY_TXT_EXPIRES is more than a year ahead; RFC 9116 recommends less.",
                id="core.W002",
            )
        ]
    if expires - now < EXPIRY_WARNING:
        return [
            checks.Warning(
                f"security.txt expires on {expires:%Y-%m-%d}, within 30 days.",
                hint="Review the contact and move SECURITY_TXT_EXPIRES ahead.",
                id="core.W003",
            )
        ]
    return []
