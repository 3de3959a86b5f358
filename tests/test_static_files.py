"""Static files' addresses: the hashed copies collectstatic made, worked out once per
worker (core.staticfiles)."""

import re

import pytest

from core.staticfiles import RememberedStaticFilesStorage


def test_a_static_address_is_the_hashed_copy_and_is_worked_out_once(monkeypatch):
    storage = RememberedStaticFilesStorage()
    looked_up = []
    stored_name = storage.stored_name
    monkeypatch.setattr(
        storage, "stored_name", lambda name: looked_up.append(name) or stored_name(name)
    )

    first = storage.url("css/portal.css")
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", first)
    assert storage.url("css/portal.css") == first
    assert looked_up == ["css/portal.css"]


def test_a_file_missing_from_the_manifest_is_an_error_every_time():
    storage = RememberedStaticFilesStorage()
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/no-such-file.css")
