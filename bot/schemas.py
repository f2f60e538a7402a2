"""Request and response bodies of the public chat API."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    message: str


class Button(BaseModel):
    title: str
    payload: str


class ChatMessage(BaseModel):
    sender: Literal["bot", "staff", "system"]
    text: str
    buttons: list[Button] = []


class ChatResponse(BaseModel):
    conversation_id: str
    mode: Literal["bot", "human"] = "bot"
    messages: list[ChatMessage]


def messages_from_rasa(replies: list[dict]) -> list[ChatMessage]:
    """Rasa's REST replies (text, buttons, custom) as chat messages."""
    messages = []
    for reply in replies:
        text = reply.get("text")
        if not text:
            continue  # custom payloads are for the service, not for display
        buttons = [Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
                   for b in reply.get("buttons") or [] if b.get("title")]
        messages.append(ChatMessage(sender="bot", text=text, buttons=buttons))
    return messages
