"""core.cache: Django's Redis cache with one client per connection pool (Django's own builds
a client per operation)."""

from core.cache import RedisCache


def test_the_redis_client_is_built_once_per_pool():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # no connection is made to build a client

    first = cache._cache.get_client("a")
    again = cache._cache.get_client("b", write=True)

    assert first is again
    assert first.connection_pool is cache._cache._get_connection_pool(write=True)
