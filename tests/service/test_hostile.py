"""Hostile and broken input on every public endpoint: a clear Dutch 4xx or a sensible reply,
never a 5xx, and nothing stored unredacted."""

from __future__ import annotations

import json
import unicodedata
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.chat import clean_text
from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.ratelimit import MemoryLimiter
from bot.settings import Settings
from bot.store.models import Message

TOKEN = "test-token-" + "h" * 20


def echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"text": "Dank u voor uw vraag."}])


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'wlz.db'}"
    settings = Settings(
        database_url=url,
        internal_api_token=TOKEN,
        rate_per_client=100_000,
        rate_per_conversation=100_000,
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    with TestClient(create_app(settings, rasa=rasa), raise_server_exceptions=False) as test_client:
        yield test_client


def is_dutch_error(response: httpx.Response) -> bool:
    detail = response.json().get("detail")
    return (
        isinstance(detail, str)
        and len(detail) > 10
        and not detail.startswith(("Field", "Input", "value"))
    )


MESSAGES = {
    "empty": "",
    "spaces": "   \n\t ",
    "control": "\x00\x07\x1b\u202e\u200b",
    "long": "a" * 10_001,
}


@pytest.mark.parametrize("name", MESSAGES)
def test_unusable_messages_get_a_dutch_422(client: TestClient, name: str) -> None:
    response = client.post("/api/chat", json={"message": MESSAGES[name]})
    assert response.status_code == 422 and is_dutch_error(response)


@pytest.mark.parametrize(
    "text",
    [
        "🙂👍 hoe gaat het met de wachtlijst? 👨‍👩‍👧",
        "مرحبا، أحتاج مساعدة",
        "\u202eevil\u202c tekst",
        "<script>alert('x')</script>",
        "'; DROP TABLE messages; --",
        "Robert'); DELETE FROM handoffs;--",
        "ik heet Jan en mijn bsn is 111222333",
        "%s%s%s%n",
        "{{7*7}} ${7*7}",
    ],
)
def test_odd_but_valid_messages_get_a_reply_and_are_stored_redacted(
    client: TestClient, text: str
) -> None:
    response = client.post("/api/chat", json={"message": text})
    assert response.status_code == 200
    assert response.json()["messages"][0]["text"] == "Dank u voor uw vraag."
    with client.app.state.sessions() as session:
        stored = session.scalars(
            select(Message.text_redacted).where(
                Message.conversation_id == response.json()["conversation_id"],
                Message.sender == "user",
            )
        ).one()
    assert "111222333" not in stored and "\u202e" not in stored


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"hallo"',
        b'{"message": 42}',
        b'{"message": null}',
        b'{"message": ["a"]}',
        b'{"bericht": "hallo"}',
        b'{"message": "hallo", "conversation_id": "../../etc/passwd"}',
        b'{"message": "hallo", "conversation_id": "' + b"x" * 65 + b'"}',
        b"\xff\xfe\x00",
    ],
)
def test_malformed_json_and_wrong_types_get_a_dutch_4xx(client: TestClient, body: bytes) -> None:
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and is_dutch_error(response)


def test_huge_body_is_refused_before_reading(client: TestClient) -> None:
    body = json.dumps({"message": "a" * 200_000})
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and is_dutch_error(response)


def test_huge_chunked_body_without_length_is_refused_too(client: TestClient) -> None:
    def chunks():  # no Content-Length: the limit must count the bytes as they arrive
        yield b'{"message": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    response = client.post(
        "/api/chat", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and is_dutch_error(response)


def test_a_body_under_the_limit_sent_in_chunks_is_answered(client: TestClient) -> None:
    def chunks():
        yield b'{"message": "'
        yield "Wat is de Wlz?".encode()
        yield b'"}'

    response = client.post(
        "/api/chat", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200 and response.json()["messages"]


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "/internal/handoffs", {}),
        ("POST", "/internal/plans", {}),
        ("GET", "/internal/settings", None),
        ("GET", "/internal/organisations", None),
        ("GET", "/internal/staff-online", None),
    ],
)
def test_internal_api_refuses_requests_without_the_token(
    client: TestClient, method, path, body
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 401 and is_dutch_error(response)
    wrong = client.request(
        method, path, json=body, headers={"Authorization": "Bearer " + "x" * 10_000}
    )
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "", "password": ""},
        {"username": "a" * 10_000, "password": "b"},
        {"username": ["x"], "password": 1},
        {"username": "' OR 1=1 --", "password": "x"},
    ],
)
def test_staff_login_with_rubbish_is_a_dutch_4xx(client: TestClient, body) -> None:
    response = client.post("/staff/api/login", json=body)
    assert 400 <= response.status_code < 500 and is_dutch_error(response)


@pytest.mark.parametrize(
    "path",
    [
        "/plan/" + "x" * 500,
        "/plan/%00",
        "/plan/<script>",
        "/api/chat/events?ticket=" + "x" * 500,
        "/staff/api/handoffs/WLZ-<b>",
        "/bestaat/niet",
    ],
)
def test_odd_paths_are_4xx_not_5xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert "<script>" not in response.text and "<b>" not in response.text


