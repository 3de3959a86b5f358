import pytest
from django.core.cache import cache
from django.utils import translation

from tests.caching import redis_cache, require_redis


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


@pytest.fixture(params=["files", "redis"])
def each_cache(request, settings):
    """Runs the test on the default cache (files every process shares) and on Redis."""
    if request.param == "redis":
        require_redis()
        settings.CACHES = redis_cache()
    cache.clear()
    yield request.param
    cache.clear()
