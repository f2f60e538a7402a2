"""Live takeover both ways, over a real HTTP server with server-sent events.

A citizen chats with the bot, an adviser takes over, they exchange messages in
real time, the adviser hands back and the bot answers again.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import uuid

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from bot import cli
from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.staff.api import BOT_RESUMES, STAFF_JOINS
from bot.store.models import Message

TOKEN = "test-token-" + "y" * 20
PASSWORD = "een lang wachtwoord 42"


class CountingRasa:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/model/parse":  # the safety layer's reading, without a turn
            assert request.url.params["token"] == "rasa-api-token"
            danger = "op de grond" in json.loads(request.content)["text"]
            return httpx.Response(
                200,
                json={
                    "intent": {"name": "crisis_medical" if danger else "inform", "confidence": 1.0}
                },
            )
        self.calls += 1
        if "op de grond" in json.loads(request.content)["message"]:
            return httpx.Response(
                200, json=[{"text": "Bel nu 112."}, {"custom": {"topic": "crisis:medical"}}]
            )
        return httpx.Response(200, json=[{"text": "Ik ben de digitale assistent."}])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["in-process", "redis"])
def server(request, sqlite_url: str):
    """The relay in one process, and through Redis pub/sub as with several web workers."""
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    rasa = CountingRasa()
    settings = Settings(database_url=sqlite_url, internal_api_token=TOKEN, redis_url=redis_url)
    app = create_app(
        settings,
        rasa=RasaClient(
            ["http://rasa:5005"],
            1.0,
            transport=httpx.MockTransport(rasa),
            api_token="rasa-api-token",
        ),
    )
    port = free_port()
    uv = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app, rasa
    uv.should_exit = True
    thread.join(timeout=10)


def listen(url: str, cookies: dict | None = None) -> tuple[queue.Queue, threading.Event]:
    """Read server-sent events in the background; put each data payload on a queue."""
    events: queue.Queue = queue.Queue()
    connected = threading.Event()

    def run() -> None:
        try:
            with httpx.Client(timeout=httpx.Timeout(5.0, read=30.0), cookies=cookies) as client:
                with client.stream("GET", url) as response:
                    for line in response.iter_lines():
                        connected.set()
                        if line.startswith("data: "):
                            events.put(json.loads(line[6:]))
        except httpx.HTTPError:
            pass  # the server stops at the end of the test while the stream is open

    threading.Thread(target=run, daemon=True).start()
    assert connected.wait(5), f"no event stream at {url}"
    return events, connected


def citizen_stream(base: str, conversation: str) -> str:
    """The URL of a citizen's live stream: a one-minute ticket, no conversation id."""
    response = httpx.post(
        f"{base}/api/chat/events/ticket", json={"conversation_id": conversation}, timeout=5
    )
    assert response.status_code == 200, response.text
    return f"{base}/api/chat/events?ticket={response.json()['ticket']}"


