"""A follow-up that points back is answered about what was said before (issue 22).

The running assistant, over the public chat API: the follow-up alone would be read as another
topic ("waar vraag ik dat aan" as the CIZ indication), read with the message before it as the
topic the person is talking about. Phrasings written for this test, not taken from training or
from the benchmark's dialogues.
"""

from __future__ import annotations

import httpx
import pytest


def conversation(base: str, *messages: str) -> list[dict]:
    """The bot's messages in reply to the last message."""
    with httpx.Client(base_url=base, timeout=30) as client:
        conversation_id = None
        for text in messages:
            body = {"message": text}
            if conversation_id:
                body["conversation_id"] = conversation_id
            reply = client.post("/api/chat", json=body)
            assert reply.status_code == 200, reply.text
            conversation_id = reply.json()["conversation_id"]
        return reply.json()["messages"]


@pytest.mark.parametrize(
    "messages, expected, topic",
    [
        (
            ("mijn schoonzus gaat in een verpleeghuis wonen", "mag haar man daar ook wonen"),
            "Dan mag de partner meestal mee verhuizen.",
            "/ask_living_together",
        ),
        (
            ("voor mijn zoon willen we zelf de zorg inkopen met een pgb", "waar regel ik dat"),
            "Bij de aanvraag hoort een budgetplan.",
            "/ask_pgb_conditions",
        ),
    ],
)
def test_a_follow_up_stays_with_the_earlier_message(stack, messages, expected, topic) -> None:
    """Its answer, or (when the assistant is not sure) that topic one click away, never another
    topic's answer."""
    said = conversation(stack.base, *messages)
    answered = any(expected in (m.get("text") or "") for m in said)
    offered = any(b.get("payload") == topic for m in said for b in m.get("buttons") or [])
    assert answered or offered, said


def test_another_question_keeps_its_own_topic(stack) -> None:
    said = conversation(
        stack.base, "mijn vader staat op de wachtlijst", "andere vraag: wat is een pgb"
    )
    assert any("persoonsgebonden budget" in (m.get("text") or "") for m in said), said
