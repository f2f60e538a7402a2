"""Staff API: sign in, review handoffs, change status, notes, reveal contact details, take over
live.

Advisers of the zorgkantoor see every handoff; an OCO partner sees only the
handoffs to their organisation; a beheerder manages users and organisations.
Revealing contact details and every status change are written to the audit log.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, AsyncGenerator, Literal

import yaml
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bot.clients import client_key
from bot.live import citizen_channel, last_event_id, staff_channel
from bot.redaction import redact
from bot.staff.auth import (
    COOKIE,
    LoginFailed,
    Staff,
    current_staff,
    login,
    logout,
    staff_for,
)
from bot.store.database import aware
from bot.store.models import (
    AuditLog,
    Conversation,
    Handoff,
    HandoffNote,
    Message,
    Organisation,
    Plan,
    StaffUser,
)

STATUSES = ("nieuw", "in_behandeling", "afgerond", "doorverwezen")
OPEN_STATUSES = ("nieuw", "in_behandeling")


@lru_cache(maxsize=4)
def crisis_labels(content_dir: Path) -> dict[str, str]:
    """The safety layer's categories with their Dutch names (content/crisis.yml)."""
    path = content_dir / "crisis.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {
        key: item.get("label", key) for key, item in ((data or {}).get("categories") or {}).items()
    }


def is_urgent_open(handoff: Handoff) -> bool:
    """A handoff after a crisis message that nobody has closed yet: it sorts first."""
    return bool((handoff.summary or {}).get("crisis")) and handoff.status in OPEN_STATUSES


# which status may follow which: a handoff is never silently reopened
TRANSITIONS = {
    "nieuw": {"in_behandeling", "doorverwezen"},
    "in_behandeling": {"afgerond", "doorverwezen", "nieuw"},
    "afgerond": set(),
    "doorverwezen": set(),
}
BOT_RESUMES = "De medewerker is klaar met dit gesprek. U praat nu weer met de digitale assistent."
STAFF_JOINS = "Een medewerker van het zorgkantoor praat nu met u mee."
# an OCO supporter is independent of the zorgkantoor, and the citizen must be able to see that
OCO_JOINS = "Een onafhankelijke cliëntondersteuner van {organisation} praat nu met u mee."

router = APIRouter(prefix="/staff/api", tags=["medewerkers"])


def audit(
    session: Session, staff: Staff, action: str, handoff: Handoff | None = None, detail: str = ""
) -> None:
    session.add(
        AuditLog(
            actor=staff.username,
            action=action,
            handoff_id=handoff.id if handoff else None,
            detail=detail or None,
        )
    )


# -- signing in ---------------------------------------------------------------------------
class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


