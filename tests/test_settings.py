"""Settings come from the environment and refuse what would be unsafe in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import envbool, envint, envlist

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expression, **env):
    """Evaluate `expression` on a freshly imported settings module under `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL")
    }
    clean.update(env)
    clean.setdefault("SECRET_KEY_FILE", "/nonexistent/secret")
    return subprocess.run(
        [sys.executable, "-c", f"from portal import settings as s; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_value("s.SECRET_KEY", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_a_weak_secret_key(key):
    result = settings_value("s.SECRET_KEY", DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = settings_value("s.DEBUG", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_secret_key_is_read_from_the_local_key_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    result = settings_value("s.SECRET_KEY", DEBUG="0", SECRET_KEY_FILE=str(key_file))
    assert result.stdout.strip() == GOOD_KEY


def test_sqlite_is_the_default_database():
    result = settings_value("s.DATABASES['default']['ENGINE']", SECRET_KEY=GOOD_KEY)
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = settings_value(
        "(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
    )
    assert result.stdout.strip() == "('core.db.postgresql', 'portal')"


@pytest.mark.parametrize(
    "switch, options",
    [
        ({}, "{'options': '-c jit=off', 'server_side_binding': True, 'prepare_threshold': 5}"),
        ({"DB_PREPARED_PLANS": "0"}, "{'options': '-c jit=off'}"),
    ],
)
def test_postgresql_queries_are_prepared_unless_turned_off(switch, options):
    result = settings_value(
        "s.DATABASES['default'].get('OPTIONS', {})",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        **switch,
    )
    assert result.stdout.strip() == options, result.stderr


def test_redis_url_selects_the_redis_cache():
    result = settings_value(
        "s.CACHES['default']['BACKEND']", SECRET_KEY=GOOD_KEY, REDIS_URL="redis://127.0.0.1:6379/1"
    )
    # Django's, with one client per connection pool (core.redis_cache).
    assert result.stdout.strip() == "core.redis_cache.RedisCache"


def test_without_redis_the_cache_is_files_every_process_shares():
    result = settings_value(
        "(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])",
        SECRET_KEY=GOOD_KEY,
        CACHE_DIR="/srv/portal/cache",
    )
    assert result.stdout.strip() == (
        "('django.core.cache.backends.filebased.FileBasedCache', '/srv/portal/cache')"
    )


def test_agency_time_zone(settings):
    assert settings.TIME_ZONE == "Asia/Almaty"
    assert settings.USE_TZ


def test_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        envbool("SOME_FLAG", False)


def test_bad_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        envint("SOME_NUMBER", 1)


def test_env_helpers_read_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    monkeypatch.setenv("SOME_NUMBER", "42")
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,")
    assert envbool("SOME_FLAG", False) is True
    assert envint("SOME_NUMBER", 1) == 42
    assert envlist("SOME_LIST", []) == ["a.example", "b.example"]
    assert envbool("UNSET_FLAG", True) is True
