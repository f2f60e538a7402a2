"""The web service's app factory: settings, storage, the live hub, limits and turn locks on
`app.state`; Dutch error answers; the routers of the chat (bot/chat.py), the plan page
(bot/plan.py), the actions' internal API (bot/internal.py) and the staff portal (bot/staff/).

Run: uvicorn bot.main:create_app --factory
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
)
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import chat, internal, plan
from bot.errors import DutchError
from bot.guard import GuardMiddleware
from bot.live import (
    StreamCap,
    make_hub,
)
from bot.organisations import sync_organisations
from bot.rasa_client import RasaClient
from bot.ratelimit import make_limiter
from bot.redaction import warm_up as warm_up_redaction
from bot.settings import Settings, get_settings
from bot.staff import admin, insights
from bot.staff import api as staff_api
from bot.store.database import make_engine, migrate, session_factory
from bot.store.retention import (
    TrackerEvents,
    TrackerUnavailable,
    purge,
)
from bot.stream_tickets import StreamTickets
from bot.turns import TurnLocks

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"


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

    app.include_router(chat.router)
    app.include_router(plan.router)
    app.include_router(internal.router)
    app.include_router(staff_api.router)
    app.include_router(insights.router)
    app.include_router(admin.router)
    app.mount("/widget", StaticFiles(directory=STATIC / "widget"), name="widget")
    app.mount("/static/portal", StaticFiles(directory=STATIC / "portal"), name="portal")
    return app
