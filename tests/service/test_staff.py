"""The staff side: sign-in, roles, review of handoffs, audit, plans, retention and erasure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from bot import cli
from bot.main import create_app
from bot.presence import is_open
from bot.rasa_client import RasaClient
from bot.ratelimit import MemoryLimiter
from bot.settings import Settings
from bot.store import retention
from bot.store.models import (
    AuditLog,
    Conversation,
    Handoff,
    Message,
    Organisation,
    Plan,
    StaffUser,
)

TOKEN = "test-token-" + "x" * 20
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PASSWORD = "een lang wachtwoord 42"


def rasa_reply(request: httpx.Request) -> httpx.Response:
    body = request.read().decode()
    if "plan" in body:  # the bot asks a persoonlijk-plan question
        return httpx.Response(
            200,
            json=[
                {"text": "Vraag 2 van 9. Wat is belangrijk?"},
                {"custom": {"private_answer": True}},
            ],
        )
    if "Jannie" in body:  # the last plan answer: the bot repeats all answers in a summary
        return httpx.Response(
            200,
            json=[
                {"text": "Dit is uw plan:\n1. Voor wie: mama Jannie, bel 0612345678"},
                {"custom": {"private_reply": True}},
                {"text": "Wilt u het plan bewaren?"},
            ],
        )
    return httpx.Response(200, json=[{"text": "Dag! Waar kan ik u mee helpen?"}])


@pytest.fixture
def app_client(database_url: str):
    settings = Settings(
        database_url=database_url,
        internal_api_token=TOKEN,
        lockout_after_failures=3,
        public_url="https://wegwijzer.example.nl",
    )
    rasa = RasaClient(["http://rasa:5005"], 1.0, transport=httpx.MockTransport(rasa_reply))
    # https: the session cookie is Secure when the public address is
    with TestClient(create_app(settings, rasa=rasa), base_url="https://testserver") as client:
        yield client


def sessions(client: TestClient):
    return client.app.state.sessions()


def make_staff(
    client: TestClient, username: str, role: str = "adviseur", organisation: str | None = None
):
    with sessions(client) as session:
        cli.add_staff(session, username, role, PASSWORD, organisation=organisation)


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/staff/api/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def new_handoff(client: TestClient, conversation: str, **changes) -> str:
    body = {
        "conversation_id": conversation,
        "idempotency_key": f"{conversation}:0",
        "target": "zorgkantoor",
        "contact_method": "telefoon",
        "phone": "0612345678",
        "part_of_day": "middag",
        "summary": {"topics": ["ask_waiting"], "for_whom": "vader", "signals": ["wacht_te_lang"]},
        "consent": True,
    }
    body.update(changes)
    response = client.post("/internal/handoffs", json=body, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()["reference"]


def organisation_id(client: TestClient, name: str) -> int:
    with sessions(client) as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


# -- sign-in ----------------------------------------------------------------------------
def test_sign_in_sets_an_httponly_cookie_and_hashes_the_password(app_client: TestClient) -> None:
    make_staff(app_client, "anne")
    response = app_client.post("/staff/api/login", json={"username": "Anne", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    with sessions(app_client) as session:
        user = session.scalar(select(StaffUser))
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("$argon2")


FAILED = (
    "Inloggen is niet gelukt. Controleer uw gebruikersnaam en wachtwoord. Na te veel pogingen "
    "is een account 15 minuten geblokkeerd."
)


def test_wrong_password_then_lockout_even_for_the_right_one(app_client: TestClient) -> None:
    make_staff(app_client, "anne")
    for _ in range(3):  # lockout_after_failures=3 in this fixture
        wrong = app_client.post(
            "/staff/api/login", json={"username": "anne", "password": "fout wachtwoord"}
        )
        assert wrong.status_code == 401 and wrong.json()["detail"] == FAILED
    right = app_client.post("/staff/api/login", json={"username": "anne", "password": PASSWORD})
    assert right.status_code == 401 and right.json()["detail"] == FAILED
    with sessions(app_client) as session:
        assert session.scalar(select(StaffUser.locked_until)) is not None


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(app_client: TestClient) -> None:
    response = app_client.post("/staff/api/login", json={"username": "niemand", "password": "iets"})
    assert response.status_code == 401 and response.json()["detail"] == FAILED


def test_sign_in_is_limited_per_address_and_overall_before_any_password_check(
    database_url: str,
) -> None:
    settings = Settings(
        database_url=database_url,
        internal_api_token=TOKEN,
        login_rate_per_address=3,
        login_rate_total=5,
        lockout_after_failures=100,
        trusted_proxies="10.0.0.0/8",
    )
    with TestClient(
        create_app(settings), base_url="https://testserver", client=("10.0.0.2", 1)
    ) as proxy:
        proxy.app.state.limiter = MemoryLimiter(
            clock=lambda: 1_000_000.0
        )  # one window for the whole test
        with sessions(proxy) as session:
            cli.add_staff(session, "anne", "adviseur", PASSWORD)

        def attempt(address: str, password: str = "fout wachtwoord") -> int:
            return proxy.post(
                "/staff/api/login",
                json={"username": "anne", "password": password},
                headers={"X-Forwarded-For": address},
            ).status_code

        # one address spraying: stopped after three tries, even with the right password
        assert [attempt("203.0.113.1") for _ in range(3)] == [401, 401, 401]
        assert attempt("203.0.113.1", PASSWORD) == 429
        # many addresses: the overall limit holds too
        assert [attempt(f"198.51.100.{n}") for n in range(3)] == [401, 401, 429]
        refused = proxy.post(
            "/staff/api/login",
            json={"username": "anne", "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.9"},
        )
        assert (
            refused.json()["detail"]
            == "Te veel inlogpogingen. Wacht een minuut en probeer het opnieuw."
        )


def test_parallel_failures_are_all_counted(database_url: str) -> None:
    """The failure counter is one UPDATE, not read-modify-write: parallel tries cannot lose
    counts."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.staff.auth import LoginFailed, login

    settings = Settings(
        database_url=database_url, internal_api_token=TOKEN, lockout_after_failures=100
    )
    with TestClient(create_app(settings)) as client:
        with sessions(client) as session:
            cli.add_staff(session, "anne", "adviseur", PASSWORD)

        def fail(_: int) -> None:
            with pytest.raises(LoginFailed):
                login(client.app.state.sessions, settings, "anne", "fout wachtwoord")

        with ThreadPoolExecutor(6) as pool:
            list(pool.map(fail, range(12)))
        with sessions(client) as session:
            assert session.scalar(select(StaffUser.failed_logins)) == 12


