"""Storage through the service: redacted transcripts, handoffs, the internal API."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.store.models import Handoff, Message, Organisation

TOKEN = "test-token-" + "x" * 20
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def echo_rasa(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"text": "Noteer uw nummer: 06-98765432 is ons voorbeeld."}])


@pytest.fixture
def client(database_url: str):
    settings = Settings(database_url=database_url, internal_api_token=TOKEN)
    rasa = RasaClient(["http://rasa:5005"], 1.0, transport=httpx.MockTransport(echo_rasa))
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


def handoff(**changes) -> dict:
    body = {
        "conversation_id": "conv-1",
        "idempotency_key": "conv-1:0",
        "target": "zorgkantoor",
        "contact_method": "telefoon",
        "phone": "0612345678",
        "part_of_day": "ochtend",
        "summary": {
            "topics": ["ask_pgb_what"],
            "for_whom": "moeder",
            "signals": ["wens_pgb"],
            "unanswered": ["mijn BSN is 111222333, kan dat?"],
        },
        "consent": True,
    }
    body.update(changes)
    return body


def stored(client: TestClient, model, *where):
    with client.app.state.sessions() as session:
        return session.scalars(select(model).where(*where)).all()


def test_chat_messages_are_stored_redacted(client: TestClient) -> None:
    reply = client.post("/api/chat", json={"message": "Ik heet Jan, bel 0612345678"}).json()
    texts = [(m.sender, m.text_redacted) for m in stored(client, Message)]
    assert texts == [
        ("user", "Ik heet [NAAM], bel [TELEFOON]"),
        ("bot", "Noteer uw nummer: [TELEFOON] is ons voorbeeld."),
    ]
    assert (
        reply["messages"][0]["text"] == "Noteer uw nummer: 06-98765432 is ons voorbeeld."
    )  # shown as said


def test_internal_api_refuses_without_the_right_token(client: TestClient) -> None:
    assert client.post("/internal/handoffs", json=handoff()).status_code == 401
    assert (
        client.post(
            "/internal/handoffs", json=handoff(), headers={"Authorization": "Bearer wrong"}
        ).status_code
        == 401
    )
    assert client.get("/internal/organisations").status_code == 401
    assert stored(client, Handoff) == []


def test_internal_api_is_closed_when_no_token_is_configured(sqlite_url: str) -> None:
    with TestClient(create_app(Settings(database_url=sqlite_url, internal_api_token=""))) as client:
        assert client.post("/internal/handoffs", json=handoff(), headers=AUTH).status_code == 503


def test_handoff_is_stored_with_reference_and_redacted_summary(client: TestClient) -> None:
    created = client.post("/internal/handoffs", json=handoff(), headers=AUTH).json()
    assert created["status"] == "nieuw" and created["reference"].startswith("WLZ-")
    (row,) = stored(client, Handoff)
    assert row.reference == created["reference"] and row.contact_phone == "0612345678"
    assert row.summary["unanswered"] == ["mijn BSN is [BSN], kan dat?"]
    assert row.summary["topics"] == ["ask_pgb_what"] and row.consent_at is not None


def test_the_same_request_twice_is_one_handoff(client: TestClient) -> None:
    first = client.post("/internal/handoffs", json=handoff(), headers=AUTH).json()
    again = client.post("/internal/handoffs", json=handoff(), headers=AUTH).json()
    assert first == again and len(stored(client, Handoff)) == 1
    other = client.post(
        "/internal/handoffs", json=handoff(idempotency_key="conv-1:1"), headers=AUTH
    ).json()
    assert other["reference"] != first["reference"] and len(stored(client, Handoff)) == 2


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"consent": False}, "toestemming"),
        ({"phone": None}, "telefoonnummer"),
        ({"phone": "12345"}, "telefoonnummer"),
        ({"contact_method": "email", "email": None}, "e-mailadres"),
    ],
)
def test_handoff_without_consent_or_details_is_refused(
    client: TestClient, changes: dict, expected: str
) -> None:
    response = client.post("/internal/handoffs", json=handoff(**changes), headers=AUTH)
    assert response.status_code == 422 and expected in response.text
    assert stored(client, Handoff) == []


def test_oco_directory_comes_from_the_editable_file(client: TestClient) -> None:
    names = [
        o["name"]
        for o in client.get("/internal/organisations", headers=AUTH).json()["organisations"]
    ]
    assert names == [o.name for o in stored(client, Organisation, Organisation.kind == "oco")]
    assert "MEE Voorbeeldregio" in names


def test_parallel_starts_migrate_once_without_racing(database_url: str) -> None:
    """Several workers start at once (15 in the security review): each waits for the lock, the
    schema ends up complete, and no start fails on a half-made table."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import inspect

    from bot.store.database import make_engine, migrate

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: migrate(database_url), range(4)))
    engine = make_engine(database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert {"conversations", "messages", "handoffs", "staff_users"} <= tables and version == "0005"
