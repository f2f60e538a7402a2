"""The public chat API: forwards to Rasa, answers in Dutch when something is wrong."""

from __future__ import annotations

import json
import tempfile

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings


class FakeRasa:
    """Rasa's REST channel as seen over HTTP, recording what it was sent."""

    def __init__(self, status: int = 200, fail: bool = False) -> None:
        self.status, self.fail = status, fail
        self.received: list[tuple[str, dict]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.fail:
            raise httpx.ConnectError("connection refused")
        body = json.loads(request.content)
        self.received.append((str(request.url), body))
        if self.status != 200:
            return httpx.Response(self.status, text="Internal Server Error")
        return httpx.Response(
            200,
            json=[
                {
                    "recipient_id": body["sender"],
                    "text": "De Wlz is de Wet langdurige zorg.",
                    "buttons": [{"title": "Vertel meer", "payload": "/tell_more"}],
                },
                {"recipient_id": body["sender"], "custom": {"handoff": {"reference": "WLZ-1"}}},
            ],
        )


def client_for(
    fake: FakeRasa,
    urls: str = "http://rasa-1:5005",
    content_dir=None,
    database_url: str | None = None,
) -> TestClient:
    database_url = database_url or f"sqlite:///{tempfile.mkdtemp()}/wlz.db"
    settings = Settings(
        rasa_url=urls, content_dir=content_dir or Settings().content_dir, database_url=database_url
    )
    rasa = RasaClient(settings.rasa_urls, 1.0, transport=httpx.MockTransport(fake.handler))
    return TestClient(create_app(settings, rasa=rasa))


def test_health() -> None:
    with client_for(FakeRasa()) as client:
        assert client.get("/health").json() == {"status": "ok"}


def test_chat_page_is_dutch_and_loads_the_widget() -> None:
    with client_for(FakeRasa()) as client:
        page = client.get("/")
        assert page.status_code == 200 and '<html lang="nl">' in page.text
        assert 'src="/widget/wegwijzer.js"' in page.text
        assert client.get("/widget/wegwijzer.js").status_code == 200


def test_message_is_forwarded_and_replies_come_back_with_buttons() -> None:
    fake = FakeRasa()
    with client_for(fake) as client:
        reply = client.post("/api/chat", json={"message": "  Wat is de Wlz?  "}).json()
    url, sent = fake.received[0]
    assert url == "http://rasa-1:5005/webhooks/rest/webhook"
    assert sent == {"sender": reply["conversation_id"], "message": "Wat is de Wlz?"}
    assert reply["mode"] == "bot"
    assert reply["messages"] == [
        {
            "sender": "bot",
            "text": "De Wlz is de Wet langdurige zorg.",
            "buttons": [{"title": "Vertel meer", "payload": "/tell_more"}],
        }
    ]


def test_conversation_id_is_kept_between_turns() -> None:
    fake = FakeRasa()
    with client_for(fake) as client:
        first = client.post("/api/chat", json={"message": "hallo"}).json()
        client.post(
            "/api/chat", json={"message": "pgb", "conversation_id": first["conversation_id"]}
        )
    assert (
        fake.received[0][1]["sender"] == fake.received[1][1]["sender"] == first["conversation_id"]
    )


def test_turns_are_spread_over_several_rasa_servers() -> None:
    fake = FakeRasa()
    with client_for(fake, "http://rasa-1:5005, http://rasa-2:5005") as client:
        for _ in range(4):
            client.post("/api/chat", json={"message": "hallo", "conversation_id": "abc"})
    hosts = [httpx.URL(url).host for url, _ in fake.received]
    assert hosts == ["rasa-1", "rasa-2", "rasa-1", "rasa-2"]


@pytest.mark.parametrize("fake", [FakeRasa(fail=True), FakeRasa(status=500)])
def test_rasa_down_gives_503_in_dutch_with_phone_number(fake: FakeRasa, tmp_path) -> None:
    (tmp_path / "settings.yml").write_text(
        "zorgkantoor: {naam: Zorgkantoor Test, telefoon: 0800-1234}\n"
    )
    with client_for(fake, content_dir=tmp_path) as client:
        response = client.post("/api/chat", json={"message": "hallo"})
    assert response.status_code == 503
    assert (
        "niet bereikbaar" in response.json()["detail"] and "0800-1234" in response.json()["detail"]
    )
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "body,expected",
    [
        ({"message": "   "}, "leeg"),
        ({"message": "x" * 2001}, "te lang"),
        ({"message": 12}, "klopt niet"),
        ({}, "klopt niet"),
        ({"message": "hallo", "conversation_id": "<script>"}, "klopt niet"),
    ],
)
def test_bad_input_gets_a_dutch_422(body: dict, expected: str) -> None:
    fake = FakeRasa()
    with client_for(fake) as client:
        response = client.post("/api/chat", json=body)
    assert response.status_code == 422 and expected in response.json()["detail"]
    assert fake.received == []


def test_malformed_json_gets_a_dutch_422() -> None:
    with client_for(FakeRasa()) as client:
        response = client.post(
            "/api/chat", content=b"{niet: json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422 and "klopt niet" in response.json()["detail"]


def test_unknown_page_is_a_dutch_404() -> None:
    with client_for(FakeRasa()) as client:
        response = client.get("/bestaat-niet")
    assert response.status_code == 404 and response.json()["detail"] == "Deze pagina bestaat niet."


def test_a_saved_plan_becomes_a_link_only_when_it_points_to_our_plan_pages() -> None:
    from bot.schemas import messages_from_rasa

    prefix = "https://wegwijzer.example.nl/plan/"
    ours = [{"text": "Uw plan is bewaard."}, {"custom": {"plan": {"url": prefix + "abc"}}}]
    (message,) = messages_from_rasa(ours, plan_prefix=prefix)
    assert message.link.url == prefix + "abc" and message.link.title == "Open uw persoonlijk plan"
    foreign = [
        {"text": "Uw plan is bewaard."},
        {"custom": {"plan": {"url": "https://evil.example/plan/x"}}},
    ]
    assert messages_from_rasa(foreign, plan_prefix=prefix)[0].link is None


def test_the_safety_layers_numbers_become_links_to_call_on_the_message_before() -> None:
    from bot.schemas import messages_from_rasa

    replies = [
        {"text": "Bel nu 112."},
        {"custom": {"calls": [{"title": "Bel 112", "number": "112"}]}},
        {"text": "Wilt u ook met een medewerker praten?"},
        {"custom": {"topic": "crisis:medical"}},
    ]
    first, second = messages_from_rasa(replies)
    assert [c.model_dump() for c in first.calls] == [{"title": "Bel 112", "number": "112"}]
    assert second.calls is None
    odd = messages_from_rasa(
        [{"text": "Bel nu 112."}, {"custom": {"calls": [{"title": "x", "number": "tel:1"}]}}]
    )
    assert odd[0].calls == []
