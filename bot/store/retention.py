"""Retention and erasure: the service's data and Rasa's tracker store, in one place.

Rasa's tracker store (dialogue_store/) keeps redacted events of every conversation; it is
cleaned together with the service's own tables. Without a reachable tracker database these
functions fail with a clear message instead of reporting "0 deleted" as if all were well.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import TextClause, bindparam, create_engine, delete, func, inspect, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store.models import AuditLog, Conversation, Handoff

# handoffs somebody still has to act on: their conversation is kept past the retention period
OPEN_STATUSES = ("nieuw", "in_behandeling")


class TrackerUnavailable(RuntimeError):
    """The tracker database is not configured, not reachable, or not Rasa's."""


class TrackerEvents:
    def __init__(self, url: str) -> None:
        if not url:
            raise TrackerUnavailable(
                "De database van Rasa is niet ingesteld (RASA_TRACKER_DB_URL). "
                "Zonder die database blijven gesprekken daar staan."
            )
        self.url = url

    def _run(self, statement: TextClause, **params: Any) -> int:
        engine = create_engine(self.url)
        try:
            with engine.begin() as connection:
                if not inspect(connection).has_table("events"):
                    raise TrackerUnavailable(
                        "De database van Rasa heeft geen tabel 'events'. Klopt "
                        "RASA_TRACKER_DB_URL, en is de assistent al eens gestart?"
                    )
                return connection.execute(statement, params).rowcount or 0
        except SQLAlchemyError as error:
            raise TrackerUnavailable(
                f"De database van Rasa is niet bereikbaar ({type(error).__name__})."
            ) from error
        finally:
            engine.dispose()

    def delete_older_than(self, cutoff: datetime, keep: list[str]) -> int:
        statement = text("DELETE FROM events WHERE timestamp < :cutoff AND sender_id NOT IN :keep")
        statement = statement.bindparams(bindparam("keep", expanding=True))
        return self._run(statement, cutoff=cutoff.timestamp(), keep=keep or [""])

    def delete_conversation(self, sender_id: str) -> int:
        return self._run(text("DELETE FROM events WHERE sender_id = :sender"), sender=sender_id)


def purge(
    session: Session, days: int, tracker: TrackerEvents, now: datetime | None = None
) -> dict[str, int]:
    """Delete conversations (with messages, handoffs, plans, notes) older than `days`, except those
    with a handoff that is still open; then the tracker events of the same age."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    open_work = select(Handoff.conversation_id).where(Handoff.status.in_(OPEN_STATUSES))
    kept = list(session.scalars(open_work))
    ids = list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.created_at < cutoff, Conversation.id.not_in(open_work)
            )
        )
    )
    # COUNT(*) without GROUP BY always returns one row: never None
    kept_old = cast(
        int,
        session.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.created_at < cutoff, Conversation.id.in_(open_work))
        ),
    )
    counted = {"conversations": len(ids), "handoffs": 0, "kept_open": kept_old}
    counted["tracker_events"] = tracker.delete_older_than(
        cutoff, kept
    )  # fails before anything else is gone
    if ids:
        # a DELETE gives a CursorResult (with rowcount); Session.execute is typed as Result
        deleted = cast(
            "CursorResult[Any]",
            session.execute(delete(Handoff).where(Handoff.conversation_id.in_(ids))),
        )
        counted["handoffs"] = deleted.rowcount
        for conversation in session.scalars(select(Conversation).where(Conversation.id.in_(ids))):
            session.delete(conversation)  # messages by ORM cascade, plans by ON DELETE CASCADE
    session.add(
        AuditLog(
            actor="systeem",
            action="bewaartermijn",
            detail=f"{counted['conversations']} gesprekken, {counted['handoffs']} overdrachten, "
            f"{counted['kept_open']} met een open overdracht bewaard",
        )
    )
    session.commit()
    return counted


def erase_conversation(
    session: Session, conversation_id: str, tracker: TrackerEvents, why: str
) -> None:
    """Delete one conversation and everything linked to it (handoffs, plan, notes), Rasa's copy
    first: if that fails, nothing is gone and the request can be repeated."""
    tracker.delete_conversation(conversation_id)
    session.execute(delete(Handoff).where(Handoff.conversation_id == conversation_id))
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        session.delete(conversation)
    session.add(AuditLog(actor="systeem", action="gewist", detail=why))
    session.commit()


def erase(session: Session, reference: str, tracker: TrackerEvents) -> bool:
    """Delete the conversation behind a reference number, and everything linked to it. Rasa's
    copy goes first: if that fails, the reference still finds everything for a second try."""
    handoff = session.scalar(select(Handoff).where(Handoff.reference == reference.strip().upper()))
    if handoff is None:
        return False
    erase_conversation(
        session, handoff.conversation_id, tracker, f"op verzoek, referentie {reference.upper()}"
    )
    return True
