"""Seeds the OCO directory from content/organisations.yml (edited by the zorgkantoor)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Organisation


def sync_organisations(sessions: sessionmaker[Session], path: Path) -> None:
    """Add organisations from the file that the database does not have yet (by name)."""
    if not path.exists():
        return
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("organisaties", [])
    with sessions() as session:
        known = set(session.scalars(select(Organisation.name)).all())
        for entry in entries:
            if entry["naam"] not in known:
                session.add(
                    Organisation(
                        name=entry["naam"],
                        kind=entry.get("soort", "oco"),
                        regions=entry.get("regios", []),
                        phone=entry.get("telefoon"),
                        email=entry.get("email"),
                        website=entry.get("website"),
                        active=entry.get("actief", True),
                    )
                )
        session.commit()
