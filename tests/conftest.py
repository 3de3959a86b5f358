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
