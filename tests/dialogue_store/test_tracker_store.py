"""Rasa's tracker store keeps no raw text: what is written to the database, row by row."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue_store.tracker_store import PrivateSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def user(text: str) -> UserUttered:
    return UserUttered(
        text,
        {"name": "inform", "confidence": 0.9},
        parse_data={"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []},
    )


def stored_rows(db: Path) -> list[dict]:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        rows = [
            json.loads(r[0])
            for r in connection.execute(sa.text("SELECT data FROM events ORDER BY id"))
        ]
    engine.dispose()
    return rows


def test_no_raw_text_or_old_contact_details_reach_the_database(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = PrivateSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker("conv-1", DOMAIN.slots)
    turns = [
        [ActionExecuted("action_listen"), user("Ik heet Jan de Vries, bel 0612345678")],
        [
            BotUttered("Vraag 2 van 9. Hoe ziet een goede dag eruit?"),
            BotUttered(data={"custom": {"private_answer": True}}),
            ActionExecuted("action_listen"),
            user("mama Jannie wil elke ochtend koffie"),
            SlotSet("flow_state", {"answers": {"dag": "mama Jannie wil elke ochtend koffie"}}),
            BotUttered("Dit is uw plan:\n1. Een gewone dag: mama Jannie wil elke ochtend koffie"),
            BotUttered(data={"custom": {"private_reply": True}}),
        ],
        [
            ActionExecuted("action_listen"),
            user("0687654321"),
            SlotSet("handoff_phone", "0687654321"),
            SlotSet("flow_state", {"answers": {"dag": "mama Jannie wil elke middag thee"}}),
        ],
    ]
    for events in turns:
        for event in events:
            tracker.update(event)
        asyncio.run(store.save(tracker))

    def slot_values(name: str) -> list:
        return [
            r["value"] for r in stored_rows(db) if r.get("event") == "slot" and r["name"] == name
        ]

    # of what the person typed into slots, only the newest value is kept
    assert slot_values("flow_state") == [
        None,
        {"answers": {"dag": "mama Jannie wil elke middag thee"}},
    ]
    assert slot_values("handoff_phone") == ["0687654321"]
    stored = json.dumps(stored_rows(db))
    assert (
        "0612345678" not in stored
        and "Jan de Vries" not in stored
        and "ochtend koffie" not in stored
    )
    texts = [
        r.get("text")
        for r in stored_rows(db)
        if r.get("event") in ("user", "bot") and r.get("text")
    ]
    assert texts == [
        "Ik heet [NAAM], bel [TELEFOON]",
        "Vraag 2 van 9. Hoe ziet een goede dag eruit?",
        "[antwoord voor het persoonlijk plan, niet bewaard]",
        "[overzicht van het persoonlijk plan, niet bewaard]",
        "[TELEFOON]",
    ]

    # the dialogue still has what it needs from earlier turns
    again = asyncio.run(store.retrieve("conv-1"))
    assert again.get_slot("handoff_phone") == "0687654321"
    assert again.get_slot("flow_state") == {"answers": {"dag": "mama Jannie wil elke middag thee"}}

    # once the dialogue clears the slots, no copy is left
    for event in (SlotSet("handoff_phone", None), SlotSet("flow_state", None)):
        again.update(event)
    asyncio.run(store.save(again))
    assert slot_values("flow_state") == [None, None, None] and slot_values("handoff_phone") == [
        None,
        None,
    ]
    assert "Jannie" not in json.dumps(stored_rows(db)) and "0687654321" not in json.dumps(
        stored_rows(db)
    )
    assert asyncio.run(store.retrieve("conv-1")).get_slot("handoff_phone") is None


def test_the_shared_slot_names_are_slots_of_the_domain() -> None:
    """A renamed slot would otherwise stay raw in the database and never be cleared."""
    from contract.slots import HANDOFF_SLOTS, TYPED_SLOTS

    slots = {slot.name for slot in DOMAIN.slots}
    assert set(HANDOFF_SLOTS) <= slots
    assert TYPED_SLOTS <= slots
    # every slot the handoff form asks for is cleared after a handoff
    form_slots = set(DOMAIN.required_slots_for_form("handoff_form"))
    assert form_slots <= set(HANDOFF_SLOTS)
