"""The web service: public chat API, chat page and widget.

Run: uvicorn bot.main:create_app --factory
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any, AsyncIterator, Literal, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import internal
from bot.clients import client_key
from bot.contact import no_answer_message, unavailable_message
from bot.guard import GuardMiddleware
from bot.live import (
    StreamCap,
    citizen_channel_of,
    last_event_id,
    make_hub,
    staff_channel,
)
from bot.organisations import sync_organisations
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.ratelimit import make_limiter
from bot.redaction import redact
from bot.redaction import warm_up as warm_up_redaction
from bot.schemas import (
    Button,
    ChatMessage,
    ChatRequest,
    ChatResponse,
    ConversationRef,
    StreamTicket,
    messages_from_rasa,
)
from bot.settings import Settings, get_settings
from bot.staff import admin, insights
from bot.staff import api as staff_api
from bot.staff.admin import effective_settings, file_settings
from bot.staff.auth import aware
from bot.store.database import make_engine, migrate, session_factory
from bot.store.models import Conversation, Handoff, Message, Plan, StaffUser
from bot.store.retention import (
    OPEN_STATUSES,
    TrackerEvents,
    TrackerUnavailable,
    erase_conversation,
    purge,
)
from bot.stream_tickets import TICKET_SECONDS, StreamTickets
from bot.turns import TurnBusy, TurnLocks
from contract.payload import PRIVATE_ANSWER, PRIVATE_ANSWER_TEXT, PRIVATE_REPLY_TEXT

log = logging.getLogger(__name__)
TAKEOVER_EXPIRED = (
    "De medewerker is niet meer in het gesprek. De digitale assistent helpt u weer. Wilt u "
    "toch een mens spreken? Vraag dan opnieuw om een medewerker."
)
STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)  # autoescapes: typed text renders as text
PLAN_GONE = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Plan niet gevonden</title>'
    "<main><h1>Dit plan bestaat niet (meer)</h1><p>Plannen worden na een tijd verwijderd. "
    'U kunt in de chat een nieuw plan maken.</p><p><a href="/">Naar de chat</a></p></main></html>'
)


class DutchError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        self.status, self.detail, self.headers = status, detail, headers


KEEP = frozenset("\t\n\r")


def clean_text(text: str) -> str:
    """A message without invisible characters (controls, format characters such as direction
    overrides and zero-width spaces; tabs and line breaks stay) and without outer spaces."""
    return "".join(
        c for c in text if c in KEEP or unicodedata.category(c) not in ("Cc", "Cf")
    ).strip()


async def purge_on_schedule(sessions: sessionmaker[Session], settings: Settings) -> None:
    """The retention purge of `python -m bot.cli purge`, at start and then every few hours
    (the production profile sets PURGE_EVERY_HOURS; several workers purging is harmless)."""

    def run() -> dict[str, int]:
        with sessions() as session:
            return purge(
                session, settings.retention_days, TrackerEvents(settings.rasa_tracker_db_url)
            )

    while True:
        try:
            counted = await run_in_threadpool(run)
            log.info(
                "retention purge: %d conversations, %d tracker events deleted",
                counted["conversations"],
                counted["tracker_events"],
            )
        except (TrackerUnavailable, SQLAlchemyError) as error:
            log.error("retention purge failed, nothing deleted: %s", type(error).__name__)
        await asyncio.sleep(settings.purge_every_hours * 3600)


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        app.state.sessions = session_factory(engine)
        sync_organisations(app.state.sessions, settings.content_dir / "organisations.yml")
        app.state.rasa = rasa or RasaClient(
            settings.rasa_urls, settings.rasa_timeout_seconds, api_token=settings.rasa_api_token
        )
        warm_up_redaction()
        purging = (
            asyncio.create_task(purge_on_schedule(app.state.sessions, settings))
            if settings.purge_every_hours
            else None
        )
        yield
        if purging:
            purging.cancel()
        if rasa is None:  # a client handed in (tests) belongs to the caller
            await app.state.rasa.close()
        engine.dispose()

    app = FastAPI(
        title="Wlz-wegwijzer",
        lifespan=lifespan,
        description="Chat-API van de Wlz-wegwijzer van het zorgkantoor.",
    )
    app.state.settings = settings
    app.state.live = make_hub(settings.redis_url)
    app.state.streams = StreamCap(settings.max_streams_per_client)
    app.state.tickets = StreamTickets(settings.stream_secret)
    app.state.limiter = make_limiter(settings.redis_url)
    app.state.turns = TurnLocks(settings.redis_url)
    if settings.widget_origin_list:
        # the widget on the zorgkantoor's own site talks to this service: allow exactly those sites,
        # without cookies (the chat needs none; the staff portal's cookies stay same-site)
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.widget_origin_list,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )

    @app.exception_handler(DutchError)
    async def dutch_error(request: Request, error: DutchError) -> JSONResponse:
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status, headers=error.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # our own validators explain in Dutch; anything else gets one general sentence
        ours = [
            e["msg"].removeprefix("Value error, ")
            for e in error.errors()
            if e.get("type") == "value_error"
        ]
        detail = " ".join(ours) or (
            "Dit verzoek klopt niet. Stuur een bericht als tekst, met een geldig gespreksnummer."
        )
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        texts = {404: "Deze pagina bestaat niet.", 405: "Deze methode is hier niet toegestaan."}
        standard = HTTPStatus(error.status_code).phrase
        detail = (
            error.detail
            if error.detail != standard
            else texts.get(error.status_code, "Er ging iets mis.")
        )
        return JSONResponse({"detail": detail}, status_code=error.status_code)

    @app.exception_handler(SQLAlchemyError)
    async def storage_down(request: Request, error: SQLAlchemyError) -> JSONResponse:
        log.warning("database error: %s", type(error).__name__)
        return JSONResponse(
            {
                "detail": "De opslag is even niet bereikbaar. Er is niets verloren gegaan. "
                "Probeer het over een paar minuten opnieuw."
            },
            status_code=503,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": "Er ging iets mis bij ons. Probeer het later opnieuw."}, status_code=500
        )

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes)

    @app.get("/staff", response_class=HTMLResponse, include_in_schema=False)
    async def staff_portal() -> FileResponse:
        return FileResponse(TEMPLATES / "portal.html", media_type="text/html")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(TEMPLATES / "chat.html", media_type="text/html")

    @app.post("/api/chat", response_model=ChatResponse, response_model_exclude_none=True)
    async def chat(body: ChatRequest, request: Request) -> ChatResponse:
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
                "U stuurt veel berichten kort na elkaar. Wacht een minuut en probeer het "
                "dan opnieuw.",
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
        try:  # database work runs in the thread pool: the event loop keeps serving other people
            mode, message_id, expired, live_handoff = await run_in_threadpool(
                record_user, request, conversation_id, text
            )
        except SQLAlchemyError:
            # storage is down: still help the person; only the transcript misses this turn
            log.warning("could not store a chat message (database unavailable)")
            mode, message_id, expired, live_handoff = "bot", None, False, None
        if mode == "human":  # an adviser has taken over: relay, do not ask the bot
            crisis = await request.app.state.rasa.crisis(text)
            await run_in_threadpool(
                request.app.state.live.publish,
                staff_channel(conversation_id),
                {"sender": "user", "text": text, **({"crisis": crisis} if crisis else {})},
            )
            if not crisis:
                return ChatResponse(
                    conversation_id=conversation_id, mode="human", messages=[], live=True
                )
            # danger now: the safety layer's door at once, also while a person is in the chat
        try:
            replies = await request.app.state.rasa.send(conversation_id, text)
        except RasaUnavailable:
            raise DutchError(
                503, unavailable_message(await run_in_threadpool(current_settings, request))
            )
        messages = messages_from_rasa(
            replies, plan_prefix=settings.public_url.rstrip("/") + "/plan/"
        )
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
        try:
            await run_in_threadpool(
                store_replies, request, conversation_id, message_id, messages, customs, live_handoff
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

    def store_replies(
        request: Request,
        conversation_id: str,
        message_id: int | None,
        messages: list[ChatMessage],
        customs: list[dict[str, Any]],
        live_handoff: int | None,
    ) -> None:
        if message_id is None:
            return
        # redacted outside the connection, as below
        rows = [
            {
                "conversation_id": conversation_id,
                "sender": m.sender,
                "text_redacted": PRIVATE_REPLY_TEXT if m.private else redact(m.text),
            }
            for m in messages
        ]
        topic = next((str(c["topic"])[:60] for c in customs if c.get("topic")), None)
        signals = [str(s)[:40] for c in customs for s in (c.get("signals") or [])][:20]
        # plain statements, no ORM loads: this runs on every chat turn
        with request.app.state.sessions() as session:
            found = session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id)
                .values(next_answer_private=any(c.get(PRIVATE_ANSWER) for c in customs))
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
                session.execute(
                    insert(Message), [{**row, "handoff_id": live_handoff} for row in rows]
                )
            session.commit()

    def may_go_live(request: Request, conversation_id: str) -> bool:
        """An adviser can join: a handoff is still open, or one has already taken the chat over."""
        with request.app.state.sessions() as session:
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

    def current_settings(request: Request) -> dict[str, Any]:
        """Settings with a beheerder's changes; the file alone when the database is unreachable."""
        try:
            with request.app.state.sessions() as session:
                return effective_settings(session, settings.content_dir)
        except SQLAlchemyError:
            return file_settings(settings.content_dir)

    def record_user(
        request: Request, conversation_id: str, text: str
    ) -> tuple[str, int, bool, int | None]:
        """Store the message redacted (a persoonlijk-plan answer not at all: no consent yet);
        return the mode."""
        redacted = redact(
            text
        )  # before taking a connection: SQLite has only one, others wait on it
        with request.app.state.sessions() as session:
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
            expired = mode == "human" and takeover_abandoned(
                session, conversation_id, settings.takeover_lease_seconds
            )
            if expired:
                mode, live_handoff = "bot", None  # the adviser is gone: the bot helps again
            stored = PRIVATE_ANSWER_TEXT if private else redacted
            message_id = session.execute(
                insert(Message).values(
                    conversation_id=conversation_id,
                    sender="user",
                    text_redacted=stored,
                    # said to a person in a live chat: part of that handoff only
                    handoff_id=live_handoff if mode == "human" else None,
                )
            ).inserted_primary_key[0]
            session.commit()
            return mode, message_id, expired, live_handoff if mode == "human" else None

    @app.post("/api/chat/erase")
    async def erase_chat(body: ConversationRef, request: Request) -> dict[str, Any]:
        """The citizen wipes their conversation ("Wis dit gesprek"): messages, handoffs, plan and
        Rasa's record. Knowing the id is the credential; it travels in the body, not the URL."""
        conversation_id = body.conversation_id

        def wipe() -> None:
            with request.app.state.sessions() as session:
                erase_conversation(
                    session,
                    conversation_id,
                    TrackerEvents(settings.rasa_tracker_db_url),
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

    @app.post("/api/chat/events/ticket", response_model=StreamTicket, include_in_schema=False)
    async def citizen_events_ticket(
        body: ConversationRef, request: Request
    ) -> StreamTicket | Response:
        """A one-minute ticket to open the live stream (bot/stream_tickets.py)."""
        # a stream only where an adviser can join: after a handoff that is still open. Without
        # one, 204 tells the widget not to listen (review, High 2)
        try:
            live = await run_in_threadpool(may_go_live, request, body.conversation_id)
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

    @app.get("/api/chat/events", include_in_schema=False)
    async def citizen_events(
        request: Request, ticket: str = "", last: int = 0
    ) -> StreamingResponse:
        """Messages from an adviser during a live takeover, and switches between bot and person.
        `last`: the last event the widget saw, when it opens a new stream with a new ticket (a
        browser reconnecting on its own sends Last-Event-ID)."""
        channel = request.app.state.tickets.open(ticket)
        if channel is None:  # any status but 200 stops the browser; the widget asks a new ticket
            raise DutchError(401, "Deze verbinding is verlopen. Vraag een nieuwe aan.")
        key = client_key(request, settings.trusted_proxies)
        streams = request.app.state.streams
        if not streams.acquire(key):
            raise DutchError(
                429,
                "Dit gesprek staat in te veel vensters open. Sluit er een paar en "
                "laad de pagina opnieuw.",
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

    @app.get("/plan/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def plan_page(token: str, request: Request) -> HTMLResponse:
        with request.app.state.sessions() as session:
            plan = (
                session.scalar(select(Plan).where(Plan.token == token))
                if len(token) <= 64
                else None
            )
        if plan is None:
            return HTMLResponse(PLAN_GONE, status_code=404)
        items = [
            {"label": plan.labels.get(key, key), "answer": answer}
            for key, answer in plan.answers.items()
        ]
        created = plan.created_at.strftime("%d-%m-%Y")
        return templates.TemplateResponse(
            request,
            "plan.html",
            {"items": items, "created": created, "retention_days": settings.retention_days},
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    app.include_router(internal.router)
    app.include_router(staff_api.router)
    app.include_router(insights.router)
    app.include_router(admin.router)
    app.mount("/widget", StaticFiles(directory=STATIC / "widget"), name="widget")
    app.mount("/static/portal", StaticFiles(directory=STATIC / "portal"), name="portal")
    return app
