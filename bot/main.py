"""The web service: public chat API, chat page and widget.

Run: uvicorn bot.main:create_app --factory
"""
from __future__ import annotations

import uuid
from http import HTTPStatus
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import internal
from bot.contact import unavailable_message
from bot.organisations import sync_organisations
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.redaction import redact
from bot.schemas import ChatRequest, ChatResponse, messages_from_rasa
from bot.settings import Settings, get_settings
from bot.store.database import make_engine, migrate, session_factory
from bot.store.models import Conversation, Message

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"


class DutchError(Exception):
    def __init__(self, status: int, detail: str):
        self.status, self.detail = status, detail


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        app.state.sessions = session_factory(engine)
        sync_organisations(app.state.sessions, settings.content_dir / "organisations.yml")
        app.state.rasa = rasa or RasaClient(settings.rasa_urls, settings.rasa_timeout_seconds)
        yield
        await app.state.rasa.close()
        engine.dispose()

    app = FastAPI(title="Wlz-wegwijzer", lifespan=lifespan,
                  description="Chat-API van de Wlz-wegwijzer van het zorgkantoor.")
    app.state.settings = settings

    @app.exception_handler(DutchError)
    async def dutch_error(request: Request, error: DutchError) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # our own validators explain in Dutch; anything else gets one general sentence
        ours = [e["msg"].removeprefix("Value error, ") for e in error.errors() if e.get("type") == "value_error"]
        detail = " ".join(ours) or ("Dit verzoek klopt niet. Stuur een bericht als tekst, "
                                    "met een geldig gespreksnummer.")
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        texts = {404: "Deze pagina bestaat niet.", 405: "Deze methode is hier niet toegestaan."}
        standard = HTTPStatus(error.status_code).phrase
        detail = error.detail if error.detail != standard else texts.get(error.status_code, "Er ging iets mis.")
        return JSONResponse({"detail": detail}, status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": "Er ging iets mis bij ons. Probeer het later opnieuw."},
                            status_code=500)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(TEMPLATES / "chat.html", media_type="text/html")

    @app.post("/api/chat", response_model=ChatResponse)
    async def chat(body: ChatRequest, request: Request) -> ChatResponse:
        text = body.message.strip()
        if not text:
            raise DutchError(422, "Uw bericht is leeg. Typ eerst een vraag.")
        if len(text) > settings.max_message_length:
            raise DutchError(422, f"Uw bericht is te lang. Houd het korter dan "
                                  f"{settings.max_message_length} tekens.")
        conversation_id = body.conversation_id or str(uuid.uuid4())
        record(request, conversation_id, "user", text)
        try:
            replies = await request.app.state.rasa.send(conversation_id, text)
        except RasaUnavailable:
            raise DutchError(503, unavailable_message(settings.content_dir))
        messages = messages_from_rasa(replies)
        for message in messages:
            record(request, conversation_id, "bot", message.text)
        return ChatResponse(conversation_id=conversation_id, messages=messages)

    def record(request: Request, conversation_id: str, sender: str, text: str) -> None:
        """Store a message, redacted: the transcript never holds personal data."""
        with request.app.state.sessions() as session:
            if session.get(Conversation, conversation_id) is None:
                session.add(Conversation(id=conversation_id))
            session.add(Message(conversation_id=conversation_id, sender=sender, text_redacted=redact(text)))
            session.commit()

    app.include_router(internal.router)
    app.mount("/widget", StaticFiles(directory=STATIC / "widget"), name="widget")
    return app
