"""Where a benchmark's figures come from: the commit they were measured on."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    """The short commit id, and whether the tree had changes not yet committed."""
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    return (found.stdout.strip() or "unknown") + (
        " (with uncommitted changes)" if dirty.strip() else ""
    )
