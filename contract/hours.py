"""Opening hours as a zorgkantoor writes them ("08:30-17:00" per weekday), in Dutch local time."""

from __future__ import annotations

from datetime import datetime, time
from typing import Mapping
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def is_open(hours: Mapping[str, str | None], moment: datetime) -> bool:
    """True within the hours for that weekday, in Dutch local time; a day without hours is
    closed."""
    local = moment.astimezone(LOCAL)
    span = hours.get(WEEKDAYS[local.weekday()])
    if not span or "-" not in span:
        return False
    start, end = (time.fromisoformat(part.strip()) for part in span.split("-", 1))
    return start <= local.time() < end