@router.post("/login")
async def sign_in(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
    settings = request.app.state.settings
    limiter = request.app.state.limiter
    # before any password check: per address (spraying from one place) and overall (from many)
    address = client_key(request, settings.trusted_proxies)
    if not (
        await limiter.hit(f"login:{address}", settings.login_rate_per_address, 60)
        and await limiter.hit("login:all", settings.login_rate_total, 60)
    ):
        raise HTTPException(
            429,
            "Te veel inlogpogingen. Wacht een minuut en probeer het opnieuw.",
            headers={"Retry-After": "60"},
        )
    try:
        cookie, staff = await run_in_threadpool(
            login, request.app.state.sessions, settings, body.username, body.password
        )
    except LoginFailed as failed:
        raise HTTPException(401, failed.message)
    response.set_cookie(
        COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        path="/",
        secure=settings.public_url.startswith("https"),
        max_age=int(settings.staff_session_hours * 3600),
    )
    return {
        "username": staff.username,
        "name": staff.display_name,
        "role": staff.role,
        "csrf_token": staff.csrf_token,
    }


@router.post("/logout")
def sign_out(
    request: Request, response: Response, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    with request.app.state.sessions() as session:
        logout(session, request.cookies.get(COOKIE))
    response.delete_cookie(COOKIE, path="/")
    return {"ok": True}


@router.get("/me")
def me(staff: Staff = Depends(current_staff)) -> dict[str, Any]:
    return {
        "username": staff.username,
        "name": staff.display_name,
        "role": staff.role,
        "organisation_id": staff.organisation_id,
        "csrf_token": staff.csrf_token,
    }


class PresenceIn(BaseModel):
    available: bool


@router.post("/presence")
def presence(
    body: PresenceIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    """An adviser says they are available for live chat (the portal repeats this while open)."""
    with request.app.state.sessions() as session:
        user = session.get(StaffUser, staff.id)
        user.available = body.available and staff.role != "oco"
        user.last_seen_at = datetime.now(timezone.utc)
        session.commit()
        return {"available": user.available}


# -- handoffs -----------------------------------------------------------------------------
def visible(staff: Staff) -> Select[Handoff]:
    """The handoffs this staff member may see: only those the citizen sent to them.

    The consent says "Dit geef ik door aan <recipient>": a handoff to an independent OCO
    organisation is that organisation's alone, not the zorgkantoor's, and the other way round.
    """
    if staff.role == "oco":
        return select(Handoff).where(
            Handoff.target == "oco", Handoff.organisation_id == staff.organisation_id
        )
    # an OCO request without a chosen organisation was consented to the zorgkantoor, which refers on
    return select(Handoff).where(
        (Handoff.target == "zorgkantoor") | Handoff.organisation_id.is_(None)
    )


def shared_messages(handoff: Handoff) -> Select[Message]:
    """The transcript the citizen agreed to share: up to consent, plus this handoff's own live
    chat."""
    if handoff.transcript_until is not None:
        before = (Message.id <= handoff.transcript_until) & Message.handoff_id.is_(None)
    else:  # handoffs made before the cut was recorded
        before = (Message.created_at <= handoff.consent_at) & Message.handoff_id.is_(None)
    return (
        select(Message)
        .where(
            Message.conversation_id == handoff.conversation_id,
            before | (Message.handoff_id == handoff.id),
        )
        .order_by(Message.id)
    )


def is_live_here(conversation: Conversation | None, handoff: Handoff) -> bool:
    return bool(
        conversation and conversation.mode == "human" and conversation.live_handoff_id == handoff.id
    )


def handoff_for(session: Session, staff: Staff, reference: str) -> Handoff:
    found = session.scalar(visible(staff).where(Handoff.reference == reference.upper()))
    if found is None:  # also for handoffs of another organisation: no hint they exist
        raise HTTPException(404, "Deze overdracht bestaat niet of u mag hem niet zien.")
    return found


def _age_days(handoff: Handoff, now: datetime) -> int:
    return (now - aware(handoff.created_at)).days


def handoff_row(
    handoff: Handoff,
    organisations: dict[int, str],
    now: datetime,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    summary = handoff.summary or {}
    crisis = summary.get("crisis")
    return {
        "crisis": {"category": crisis, "label": (labels or {}).get(crisis, crisis)}
        if crisis
        else None,
        "reference": handoff.reference,
        "status": handoff.status,
        "target": handoff.target,
        "organisation": organisations.get(handoff.organisation_id or 0),
        "contact_method": handoff.contact_method,
        "part_of_day": handoff.part_of_day,
        "topics": summary.get("topics", []),
        "for_whom": summary.get("for_whom"),
        "signals": summary.get("signals", []),
        "has_plan": handoff.plan_id is not None,
        "assigned_to": handoff.assigned_to,
        "created_at": aware(handoff.created_at).isoformat(),
        "age_days": _age_days(handoff, now),
    }


@router.get("/handoffs")
def list_handoffs(
    request: Request,
    staff: Staff = Depends(current_staff),
    status: Literal["nieuw", "in_behandeling", "afgerond", "doorverwezen"] | None = None,
    target: Literal["zorgkantoor", "oco"] | None = None,
    organisation_id: int | None = None,
    max_age_days: int | None = Query(None, ge=0, le=3650),
) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    with request.app.state.sessions() as session:
        query = visible(staff)
        if target:
            query = query.where(Handoff.target == target)
        if organisation_id is not None:
            query = query.where(Handoff.organisation_id == organisation_id)
        if max_age_days is not None:
            query = query.where(Handoff.created_at >= now - timedelta(days=max_age_days))
        counts = {s: 0 for s in STATUSES}
        filtered = query.subquery()
        for row_status, count in session.execute(
            select(filtered.c.status, func.count()).group_by(filtered.c.status)
        ):
            counts[row_status] = count
        if status:
            query = query.where(Handoff.status == status)
        rows = list(session.scalars(query.order_by(Handoff.created_at.desc()).limit(500)).all())
        rows.sort(key=lambda h: not is_urgent_open(h))  # stable: newest first within each group
        organisations = dict(session.execute(select(Organisation.id, Organisation.name)).all())
        labels = crisis_labels(request.app.state.settings.content_dir)
        return {
            "counts": counts,
            "handoffs": [handoff_row(h, organisations, now, labels) for h in rows],
        }


@router.get("/handoffs/{reference}")
def get_handoff(
    reference: str, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        organisations = dict(session.execute(select(Organisation.id, Organisation.name)).all())
        conversation = session.get(Conversation, handoff.conversation_id)
        messages = session.scalars(shared_messages(handoff)).all()
        notes = session.execute(
            select(HandoffNote, StaffUser.display_name)
            .join(StaffUser, HandoffNote.author_id == StaffUser.id, isouter=True)
            .where(HandoffNote.handoff_id == handoff.id)
            .order_by(HandoffNote.id)
        ).all()
        plan = session.get(Plan, handoff.plan_id) if handoff.plan_id else None
        audit(session, staff, "geopend", handoff)  # who read which transcript
        session.commit()
        detail = handoff_row(
            handoff, organisations, now, crisis_labels(request.app.state.settings.content_dir)
        )
        detail.update(
            {
                "summary": handoff.summary or {},
                # another recipient's live chat is theirs: here it reads as the bot's
                "mode": "human" if is_live_here(conversation, handoff) else "bot",
                "transcript": [
                    {
                        "id": m.id,
                        "sender": m.sender,
                        "text": m.text_redacted,
                        "at": aware(m.created_at).isoformat(),
                        "corrected_intent": m.corrected_intent,
                    }
                    for m in messages
                ],
                "notes": [
                    {"text": n.text, "author": name, "at": aware(n.created_at).isoformat()}
                    for n, name in notes
                ],
                "plan": ({"labels": plan.labels, "answers": plan.answers} if plan else None),
                "next_statuses": sorted(TRANSITIONS[handoff.status]),
            }
        )
        return detail


@router.post("/handoffs/{reference}/contact")
def reveal_contact(
    reference: str, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    """Contact details are shown only on purpose, and that is logged."""
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        audit(session, staff, "contact_getoond", handoff)
        session.commit()
        return {
            "phone": handoff.contact_phone,
            "email": handoff.contact_email,
            "part_of_day": handoff.part_of_day,
            "contact_method": handoff.contact_method,
        }


class StatusIn(BaseModel):
    status: Literal["nieuw", "in_behandeling", "afgerond", "doorverwezen"]


@router.post("/handoffs/{reference}/status")
def change_status(
    reference: str, body: StatusIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        if body.status not in TRANSITIONS[handoff.status]:
            raise HTTPException(409, f"Van '{handoff.status}' naar '{body.status}' kan niet.")
        audit(session, staff, "status", handoff, f"{handoff.status} -> {body.status}")
        handoff.status = body.status
        if body.status == "in_behandeling" and handoff.assigned_to is None:
            handoff.assigned_to = staff.id
        session.commit()
        return {"reference": handoff.reference, "status": handoff.status}


class AssignIn(BaseModel):
    user_id: int | None = None  # None: assign to myself


@router.post("/handoffs/{reference}/assign")
def assign(
    reference: str, body: AssignIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        user_id = body.user_id or staff.id
        user = session.get(StaffUser, user_id)
        if user is None or not user.active:
            raise HTTPException(422, "Deze medewerker bestaat niet.")
        handoff.assigned_to = user_id
        audit(session, staff, "toegewezen", handoff, f"aan {user.username}")
        session.commit()
        return {"reference": handoff.reference, "assigned_to": user_id}


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


@router.post("/handoffs/{reference}/notes")
def add_note(
    reference: str, body: NoteIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    text = body.text.strip()
    if not text:
        raise HTTPException(422, "De notitie is leeg.")
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        session.add(HandoffNote(handoff_id=handoff.id, author_id=staff.id, text=text))
        audit(session, staff, "notitie", handoff)
        session.commit()
        return {"ok": True}


# -- live takeover ------------------------------------------------------------------------
def _set_mode(request: Request, staff: Staff, reference: str, mode: str) -> Handoff:
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        conversation = session.get(Conversation, handoff.conversation_id)
        mine = is_live_here(conversation, handoff) and conversation.taken_over_by == staff.id
        if (
            conversation.mode == "human" and not mine
        ):  # someone else's live chat: neither join nor end it
            raise HTTPException(409, "Een collega praat al met deze persoon.")
        if mode == "bot" and not mine:
            raise HTTPException(409, "U praat nu niet met deze persoon.")
        conversation.mode = mode
        conversation.taken_over_by = staff.id if mode == "human" else None
        conversation.live_handoff_id = handoff.id if mode == "human" else None
        notice = BOT_RESUMES if mode == "bot" else _joins(session, staff)
        session.add(
            Message(
                conversation_id=conversation.id,
                sender="system",
                text_redacted=notice,
                handoff_id=handoff.id,
            )
        )
        audit(session, staff, "overgenomen" if mode == "human" else "teruggegeven", handoff)
        if mode == "human" and handoff.status == "nieuw":
            handoff.status = "in_behandeling"
            handoff.assigned_to = handoff.assigned_to or staff.id
        session.commit()
        request.app.state.live.publish(
            citizen_channel(conversation.id), {"mode": mode, "sender": "system", "text": notice}
        )
        return handoff


def _joins(session: Session, staff: Staff) -> str:
    organisation = session.get(Organisation, staff.organisation_id) if staff.role == "oco" else None
    return OCO_JOINS.format(organisation=organisation.name) if organisation else STAFF_JOINS


@router.post("/handoffs/{reference}/takeover")
def take_over(
    reference: str, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    handoff = _set_mode(request, staff, reference, "human")
    return {"reference": handoff.reference, "mode": "human"}


@router.post("/handoffs/{reference}/release")
def hand_back(
    reference: str, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    handoff = _set_mode(request, staff, reference, "bot")
    return {"reference": handoff.reference, "mode": "bot"}


class StaffMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


@router.post("/handoffs/{reference}/messages")
def send_to_citizen(
    reference: str, body: StaffMessageIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    text = body.text.strip()
    if not text:
        raise HTTPException(422, "Het bericht is leeg.")
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        conversation = session.get(Conversation, handoff.conversation_id)
        if not is_live_here(conversation, handoff) or conversation.taken_over_by != staff.id:
            raise HTTPException(409, "Neem het gesprek eerst over.")
        # staff text is stored redacted like the rest of the transcript; the citizen sees it whole
        session.add(
            Message(
                conversation_id=conversation.id,
                sender="staff",
                text_redacted=redact(text),
                handoff_id=handoff.id,
            )
        )
        audit(session, staff, "bericht", handoff)
        session.commit()
        conversation_id = conversation.id
    request.app.state.live.publish(
        citizen_channel(conversation_id), {"mode": "human", "sender": "staff", "text": text}
    )
    return {"ok": True}


async def while_signed_in(
    request: Request, stream: AsyncGenerator[str, None], every: float = 30.0
) -> AsyncGenerator[str, None]:
    """The stream, ended once the session is gone (signed out, switched off, idle, expired)."""
    checked = time.monotonic()
    try:
        async for chunk in stream:
            if time.monotonic() - checked >= every:
                checked = time.monotonic()
                if not await run_in_threadpool(session_is_valid, request):
                    break
            yield chunk
    finally:
        await stream.aclose()


def session_is_valid(request: Request) -> bool:
    with request.app.state.sessions() as session:
        return (
            staff_for(
                session, request.cookies.get(COOKIE), request.app.state.settings.staff_idle_minutes
            )
            is not None
        )


@router.get("/handoffs/{reference}/events")
async def staff_events(
    reference: str, request: Request, staff: Staff = Depends(current_staff)
) -> StreamingResponse:
    """What the citizen types during a takeover, as server-sent events."""
    with request.app.state.sessions() as session:
        handoff = handoff_for(session, staff, reference)
        conversation = session.get(Conversation, handoff.conversation_id)
        if not is_live_here(conversation, handoff) or conversation.taken_over_by != staff.id:
            raise HTTPException(
                409, "Neem het gesprek eerst over."
            )  # no listening in on someone else's chat
        audit(session, staff, "meegeluisterd", handoff)
        session.commit()
        conversation_id = conversation.id
    stream = request.app.state.live.stream(
        staff_channel(conversation_id), last_event_id(request.headers.get("last-event-id"))
    )
    return StreamingResponse(
        while_signed_in(request, stream),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store"},
    )
