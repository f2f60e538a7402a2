"""Is a person available for live chat right now? Opening hours plus an adviser online."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.staff.admin import effective_settings
from bot.store.models import StaffUser

LOCAL = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def is_open(hours: Mapping[str, str | None], moment: datetime) -> bool:
    """True within the hours for that weekday ("08:30-17:00"), in Dutch local time."""
    local = moment.astimezone(LOCAL)
    span = hours.get(WEEKDAYS[local.weekday()])
    if not span or "-" not in span:
        return False
    start, end = (time.fromisoformat(part.strip()) for part in span.split("-", 1))
    return start <= local.time() < end


def adviser_available(session: Session, settings: Settings, moment: datetime) -> bool:
    recent = moment - timedelta(seconds=settings.presence_seconds)
    found = session.scalar(select(StaffUser.id).where(StaffUser.active.is_(True), StaffUser.available.is_(True),
                                                      StaffUser.last_seen_at >= recent).limit(1))
    return found is not None


def staff_online(sessions: sessionmaker[Session], settings: Settings, moment: datetime | None = None) -> bool:
    moment = moment or datetime.now(timezone.utc)
    with sessions() as session:
        hours = effective_settings(session, settings.content_dir).get("openingstijden") or {}
        return is_open(hours, moment) and adviser_available(session, settings, moment)
