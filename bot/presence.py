"""Is a person available for live chat right now? Opening hours plus an adviser online."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.staff.admin import effective_settings
from bot.store.models import StaffUser
from contract.hours import is_open


def adviser_available(session: Session, settings: Settings, moment: datetime) -> bool:
    recent = moment - timedelta(seconds=settings.presence_seconds)
    found = session.scalar(
        select(StaffUser.id)
        .where(
            StaffUser.active.is_(True),
            StaffUser.available.is_(True),
            StaffUser.last_seen_at >= recent,
        )
        .limit(1)
    )
    return found is not None


def staff_online(
    sessions: sessionmaker[Session], settings: Settings, moment: datetime | None = None
) -> bool:
    moment = moment or datetime.now(timezone.utc)
    with sessions() as session:
        hours = effective_settings(session, settings.content_dir).get("openingstijden") or {}
        return is_open(hours, moment) and adviser_available(session, settings, moment)
