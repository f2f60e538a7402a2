"""One turn at a time per conversation, before a message goes to Rasa.

Rasa's open-source Redis lock store issues its tickets with a read-modify-write
that is not atomic, so two Rasa replicas that receive turns of one conversation
at the same moment can both proceed and one turn's events are lost from the
tracker store (seen in tests/e2e/test_scale_out.py; Rasa fixed this only in a
separate "concurrent" lock store, RasaHQ/rasa#11256). The web service is the
only client of Rasa, so it serialises each conversation's turns itself: an
asyncio lock in one process, and with REDIS_URL an atomic Redis lock
(SET NX with expiry, released only by its owner) across web processes.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from typing import AsyncIterator

log = logging.getLogger(__name__)
HOLD_SECONDS = (
    30  # longer than any turn (Rasa's timeout is shorter); a crashed holder frees it by then
)
WAIT_SECONDS = 20

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


class TurnBusy(Exception):
    """Another turn of this conversation did not finish in time."""


class TurnLocks:
    def __init__(self, redis_url: str = "") -> None:
        self._local: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._users: dict[str, int] = defaultdict(int)
        self._redis = None
        if redis_url:
            import redis.asyncio as redis

            self._redis = redis.Redis.from_url(
                redis_url, socket_timeout=1, socket_connect_timeout=1
            )

    @asynccontextmanager
    async def turn(self, conversation_id: str) -> AsyncIterator[None]:
        self._users[conversation_id] += 1
        lock = self._local[conversation_id]
        try:
            try:
                await asyncio.wait_for(lock.acquire(), WAIT_SECONDS)
            except asyncio.TimeoutError:
                raise TurnBusy from None
            try:
                async with self._shared(conversation_id):
                    yield
            finally:
                lock.release()
        finally:
            self._users[conversation_id] -= 1
            if not self._users[conversation_id]:  # nobody waiting: forget the lock
                self._users.pop(conversation_id, None)
                self._local.pop(conversation_id, None)

    @asynccontextmanager
    async def _shared(self, conversation_id: str) -> AsyncIterator[None]:
        if self._redis is None:
            yield
            return
        key, token = f"wlz:turn:{conversation_id}", secrets.token_hex(8)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while not await self._redis.set(key, token, nx=True, ex=HOLD_SECONDS):
                if time.monotonic() > deadline:
                    raise TurnBusy
                await asyncio.sleep(0.05)
        except TurnBusy:
            raise
        except Exception as error:  # noqa: BLE001 - Redis down: one process still serialises
            log.warning("shared turn lock unavailable: %s", type(error).__name__)
            yield
            return
        try:
            yield
        finally:
            try:
                await self._redis.eval(_RELEASE, 1, key, token)
            except Exception as error:  # noqa: BLE001 - expires by itself
                log.warning("could not release a turn lock: %s", type(error).__name__)
