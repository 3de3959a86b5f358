"""/.well-known/security.txt (RFC 9116): only what is configured, in the format the RFC asks."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.security_txt import check_security_txt

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
URL = "/.well-known/security.txt"
NEXT_YEAR = (datetime.now(UTC) + timedelta(days=200)).replace(microsecond=0)


@pytest.fixture
def contact(settings):
    settings.SECURITY_CONTACT = ["security@agency.example", "https://agency.example/report"]
    settings.SECURITY_TXT_EXPIRES = NEXT_YEAR.isoformat()
    settings.SITE_URL = "https://www.agency.example"
    return settings


def fields(response):
    """[(name, value), …] of a security.txt, checking each line's RFC 9116 shape."""
    body = response.content.decode()
    assert body.endswith("\n")
    pairs = []
    for line in body.splitlines():
        match = re.fullmatch(r"([A-Za-z][A-Za-z-]*): (\S.*)", line)
        assert match, line
        pairs.append(match.groups())
    return pairs


def test_with_no_contact_configured_there_is_no_file(client, settings):
    settings.SECURITY_CONTACT = []
    response = client.get(URL)
    assert response.status_code == 404
    assert "security@" not in response.content.decode()


def test_the_file_names_the_configured_contacts_and_expiry(client, contact):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert fields(response) == [
        ("Contact", "mailto:security@agency.example"),
        ("Contact", "https://agency.example/report"),
        ("Expires", NEXT_YEAR.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Canonical", "https://www.agency.example/.well-known/security.txt"),
    ]


def test_expiry_is_written_in_utc_whatever_offset_was_configured(client, contact):
    contact.SECURITY_TXT_EXPIRES = "2031-01-01T05:00:00+05:00"
    assert ("Expires", "2031-01-01T00:00:00Z") in fields(client.get(URL))
    contact.SECURITY_TXT_EXPIRES = "2031-01-01"
    assert ("Expires", "2031-01-01T00:00:00Z") in fields(client.get(URL))


def test_a_plain_http_site_gets_no_canonical_line(client, contact):
    contact.SITE_URL = "http://127.0.0.1:8000"
    assert "Canonical" not in dict(fields(client.get(URL)))


@pytest.mark.parametrize(
    "value",
    [
        "mailto:security@agency.example",
        "https://agency.example/report",
        "tel:+7-7172-000000",
    ],
)
def test_contact_uris_are_kept_as_they_are(client, contact, value):
    contact.SECURITY_CONTACT = [value]
    assert fields(client.get(URL))[0] == ("Contact", value)
    assert check_security_txt() == []


@pytest.mark.parametrize(
    "value",
    [
        "http://agency.example/report",  # RFC 9116: web contacts must use https
        "security at agency dot example",
        "mailto:not-an-address",
        "javascript:alert(1)",
        "security@agency.example\nContact: mailto:attacker@evil.example",
        "tel:call-us",
        "ftp://agency.example/",
    ],
)
def test_a_malformed_contact_fails_the_system_check_and_serves_nothing(client, contact, value):
    contact.SECURITY_CONTACT = [value]
    (error,) = check_security_txt()
    assert error.id == "core.E001" and "SECURITY_CONTACT" in error.msg
    response = client.get(URL)
    assert response.status_code == 404
    assert "attacker" not in response.content.decode()
    with pytest.raises(SystemCheckError):
        call_command("check")


@pytest.mark.parametrize("value", ["", "next year", "2026-13-01"])
def test_a_contact_without_a_valid_expiry_is_refused(client, contact, value):
    contact.SECURITY_TXT_EXPIRES = value
    (error,) = check_security_txt()
    assert error.id == "core.E001" and "SECURITY_TXT_EXPIRES" in error.msg
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    "days, warning",
    [(-1, "core.W001"), (400, "core.W002"), (10, "core.W003"), (200, None)],
)
def test_the_system_check_warns_before_and_after_expiry(contact, days, warning):
    contact.SECURITY_TXT_EXPIRES = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    assert [message.id for message in check_security_txt()] == ([warning] if warning else [])


def test_security_md_invents_no_address():
    text = (ROOT / "SECURITY.md").read_text()
    assert "inform.kz" not in text
    assert "SECURITY_CONTACT" in text
