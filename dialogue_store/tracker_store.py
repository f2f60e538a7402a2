"""Rasa's SQL tracker store, kept healthy and kept private.

Healthy: Rasa 3.6 creates its SQLAlchemy engine without pre-ping or recycling, so after an idle
night or a database restart the first requests fail on dead pooled connections (a known issue in
Rasa's tracker). We rebuild the engine with pool_pre_ping (test a connection before use) and
pool_recycle (replace connections older than RECYCLE_SECONDS).

Private: Rasa stores every event as typed. The dialogue needs intents, entities and slots from
earlier turns, not the words, so what is written is what the service's transcript keeps:

- user and bot texts redacted (bot.redaction), a persoonlijk-plan answer and the plan summary
  not at all (the same marks the web service reads, contract.payload);
- of a slot that holds what the person typed (phone, e-mail, plan answers, any from_text slot),
  only the newest value is kept, and none once the dialogue clears it. Earlier values are blanked
  in the rows already stored. The turn itself still has every value in memory.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot.redaction import redact
from contract.payload import (
    PRIVATE_ANSWER,
    PRIVATE_ANSWER_TEXT,
    PRIVATE_REPLY,
    PRIVATE_REPLY_TEXT,
)
from contract.slots import TYPED_SLOTS

RECYCLE_SECONDS = int(os.environ.get("TRACKER_DB_POOL_RECYCLE", "1800"))


def _custom(event: dict[str, Any]) -> dict[str, Any]:
    custom = (event.get("data") or {}).get("custom")
    return custom if isinstance(custom, dict) else {}


def private_positions(events: list[dict[str, Any]]) -> set[int]:
    """Indexes of user and bot events whose text must not be stored at all."""
    private: set[int] = set()
    next_answer_private = False
    last_bot = None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "bot":
            custom = _custom(event)
            if custom.get(PRIVATE_ANSWER):
                next_answer_private = True
            if custom.get(PRIVATE_REPLY) and last_bot is not None:
                private.add(last_bot)  # the mark follows the message it is about
            if event.get("text"):
                last_bot = index
        elif kind == "user":
            if next_answer_private:
                private.add(index)
            next_answer_private = False
    return private


def stored_form(event: dict[str, Any], private: bool) -> dict[str, Any]:
    """The event as it is written to the database."""
    kind = event.get("event")
    if kind not in ("user", "bot") or not event.get("text"):
        return event
    placeholder = PRIVATE_ANSWER_TEXT if kind == "user" else PRIVATE_REPLY_TEXT
    text = placeholder if private else redact(event["text"])
    stored = {**event, "text": text}
    if kind == "user" and isinstance(event.get("parse_data"), dict):
        stored["parse_data"] = {**event["parse_data"], "text": text}
    return stored


class PrePingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, pool_recycle=RECYCLE_SECONDS, **create_engine_kwargs(url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


class PrivateSQLTrackerStore(PrePingSQLTrackerStore):
    """The tracker store of every profile: healthy connections, and no raw text kept."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        events = [event.as_dict() for event in tracker.events]
        private = private_positions(events)
        with self.session_scope() as session:
            # as Rasa's own save: the events of this session not stored yet
            start = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
            touched: set[str] = set()
            for index in range(start, len(events)):
                data = stored_form(events[index], index in private)
                if data.get("event") == "slot" and data.get("name") in TYPED_SLOTS:
                    touched.add(data["name"])
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=data.get("event"),
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.flush()
            if touched:
                self._keep_newest_only(session, tracker.sender_id, touched)
            session.commit()

    def _keep_newest_only(self, session: Any, sender_id: str, names: Iterable[str]) -> None:
        """Blank every stored value of these slots but the newest (None: nothing is kept)."""
        rows = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == "slot")
            .order_by(self.SQLEvent.id.desc())
            .all()
        )
        newest_seen: set[str] = set()
        for row in rows:
            data = json.loads(row.data)
            name = data.get("name")
            if name not in names:
                continue
            if name in newest_seen and data.get("value") is not None:
                row.data = json.dumps({**data, "value": None})
            newest_seen.add(name)
