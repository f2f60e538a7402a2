"""The live relay: missed events are replayed, Redis carries one subscription per process, and
one address cannot open streams without end."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from bot.live import (
    LiveHub,
    RedisLiveHub,
    StreamCap,
    citizen_channel,
    citizen_channel_of,
)
from bot.stream_tickets import StreamTickets


async def take(stream, count: int) -> list[dict]:
    """The data of the next `count` events (comments are skipped)."""
    events = []
    async for chunk in stream:
        if chunk.startswith("id: "):
            event_id, data = chunk.strip().split("\n")
            events.append({"id": int(event_id[4:]), **json.loads(data[6:])})
            if len(events) == count:
                break
    await stream.aclose()
    return events


@pytest.fixture(params=["memory", "redis"])
def hub(request):
    if request.param == "memory":
        return LiveHub()
    return RedisLiveHub(request.getfixturevalue("redis_url"))


def test_a_reconnecting_stream_gets_what_it_missed(hub) -> None:
    channel = f"citizen:{uuid.uuid4().hex}"
    for text in ("een", "twee", "drie"):
        hub.publish(channel, {"sender": "staff", "text": text})

    async def run() -> list[dict]:
        return await asyncio.wait_for(take(hub.stream(channel, last_event_id=1), 2), timeout=5)

    assert asyncio.run(run()) == [
        {"id": 2, "sender": "staff", "text": "twee"},
        {"id": 3, "sender": "staff", "text": "drie"},
    ]


def test_live_events_after_the_missed_ones_arrive_once_and_in_order(hub) -> None:
    channel = f"citizen:{uuid.uuid4().hex}"
    hub.publish(channel, {"text": "gemist"})

    async def run() -> list[dict]:
        stream = hub.stream(channel)
        assert await stream.__anext__() == ": verbonden\n\n"
        first = await stream.__anext__()  # the kept event
        await asyncio.to_thread(hub.publish, channel, {"text": "nieuw"})
        second = await asyncio.wait_for(stream.__anext__(), timeout=5)
        await stream.aclose()
        return [first, second]

    first, second = asyncio.run(run())
    assert first.startswith("id: 1\n") and '"gemist"' in first
    assert second.startswith("id: 2\n") and '"nieuw"' in second


def test_redis_carries_one_subscription_for_all_streams_of_a_process(redis_url: str) -> None:
    import redis

    hub = RedisLiveHub(redis_url)
    counter = redis.Redis.from_url(redis_url)
    before = counter.pubsub_numpat()

    async def run() -> int:
        streams = [hub.stream(f"citizen:{uuid.uuid4().hex}") for _ in range(20)]
        for stream in streams:
            await stream.__anext__()
        await asyncio.wait_for(hub._ready.wait(), timeout=5)
        patterns = counter.pubsub_numpat()
        for stream in streams:
            await stream.aclose()
        hub._reader.cancel()
        return patterns

    assert asyncio.run(run()) - before == 1


def test_one_address_opens_a_limited_number_of_streams() -> None:
    cap = StreamCap(2)
    assert cap.acquire("203.0.113.7") and cap.acquire("203.0.113.7")
    assert not cap.acquire("203.0.113.7")
    assert cap.acquire("198.51.100.1")  # another citizen is not affected
    cap.release("203.0.113.7")
    assert cap.acquire("203.0.113.7")


def test_a_stream_ticket_opens_its_conversations_channel_and_nothing_else() -> None:
    tickets = StreamTickets("gedeeld geheim")
    conversation = str(uuid.uuid4())
    ticket = tickets.issue(conversation, now=1_000_000)
    assert (
        conversation not in ticket and conversation.replace("-", "") not in ticket
    )  # URLs end up in logs
    assert citizen_channel_of(tickets.open(ticket, now=1_000_030)) == citizen_channel(conversation)
    # another web process with the same secret accepts it; one with another secret does not
    assert StreamTickets("gedeeld geheim").open(ticket, now=1_000_030) is not None
    assert StreamTickets("ander geheim").open(ticket, now=1_000_030) is None
    assert tickets.open(ticket, now=1_000_061) is None  # a minute later it has expired
    key, expires, signature = ticket.split(".")
    assert (
        tickets.open(f"{key}.{int(expires) + 3600}.{signature}", now=1_000_030) is None
    )  # no stretching
    other = tickets.issue(str(uuid.uuid4()), now=1_000_000).split(".")[0]
    assert tickets.open(f"{other}.{expires}.{signature}", now=1_000_030) is None  # no other chat
    for odd in ("", "x", "a.b.c", "../../etc", "x" * 500, f"{key}.{expires}"):
        assert tickets.open(odd, now=1_000_030) is None
