"""Rasa's SQL tracker store with healthy connections.

Rasa 3.6 creates its SQLAlchemy engine without pre-ping or recycling, so after
an idle night or a database restart the first requests fail on dead pooled
connections (a known issue in Rasa's tracker). We rebuild the engine with
pool_pre_ping (test a connection before use) and pool_recycle (replace
connections older than RECYCLE_SECONDS).
"""
from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

RECYCLE_SECONDS = int(os.environ.get("TRACKER_DB_POOL_RECYCLE", "1800"))


class PrePingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, pool_recycle=RECYCLE_SECONDS,
                                       **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
