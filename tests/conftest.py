import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache and the default edition active."""
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reads_from_the_primary(request, settings):
    """With DATABASE_REPLICA_URL set (CI's PostgreSQL pass), only tests that ask for
    the `replica` fixture (tests/test_replica.py) route reads to the replica; the
    others read what they have just written, as they would without a replica."""
    if "replica" in settings.DATABASES and "replica" not in request.fixturenames:
        settings.DATABASE_ROUTERS = []
