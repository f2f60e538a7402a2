"""The whole assistant (action server, Rasa, web service) on spare ports, and headless Chromium
(a fixture of its own: the tests that need only the running assistant run without a browser).

Started once per test session with a fresh SQLite database and a staff account.
Screenshots go to artifacts/screenshots/ (not committed) so anyone can look.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_all  # noqa: E402  (the same start-up code as `make run`)
from helpers import CHROMIUM, CHROMIUM_ARGS, PORTS, STAFF  # noqa: E402


@dataclass
class Stack:
    base: str
    services: dict[str, run_all.Service]
    env: dict[str, str]
    logs: Path

    def restart(self, name: str, timeout: float = run_all.STARTUP_TIMEOUT) -> None:
        service = self.services[name]
        service.stop()
        service.start(self.env, log_dir=self.logs)
        deadline = time.monotonic() + timeout
        while not service.healthy():
            assert time.monotonic() < deadline, f"{name} did not come back"
            time.sleep(0.5)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The running assistant; the fault and log tests need it but no browser."""
    if not (ROOT / "models" / "wlz.tar.gz").exists():
        pytest.skip("no trained model: run `make train` first")
    busy = [name for name, port in PORTS.items() if run_all.port_in_use(port)]
    if busy:
        pytest.fail(f"ports for the browser tests are in use: {busy}")
    work = tmp_path_factory.mktemp("stack")
    base = f"http://127.0.0.1:{PORTS['web']}"
    services, env = run_all.prepare_stack(PORTS, work, {"PUBLIC_URL": base})
    for service in services:
        service.start(env, log_dir=work)
    try:
        deadline = time.monotonic() + run_all.STARTUP_TIMEOUT
        while not all(s.healthy() for s in services):
            dead = [s.name for s in services if s.process.poll() is not None]
            if dead or time.monotonic() > deadline:
                logs = "\n".join(
                    (work / f"{s.name}.log").read_text(errors="replace")[-2000:] for s in services
                )
                pytest.fail(f"the stack did not start ({dead or 'timeout'}):\n{logs}")
            time.sleep(0.5)
        subprocess.run(
            [
                str(run_all.WEB_BIN / "python"),
                "-m",
                "bot.cli",
                "add-staff",
                STAFF["username"],
                "--role",
                "adviseur",
                "--name",
                "Anne de Vries",
            ],
            cwd=ROOT,
            check=True,
            env={**env, "STAFF_PASSWORD": STAFF["password"]},
            capture_output=True,
        )
        yield Stack(base, {s.name: s for s in services}, env, work)
    finally:
        for service in reversed(services):
            service.stop()


@pytest.fixture(scope="session")
def browser(stack):
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium is not installed (make setup installs it as root: apt install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
