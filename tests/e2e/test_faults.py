"""The real stack with parts stopped mid-conversation: kind words, contact details, recovery."""

from __future__ import annotations

import httpx


def say(client: httpx.Client, text: str, conversation: str | None = None) -> httpx.Response:
    body = {"message": text, **({"conversation_id": conversation} if conversation else {})}
    return client.post("/api/chat", json=body)


def test_action_server_down_then_back(stack) -> None:
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        first = say(client, "wat is een pgb").json()
        conversation = first["conversation_id"]
        assert "persoonsgebonden budget" in first["messages"][0]["text"]

        stack.services["actions"].stop()
        down = say(client, "wat is een indicatie", conversation)
        assert down.status_code == 200
        (message,) = down.json()["messages"]
        assert "geen antwoord" in message["text"] and "0800-0000000" in message["text"]
        assert message["buttons"][0]["payload"] == "/request_human"

        stack.restart("actions")
        back = say(client, "wat is een pgb", conversation).json()
        assert "persoonsgebonden budget" in back["messages"][0]["text"]


def test_rasa_down_gives_a_dutch_503_with_the_phone_number_then_recovers(stack) -> None:
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        stack.services["rasa"].stop()
        down = say(client, "wat is de wlz")
        assert down.status_code == 503
        assert (
            "niet bereikbaar" in down.json()["detail"] and "0800-0000000" in down.json()["detail"]
        )
        stack.restart("rasa")
        back = say(client, "wat is de wlz")
        assert (
            back.status_code == 200 and "Wet langdurige zorg" in back.json()["messages"][0]["text"]
        )
