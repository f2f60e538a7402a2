"""Live relay between a citizen and an adviser during a takeover (server-sent events).

LiveHub keeps subscribers in this process. With several web processes (workers or machines)
the citizen's stream and the adviser's message may land in different processes, so with
REDIS_URL set RedisLiveHub relays through Redis: one pattern subscription per process, shared
by all its streams (a connection per stream would let idle streams exhaust Redis, which Rasa's
lock store needs too).

Every event gets an id and the last few per channel are kept for a while: a browser that
reconnects sends the last id it saw (Last-Event-ID) and gets what it missed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import OrderedDict, defaultdict, deque
from typing import Any, AsyncIterator, Awaitable, Callable, TypeAlias

from bot.stream_tickets import channel_key

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
KEEP_EVENTS = 50  # per channel, for a reconnecting stream
KEEP_SECONDS = 3600
KEEP_CHANNELS = 10_000  # in-process: the least recently used channels are forgotten first

# one open stream: the event loop it runs on, and the queue its events arrive in
_Subscriber: TypeAlias = "tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]"


def sse(event: dict[str, Any]) -> str:
    return f"id: {event['id']}\ndata: {json.dumps(event['data'], ensure_ascii=False)}\n\n"


class _Subscribers:
    """The streams of this process, by channel; fed from any thread."""

    def __init__(self) -> None:
        self._by_channel: dict[str, set[_Subscriber]] = defaultdict(set)
        self._lock = threading.Lock()

    def add(self, channel: str) -> _Subscriber:
        subscriber: _Subscriber = (asyncio.get_running_loop(), asyncio.Queue())
        with self._lock:
            self._by_channel[channel].add(subscriber)
        return subscriber

    def remove(self, channel: str, subscriber: _Subscriber) -> None:
        with self._lock:
            self._by_channel[channel].discard(subscriber)
            if not self._by_channel[channel]:
                self._by_channel.pop(channel, None)

    def deliver(self, channel: str, event: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._by_channel.get(channel, ()))
        for loop, queue in targets:
            loop.call_soon_threadsafe(queue.put_nowait, event)


async def _stream(
    subscribers: _Subscribers,
    channel: str,
    missed: Callable[[], Awaitable[list[dict[str, Any]]]],
    heartbeat: float,
) -> AsyncIterator[str]:
    subscriber = subscribers.add(channel)  # first: what is published from now on is queued
    _, queue = subscriber
    last = 0
    try:
        yield ": verbonden\n\n"
        for event in await missed():
            last = event["id"]
            yield sse(event)
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
            except asyncio.TimeoutError:
                yield ": nog verbonden\n\n"
                continue
            if event["id"] <= last:  # already sent from the kept events
                continue
            last = event["id"]
            yield sse(event)
    finally:
        subscribers.remove(channel, subscriber)


class LiveHub:
    def __init__(self) -> None:
        self._subscribers = _Subscribers()
        self._kept: OrderedDict[str, deque[dict[str, Any]]] = OrderedDict()
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def publish(self, channel: str, data: dict[str, Any]) -> None:
        """Safe from any thread: sync endpoints run in a thread pool, streams on the event loop."""
        with self._lock:
            event: dict[str, Any] = {
                "id": self._ids.get(channel, 0) + 1,
                "at": time.time(),
                "data": data,
            }
            self._ids[channel] = event["id"]
            kept = self._kept.pop(channel, None) or deque(maxlen=KEEP_EVENTS)
            kept.append(event)
            self._kept[channel] = kept
            while len(self._kept) > KEEP_CHANNELS:
                forgotten, _ = self._kept.popitem(last=False)
                self._ids.pop(forgotten, None)
        self._subscribers.deliver(channel, event)

    def missed(self, channel: str, after: int) -> list[dict[str, Any]]:
        cutoff = time.time() - KEEP_SECONDS
        with self._lock:
            return [e for e in self._kept.get(channel, ()) if e["id"] > after and e["at"] >= cutoff]

    async def stream(
        self, channel: str, last_event_id: int = 0, heartbeat: float = HEARTBEAT_SECONDS
    ) -> AsyncIterator[str]:
        """Server-sent events for one channel, with comment heartbeats to keep proxies open."""

        async def missed() -> list[dict[str, Any]]:
            return self.missed(channel, last_event_id)

        async for chunk in _stream(self._subscribers, channel, missed, heartbeat):
            yield chunk


class RedisLiveHub:
    PREFIX = "wlz:live:"

    def __init__(self, url: str) -> None:
        import redis
        import redis.asyncio as aredis

        self._redis = aredis.Redis.from_url(url, socket_connect_timeout=2)
        self._sync = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._subscribers = _Subscribers()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def _key(self, kind: str, channel: str) -> str:
        return f"{self.PREFIX}{kind}:{channel}"

    def publish(self, channel: str, data: dict[str, Any]) -> None:
        """Called from sync endpoints (thread pool): plain blocking calls."""
        event = {"id": int(self._sync.incr(self._key("id", channel))), "data": data}
        body = json.dumps(event, ensure_ascii=False)
        pipe = self._sync.pipeline()
        pipe.rpush(self._key("log", channel), body)
        pipe.ltrim(self._key("log", channel), -KEEP_EVENTS, -1)
        for kind in ("log", "id"):
            pipe.expire(self._key(kind, channel), KEEP_SECONDS)
        pipe.publish(self._key("event", channel), body)
        pipe.execute()

    async def _read(self) -> None:
        """One pattern subscription for the whole process; reconnects after a Redis failure."""
        pattern = self._key("event", "*")
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(pattern)
                self._ready.set()
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                    if message is None:
                        continue
                    channel = message["channel"]
                    channel = channel.decode() if isinstance(channel, bytes) else channel
                    self._subscribers.deliver(
                        channel.removeprefix(self._key("event", "")), json.loads(message["data"])
                    )
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis down: try again shortly
                log.warning("live relay lost Redis, retrying: %s", type(error).__name__)
                await asyncio.sleep(1.0)
            finally:
                # redis-py leaves PubSub.aclose unannotated
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def missed(self, channel: str, after: int) -> list[dict[str, Any]]:
        kept = await self._redis.lrange(self._key("log", channel), 0, -1)
        events = [json.loads(e) for e in kept]
        return [e for e in events if e["id"] > after]

    async def stream(
        self, channel: str, last_event_id: int = 0, heartbeat: float = HEARTBEAT_SECONDS
    ) -> AsyncIterator[str]:
        if self._reader is None or self._reader.done():
            self._ready = asyncio.Event()
            self._reader = asyncio.create_task(self._read())

        async def missed() -> list[dict[str, Any]]:
            try:  # read the kept events once the subscription is live: nothing falls in between
                await asyncio.wait_for(self._ready.wait(), timeout=2.0)
            except asyncio.TimeoutError:
                pass
            return await self.missed(channel, last_event_id)

        async for chunk in _stream(self._subscribers, channel, missed, heartbeat):
            yield chunk


def make_hub(redis_url: str = "") -> RedisLiveHub | LiveHub:
    return RedisLiveHub(redis_url) if redis_url else LiveHub()


def citizen_channel(conversation_id: str) -> str:
    return citizen_channel_of(channel_key(conversation_id))


def citizen_channel_of(key: str) -> str:
    """The citizen's channel by the key a stream ticket names (bot/stream_tickets.py)."""
    return f"citizen:{key}"


def staff_channel(conversation_id: str) -> str:
    return f"staff:{conversation_id}"


class StreamCap:
    """At most `limit` open event streams per client address in this process: idle streams
    cost a connection each, and the stream URL needs no sign-in."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> bool:
        with self._lock:
            if self._open[key] >= self.limit:
                return False
            self._open[key] += 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._open[key] -= 1
            if self._open[key] <= 0:
                self._open.pop(key, None)

    async def guard(self, key: str, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        """The stream, releasing its place when the browser goes away."""
        try:
            async for chunk in stream:
                yield chunk
        finally:
            self.release(key)


def last_event_id(value: str | None) -> int:
    """The Last-Event-ID a reconnecting browser sends; 0 when absent or not a number."""
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0