def test_staff_api_needs_a_session_and_changes_need_the_csrf_token(app_client: TestClient) -> None:
    assert app_client.get("/staff/api/handoffs").status_code == 401
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    reference = new_handoff(app_client, "conv-a")
    refused = app_client.post(
        f"/staff/api/handoffs/{reference}/status", json={"status": "in_behandeling"}
    )
    assert refused.status_code == 403
    allowed = app_client.post(
        f"/staff/api/handoffs/{reference}/status", json={"status": "in_behandeling"}, headers=csrf
    )
    assert allowed.status_code == 200


def test_logout_ends_the_session(app_client: TestClient) -> None:
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    assert app_client.post("/staff/api/logout", headers=csrf).status_code == 200
    assert app_client.get("/staff/api/me").status_code == 401


def test_a_new_password_or_a_switched_off_account_ends_every_session(
    app_client: TestClient,
) -> None:
    make_staff(app_client, "beheer", role="beheerder")
    make_staff(app_client, "anne")
    anne = TestClient(app_client.app, base_url="https://testserver")
    sign_in(anne, "anne")
    admin_csrf = sign_in(app_client, "beheer")
    with sessions(app_client) as session:
        anne_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "anne"))
    switched_off = app_client.post(
        f"/staff/api/admin/users/{anne_id}", json={"active": False}, headers=admin_csrf
    )
    assert switched_off.status_code == 200 and anne.get("/staff/api/me").status_code == 401
    app_client.post(f"/staff/api/admin/users/{anne_id}", json={"active": True}, headers=admin_csrf)
    sign_in(anne, "anne")
    changed = app_client.post(
        f"/staff/api/admin/users/{anne_id}",
        json={"password": "een nieuw lang wachtwoord"},
        headers=admin_csrf,
    )
    assert changed.status_code == 200 and anne.get("/staff/api/me").status_code == 401


def test_an_idle_session_ends(app_client: TestClient) -> None:
    make_staff(app_client, "anne")
    sign_in(app_client, "anne")
    with sessions(app_client) as session:
        session.scalar(select(StaffUser)).last_seen_at = datetime.now(timezone.utc) - timedelta(
            minutes=31
        )
        session.commit()
    assert app_client.get("/staff/api/me").status_code == 401


