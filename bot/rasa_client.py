"""Talks to Rasa's REST channel. Spreads conversations over several Rasa servers.

Rasa servers in production share their tracker and lock stores, so any server
can answer any turn; we simply take turns (round robin).
"""
from __future__ import annotations

import itertools
import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    def __init__(self, urls: list[str], timeout: float, transport: httpx.AsyncBaseTransport | None = None):
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._urls = itertools.cycle(urls)
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def send(self, conversation_id: str, text: str) -> list[dict[str, Any]]:
        url = next(self._urls) + "/webhooks/rest/webhook"
        try:
            response = await self._client.post(url, json={"sender": conversation_id, "message": text})
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            # never log the message: it may hold personal data
            log.warning("Rasa request failed: %s", type(error).__name__)
            raise RasaUnavailable from error
        if not isinstance(replies, list):
            raise RasaUnavailable("unexpected reply from Rasa")
        return replies

    async def close(self) -> None:
        await self._client.aclose()
