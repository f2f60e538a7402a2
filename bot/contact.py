"""The zorgkantoor's contact details, from the editable content/settings.yml."""
from __future__ import annotations

from pathlib import Path

import yaml


def contact_details(content_dir: Path) -> dict[str, str]:
    path = content_dir / "settings.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    office = (data or {}).get("zorgkantoor") or {}
    return {"naam": str(office.get("naam", "het zorgkantoor")),
            "telefoon": str(office.get("telefoon", "")),
            "email": str(office.get("email", ""))}


def unavailable_message(content_dir: Path) -> str:
    details = contact_details(content_dir)
    text = "De digitale assistent is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
    if details["telefoon"]:
        text += f" Of bel {details['naam']}: {details['telefoon']}."
    return text