def test_sign_ins_lockouts_and_opened_transcripts_are_in_the_audit_log(
    app_client: TestClient,
) -> None:
    make_staff(app_client, "anne")
    reference = new_handoff(app_client, "conv-audit")
    for _ in range(3):
        app_client.post(
            "/staff/api/login", json={"username": "anne", "password": "fout wachtwoord"}
        )
    with sessions(app_client) as session:
        session.scalar(select(StaffUser)).locked_until = None
        session.commit()
    sign_in(app_client, "anne")
    app_client.get(f"/staff/api/handoffs/{reference}")
    with sessions(app_client) as session:
        actions = [
            (a.actor, a.action) for a in session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]
    assert actions == [
        ("systeem", "account_aangemaakt"),
        ("anne", "inloggen_mislukt"),
        ("anne", "inloggen_mislukt"),
        ("anne", "geblokkeerd"),
        ("anne", "ingelogd"),
        ("anne", "geopend"),
    ]


def test_an_abandoned_takeover_goes_back_to_the_bot(app_client: TestClient) -> None:
    conversation = app_client.post("/api/chat", json={"message": "Hallo"}).json()["conversation_id"]
    reference = new_handoff(app_client, conversation, contact_method="chat", phone=None)
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    app_client.post(f"/staff/api/handoffs/{reference}/takeover", headers=csrf)
    assert (
        app_client.post(
            "/api/chat", json={"conversation_id": conversation, "message": "Bent u er?"}
        ).json()["mode"]
        == "human"
    )
    with sessions(app_client) as session:  # the adviser closed the portal ten minutes ago
        session.scalar(select(StaffUser)).last_seen_at = datetime.now(timezone.utc) - timedelta(
            minutes=10
        )
        session.commit()
    reply = app_client.post(
        "/api/chat", json={"conversation_id": conversation, "message": "Hallo?"}
    ).json()
    assert reply["mode"] == "bot"
    assert [m["text"] for m in reply["messages"]] == [
        "De medewerker is niet meer in het gesprek. De digitale assistent helpt u weer. "
        "Wilt u toch een mens spreken? Vraag dan opnieuw om een medewerker.",
        "Dag! Waar kan ik u mee helpen?",
    ]
    with sessions(app_client) as session:
        assert session.get(Conversation, conversation).mode == "bot"


def test_the_internal_api_is_not_reachable_through_the_public_proxy(app_client: TestClient) -> None:
    through_proxy = app_client.get(
        "/internal/organisations", headers={**AUTH, "X-Forwarded-For": "203.0.113.9"}
    )
    assert through_proxy.status_code == 404
    assert app_client.get("/internal/organisations", headers=AUTH).status_code == 200


def test_the_sample_internal_token_is_refused(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, internal_api_token="change-me-to-a-long-random-string"
    )
    with TestClient(create_app(settings)) as client:
        refused = client.get(
            "/internal/organisations",
            headers={"Authorization": "Bearer change-me-to-a-long-random-string"},
        )
    assert (
        refused.status_code == 503
        and refused.json()["detail"] == "De interne API is niet ingesteld."
    )


# -- reviewing handoffs -----------------------------------------------------------------
def test_adviser_sees_handoff_with_summary_and_redacted_transcript(app_client: TestClient) -> None:
    chat = app_client.post(
        "/api/chat", json={"message": "Ik heet Jan de Vries, mijn BSN is 111222333"}
    ).json()
    reference = new_handoff(app_client, chat["conversation_id"])
    make_staff(app_client, "anne")
    sign_in(app_client, "anne")
    listed = app_client.get("/staff/api/handoffs").json()
    assert listed["counts"]["nieuw"] == 1 and listed["handoffs"][0]["reference"] == reference
    detail = app_client.get(f"/staff/api/handoffs/{reference}").json()
    assert detail["summary"]["signals"] == ["wacht_te_lang"] and detail["for_whom"] == "vader"
    texts = [m["text"] for m in detail["transcript"]]
    assert texts[0] == "Ik heet [NAAM], mijn BSN is [BSN]"
    assert "0612345678" not in str(detail)  # contact details only on purpose


