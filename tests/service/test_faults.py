"""Parts failing while people chat: the service degrades kindly and recovers by itself."""

from __future__ import annotations

import socket
import threading

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.store.models import Handoff

TOKEN = "test-token-" + "f" * 20
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class TcpProxy:
    """Forwards a local port to PostgreSQL; cut() drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.open = False
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"text": "Een pgb is een persoonsgebonden budget."}])


def handoff(key: str) -> dict:
    return {
        "conversation_id": "conv-fault",
        "idempotency_key": key,
        "target": "zorgkantoor",
        "contact_method": "telefoon",
        "phone": "0612345678",
        "part_of_day": "ochtend",
        "consent": True,
    }


def test_empty_reply_from_rasa_becomes_a_kind_message_with_contact_details(tmp_path) -> None:
    """Rasa answers nothing when its action server is down."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'wlz.db'}")
    rasa = RasaClient(
        ["http://rasa"], 1.0, transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[]))
    )
    with TestClient(create_app(settings, rasa=rasa)) as client:
        reply = client.post("/api/chat", json={"message": "wat is een pgb"}).json()
    (message,) = reply["messages"]
    assert (
        message["sender"] == "system"
        and "geen antwoord" in message["text"]
        and "Bel" in message["text"]
    )
    assert message["buttons"] == [
        {"title": "Praat met een medewerker", "payload": "/request_human"}
    ]


def test_database_outage_chat_keeps_answering_handoff_fails_cleanly_then_recovers(
    postgres_url: str,
) -> None:
    host, port = "127.0.0.1", 5432
    proxy = TcpProxy((host, port))
    proxied = postgres_url.replace(f"{host}:{port}", f"127.0.0.1:{proxy.port}")
    settings = Settings(database_url=proxied, internal_api_token=TOKEN)
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(answer))
    try:
        with TestClient(create_app(settings, rasa=rasa), raise_server_exceptions=False) as client:
            assert (
                client.post("/internal/handoffs", json=handoff("k-0"), headers=AUTH).status_code
                == 200
            )

            proxy.cut()
            chat = client.post("/api/chat", json={"message": "wat is een pgb"})
            assert (
                chat.status_code == 200 and "persoonsgebonden" in chat.json()["messages"][0]["text"]
            )
            failed = client.post("/internal/handoffs", json=handoff("k-1"), headers=AUTH)
            assert failed.status_code == 503 and "niets verloren" in failed.json()["detail"]

            proxy.restore()  # pre-ping replaces the dead pooled connections
            again = client.post("/internal/handoffs", json=handoff("k-1"), headers=AUTH)
            assert again.status_code == 200
            retried = client.post("/internal/handoffs", json=handoff("k-1"), headers=AUTH)
            assert retried.json()["reference"] == again.json()["reference"]
            with client.app.state.sessions() as session:
                assert len(session.scalars(select(Handoff)).all()) == 2
    finally:
        proxy.close()