def test_adviser_takes_over_exchanges_messages_and_hands_back(server) -> None:
    base, app, rasa = server
    citizen = httpx.Client(base_url=base, timeout=5)
    first = citizen.post("/api/chat", json={"message": "Hallo"}).json()
    conversation = first["conversation_id"]
    assert first["mode"] == "bot" and rasa.calls == 1

    handoff = citizen.post(
        "/internal/handoffs",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "conversation_id": conversation,
            "idempotency_key": f"{conversation}:0",
            "target": "zorgkantoor",
            "contact_method": "chat",
            "consent": True,
        },
    ).json()
    reference = handoff["reference"]
    with app.state.sessions() as session:
        cli.add_staff(session, "anne", "adviseur", PASSWORD)
    staff = httpx.Client(base_url=base, timeout=5)
    csrf = {
        "X-CSRF-Token": staff.post(
            "/staff/api/login", json={"username": "anne", "password": PASSWORD}
        ).json()["csrf_token"]
    }

    to_citizen, _ = listen(citizen_stream(base, conversation))
    # no listening in before taking over: the live chat belongs to whoever took it over
    early = staff.get(f"/staff/api/handoffs/{reference}/events")
    assert early.status_code == 409 and early.json()["detail"] == "Neem het gesprek eerst over."

    assert (
        staff.post(f"/staff/api/handoffs/{reference}/takeover", headers=csrf).json()["mode"]
        == "human"
    )
    assert to_citizen.get(timeout=5) == {"mode": "human", "sender": "system", "text": STAFF_JOINS}
    to_staff, connected = listen(
        f"{base}/staff/api/handoffs/{reference}/events", cookies=dict(staff.cookies)
    )
    assert connected.wait(5)

    staff.post(
        f"/staff/api/handoffs/{reference}/messages",
        json={"text": "Goedemiddag, met Anne."},
        headers=csrf,
    )
    assert to_citizen.get(timeout=5) == {
        "mode": "human",
        "sender": "staff",
        "text": "Goedemiddag, met Anne.",
    }

    reply = citizen.post(
        "/api/chat",
        json={
            "conversation_id": conversation,
            "message": "Mijn moeder wacht al lang, bel 0612345678",
        },
    ).json()
    assert reply == {"conversation_id": conversation, "mode": "human", "messages": [], "live": True}
    assert to_staff.get(timeout=5) == {
        "sender": "user",
        "text": "Mijn moeder wacht al lang, bel 0612345678",
    }
    assert rasa.calls == 1  # the bot stays silent while a person talks

    assert (
        staff.post(f"/staff/api/handoffs/{reference}/release", headers=csrf).json()["mode"] == "bot"
    )
    assert to_citizen.get(timeout=5) == {"mode": "bot", "sender": "system", "text": BOT_RESUMES}
    again = citizen.post(
        "/api/chat", json={"conversation_id": conversation, "message": "Dank u"}
    ).json()
    assert (
        again["mode"] == "bot" and again["messages"][0]["text"] == "Ik ben de digitale assistent."
    )
    assert rasa.calls == 2

    with app.state.sessions() as session:
        transcript = [
            (m.sender, m.text_redacted)
            for m in session.scalars(
                select(Message).where(Message.conversation_id == conversation).order_by(Message.id)
            )
        ]
    assert transcript == [
        ("user", "Hallo"),
        ("bot", "Ik ben de digitale assistent."),
        ("system", STAFF_JOINS),
        ("staff", "Goedemiddag, met [NAAM]."),
        ("user", "Mijn moeder wacht al lang, bel [TELEFOON]"),
        ("system", BOT_RESUMES),
        ("user", "Dank u"),
        ("bot", "Ik ben de digitale assistent."),
    ]


def chat_with_handoff(base: str, key: str) -> tuple[httpx.Client, str, str]:
    """A citizen who said hello and asked for a live chat: (client, conversation id, reference)."""
    citizen = httpx.Client(base_url=base, timeout=5)
    conversation = citizen.post("/api/chat", json={"message": "Hallo"}).json()["conversation_id"]
    reference = citizen.post(
        "/internal/handoffs",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "conversation_id": conversation,
            "idempotency_key": key,
            "target": "zorgkantoor",
            "contact_method": "chat",
            "consent": True,
        },
    ).json()["reference"]
    return citizen, conversation, reference


def signed_in_adviser(app, base: str, name: str) -> tuple[httpx.Client, dict[str, str]]:
    with app.state.sessions() as session:
        cli.add_staff(session, name, "adviseur", PASSWORD)
    client = httpx.Client(base_url=base, timeout=5)
    token = client.post("/staff/api/login", json={"username": name, "password": PASSWORD}).json()[
        "csrf_token"
    ]
    return client, {"X-CSRF-Token": token}


def test_a_second_adviser_cannot_take_over_a_conversation_in_use(server) -> None:
    base, app, _ = server
    _, _, reference = chat_with_handoff(base, "k")
    (anne, anne_csrf), (bram, bram_csrf) = (
        signed_in_adviser(app, base, name) for name in ("anne", "bram")
    )
    assert (
        anne.post(f"/staff/api/handoffs/{reference}/takeover", headers=anne_csrf).status_code == 200
    )
    assert (
        bram.post(f"/staff/api/handoffs/{reference}/takeover", headers=bram_csrf).status_code == 409
    )
    refused = bram.post(
        f"/staff/api/handoffs/{reference}/messages", json={"text": "Hallo"}, headers=bram_csrf
    )
    assert refused.status_code == 409
    # nor can a colleague end it, or listen in
    assert (
        bram.post(f"/staff/api/handoffs/{reference}/release", headers=bram_csrf).status_code == 409
    )
    assert bram.get(f"/staff/api/handoffs/{reference}/events").status_code == 409


