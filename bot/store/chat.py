"""The chat's own storage: a citizen's message and the replies to it, a takeover that ran out,
whether an adviser can join, and a saved plan. Called from the thread pool (bot/chat.py):
plain statements, no ORM loads, because this runs on every chat turn."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from bot.contact import TAKEOVER_EXPIRED
from bot.store.database import aware
from bot.store.models import Conversation, Handoff, Message, Plan, StaffUser
from bot.store.retention import OPEN_STATUSES

Sessions = sessionmaker[Session]


def takeover_abandoned(session: Session, conversation_id: str, lease_seconds: int) -> bool:
    """End a takeover whose adviser has not been seen (no portal ping, no message) for the
    lease time: the citizen would otherwise wait for someone who left."""
    taker = session.execute(
        select(StaffUser.last_seen_at)
        .join(Conversation, Conversation.taken_over_by == StaffUser.id)
        .where(Conversation.id == conversation_id)
    ).first()
    seen = aware(taker[0]) if taker else None
    if seen and datetime.now(timezone.utc) - seen < timedelta(seconds=lease_seconds):
        return False
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(mode="bot", taken_over_by=None, live_handoff_id=None)
    )
    session.execute(
        insert(Message).values(
            conversation_id=conversation_id, sender="system", text_redacted=TAKEOVER_EXPIRED
        )
    )
    return True


def record_user(
    sessions: Sessions, conversation_id: str, stored: str, private_text: str, lease_seconds: int
) -> tuple[str, int, bool, int | None]:
    """Store the citizen's message (already redacted; `private_text` instead where the answer
    before was a persoonlijk-plan question: no consent yet). Returns the mode ("bot" or
    "human"), the message's id, whether a takeover just ran out, and the live handoff."""
    with sessions() as session:
        state = session.execute(
            select(
                Conversation.mode,
                Conversation.next_answer_private,
                Conversation.live_handoff_id,
            ).where(Conversation.id == conversation_id)
        ).first()
        if state is None:
            session.execute(insert(Conversation).values(id=conversation_id))
        mode, private, live_handoff = state or ("bot", False, None)
        expired = mode == "human" and takeover_abandoned(session, conversation_id, lease_seconds)
        if expired:
            mode, live_handoff = "bot", None  # the adviser is gone: the bot helps again
        inserted = cast(
            CursorResult[Any],
            session.execute(
                insert(Message).values(
                    conversation_id=conversation_id,
                    sender="user",
                    text_redacted=private_text if private else stored,
                    # said to a person in a live chat: part of that handoff only
                    handoff_id=live_handoff if mode == "human" else None,
                )
            ),
        )
        key = inserted.inserted_primary_key
        assert key is not None  # an INSERT of one row always has its key
        message_id = int(key[0])
        session.commit()
        return mode, message_id, expired, live_handoff if mode == "human" else None


def store_replies(
    sessions: Sessions,
    conversation_id: str,
    message_id: int,
    rows: list[dict[str, Any]],
    topic: str | None,
    signals: list[str],
    next_answer_private: bool,
    live_handoff: int | None,
) -> None:
    """The replies (sender, text_redacted), and the turn's topic and signals on the citizen's
    message."""
    with sessions() as session:
        found = cast(
            CursorResult[Any],
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id)
                .values(next_answer_private=next_answer_private)
            ),
        ).rowcount
        if not found:  # deleted during the turn (retention purge or a deletion on request)
            return
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(topic=topic, signals=signals or None)
        )
        if rows:
            # a reply within a live chat (the safety layer's door) belongs to that handoff too
            session.execute(insert(Message), [{**row, "handoff_id": live_handoff} for row in rows])
        session.commit()


def may_go_live(sessions: Sessions, conversation_id: str) -> bool:
    """An adviser can join: a handoff is still open, or one has already taken the chat over."""
    with sessions() as session:
        live = session.scalar(
            select(Conversation.id).where(
                Conversation.id == conversation_id, Conversation.mode == "human"
            )
        )
        return (
            live is not None
            or session.scalar(
                select(Handoff.id)
                .where(
                    Handoff.conversation_id == conversation_id,
                    Handoff.status.in_(OPEN_STATUSES),
                )
                .limit(1)
            )
            is not None
        )


def saved_plan(sessions: Sessions, token: str) -> Plan | None:
    """A plan the citizen saved, by its link's token."""
    if len(token) > 64:
        return None
    with sessions() as session:
        return session.scalar(select(Plan).where(Plan.token == token))
