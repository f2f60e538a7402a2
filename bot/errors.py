"""An error the citizen or adviser reads: a status and one Dutch sentence (bot/main.py turns it
into the JSON answer)."""

from __future__ import annotations


class DutchError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        self.status, self.detail, self.headers = status, detail, headers
