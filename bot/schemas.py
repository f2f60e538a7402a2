"""Request and response bodies of the public chat API."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from contract.payload import PRIVATE_REPLY


class ChatRequest(BaseModel):
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    message: str


class ConversationRef(BaseModel):
    """A conversation named in a request body, never in a URL (URLs end up in logs)."""

    conversation_id: str = Field(..., max_length=64, pattern=r"^[A-Za-z0-9-]+$")


class StreamTicket(BaseModel):
    ticket: str
    expires_in: int


class Button(BaseModel):
    title: str
    payload: str


class Link(BaseModel):
    title: str
    url: str


CALL_NUMBER = re.compile(r"\d{3,11}")


class Call(BaseModel):
    """A phone number the widget shows as a link to tap and call (the safety layer's doors)."""

    title: str
    number: str = Field(pattern=rf"^{CALL_NUMBER.pattern}$")


class ChatMessage(BaseModel):
    sender: Literal["bot", "staff", "system"]
    text: str
    buttons: list[Button] = []
    link: Link | None = None
    calls: list[Call] | None = None  # left out of the reply when there are none
    # shown to the citizen but never stored: it repeats persoonlijk-plan answers
    private: bool = Field(default=False, exclude=True)


class ChatResponse(BaseModel):
    conversation_id: str
    mode: Literal["bot", "human"] = "bot"
    messages: list[ChatMessage]
    # an adviser may join from now on (a handoff exists): the widget opens its event stream
    live: bool = False


def messages_from_rasa(
    replies: list[dict[str, Any]], plan_prefix: str | None = None
) -> list[ChatMessage]:
    """Rasa's REST replies (text, buttons, custom) as chat messages.

    Custom payloads are for the service, not for display; a saved plan's address becomes a link
    on the message before it, but only when it points to this service's plan pages; the safety
    layer's phone numbers become links to call on the message before them; a private mark keeps
    the message before it out of the transcript.
    """
    messages: list[ChatMessage] = []
    for reply in replies:
        text = reply.get("text")
        raw_custom = reply.get("custom")
        custom: dict[str, Any] = raw_custom if isinstance(raw_custom, dict) else {}
        plan = custom.get("plan")
        if plan and messages and plan_prefix and str(plan.get("url", "")).startswith(plan_prefix):
            messages[-1].link = Link(title="Open uw persoonlijk plan", url=str(plan["url"]))
        if custom.get("calls") and messages:
            # a malformed entry is left out rather than failing the whole turn
            valid = [
                c
                for c in custom["calls"]
                if isinstance(c, dict) and CALL_NUMBER.fullmatch(str(c.get("number", "")))
            ]
            messages[-1].calls = [
                Call(title=str(c.get("title", "")), number=str(c["number"])) for c in valid
            ]
        if custom.get(PRIVATE_REPLY) and messages:
            messages[-1].private = True
        if not text:
            continue
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in reply.get("buttons") or []
            if b.get("title")
        ]
        messages.append(ChatMessage(sender="bot", text=text, buttons=buttons))
    return messages