def test_an_open_handoff_after_a_crisis_sorts_first_and_names_its_category(
    app_client: TestClient,
) -> None:
    crisis = new_handoff(
        app_client, "conv-crisis", summary={"topics": [], "signals": ["urgent"], "crisis": "abuse"}
    )
    newer = new_handoff(app_client, "conv-later")
    make_staff(app_client, "anne")
    sign_in(app_client, "anne")
    rows = app_client.get("/staff/api/handoffs").json()["handoffs"]
    assert [r["reference"] for r in rows] == [crisis, newer]
    assert rows[0]["crisis"] == {
        "category": "abuse",
        "label": "Geweld, mishandeling of verwaarlozing",
    }
    assert rows[1]["crisis"] is None
    detail = app_client.get(f"/staff/api/handoffs/{crisis}").json()
    assert detail["crisis"]["label"] == "Geweld, mishandeling of verwaarlozing"


def test_an_unknown_crisis_category_is_refused(app_client: TestClient) -> None:
    body = {
        "conversation_id": "conv-x",
        "idempotency_key": "conv-x:0",
        "target": "zorgkantoor",
        "contact_method": "telefoon",
        "phone": "0612345678",
        "consent": True,
        "summary": {"crisis": "iets anders"},
    }
    assert app_client.post("/internal/handoffs", json=body, headers=AUTH).status_code == 422


def test_revealing_contact_details_is_written_to_the_audit_log(app_client: TestClient) -> None:
    reference = new_handoff(app_client, "conv-b")
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    shown = app_client.post(f"/staff/api/handoffs/{reference}/contact", headers=csrf).json()
    assert shown["phone"] == "0612345678" and shown["part_of_day"] == "middag"
    with sessions(app_client) as session:
        entry = session.scalar(select(AuditLog).where(AuditLog.action == "contact_getoond"))
    assert (
        entry.actor == "anne"
        and entry.handoff_id is not None
        and "0612345678" not in (entry.detail or "")
    )


def test_status_follows_the_allowed_transitions(app_client: TestClient) -> None:
    reference = new_handoff(app_client, "conv-c")
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    url = f"/staff/api/handoffs/{reference}/status"
    assert app_client.post(url, json={"status": "afgerond"}, headers=csrf).status_code == 409
    assert (
        app_client.post(url, json={"status": "in_behandeling"}, headers=csrf).json()["status"]
        == "in_behandeling"
    )
    assert app_client.post(url, json={"status": "afgerond"}, headers=csrf).status_code == 200
    assert app_client.post(url, json={"status": "nieuw"}, headers=csrf).status_code == 409
    assert app_client.post(url, json={"status": "gesloten"}, headers=csrf).status_code == 422
    filtered = app_client.get("/staff/api/handoffs", params={"status": "afgerond"}).json()
    assert [h["reference"] for h in filtered["handoffs"]] == [reference]
    assert filtered["counts"] == {"nieuw": 0, "in_behandeling": 0, "afgerond": 1, "doorverwezen": 0}


def test_notes_and_assignment(app_client: TestClient) -> None:
    reference = new_handoff(app_client, "conv-d")
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    assert (
        app_client.post(
            f"/staff/api/handoffs/{reference}/notes", json={"text": "  "}, headers=csrf
        ).status_code
        == 422
    )
    app_client.post(
        f"/staff/api/handoffs/{reference}/notes", json={"text": "Dochter belt terug"}, headers=csrf
    )
    app_client.post(f"/staff/api/handoffs/{reference}/assign", json={}, headers=csrf)
    detail = app_client.get(f"/staff/api/handoffs/{reference}").json()
    assert detail["notes"][0]["text"] == "Dochter belt terug" and detail["assigned_to"] is not None


def test_oco_partner_sees_only_handoffs_to_their_organisation(app_client: TestClient) -> None:
    organisations = app_client.get("/internal/organisations", headers=AUTH).json()["organisations"]
    mine, other = organisations[0], organisations[1]
    to_mine = new_handoff(app_client, "conv-e", target="oco", organisation_id=mine["id"])
    to_other = new_handoff(app_client, "conv-f", target="oco", organisation_id=other["id"])
    to_office = new_handoff(app_client, "conv-g")
    make_staff(app_client, "mee1", role="oco", organisation=mine["name"])
    sign_in(app_client, "mee1")
    seen = [h["reference"] for h in app_client.get("/staff/api/handoffs").json()["handoffs"]]
    assert seen == [to_mine]
    assert app_client.get(f"/staff/api/handoffs/{to_other}").status_code == 404
    assert app_client.get(f"/staff/api/handoffs/{to_office}").status_code == 404


