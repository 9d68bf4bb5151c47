import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The token endpoint allows ten requests a minute, counted in the cache: a test suite asks
    for more than that."""
    cache.clear()
    yield
    cache.clear()
