"""Fixtures: a database per test, on SQLite and (where reachable) PostgreSQL; Redis where
reachable."""

from __future__ import annotations

import socket
import uuid

import pytest

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_database():
    try:
        import psycopg

        admin = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
            autocommit=True,
            connect_timeout=3,
        )
    except Exception as error:  # no server on a newcomer's laptop
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432 ({type(error).__name__})")
    name = f"wlz_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wlz.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'wlz.db'}"


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database only (tests that need a server they can cut off)."""
    yield from _postgres_database()


@pytest.fixture
def redis_url() -> str:
    """The local Redis (a database of the tests' own), or a clean skip on a laptop without one."""
    with socket.socket() as sock:
        sock.settimeout(1)
        if sock.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("Redis not reachable on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/4"
