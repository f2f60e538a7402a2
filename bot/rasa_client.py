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
    def __init__(
        self,
        urls: list[str],
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        api_token: str = "",
    ):
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._urls = itertools.cycle(urls)
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._api_token = api_token  # Rasa's HTTP API (--enable-api --auth-token): NLU only

    async def crisis(self, text: str) -> str | None:
        """The safety layer's reading of a message, without a dialogue turn: "crisis_medical" or
        None. For messages to an adviser during a live takeover, which skip the bot. None also
        when Rasa's API is not configured or does not answer: the adviser still reads the
        message."""
        if not self._api_token:
            return None
        try:
            response = await self._client.post(
                next(self._urls) + "/model/parse",
                params={"token": self._api_token},
                json={"text": text},
            )
            response.raise_for_status()
            parsed = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("Rasa parse failed: %s", type(error).__name__)
            return None
        name = (
            str(((parsed or {}).get("intent") or {}).get("name") or "")
            if isinstance(parsed, dict)
            else ""
        )
        return name if name.startswith("crisis_") else None

    async def send(self, conversation_id: str, text: str) -> list[dict[str, Any]]:
        url = next(self._urls) + "/webhooks/rest/webhook"
        try:
            response = await self._client.post(
                url, json={"sender": conversation_id, "message": text}
            )
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
