"""Property-based tests of the public API from its OpenAPI description (schemathesis, bounded)."""

from __future__ import annotations

import tempfile

import httpx
import pytest
import schemathesis
import sqlalchemy
from hypothesis import HealthCheck, settings

from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.settings import Settings


def reply(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"text": "Dank u voor uw vraag."}])


WORK = tempfile.mkdtemp()
TRACKER = f"sqlite:///{WORK}/rasa_tracker.db"
with sqlalchemy.create_engine(
    TRACKER
).begin() as connection:  # Rasa's events table, as its SQL store makes it
    connection.execute(
        sqlalchemy.text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR, "
            "type_name VARCHAR, timestamp FLOAT, intent_name VARCHAR, "
            "action_name VARCHAR, data TEXT)"
        )
    )
APP = create_app(
    Settings(
        database_url=f"sqlite:///{WORK}/wlz.db",
        internal_api_token="t" * 32,
        rate_per_client=1_000_000,
        rate_per_conversation=1_000_000,
        rasa_tracker_db_url=TRACKER,
    ),
    rasa=RasaClient(["http://rasa"], 1.0, transport=httpx.MockTransport(reply)),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def started_app():
    from fastapi.testclient import TestClient

    with TestClient(APP):  # runs the lifespan: migrations and organisations
        yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_schema(case) -> None:
    response = case.call()
    assert response.status_code < 500, (
        case.method,
        case.path,
        response.status_code,
        response.text[:300],
    )
    if response.status_code < 400:
        case.validate_response(response)