def test_visibility_matrix_each_role_sees_only_handoffs_sent_to_it(app_client: TestClient) -> None:
    organisations = app_client.get("/internal/organisations", headers=AUTH).json()["organisations"]
    mee, other = organisations[0], organisations[1]
    handoffs = {
        "zorgkantoor": new_handoff(app_client, "conv-m1"),
        "oco_mee": new_handoff(app_client, "conv-m2", target="oco", organisation_id=mee["id"]),
        "oco_other": new_handoff(app_client, "conv-m3", target="oco", organisation_id=other["id"]),
        # no organisation chosen: the consent named the zorgkantoor, which refers on
        "oco_unchosen": new_handoff(app_client, "conv-m4", target="oco"),
    }
    make_staff(app_client, "adviseur1")
    make_staff(app_client, "beheer1", role="beheerder")
    make_staff(app_client, "mee1", role="oco", organisation=mee["name"])
    expected = {
        "adviseur1": {"zorgkantoor", "oco_unchosen"},
        "beheer1": {"zorgkantoor", "oco_unchosen"},
        "mee1": {"oco_mee"},
    }
    for username, allowed in expected.items():
        sign_in(app_client, username)
        listed = {h["reference"] for h in app_client.get("/staff/api/handoffs").json()["handoffs"]}
        assert listed == {handoffs[kind] for kind in allowed}, username
        for kind, reference in handoffs.items():
            opened = app_client.get(f"/staff/api/handoffs/{reference}").status_code
            assert opened == (200 if kind in allowed else 404), (username, kind)


def test_a_recipient_sees_the_transcript_up_to_consent_and_only_its_own_live_chat(
    app_client: TestClient,
) -> None:
    mee = app_client.get("/internal/organisations", headers=AUTH).json()["organisations"][0]
    conversation = app_client.post("/api/chat", json={"message": "Hallo"}).json()["conversation_id"]
    to_mee = new_handoff(app_client, conversation, target="oco", organisation_id=mee["id"])
    app_client.post(
        "/api/chat", json={"conversation_id": conversation, "message": "Na de eerste overdracht"}
    )
    to_office = new_handoff(app_client, conversation, idempotency_key=f"{conversation}:1")
    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    assert (
        app_client.post(f"/staff/api/handoffs/{to_office}/takeover", headers=csrf).status_code
        == 200
    )
    app_client.post(
        "/api/chat",
        json={"conversation_id": conversation, "message": "Alleen voor het zorgkantoor"},
    )
    office = [
        m["text"] for m in app_client.get(f"/staff/api/handoffs/{to_office}").json()["transcript"]
    ]
    assert office == [
        "Hallo",
        "Dag! Waar kan ik u mee helpen?",
        "Na de eerste overdracht",
        "Dag! Waar kan ik u mee helpen?",
        "Een medewerker van het zorgkantoor praat nu met u mee.",
        "Alleen voor het zorgkantoor",
    ]

    make_staff(app_client, "mee1", role="oco", organisation=mee["name"])
    mee_csrf = sign_in(app_client, "mee1")
    seen = app_client.get(f"/staff/api/handoffs/{to_mee}").json()
    assert [m["text"] for m in seen["transcript"]] == ["Hallo", "Dag! Waar kan ik u mee helpen?"]
    assert seen["mode"] == "bot"  # the live chat is the zorgkantoor's, not shown here as live
    for action in ("takeover", "release"):
        assert (
            app_client.post(f"/staff/api/handoffs/{to_mee}/{action}", headers=mee_csrf).status_code
            == 409
        )
    assert app_client.get(f"/staff/api/handoffs/{to_mee}/events").status_code == 409


def test_an_oco_supporter_taking_over_is_introduced_as_independent(app_client: TestClient) -> None:
    mine = app_client.get("/internal/organisations", headers=AUTH).json()["organisations"][0]
    reference = new_handoff(app_client, "conv-oco-live", target="oco", organisation_id=mine["id"])
    make_staff(app_client, "mee2", role="oco", organisation=mine["name"])
    csrf = sign_in(app_client, "mee2")
    assert (
        app_client.post(f"/staff/api/handoffs/{reference}/takeover", headers=csrf).status_code
        == 200
    )
    notice = app_client.get(f"/staff/api/handoffs/{reference}").json()["transcript"][-1]["text"]
    assert notice == f"Een onafhankelijke cliëntondersteuner van {mine['name']} praat nu met u mee."


