"""Live relay between a citizen and an adviser during a takeover (server-sent events).

LiveHub keeps subscribers in this process. With several web processes (workers or
machines) the citizen's stream and the adviser's message may land in different
processes, so with REDIS_URL set RedisLiveHub relays through Redis pub/sub.
"""
from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any, AsyncIterator

HEARTBEAT_SECONDS = 15.0


class LiveHub:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = defaultdict(set)

    def publish(self, channel: str, event: dict[str, Any]) -> None:
        """Safe from any thread: sync endpoints run in a thread pool, streams on the event loop."""
        for loop, queue in list(self._subscribers.get(channel, ())):
            loop.call_soon_threadsafe(queue.put_nowait, event)

    async def stream(self, channel: str, heartbeat: float = HEARTBEAT_SECONDS) -> AsyncIterator[str]:
        """Server-sent events for one channel, with comment heartbeats to keep proxies open."""
        queue: asyncio.Queue = asyncio.Queue()
        subscriber = (asyncio.get_running_loop(), queue)
        self._subscribers[channel].add(subscriber)
        try:
            yield ": verbonden\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
                except asyncio.TimeoutError:
                    yield ": nog verbonden\n\n"
                    continue
                yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
        finally:
            self._subscribers[channel].discard(subscriber)
            if not self._subscribers[channel]:
                self._subscribers.pop(channel, None)


class RedisLiveHub:
    def __init__(self, url: str) -> None:
        import redis
        import redis.asyncio as aredis

        self._redis = aredis.Redis.from_url(url, socket_connect_timeout=2)
        self._sync = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    @staticmethod
    def _key(channel: str) -> str:
        return f"wlz:live:{channel}"

    def publish(self, channel: str, event: dict[str, Any]) -> None:
        """Called from sync endpoints (thread pool): a plain blocking publish."""
        self._sync.publish(self._key(channel), json.dumps(event, ensure_ascii=False))

    async def stream(self, channel: str, heartbeat: float = HEARTBEAT_SECONDS) -> AsyncIterator[str]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._key(channel))
        try:
            yield ": verbonden\n\n"
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=heartbeat)
                if message is None:
                    yield ": nog verbonden\n\n"
                    continue
                data = message["data"].decode() if isinstance(message["data"], bytes) else message["data"]
                yield f"data: {data}\n\n"
        finally:
            await pubsub.unsubscribe(self._key(channel))
            await pubsub.aclose()


def make_hub(redis_url: str = ""):
    return RedisLiveHub(redis_url) if redis_url else LiveHub()


def citizen_channel(conversation_id: str) -> str:
    return f"citizen:{conversation_id}"


def staff_channel(conversation_id: str) -> str:
    return f"staff:{conversation_id}"
