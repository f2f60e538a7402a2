"""Rate limits for the public chat API: per conversation and per client address.

Fixed windows. In memory for one web process; with REDIS_URL set the counts live
in Redis, so several web processes behind a load balancer share them. If Redis
is unreachable the limiter lets requests through (a broken limiter must not take
the chat down) and logs that once per minute, without any personal data.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Callable

log = logging.getLogger(__name__)


class MemoryLimiter:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._counts: dict[tuple[str, int], int] = defaultdict(int)
        self._lock = threading.Lock()
        self._clock = clock  # tests pass a fixed clock: a window boundary must not split a test

    async def hit(self, key: str, limit: int, window: int, now: float | None = None) -> bool:
        """Count one request; False when the key is over its limit in this window."""
        slot = int((now if now is not None else self._clock()) // window)
        with self._lock:
            if len(self._counts) > 100_000:  # old windows: forget them
                self._counts = defaultdict(
                    int, {k: v for k, v in self._counts.items() if k[1] >= slot}
                )
            self._counts[(key, slot)] += 1
            return self._counts[(key, slot)] <= limit


class RedisLimiter:
    def __init__(self, url: str) -> None:
        import redis.asyncio as redis  # asyncio: a slow Redis must not block the event loop

        self._redis = redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)
        self._warned_at = 0.0

    async def hit(self, key: str, limit: int, window: int, now: float | None = None) -> bool:
        slot = int((now if now is not None else time.time()) // window)
        name = f"wlz:rate:{key}:{slot}"
        try:
            pipe = self._redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, window * 2)
            count, _ = await pipe.execute()
        except Exception as error:  # noqa: BLE001 - any Redis failure: fail open
            if time.monotonic() - self._warned_at > 60:
                log.warning("rate limiter unavailable, requests pass: %s", type(error).__name__)
                self._warned_at = time.monotonic()
            return True
        return int(count) <= limit


def make_limiter(redis_url: str | None) -> RedisLimiter | MemoryLimiter:
    return RedisLimiter(redis_url) if redis_url else MemoryLimiter()
