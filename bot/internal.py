"""Internal API for the action server: create handoffs, read the OCO directory.

Authenticated with a shared token (INTERNAL_API_TOKEN). The action server holds
no database code; this is its only way to store anything.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.presence import staff_online as staff_online_now
from bot.redaction import redact
from bot.staff.admin import effective_settings
from bot.store.models import Conversation, Handoff, Message, Organisation, Plan
from contract.crisis import CATEGORIES

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread on the phone
PHONE = re.compile(r"0\d{7,10}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def usable_token(token: str) -> bool:
    """A real secret: long enough and not the example value of deploy/env.example."""
    return len(token) >= 24 and not token.lower().startswith("change-me")


def require_token(request: Request, authorization: str = Header("")) -> None:
    # the action server calls us directly; a request that came through the public reverse proxy
    # carries X-Forwarded-For, and the internal API is not for the internet (no hint it exists)
    if request.headers.get("x-forwarded-for"):
        raise HTTPException(404, "Not Found")
    expected = request.app.state.settings.internal_api_token
    if not usable_token(expected):
        raise HTTPException(503, "De interne API is niet ingesteld.")
    given = authorization.removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "Geen toegang.")


router = APIRouter(
    prefix="/internal", dependencies=[Depends(require_token)], include_in_schema=False
)


if TYPE_CHECKING:
    # a Literal built from a tuple at runtime is beyond a static checker: it sees a plain str
    CrisisCategory = str
else:
    CrisisCategory = Literal[CATEGORIES]


class SummaryIn(BaseModel):
    topics: list[str] = Field(default_factory=list, max_length=60)
    for_whom: str | None = Field(default=None, max_length=50)
    signals: list[str] = Field(default_factory=list, max_length=20)
    unanswered: list[str] = Field(default_factory=list, max_length=10)
    # the safety layer's category (nlp/crisis.py): an urgent handoff sorts first in the portal
    crisis: CrisisCategory | None = None


class HandoffIn(BaseModel):
    conversation_id: str = Field(max_length=64)
    idempotency_key: str = Field(max_length=200)
    target: Literal["zorgkantoor", "oco"]
    organisation_id: int | None = None
    contact_method: Literal["chat", "telefoon", "email"]
    phone: str | None = None
    email: str | None = None
    part_of_day: str | None = Field(None, max_length=20)
    summary: SummaryIn = Field(default_factory=SummaryIn)
    plan_id: str | None = Field(None, max_length=20)
    consent: bool

    @field_validator("phone")
    @classmethod
    def dutch_phone(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.fullmatch(value):
            raise ValueError("Dit is geen geldig Nederlands telefoonnummer.")
        return value

    @field_validator("email")
    @classmethod
    def email_address(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value):
            raise ValueError("Dit is geen geldig e-mailadres.")
        return value


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"WLZ-{code[:4]}-{code[4:]}"


@router.post("/handoffs")
def create_handoff(body: HandoffIn, request: Request) -> dict[str, str]:
    if not body.consent:
        raise HTTPException(422, "Zonder toestemming wordt niets gedeeld.")
    if body.contact_method == "telefoon" and not body.phone:
        raise HTTPException(422, "Voor terugbellen is een telefoonnummer nodig.")
    if body.contact_method == "email" and not body.email:
        raise HTTPException(422, "Voor een e-mail is een e-mailadres nodig.")
    sessions = request.app.state.sessions
    with sessions() as session:
        existing = session.scalar(
            select(Handoff).where(Handoff.idempotency_key == body.idempotency_key)
        )
        if existing:  # the same request again: the same handoff
            return {"reference": existing.reference, "status": existing.status}
        if session.get(Conversation, body.conversation_id) is None:
            session.add(Conversation(id=body.conversation_id))
        summary = body.summary.model_dump()
        summary["unanswered"] = [redact(q) for q in summary["unanswered"]]
        plan = _own_plan(session, body.plan_id, body.conversation_id)
        handoff = Handoff(
            plan_id=plan.id if plan else None,
            reference=new_reference(),
            idempotency_key=body.idempotency_key,
            conversation_id=body.conversation_id,
            target=body.target,
            organisation_id=body.organisation_id,
            contact_method=body.contact_method,
            contact_phone=body.phone,
            contact_email=body.email,
            part_of_day=body.part_of_day,
            summary=summary,
            consent_at=datetime.now(timezone.utc),
            transcript_until=session.scalar(
                select(func.max(Message.id)).where(Message.conversation_id == body.conversation_id)
            ),
        )
        session.add(handoff)
        try:
            session.commit()
        except IntegrityError:  # a concurrent retry won the race: return its handoff
            session.rollback()
            existing = session.scalar(
                select(Handoff).where(Handoff.idempotency_key == body.idempotency_key)
            )
            if existing is None:
                raise
            return {"reference": existing.reference, "status": existing.status}
        return {"reference": handoff.reference, "status": handoff.status}


@router.get("/organisations")
def organisations(request: Request, kind: str = "oco") -> dict[str, list[dict[str, Any]]]:
    with request.app.state.sessions() as session:
        rows = session.scalars(
            select(Organisation).where(Organisation.kind == kind, Organisation.active.is_(True))
        ).all()
        return {
            "organisations": [
                {"id": o.id, "name": o.name, "regions": o.regions, "active": o.active} for o in rows
            ]
        }


def _own_plan(session: Session, plan_id: str | None, conversation_id: str) -> Plan | None:
    """A plan may only be attached to a handoff from the same conversation."""
    if not plan_id or not plan_id.isdigit():
        return None
    plan = session.get(Plan, int(plan_id))
    return plan if plan is not None and plan.conversation_id == conversation_id else None


class PlanIn(BaseModel):
    conversation_id: str = Field(max_length=64)
    answers: dict[str, str | None] = Field(max_length=20)
    labels: dict[str, str] = Field(default_factory=dict, max_length=20)

    @field_validator("answers")
    @classmethod
    def short_answers(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        if any(len(k) > 40 or (v is not None and len(v) > 2000) for k, v in value.items()):
            raise ValueError("Een antwoord in het plan is te lang.")
        return value


@router.post("/plans")
def create_plan(body: PlanIn, request: Request) -> dict[str, str | int]:
    """Store a persoonlijk plan the person agreed to keep; the link holds an unguessable token."""
    with request.app.state.sessions() as session:
        if session.get(Conversation, body.conversation_id) is None:
            session.add(Conversation(id=body.conversation_id))
        plan = Plan(
            token=secrets.token_urlsafe(24),
            conversation_id=body.conversation_id,
            answers=body.answers,
            labels=body.labels,
        )
        session.add(plan)
        session.commit()
        base = request.app.state.settings.public_url.rstrip("/")
        return {"id": plan.id, "url": f"{base}/plan/{plan.token}"}


@router.get("/settings")
def editable_settings(request: Request) -> dict[str, Any]:
    """content/settings.yml with a beheerder's changes, for the action server's texts."""
    with request.app.state.sessions() as session:
        merged = effective_settings(session, request.app.state.settings.content_dir)
    return {key: merged.get(key) or {} for key in ("zorgkantoor", "openingstijden", "overdracht")}


@router.get("/staff-online")
def staff_online(request: Request) -> dict[str, bool]:
    """Live chat is offered only within opening hours and while an adviser is available."""
    return {"online": staff_online_now(request.app.state.sessions, request.app.state.settings)}
