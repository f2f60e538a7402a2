"""Short-lived tickets that open a citizen's live event stream.

A browser's EventSource cannot send headers, so whatever opens the stream stands in its URL,
and URLs end up in proxy and access logs. The conversation id is the citizen's credential (it
also erases the chat), so it never goes in a URL: the widget posts it and gets a ticket that is
valid for a minute, names only a hash of the conversation (the stream's channel) and is signed
with the service's secret (security review, High 2).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

log = logging.getLogger(__name__)

TICKET_SECONDS = 60


def channel_key(conversation_id: str) -> str:
    """The stream's name for a conversation: the id cannot be read back from it."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:40]


class StreamTickets:
    def __init__(self, secret: str = "") -> None:
        if not secret:
            # fine for one web process; several must share STREAM_SECRET or a ticket from one
            # is refused by another
            log.info(
                "STREAM_SECRET is not set: stream tickets are signed with a key of this process"
            )
        self._key = (secret or secrets.token_hex(32)).encode("utf-8")

    def _sign(self, key: str, expires: int) -> str:
        return hmac.new(self._key, f"{key}.{expires}".encode("ascii"), hashlib.sha256).hexdigest()[
            :32
        ]

    def issue(self, conversation_id: str, now: float | None = None) -> str:
        key = channel_key(conversation_id)
        expires = int(now if now is not None else time.time()) + TICKET_SECONDS
        return f"{key}.{expires}.{self._sign(key, expires)}"

    def open(self, ticket: str, now: float | None = None) -> str | None:
        """The channel key of a valid, unexpired ticket; None for anything else."""
        parts = ticket.split(".") if len(ticket) <= 120 else []
        if len(parts) != 3 or not parts[1].isdigit() or not parts[0].isalnum():
            return None
        key, expires, signature = parts[0], int(parts[1]), parts[2]
        if not hmac.compare_digest(signature, self._sign(key, expires)):
            return None
        return key if expires >= (now if now is not None else time.time()) else None