def test_rate_limit_per_conversation(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        rate_per_conversation=3,
        rate_per_client=100,
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    with TestClient(create_app(settings, rasa=rasa)) as limited:
        limited.app.state.limiter = MemoryLimiter(
            clock=lambda: 1_000_000.0
        )  # one window for the whole test
        first = limited.post("/api/chat", json={"message": "hallo"}).json()["conversation_id"]
        codes = [
            limited.post(
                "/api/chat", json={"message": "hallo", "conversation_id": first}
            ).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        refused = limited.post("/api/chat", json={"message": "hallo", "conversation_id": first})
        assert (
            refused.headers["retry-after"] == "60"
            and "Wacht een minuut" in refused.json()["detail"]
        )
        assert (
            limited.post("/api/chat", json={"message": "hallo"}).status_code == 200
        )  # another conversation


def test_rate_limit_per_client_address(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        rate_per_conversation=100,
        rate_per_client=2,
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    with TestClient(create_app(settings, rasa=rasa)) as limited:
        limited.app.state.limiter = MemoryLimiter(
            clock=lambda: 1_000_000.0
        )  # one window for the whole test
        codes = [limited.post("/api/chat", json={"message": "hallo"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]


def test_rate_limit_behind_a_trusted_proxy_counts_each_citizen(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        rate_per_conversation=100,
        rate_per_client=2,
        trusted_proxies="10.0.0.0/8",
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    app = create_app(settings, rasa=rasa)
    with TestClient(app, client=("10.0.0.5", 4000)) as proxy:
        proxy.app.state.limiter = MemoryLimiter(
            clock=lambda: 1_000_000.0
        )  # one window for the whole test

        def send(forwarded: str) -> int:
            return proxy.post(
                "/api/chat", json={"message": "hallo"}, headers={"X-Forwarded-For": forwarded}
            ).status_code

        # one person sending many messages uses up only their own bucket
        assert [send("203.0.113.7") for _ in range(3)] == [200, 200, 429]
        assert send("198.51.100.20") == 200
        # the right-most untrusted hop is the citizen: a forged first entry changes nothing
        assert send("198.51.100.99, 203.0.113.7") == 429
        # an IPv6 household counts per /64
        assert [send(f"2001:db8:1:2::{n}") for n in (1, 2, 3)] == [200, 200, 429]


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        rate_per_conversation=100,
        rate_per_client=2,
        trusted_proxies="10.0.0.0/8",
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    with TestClient(create_app(settings, rasa=rasa), client=("192.0.2.50", 4000)) as direct:
        direct.app.state.limiter = MemoryLimiter(clock=lambda: 1_000_000.0)
        codes = [
            direct.post(
                "/api/chat",
                json={"message": "hallo"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(3)
        ]
    assert codes == [200, 200, 429]  # a new forged address per message does not escape the limit


def test_rate_limit_counts_are_shared_through_redis(tmp_path, redis_url: str) -> None:
    # two web processes behind a load balancer: the second sees what the first counted
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        redis_url=redis_url,
        rate_per_conversation=2,
        rate_per_client=100,
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    conversation = "rate-shared-" + uuid.uuid4().hex
    with (
        TestClient(create_app(settings, rasa=rasa)) as one,
        TestClient(create_app(settings, rasa=rasa)) as two,
    ):
        codes = [
            web.post(
                "/api/chat", json={"message": "hallo", "conversation_id": conversation}
            ).status_code
            for web in (one, two, one)
        ]
    assert codes == [200, 200, 429]


def test_security_headers(client: TestClient) -> None:
    portal = client.get("/staff")
    assert "frame-ancestors 'none'" in portal.headers["content-security-policy"]
    assert portal.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in portal.headers["content-security-policy"]
    chat = client.get("/")
    assert "script-src 'self';" in chat.headers["content-security-policy"]
    assert chat.headers["x-content-type-options"] == "nosniff"


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_is_answered_or_refused_in_dutch(client: TestClient, text: str) -> None:
    """Refused exactly when nothing visible is left: only spaces, controls and format characters."""
    response = client.post("/api/chat", json={"message": text})
    visible = any(not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf") for c in text)
    if visible:
        assert response.status_code == 200
    else:
        assert response.status_code == 422 and is_dutch_error(response)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("  hallo\u200b  ", "hallo"),
        ("\u202eevil\u202c tekst", "evil tekst"),
        ("a\x00b\x07c", "abc"),
        ("regel 1\nregel 2", "regel 1\nregel 2"),
        ("\ufeffvraag", "vraag"),
        ("\u2066x\u2069", "x"),
    ],
)
def test_invisible_characters_are_removed_and_line_breaks_kept(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_only_configured_sites_may_embed_the_widget(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wlz.db'}",
        widget_origins="https://www.zorgkantoor-voorbeeld.nl",
    )
    rasa = RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(echo))
    with TestClient(create_app(settings, rasa=rasa)) as embedded:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        ok = embedded.options(
            "/api/chat", headers={"Origin": "https://www.zorgkantoor-voorbeeld.nl", **preflight}
        )
        assert ok.headers["access-control-allow-origin"] == "https://www.zorgkantoor-voorbeeld.nl"
        assert "access-control-allow-credentials" not in ok.headers
        other = embedded.options(
            "/api/chat", headers={"Origin": "https://evil.example", **preflight}
        )
        assert "access-control-allow-origin" not in other.headers
