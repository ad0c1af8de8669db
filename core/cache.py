"""Django's Redis cache, with one client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every
operation, and redis-py copies its table of response callbacks into each one: about a tenth
of a millisecond per cache read, more than the read itself over a local socket. A client is
thread-safe and holds no connection of its own (it borrows one from the pool per command), so
one per pool is enough. Used by the ``limits`` and ``feeds`` caches (config/settings.py)."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
