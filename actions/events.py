"""Readings of a conversation's tracker events: what the person said before, what the bot said,
what this turn did so far. The one place that knows the shape of Rasa's event dicts."""

from __future__ import annotations

from typing import Any, Iterable

from nlp.crisis import category_of

Events = list[dict[str, Any]]


def previous_user_text(events: Events) -> str | None:
    """The person's message before the latest one, unless it was a button click."""
    users = [e for e in events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    text = str(users[-2].get("text") or "").strip()
    return text if text and not text.startswith("/") else None


def previous_bot_texts(events: Events) -> set[str]:
    """What the bot said in its previous turn: between the last two user messages."""
    texts: set[str] = set()
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1 and event.get("text"):
            texts.add(event["text"])
    return texts


def bot_ever_said(events: Events, texts: Iterable[str]) -> bool:
    """Whether the bot said any of these texts earlier in the conversation."""
    wanted = set(texts)
    return any(e.get("event") == "bot" and e.get("text") in wanted for e in events)


def this_turn(events: Events) -> Events:
    """The events after the latest user message: what this turn did so far."""
    turn: Events = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        turn.insert(0, event)
    return turn


def user_messages(events: Events) -> Events:
    """What the person asked, outside forms: answers inside a flow or form are no topics or
    questions. A crisis typed inside one still counts, by its category only (not its text)."""
    messages, active_loop = [], None
    for event in events:
        if event.get("event") == "active_loop":
            active_loop = event.get("name")
        elif event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if active_loop is None:
                messages.append({"text": event.get("text") or "", "intent": intent})
            elif category_of(intent):
                messages.append({"text": "", "intent": intent})
    return messages
