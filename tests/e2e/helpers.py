"""Shared by the browser tests: where things are, screenshots, the axe-core scan."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "artifacts" / "screenshots"
PORTS = {"actions": 15055, "rasa": 15005, "web": 18000}
STAFF = {"username": "anne", "password": "e2e-wachtwoord-" + secrets.token_hex(4)}


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page, by axe-core."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: """
        """['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
