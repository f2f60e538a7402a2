"""The citizen's side of the service: the chat page, one chat turn, the live stream during a
takeover, and wiping a conversation.

A turn: clean and check the message, rate-limit it, take the conversation's turn lock, store the
message redacted (bot/store/chat.py), ask Rasa (or, during a takeover, relay it to the adviser,
and still let the safety layer read it), then store the replies redacted.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from pathlib import Path
from typing import Any, Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from bot.clients import client_key
from bot.contact import TAKEOVER_EXPIRED, no_answer_message, unavailable_message
from bot.errors import DutchError
from bot.live import citizen_channel_of, last_event_id, staff_channel
from bot.rasa_client import RasaUnavailable
from bot.redaction import redact
from bot.schemas import (
    Button,
    ChatMessage,
    ChatRequest,
    ChatResponse,
    ConversationRef,
    StreamTicket,
    messages_from_rasa,
)
from bot.staff.admin import effective_settings, file_settings
from bot.store.chat import may_go_live, record_user, store_replies
from bot.store.retention import TrackerEvents, TrackerUnavailable, erase_conversation
from bot.stream_tickets import TICKET_SECONDS
from bot.turns import TurnBusy
from contract.payload import PRIVATE_ANSWER, PRIVATE_ANSWER_TEXT, PRIVATE_REPLY_TEXT

log = logging.getLogger(__name__)
router = APIRouter()
TEMPLATES = Path(__file__).resolve().parent / "templates"
KEEP = frozenset("\t\n\r")


def clean_text(text: str) -> str:
    """A message without invisible characters (controls, format characters such as direction
    overrides and zero-width spaces; tabs and line breaks stay) and without outer spaces."""
    return "".join(
        c for c in text if c in KEEP or unicodedata.category(c) not in ("Cc", "Cf")
    ).strip()


def current_settings(request: Request) -> dict[str, Any]:
    """Settings with a beheerder's changes; the file alone when the database is unreachable."""
    content_dir = request.app.state.settings.content_dir
    try:
        with request.app.state.sessions() as session:
            return effective_settings(session, content_dir)
    except SQLAlchemyError:
        return file_settings(content_dir)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def chat_page() -> FileResponse:
    return FileResponse(TEMPLATES / "chat.html", media_type="text/html")


@router.post("/api/chat", response_model=ChatResponse, response_model_exclude_none=True)
async def chat(body: ChatRequest, request: Request) -> ChatResponse:
    settings = request.app.state.settings
    text = clean_text(body.message)
    if not text:
        raise DutchError(422, "Uw bericht is leeg. Typ eerst een vraag.")
    if len(text) > settings.max_message_length:
        raise DutchError(
            422,
            f"Uw bericht is te lang. Houd het korter dan {settings.max_message_length} tekens.",
        )
    conversation_id = body.conversation_id or str(uuid.uuid4())
    client = client_key(request, settings.trusted_proxies)
    limiter = request.app.state.limiter
    if not (
        await limiter.hit(f"client:{client}", settings.rate_per_client, 60)
        and await limiter.hit(f"conv:{conversation_id}", settings.rate_per_conversation, 60)
    ):
        raise DutchError(
            429,
            "U stuurt veel berichten kort na elkaar. Wacht een minuut en probeer het dan opnieuw.",
            headers={"Retry-After": "60"},
        )
    try:
        async with request.app.state.turns.turn(conversation_id):
            return await one_turn(request, conversation_id, text)
    except TurnBusy:
        raise DutchError(
            429,
            "Uw vorige bericht wordt nog verwerkt. Wacht even en probeer het opnieuw.",
            headers={"Retry-After": "5"},
        )


async def one_turn(request: Request, conversation_id: str, text: str) -> ChatResponse:
    state = request.app.state
    settings = state.settings

    def record() -> tuple[str, int, bool, int | None]:
        # redacted before a database connection is taken: SQLite has only one, others wait on it
        stored = redact(text)
        return record_user(
            state.sessions,
            conversation_id,
            stored,
            PRIVATE_ANSWER_TEXT,
            settings.takeover_lease_seconds,
        )

    try:  # one trip to the thread pool: the event loop keeps serving other people
        mode, message_id, expired, live_handoff = await run_in_threadpool(record)
    except SQLAlchemyError:
        # storage is down: still help the person; only the transcript misses this turn
        log.warning("could not store a chat message (database unavailable)")
        mode, message_id, expired, live_handoff = "bot", None, False, None
    if mode == "human":  # an adviser has taken over: relay, do not ask the bot
        crisis = await state.rasa.crisis(text)
        await run_in_threadpool(
            state.live.publish,
            staff_channel(conversation_id),
            {"sender": "user", "text": text, **({"crisis": crisis} if crisis else {})},
        )
        if not crisis:
            return ChatResponse(
                conversation_id=conversation_id, mode="human", messages=[], live=True
            )
        # danger now: the safety layer's door at once, also while a person is in the chat
    try:
        replies = await state.rasa.send(conversation_id, text)
    except RasaUnavailable:
        raise DutchError(
            503, unavailable_message(await run_in_threadpool(current_settings, request))
        )
    messages = messages_from_rasa(replies, plan_prefix=settings.public_url.rstrip("/") + "/plan/")
    if not messages:  # Rasa answered nothing: its action server is down or an action failed
        fallback_settings = await run_in_threadpool(current_settings, request)
        messages = [
            ChatMessage(
                sender="system",
                text=no_answer_message(fallback_settings),
                buttons=[Button(title="Praat met een medewerker", payload="/request_human")],
            )
        ]
    if expired:
        messages.insert(0, ChatMessage(sender="system", text=TAKEOVER_EXPIRED))
    customs = [r.get("custom") for r in replies if isinstance(r.get("custom"), dict)]
    if message_id is not None:
        try:
            await run_in_threadpool(
                keep_replies, request, conversation_id, message_id, messages, customs, live_handoff
            )
        except SQLAlchemyError:
            log.warning("could not store the replies (database unavailable)")
    live = mode == "human" or live_handoff is not None or any("handoff" in c for c in customs)
    return ChatResponse(
        conversation_id=conversation_id,
        # conversations.mode holds "bot" or "human" only; ChatResponse checks it again
        mode=cast(Literal["bot", "human"], mode),
        messages=messages,
        live=live,
    )