def test_filters_by_age_and_target(app_client: TestClient) -> None:
    old = new_handoff(app_client, "conv-h")
    recent_one = new_handoff(app_client, "conv-i")
    with sessions(app_client) as session:
        row = session.scalar(select(Handoff).where(Handoff.reference == old))
        row.created_at = datetime.now(timezone.utc) - timedelta(days=10)
        session.commit()
    make_staff(app_client, "anne")
    sign_in(app_client, "anne")
    recent = app_client.get("/staff/api/handoffs", params={"max_age_days": 5}).json()["handoffs"]
    assert [h["reference"] for h in recent] == [recent_one]
    office = app_client.get("/staff/api/handoffs", params={"target": "zorgkantoor"}).json()[
        "handoffs"
    ]
    assert [h["reference"] for h in office] == [recent_one, old] and office[1]["age_days"] == 10
    assert app_client.get("/staff/api/handoffs", params={"target": "oco"}).json()["handoffs"] == []


# -- plans ------------------------------------------------------------------------------
def plan_body(conversation: str = "conv-p") -> dict:
    return {
        "conversation_id": conversation,
        "answers": {
            "voor_wie": "voor mijn moeder",
            "belangrijk": "<script>alert(1)</script> haar kat",
            "dag": None,
        },
        "labels": {
            "voor_wie": "Voor wie",
            "belangrijk": "Wat belangrijk is",
            "dag": "Een gewone dag",
        },
    }


def test_plan_is_stored_and_printable_by_its_link_with_escaped_text(app_client: TestClient) -> None:
    created = app_client.post("/internal/plans", json=plan_body(), headers=AUTH).json()
    assert created["url"].startswith("https://wegwijzer.example.nl/plan/")
    page = app_client.get(created["url"].removeprefix("https://wegwijzer.example.nl"))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "voor mijn moeder" in page.text and "Niet ingevuld." in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "@media print" in page.text
    assert app_client.get("/plan/bestaat-niet").status_code == 404


def test_plan_attaches_to_a_handoff_of_the_same_conversation_only(app_client: TestClient) -> None:
    plan_id = app_client.post("/internal/plans", json=plan_body("conv-p"), headers=AUTH).json()[
        "id"
    ]
    own = new_handoff(app_client, "conv-p", plan_id=str(plan_id))
    foreign = new_handoff(app_client, "conv-q", plan_id=str(plan_id))
    make_staff(app_client, "anne")
    sign_in(app_client, "anne")
    assert (
        app_client.get(f"/staff/api/handoffs/{own}").json()["plan"]["answers"]["voor_wie"]
        == "voor mijn moeder"
    )
    assert app_client.get(f"/staff/api/handoffs/{foreign}").json()["plan"] is None


def test_plan_answers_are_not_kept_in_the_transcript(app_client: TestClient) -> None:
    first = app_client.post("/api/chat", json={"message": "ik wil een plan maken"}).json()
    conversation = first["conversation_id"]
    app_client.post(
        "/api/chat",
        json={"conversation_id": conversation, "message": "Mijn kleinkinderen, Piet en Ans"},
    )
    with sessions(app_client) as session:
        texts = list(
            session.scalars(
                select(Message.text_redacted).where(Message.sender == "user").order_by(Message.id)
            )
        )
    assert texts == ["ik wil een plan maken", "[antwoord voor het persoonlijk plan, niet bewaard]"]


def test_the_plan_summary_is_shown_to_the_citizen_but_never_stored(app_client: TestClient) -> None:
    first = app_client.post("/api/chat", json={"message": "ik wil een plan maken"}).json()
    conversation = first["conversation_id"]
    reply = app_client.post(
        "/api/chat",
        json={
            "conversation_id": conversation,
            "message": "mama Jannie heeft dementie, bel 0612345678",
        },
    ).json()
    assert (
        reply["messages"][0]["text"] == "Dit is uw plan:\n1. Voor wie: mama Jannie, bel 0612345678"
    )
    assert "private" not in reply["messages"][0]
    with sessions(app_client) as session:
        stored = list(
            session.scalars(
                select(Message.text_redacted)
                .where(Message.conversation_id == conversation)
                .order_by(Message.id)
            )
        )
    assert "Jannie" not in " ".join(stored)
    assert stored[-2:] == [
        "[overzicht van het persoonlijk plan, niet bewaard]",
        "Wilt u het plan bewaren?",
    ]


def test_plan_answers_that_are_too_long_are_refused_in_dutch(app_client: TestClient) -> None:
    body = plan_body()
    body["answers"]["dag"] = "x" * 2001
    response = app_client.post("/internal/plans", json=body, headers=AUTH)
    assert response.status_code == 422 and "te lang" in response.json()["detail"]


