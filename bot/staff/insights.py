"""Learning from conversations: corrections for the next training, and anonymous weekly figures.

The figures are counts only (no text, no conversation ids): the "signals for care
purchasing" the zorgkantoren's vision asks for (seed 003), and the fallback rate
that tells the team where the bot needs better training data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from bot.staff.api import audit, crisis_labels, visible
from bot.staff.auth import Staff, current_staff, require_admin
from bot.store.database import aware
from bot.store.models import Handoff, Message

router = APIRouter(prefix="/staff/api", tags=["medewerkers"])
DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
ACTIVE_APPROACH = (
    "weet_niet_welke_vorm",
    "geen_voorkeursaanbieder",
    "aanbieder_kan_niet",
    "geen_plek_voorkeur",
    "wacht_te_lang",
)
# Not offered as a correction: Rasa's own intents, and those reached by a button only
# (typed questions about them belong to ask_route and ask_client_support).
CRISIS_TOPIC = "crisis:"  # the topic action_crisis reports: "crisis:<category>"
NOT_TRAINABLE = {
    "nlu_fallback",
    "restart",
    "session_start",
    "start_route_guide",
    "ask_independent_support",
}


@lru_cache(maxsize=1)
def known_intents() -> tuple[str, ...]:
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    return tuple(
        i for i in domain.get("intents", []) if isinstance(i, str) and i not in NOT_TRAINABLE
    )


@router.get("/intents")
def intents(request: Request, staff: Staff = Depends(current_staff)) -> dict[str, Any]:
    """Topics with their Dutch titles, for the transcript and the correction menu."""
    path = request.app.state.settings.content_dir / "dialogue.yml"
    titles = (
        (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topic_titles", {})
        if path.exists()
        else {}
    )
    return {
        "intents": [
            {"name": i, "title": titles.get(i, i.replace("_", " "))} for i in known_intents()
        ]
    }


class CorrectionIn(BaseModel):
    intent: str | None = Field(None, max_length=60)  # None takes a correction back


@router.post("/messages/{message_id}/correction")
def correct(
    message_id: int, body: CorrectionIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    """An adviser marks a user message as misunderstood and names the right topic."""
    if body.intent is not None and body.intent not in known_intents():
        raise HTTPException(422, "Dit onderwerp kent de assistent niet.")
    with request.app.state.sessions() as session:
        message = session.get(Message, message_id)
        allowed = (
            message is not None
            and message.sender == "user"
            and session.scalar(
                visible(staff).where(Handoff.conversation_id == message.conversation_id).limit(1)
            )
            is not None
        )
        if not allowed:
            raise HTTPException(404, "Dit bericht bestaat niet of u mag het niet zien.")
        message.corrected_intent = body.intent
        audit(
            session,
            staff,
            "correctie",
            detail=f"bericht {message_id}: {body.intent or 'ingetrokken'}",
        )
        session.commit()
        return {"id": message_id, "corrected_intent": body.intent}


def training_yaml(rows: list[tuple[str, str]]) -> str:
    """Corrected messages as Rasa NLU training data, grouped by intent."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for intent, text in rows:
        line = " ".join(text.split())
        if line and line not in grouped[intent]:
            grouped[intent].append(line)
    blocks = [
        {"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
        for intent, texts in sorted(grouped.items())
    ]
    header = (
        "# Misunderstood messages corrected by advisers (redacted). Review each line, then add\n"
        "# it to data/nlu/ and train again.\n"
    )

    class Literal(str):
        pass

    def literal(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # examples as a block, the way Rasa writes them
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")

    yaml.add_representer(Literal, literal, Dumper=yaml.SafeDumper)
    for block in blocks:
        block["examples"] = Literal(block["examples"])
    return header + yaml.safe_dump(
        {"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False
    )


@router.get("/training-export", response_class=PlainTextResponse)
def training_export(request: Request, staff: Staff = Depends(current_staff)) -> PlainTextResponse:
    require_admin(staff)
    with request.app.state.sessions() as session:
        rows = session.execute(
            select(Message.corrected_intent, Message.text_redacted)
            .where(Message.corrected_intent.is_not(None), Message.sender == "user")
            .order_by(Message.id)
        ).all()
        audit(session, staff, "export_training")
        session.commit()
    return PlainTextResponse(
        training_yaml([(i, t) for i, t in rows]),
        media_type="application/x-yaml",
        headers={"Content-Disposition": 'attachment; filename="nlu_correcties.yml"'},
    )


def week_of(moment: datetime) -> str:
    year, week, _ = aware(moment).isocalendar()
    return f"{year}-W{week:02d}"


def weekly_figures(
    messages: list[tuple[datetime, str | None, list[str] | None]],
    handoffs: list[tuple[datetime, str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Counts per ISO week: questions, topics, fallback rate, flow signals, handoffs and their
    reasons, and contacts about a crisis per category (counts only, nothing that identifies
    anyone)."""
    weeks: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "messages": 0,
            "fallbacks": 0,
            "topics": Counter(),
            "handoffs": Counter(),
            "signals": Counter(),
            "handoff_reasons": Counter(),
            "crisis": Counter(),
        }
    )
    for at, topic, signals in messages:
        week = weeks[week_of(at)]
        week["messages"] += 1
        if topic == "nlu_fallback":
            week["fallbacks"] += 1
        elif topic and topic.startswith(CRISIS_TOPIC):  # the safety layer: counted per category
            week["crisis"][topic.removeprefix(CRISIS_TOPIC)] += 1
        elif topic:
            week["topics"][topic] += 1
        for signal in signals or []:
            week["signals"][signal] += 1
    for at, target, summary in handoffs:
        week = weeks[week_of(at)]
        week["handoffs"][target] += 1
        for reason in (summary or {}).get("signals", []):  # flow signals were counted with the flow
            week["handoff_reasons"][reason] += 1
    result = []
    for name in sorted(weeks, reverse=True):
        week = weeks[name]
        rate = week["fallbacks"] / week["messages"] if week["messages"] else 0.0
        result.append(
            {
                "week": name,
                "messages": week["messages"],
                "fallback_rate": round(rate, 3),
                "topics": week["topics"].most_common(10),
                "handoffs": dict(week["handoffs"]),
                "signals": dict(week["signals"]),
                "handoff_reasons": dict(week["handoff_reasons"]),
                "active_approach": sum(week["signals"][s] for s in ACTIVE_APPROACH),
                "crisis": dict(week["crisis"]),
            }
        )
    return result


@router.get("/dashboard")
def dashboard(
    request: Request, staff: Staff = Depends(current_staff), weeks: int = Query(8, ge=1, le=104)
) -> dict[str, Any]:
    since = datetime.now(timezone.utc) - timedelta(weeks=weeks)
    with request.app.state.sessions() as session:
        messages = session.execute(
            select(Message.created_at, Message.topic, Message.signals).where(
                Message.sender == "user", Message.created_at >= since
            )
        ).all()
        handoffs = session.execute(
            select(Handoff.created_at, Handoff.target, Handoff.summary).where(
                Handoff.created_at >= since
            )
        ).all()
    return {
        "weeks": weekly_figures([tuple(m) for m in messages], [tuple(h) for h in handoffs]),
        "crisis_labels": crisis_labels(request.app.state.settings.content_dir),
    }