def keep_replies(
    request: Request,
    conversation_id: str,
    message_id: int,
    messages: list[ChatMessage],
    customs: list[dict[str, Any]],
    live_handoff: int | None,
) -> None:
    """The replies redacted (a private one not at all), and the turn's topic and signals."""
    rows = [
        {
            "conversation_id": conversation_id,
            "sender": m.sender,
            "text_redacted": PRIVATE_REPLY_TEXT if m.private else redact(m.text),
        }
        for m in messages
    ]
    store_replies(
        request.app.state.sessions,
        conversation_id,
        message_id,
        rows,
        topic=next((str(c["topic"])[:60] for c in customs if c.get("topic")), None),
        signals=[str(s)[:40] for c in customs for s in (c.get("signals") or [])][:20],
        next_answer_private=any(c.get(PRIVATE_ANSWER) for c in customs),
        live_handoff=live_handoff,
    )


@router.post("/api/chat/erase")
async def erase_chat(body: ConversationRef, request: Request) -> dict[str, Any]:
    """The citizen wipes their conversation ("Wis dit gesprek"): messages, handoffs, plan and
    Rasa's record. Knowing the id is the credential; it travels in the body, not the URL."""
    conversation_id = body.conversation_id
    tracker_db_url = request.app.state.settings.rasa_tracker_db_url

    def wipe() -> None:
        with request.app.state.sessions() as session:
            erase_conversation(
                session,
                conversation_id,
                TrackerEvents(tracker_db_url),
                "gesprek op verzoek van de inwoner",
            )

    try:
        await run_in_threadpool(wipe)
    except (TrackerUnavailable, SQLAlchemyError):
        log.error("erasing a conversation failed; nothing was deleted")
        raise DutchError(
            503, "Wissen lukt nu niet. Er is niets gewist. Probeer het later nog eens."
        )
    return {"deleted": True}


@router.post("/api/chat/events/ticket", response_model=StreamTicket, include_in_schema=False)
async def citizen_events_ticket(body: ConversationRef, request: Request) -> StreamTicket | Response:
    """A one-minute ticket to open the live stream (bot/stream_tickets.py)."""
    # a stream only where an adviser can join: after a handoff that is still open. Without
    # one, 204 tells the widget not to listen (review, High 2)
    try:
        live = await run_in_threadpool(
            may_go_live, request.app.state.sessions, body.conversation_id
        )
    except SQLAlchemyError:
        raise DutchError(
            503,
            "Dit gesprek is even niet bereikbaar. Probeer het zo opnieuw.",
            headers={"Retry-After": "10"},
        )
    if not live:
        return Response(status_code=204, headers={"Cache-Control": "no-store"})
    return StreamTicket(
        ticket=request.app.state.tickets.issue(body.conversation_id), expires_in=TICKET_SECONDS
    )


@router.get("/api/chat/events", include_in_schema=False)
async def citizen_events(request: Request, ticket: str = "", last: int = 0) -> StreamingResponse:
    """Messages from an adviser during a live takeover, and switches between bot and person.
    `last`: the last event the widget saw, when it opens a new stream with a new ticket (a
    browser reconnecting on its own sends Last-Event-ID)."""
    channel = request.app.state.tickets.open(ticket)
    if channel is None:  # any status but 200 stops the browser; the widget asks a new ticket
        raise DutchError(401, "Deze verbinding is verlopen. Vraag een nieuwe aan.")
    key = client_key(request, request.app.state.settings.trusted_proxies)
    streams = request.app.state.streams
    if not streams.acquire(key):
        raise DutchError(
            429,
            "Dit gesprek staat in te veel vensters open. Sluit er een paar en laad de pagina "
            "opnieuw.",
            headers={"Retry-After": "30"},
        )
    stream = request.app.state.live.stream(
        citizen_channel_of(channel),
        max(last_event_id(request.headers.get("last-event-id")), max(last, 0)),
    )
    return StreamingResponse(
        streams.guard(key, stream),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store"},
    )