# -- retention and erasure --------------------------------------------------------------
@pytest.fixture
def tracker(tmp_path) -> retention.TrackerEvents:
    """Rasa's events table as its SQL tracker store makes it, with rows of three conversations."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    old = (datetime.now(timezone.utc) - timedelta(days=40)).timestamp()
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR, "
                "type_name VARCHAR, timestamp FLOAT, intent_name VARCHAR, "
                "action_name VARCHAR, data TEXT)"
            )
        )
        for sender, at in (
            ("conv-old", old),
            ("conv-open", old),
            ("conv-new", datetime.now().timestamp()),
        ):
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', :t, '{}')"
                ),
                {"s": sender, "t": at},
            )
    engine.dispose()
    return retention.TrackerEvents(url)


def tracker_senders(events: retention.TrackerEvents) -> list[str]:
    engine = create_engine(events.url)
    with engine.connect() as connection:
        senders = sorted(r[0] for r in connection.execute(text("SELECT sender_id FROM events")))
    engine.dispose()
    return senders


def test_purge_deletes_what_is_older_than_the_retention_period_but_keeps_open_handoffs(
    app_client: TestClient, tracker
) -> None:
    app_client.post("/internal/plans", json=plan_body("conv-old"), headers=AUTH)
    done = new_handoff(app_client, "conv-old")
    new_handoff(app_client, "conv-open")  # nobody has acted on it yet
    new_handoff(app_client, "conv-new")
    with sessions(app_client) as session:
        session.scalar(select(Handoff).where(Handoff.reference == done)).status = "afgerond"
        for old in ("conv-old", "conv-open"):
            session.get(Conversation, old).created_at = datetime.now(timezone.utc) - timedelta(
                days=31
            )
        session.commit()
        counted = retention.purge(session, 30, tracker)
    assert counted == {"conversations": 1, "handoffs": 1, "kept_open": 1, "tracker_events": 1}
    with sessions(app_client) as session:
        assert sorted(c.id for c in session.scalars(select(Conversation))) == [
            "conv-new",
            "conv-open",
        ]
        assert session.scalars(select(Plan)).all() == []
    assert tracker_senders(tracker) == ["conv-new", "conv-open"]


def test_purge_and_erase_refuse_clearly_without_the_tracker_database(
    app_client: TestClient, tmp_path
) -> None:
    reference = new_handoff(app_client, "conv-x")
    with pytest.raises(retention.TrackerUnavailable, match="niet ingesteld"):
        retention.TrackerEvents("")
    missing = retention.TrackerEvents(f"sqlite:///{tmp_path / 'leeg.db'}")
    with sessions(app_client) as session:
        session.get(Conversation, "conv-x").created_at = datetime.now(timezone.utc) - timedelta(
            days=31
        )
        session.commit()
        with pytest.raises(retention.TrackerUnavailable, match="geen tabel 'events'"):
            retention.purge(session, 30, missing)
        with pytest.raises(retention.TrackerUnavailable):
            retention.erase(session, reference, missing)
    with sessions(app_client) as session:  # nothing was deleted: a second try still finds it all
        assert session.get(Conversation, "conv-x") is not None
        assert session.scalar(select(Handoff).where(Handoff.reference == reference)) is not None


def test_the_cli_says_what_is_wrong_and_deletes_nothing(
    app_client: TestClient, tmp_path, capsys
) -> None:
    settings = Settings(
        database_url=app_client.app.state.settings.database_url,
        rasa_tracker_db_url=f"sqlite:///{tmp_path / 'leeg.db'}",
    )
    assert cli.main(["purge"], settings=settings) == 2
    assert "Er is niets verwijderd." in capsys.readouterr().err


def test_erase_by_reference_removes_one_person_only(app_client: TestClient, tracker) -> None:
    app_client.post("/api/chat", json={"conversation_id": "conv-old", "message": "hallo"})
    reference = new_handoff(app_client, "conv-old")
    new_handoff(app_client, "conv-new")
    with sessions(app_client) as session:
        assert retention.erase(session, reference.lower(), tracker)
        assert not retention.erase(session, "WLZ-0000-00", tracker)
    with sessions(app_client) as session:
        assert session.get(Conversation, "conv-old") is None
        assert (
            session.scalars(select(Message).where(Message.conversation_id == "conv-old")).all()
            == []
        )
        assert [h.conversation_id for h in session.scalars(select(Handoff))] == ["conv-new"]
    assert tracker_senders(tracker) == ["conv-new", "conv-open"]


def test_a_citizen_wipes_their_conversation_without_a_reference(
    app_client: TestClient, tracker
) -> None:
    conversation = "conv-old"  # the fixture's tracker holds events of this sender
    app_client.post("/api/chat", json={"conversation_id": conversation, "message": "hallo"})
    app_client.post("/internal/plans", json=plan_body(conversation), headers=AUTH)
    new_handoff(app_client, conversation)
    app_client.app.state.settings.rasa_tracker_db_url = tracker.url
    assert app_client.post("/api/chat/erase", json={"conversation_id": conversation}).json() == {
        "deleted": True
    }
    with sessions(app_client) as session:
        assert session.get(Conversation, conversation) is None
        assert (
            session.scalars(select(Plan)).all() == []
            and session.scalars(select(Handoff)).all() == []
        )
    assert tracker_senders(tracker) == ["conv-new", "conv-open"]


def test_wiping_fails_whole_when_rasas_record_cannot_be_reached(
    app_client: TestClient, tmp_path
) -> None:
    app_client.post("/api/chat", json={"conversation_id": "conv-keep", "message": "hallo"})
    app_client.app.state.settings.rasa_tracker_db_url = f"sqlite:///{tmp_path / 'leeg.db'}"
    refused = app_client.post("/api/chat/erase", json={"conversation_id": "conv-keep"})
    assert refused.status_code == 503 and refused.json()["detail"] == (
        "Wissen lukt nu niet. Er is niets gewist. Probeer het later nog eens."
    )
    with sessions(app_client) as session:
        assert session.get(Conversation, "conv-keep") is not None


def test_cli_refuses_a_short_password_and_an_oco_user_without_organisation(
    app_client: TestClient,
) -> None:
    with sessions(app_client) as session:
        with pytest.raises(ValueError, match="12 tekens"):
            cli.add_staff(session, "kort", "adviseur", "kort")
        with pytest.raises(ValueError, match="organisatie"):
            cli.add_staff(session, "mee2", "oco", PASSWORD)


# -- presence ---------------------------------------------------------------------------
HOURS = {"maandag": "08:30-17:00", "zaterdag": None}


@pytest.mark.parametrize(
    "moment,expected",
    [
        (datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), True),  # monday 10:00 in Amsterdam
        (datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc), False),  # monday 08:00 in Amsterdam
        (datetime(2026, 11, 23, 16, 0, tzinfo=timezone.utc), False),  # monday 17:00: closed
        (datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc), False),  # saturday
    ],
)
def test_opening_hours_in_dutch_time(moment: datetime, expected: bool) -> None:
    assert is_open(HOURS, moment) is expected


def test_live_chat_is_offered_only_when_an_adviser_is_available(app_client: TestClient) -> None:
    from bot.presence import adviser_available

    settings = app_client.app.state.settings
    now = datetime.now(timezone.utc)
    make_staff(app_client, "anne")
    with sessions(app_client) as session:
        assert not adviser_available(session, settings, now)
    csrf = sign_in(app_client, "anne")
    assert app_client.post("/staff/api/presence", json={"available": True}, headers=csrf).json()[
        "available"
    ]
    with sessions(app_client) as session:
        assert adviser_available(session, settings, now)
        assert not adviser_available(
            session, settings, now + timedelta(seconds=settings.presence_seconds + 5)
        )


def test_a_live_stream_ends_once_the_session_is_gone(app_client: TestClient) -> None:
    import asyncio
    from types import SimpleNamespace

    from bot.staff.api import while_signed_in
    from bot.staff.auth import COOKIE

    make_staff(app_client, "anne")
    csrf = sign_in(app_client, "anne")
    request = SimpleNamespace(app=app_client.app, cookies={COOKIE: app_client.cookies.get(COOKIE)})

    async def endless():
        while True:
            yield ": nog verbonden\n\n"

    async def count(limit: int = 5) -> int:
        seen = 0
        async for _ in while_signed_in(request, endless(), every=0):
            seen += 1
            if seen == limit:
                break
        return seen

    assert asyncio.run(count()) == 5  # signed in: the stream goes on
    app_client.post("/staff/api/logout", headers=csrf)
    assert asyncio.run(count()) == 0  # signed out: it ends at the next check
