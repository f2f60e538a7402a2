"""Where the zorgkantoor's content lives, for every process: the web service, the action server
and the redactor in Rasa's tracker store. One environment variable, CONTENT_DIR, moves it for
all of them (a zorgkantoor's own texts, care providers and settings)."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_CONTENT = Path(__file__).resolve().parent.parent / "content"


def content_dir() -> Path:
    return Path(os.environ.get("CONTENT_DIR") or REPOSITORY_CONTENT)
