"""What the running stack writes to its logs: no personal data (brief: "No personal data in
logs")."""

from __future__ import annotations

import re
import time

import httpx

MESSAGE = "Ik heet Jan Jansen, bel mij op 06 12345678 over een pgb voor mijn moeder"


def test_logs_hold_no_message_text_phone_number_or_client_address(stack) -> None:
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        reply = client.post("/api/chat", json={"message": MESSAGE})
        assert reply.status_code == 200
        conversation = reply.json()["conversation_id"]
        client.post(
            "/api/chat", json={"message": "wat is een pgb", "conversation_id": conversation}
        )
    time.sleep(1)  # let the processes flush
    for service in stack.services:
        log = (stack.logs / f"{service}.log").read_text(encoding="utf-8", errors="replace")
        for secret in ("Jansen", "12345678", conversation):
            assert secret not in log, f"{service}.log holds {secret!r}"
        # access log lines ("127.0.0.1:53422 - "POST /api/chat ...") name the visitor's address
        assert not re.search(r"\d+\.\d+\.\d+\.\d+:\d+ - \"(GET|POST)", log), (
            f"{service}.log has access lines"
        )