def test_no_event_stream_before_an_adviser_can_join(server) -> None:
    """Before a handoff nobody can take the chat over: the stream is refused with 204, which
    tells a browser to stop reconnecting; the reply of a turn with a handoff says "live"."""
    base, _, _ = server
    citizen = httpx.Client(base_url=base, timeout=5)
    first = citizen.post("/api/chat", json={"message": "Hallo"}).json()
    assert first["live"] is False
    ticket = "/api/chat/events/ticket"
    assert (
        citizen.post(ticket, json={"conversation_id": first["conversation_id"]}).status_code == 204
    )
    assert citizen.post(ticket, json={"conversation_id": uuid.uuid4().hex}).status_code == 204
    _, conversation, _ = chat_with_handoff(base, "k-live")
    listen(citizen_stream(base, conversation))  # asserts the stream is open


def test_the_stream_needs_a_fresh_ticket_and_replays_what_a_new_one_missed(server) -> None:
    """The conversation id never stands in the stream's URL; a ticket does, for a minute. A
    widget that opens a new stream with a new ticket says which event it saw last."""
    base, app, _ = server
    citizen, conversation, reference = chat_with_handoff(base, "k-ticket")
    url = citizen_stream(base, conversation)
    assert conversation not in url
    for bad in (
        f"{base}/api/chat/events",
        f"{base}/api/chat/events?ticket=abc.123.def",
        f"{base}/api/chat/events?ticket="
        f"{app.state.tickets.issue(conversation, now=time.time() - 120)}",
    ):
        refused = httpx.get(bad, timeout=5)
        assert refused.status_code == 401 and refused.json()["detail"] == (
            "Deze verbinding is verlopen. Vraag een nieuwe aan."
        )
    staff, csrf = signed_in_adviser(app, base, "anne")
    staff.post(f"/staff/api/handoffs/{reference}/takeover", headers=csrf)
    staff.post(
        f"/staff/api/handoffs/{reference}/messages", json={"text": "Bent u er nog?"}, headers=csrf
    )
    # the widget saw the first event (the adviser joining), then its stream broke
    replayed, _ = listen(citizen_stream(base, conversation) + "&last=1")
    assert replayed.get(timeout=5) == {"mode": "human", "sender": "staff", "text": "Bent u er nog?"}


def test_one_address_cannot_open_event_streams_without_end(server) -> None:
    base, app, _ = server
    limit = app.state.settings.max_streams_per_client
    _, conversation, _ = chat_with_handoff(base, "k-cap")
    for _ in range(limit):
        listen(citizen_stream(base, conversation))
    refused = httpx.get(citizen_stream(base, conversation), timeout=5)
    assert refused.status_code == 429 and "te veel vensters" in refused.json()["detail"]


def test_danger_typed_to_an_adviser_still_gets_the_door_at_once(server) -> None:
    base, app, rasa = server
    citizen, conversation, reference = chat_with_handoff(base, "k-crisis")
    staff, csrf = signed_in_adviser(app, base, "anne")
    staff.post(f"/staff/api/handoffs/{reference}/takeover", headers=csrf)
    to_staff, _ = listen(
        f"{base}/staff/api/handoffs/{reference}/events", cookies=dict(staff.cookies)
    )

    calm = citizen.post(
        "/api/chat", json={"conversation_id": conversation, "message": "Ik heb een vraag"}
    ).json()
    assert calm["messages"] == [] and rasa.calls == 1  # to the adviser only
    danger = citizen.post(
        "/api/chat",
        json={"conversation_id": conversation, "message": "mijn vader ligt op de grond"},
    ).json()
    assert danger["mode"] == "human" and [m["text"] for m in danger["messages"]] == ["Bel nu 112."]
    assert to_staff.get(timeout=5) == {"sender": "user", "text": "Ik heb een vraag"}
    assert to_staff.get(timeout=5) == {
        "sender": "user",
        "text": "mijn vader ligt op de grond",
        "crisis": "crisis_medical",
    }
    transcript = [
        m["text"] for m in staff.get(f"/staff/api/handoffs/{reference}").json()["transcript"]
    ]
    assert transcript[-2:] == [
        "mijn vader ligt op de grond",
        "Bel nu 112.",
    ]  # the adviser sees the door given
