"""Beheer and the learning loop: editable settings, accounts, the OCO directory, corrections,
figures."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from bot import cli
from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.staff.insights import weekly_figures

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-" + "z" * 20
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PASSWORD = "een lang wachtwoord 42"


def rasa(request: httpx.Request) -> httpx.Response:
    said = request.read().decode()
    if "hond" in said:
        return httpx.Response(
            200, json=[{"text": "Dat begreep ik niet."}, {"custom": {"topic": "nlu_fallback"}}]
        )
    if "keuzehulp klaar" in said:
        return httpx.Response(
            200,
            json=[
                {"text": "Klaar."},
                {"custom": {"topic": "flow_done:choice_aid", "signals": ["wacht_te_lang"]}},
            ],
        )
    return httpx.Response(
        200, json=[{"text": "Een pgb is een budget."}, {"custom": {"topic": "ask_pgb_what"}}]
    )


@pytest.fixture
def client(database_url: str):
    settings = Settings(database_url=database_url, internal_api_token=TOKEN)
    with TestClient(
        create_app(
            settings, rasa=RasaClient(["http://r"], 1.0, transport=httpx.MockTransport(rasa))
        )
    ) as c:
        yield c


def sign_in(
    client: TestClient, username: str, role: str = "beheerder", organisation: str | None = None
) -> dict:
    with client.app.state.sessions() as session:
        cli.add_staff(session, username, role, PASSWORD, organisation=organisation)
    token = client.post(
        "/staff/api/login", json={"username": username, "password": PASSWORD}
    ).json()["csrf_token"]
    return {"X-CSRF-Token": token}


def test_beheerder_changes_the_phone_number_everywhere_it_is_used(client: TestClient) -> None:
    csrf = sign_in(client, "beheer")
    refused = client.put(
        "/staff/api/admin/settings",
        headers=csrf,
        json={"values": {"zorgkantoor.telefoon": "bel ons", "openingstijden.maandag": "9 tot 5"}},
    )
    assert refused.status_code == 422 and "telefoonnummer" in refused.json()["detail"]
    assert "openingstijden.maandag: Gebruik de vorm 08:30-17:00" in refused.json()["detail"]
    ok = client.put(
        "/staff/api/admin/settings",
        headers=csrf,
        json={
            "values": {
                "zorgkantoor.telefoon": "0800-7654321",
                "openingstijden.zaterdag": "10:00-12:00",
            }
        },
    )
    assert ok.status_code == 200
    values = client.get("/staff/api/admin/settings").json()["values"]
    assert (
        values["zorgkantoor.telefoon"] == "0800-7654321"
        and values["openingstijden.zaterdag"] == "10:00-12:00"
    )
    for_actions = client.get("/internal/settings", headers=AUTH).json()
    assert for_actions["zorgkantoor"]["telefoon"] == "0800-7654321"
    assert for_actions["zorgkantoor"]["naam"]  # the file's other values stay
    # the audit log says what was there before and what came instead (review Medium 11)
    from sqlalchemy import select

    from bot.store.models import AuditLog

    with client.app.state.sessions() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "instellingen")).all()[-1]
    assert "openingstijden.zaterdag: '' -> '10:00-12:00'" in entry.detail
    assert "zorgkantoor.telefoon: '" in entry.detail and "-> '0800-7654321'" in entry.detail


def test_only_a_beheerder_may_administer(client: TestClient) -> None:
    csrf = sign_in(client, "anne", role="adviseur")
    assert client.get("/staff/api/admin/settings").status_code == 403
    assert (
        client.post(
            "/staff/api/admin/users",
            headers=csrf,
            json={"username": "x1", "display_name": "X", "role": "adviseur", "password": PASSWORD},
        ).status_code
        == 403
    )
    assert client.get("/staff/api/training-export").status_code == 403


def test_accounts_are_created_deactivated_and_reset(client: TestClient) -> None:
    csrf = sign_in(client, "beheer")
    created = client.post(
        "/staff/api/admin/users",
        headers=csrf,
        json={"username": "bram", "display_name": "Bram", "role": "adviseur", "password": PASSWORD},
    ).json()
    assert (
        client.post(
            "/staff/api/admin/users",
            headers=csrf,
            json={
                "username": "bram",
                "display_name": "Bram",
                "role": "adviseur",
                "password": PASSWORD,
            },
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/staff/api/admin/users",
            headers=csrf,
            json={"username": "mee", "display_name": "M", "role": "oco", "password": PASSWORD},
        ).status_code
        == 422
    )
    client.post(f"/staff/api/admin/users/{created['id']}", headers=csrf, json={"active": False})
    other = TestClient(client.app)
    assert (
        other.post("/staff/api/login", json={"username": "bram", "password": PASSWORD}).status_code
        == 401
    )


def test_oco_directory_is_editable(client: TestClient) -> None:
    csrf = sign_in(client, "beheer")
    made = client.post(
        "/staff/api/admin/organisations",
        headers=csrf,
        json={"name": "MEE Testregio", "regions": ["Utrecht"], "phone": "030-1234567"},
    ).json()
    client.post(
        "/staff/api/admin/organisations",
        headers=csrf,
        params={"organisation_id": made["id"]},
        json={"name": "MEE Testregio", "regions": ["Utrecht"], "active": False},
    )
    names = [
        o["name"]
        for o in client.get("/internal/organisations", headers=AUTH).json()["organisations"]
    ]
    assert "MEE Testregio" not in names  # inactive: not offered in the handoff


def test_corrections_become_training_data(client: TestClient) -> None:
    conversation = client.post(
        "/api/chat", json={"message": "mag de hond mee naar het verpleeghuis"}
    ).json()
    cid = conversation["conversation_id"]
    reference = client.post(
        "/internal/handoffs",
        headers=AUTH,
        json={
            "conversation_id": cid,
            "idempotency_key": "k1",
            "target": "zorgkantoor",
            "contact_method": "email",
            "email": "a@b.nl",
            "consent": True,
        },
    ).json()["reference"]
    csrf = sign_in(client, "beheer")
    transcript = client.get(f"/staff/api/handoffs/{reference}").json()["transcript"]
    asked = next(m for m in transcript if m["sender"] == "user")
    bot_line = next(m for m in transcript if m["sender"] == "bot")
    assert (
        client.post(
            f"/staff/api/messages/{asked['id']}/correction",
            headers=csrf,
            json={"intent": "bestaat_niet"},
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/staff/api/messages/{bot_line['id']}/correction",
            headers=csrf,
            json={"intent": "ask_care_office"},
        ).status_code
        == 404
    )
    client.post(
        f"/staff/api/messages/{asked['id']}/correction",
        headers=csrf,
        json={"intent": "out_of_scope"},
    )
    exported = client.get("/staff/api/training-export")
    data = yaml.safe_load(exported.text)
    assert data["nlu"] == [
        {"intent": "out_of_scope", "examples": "- mag de hond mee naar het verpleeghuis\n"}
    ]


def test_corrections_offer_only_intents_that_learn_from_typed_examples(client: TestClient) -> None:
    sign_in(client, "beheer")
    offered = {i["name"] for i in client.get("/staff/api/intents").json()["intents"]}
    trained = {
        block["intent"]
        for path in (ROOT / "data" / "nlu").glob("*.yml")
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
        if "intent" in block
    }
    assert {"ask_route", "ask_client_support", "out_of_scope"} <= offered
    assert offered <= trained  # e.g. start_route_guide is reached by its button only


def test_weekly_figures_are_counts_without_text(client: TestClient) -> None:
    for text in ("wat is een pgb", "mag de hond mee", "keuzehulp klaar"):
        client.post("/api/chat", json={"message": text})
    sign_in(client, "beheer")
    (week,) = client.get("/staff/api/dashboard").json()["weeks"]
    assert week["messages"] == 3 and week["fallback_rate"] == pytest.approx(1 / 3, abs=0.001)
    assert ["ask_pgb_what", 1] in week["topics"] and week["signals"] == {"wacht_te_lang": 1}
    assert week["active_approach"] == 1
    assert "hond" not in str(week)


def test_weekly_figures_count_crisis_contacts_per_category_apart_from_topics() -> None:
    from datetime import datetime, timezone

    monday = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
    (week,) = weekly_figures(
        [
            (monday, "crisis:medical", None),
            (monday, "crisis:medical", None),
            (monday, "crisis:abuse", None),
            (monday, "ask_waiting", None),
        ],
        [],
    )
    assert week["crisis"] == {"medical": 2, "abuse": 1}
    assert week["topics"] == [("ask_waiting", 1)]


def test_the_figures_page_gets_the_crisis_categories_in_dutch(client: TestClient) -> None:
    sign_in(client, "beheer")
    labels = client.get("/staff/api/dashboard").json()["crisis_labels"]
    assert labels["suicide"] == "Gedachten aan zelfdoding" and len(labels) == 6


def test_weekly_figures_split_by_iso_week() -> None:
    from datetime import datetime, timezone

    monday = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
    sunday = datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
    weeks = weekly_figures(
        [(monday, "ask_waiting", None), (sunday, "nlu_fallback", None)],
        [(monday, "oco", {"signals": ["urgent"]})],
    )
    assert [w["week"] for w in weeks] == ["2026-W48", "2026-W47"]
    assert weeks[0]["handoffs"] == {"oco": 1} and weeks[0]["handoff_reasons"] == {"urgent": 1}
    assert weeks[1]["fallback_rate"] == 1.0
