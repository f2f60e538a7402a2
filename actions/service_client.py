"""HTTP client for the web service's internal API: the only way actions store data.

The web service owns the database; actions hold no database code. Every call
has a timeout and returns None (or a safe default) when the service is down,
so the dialogue can apologise and give phone details instead of crashing.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import requests

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = float(os.environ.get("SERVICE_TIMEOUT_SECONDS", "5"))


class ServiceClient:
    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("SERVICE_URL", "http://127.0.0.1:8000")).rstrip(
            "/"
        )
        self.token = token if token is not None else os.environ.get("INTERNAL_API_TOKEN", "")
        self.session = session or requests.Session()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any | None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            response = self.session.request(
                method, self.base_url + path, headers=headers, timeout=TIMEOUT_SECONDS, **kwargs
            )
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            # log the kind of failure only: request bodies may hold personal data
            log.warning("internal API %s %s failed: %s", method, path, type(error).__name__)
            return None

    def create_handoff(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self._call("POST", "/internal/handoffs", json=payload)

    def create_plan(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self._call("POST", "/internal/plans", json=payload)

    def organisations(self, kind: str = "oco") -> list[dict[str, Any]]:
        found = self._call("GET", "/internal/organisations", params={"kind": kind})
        if isinstance(found, dict):
            found = found.get("organisations")
        return found if isinstance(found, list) else []

    def settings(self) -> dict[str, Any] | None:
        found = self._call("GET", "/internal/settings")
        return found if isinstance(found, dict) else None

    def staff_online(self) -> bool:
        found = self._call("GET", "/internal/staff-online")
        return bool(found and found.get("online"))


def client() -> ServiceClient:
    return ServiceClient()
