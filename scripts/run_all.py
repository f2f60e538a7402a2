"""Start the whole assistant locally: action server, Rasa and the web service.

Waits until all three answer, prints the chat URL, and on Ctrl-C (or SIGTERM)
stops all three. Standard library only, so it runs before anything else works.
Logs go to var/log/<process>.log.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv" / "rasa" / "bin"
WEB_BIN = ROOT / ".venv" / "web" / "bin"
LOG_DIR = ROOT / "var" / "log"
STARTUP_TIMEOUT = 240  # seconds; loading TensorFlow and the model is slow on 2 cores


@dataclass
class Service:
    name: str
    command: list[str]
    port: int
    health_url: str
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str], log_dir: Path = LOG_DIR) -> None:
        log = open(log_dir / f"{self.name}.log", "ab")
        # own session: Ctrl-C reaches only us, and we stop the children in order
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def environment() -> dict[str, str]:
    env = dict(os.environ)
    # one fresh secret per run unless the operator set one
    env.setdefault("INTERNAL_API_TOKEN", secrets.token_urlsafe(32))
    if not env.get("RASA_API_TOKEN"):  # never an open Rasa API: an empty token would be one
        env["RASA_API_TOKEN"] = secrets.token_urlsafe(32)
    env.setdefault("SERVICE_URL", "http://127.0.0.1:8000")
    env.setdefault("RASA_URL", "http://127.0.0.1:5005")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


DEFAULT_PORTS = {"actions": 5055, "rasa": 5005, "web": 8000}


def services(
    env: dict[str, str], ports: dict[str, int] | None = None, endpoints: str = "endpoints.yml"
) -> list[Service]:
    """The three processes; other ports (and an endpoints file that names them) for test stacks.
    `env` is the environment they will run with (environment()): Rasa's API token comes from it."""
    ports = {**DEFAULT_PORTS, **(ports or {})}
    model = ROOT / "models" / "wlz.tar.gz"
    return [
        Service(
            "actions",
            [
                str(RASA_BIN / "python"),
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(ports["actions"]),
            ],
            ports["actions"],
            f"http://127.0.0.1:{ports['actions']}/health",
        ),
        Service(
            "rasa",
            [
                str(RASA_BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--port",
                str(ports["rasa"]),
                "--interface",
                "127.0.0.1",
                "--endpoints",
                endpoints,
                "--credentials",
                "credentials.yml",
                # the API only for the safety layer's check during a live takeover
                "--enable-api",
                "--auth-token",
                env["RASA_API_TOKEN"],
            ],
            ports["rasa"],
            f"http://127.0.0.1:{ports['rasa']}/",
        ),
        # no access log: its lines name each visitor's IP address, which is personal data
        Service(
            "web",
            [
                str(WEB_BIN / "uvicorn"),
                "bot.main:create_app",
                "--factory",
                "--no-access-log",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports["web"]),
            ],
            ports["web"],
            f"http://127.0.0.1:{ports['web']}/health",
        ),
    ]


def endpoints_text(actions_port: int, tracker_db: Path) -> str:
    """Rasa's endpoints: the action server, and the private SQL tracker store (as endpoints.yml)."""
    return (
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f"tracker_store:\n  type: dialogue_store.tracker_store.PrivateSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )


def prepare_stack(
    ports: dict[str, int], work: Path, extra_env: dict[str, str] | None = None
) -> tuple[list[Service], dict[str, str]]:
    """The three processes on other ports, with their databases in `work` (tests, benchmarks)."""
    endpoints = work / "endpoints.yml"
    endpoints.write_text(endpoints_text(ports["actions"], work / "rasa_tracker.db"))
    env = environment()
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{work / 'wlz.db'}",
            "SERVICE_URL": f"http://127.0.0.1:{ports['web']}",
            "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
            "INTERNAL_API_TOKEN": secrets.token_urlsafe(24),
            "RASA_TRACKER_DB_URL": f"sqlite:///{work / 'rasa_tracker.db'}",
            **(extra_env or {}),
        }
    )
    return services(env, ports, endpoints=str(endpoints)), env


def start_stack(
    ports: dict[str, int], work: Path, extra_env: dict[str, str] | None = None
) -> list[Service]:
    """All three processes on other ports with a database in `work` (benchmarks); logs go there
    too."""
    started, env = prepare_stack(ports, work, extra_env)
    for service in started:
        service.start(env, log_dir=work)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not all(s.healthy() for s in started):
        if time.monotonic() > deadline or any(s.process.poll() is not None for s in started):
            for service in reversed(started):
                service.stop()
            raise SystemExit(f"the stack did not start; logs in {work}")
        time.sleep(0.5)
    return started


def main() -> int:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    env = environment()
    procs = services(env)
    busy = [s for s in procs if port_in_use(s.port)]
    if busy:
        names = ", ".join(f"{s.name} ({s.port})" for s in busy)
        print(f"Port already in use: {names}. Stop whatever runs there and try again.")
        return 1

    stopping = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    for service in procs:
        service.start(env)
    print("Starting the action server, Rasa and the web service (logs in var/log/) ...")

    deadline = time.monotonic() + STARTUP_TIMEOUT
    waiting = list(procs)
    while waiting and not stopping:
        for service in list(waiting):
            if service.process.poll() is not None:
                print(f"{service.name} stopped while starting; see var/log/{service.name}.log")
                stopping = True
            elif service.healthy():
                print(f"  {service.name} is ready on port {service.port}")
                waiting.remove(service)
        if time.monotonic() > deadline:
            print("Not all parts started in time: " + ", ".join(s.name for s in waiting))
            stopping = True
        time.sleep(0.5)

    if not stopping:
        print("\nWlz-wegwijzer is running. Open http://127.0.0.1:8000 to chat.")
        print(
            "Staff portal: http://127.0.0.1:8000/staff (make an account with: "
            ".venv/web/bin/python -m bot.cli add-staff NAME --role beheerder)"
        )
        print("Press Ctrl-C to stop.")
    while not stopping:
        for service in procs:
            if service.process.poll() is not None:
                print(f"{service.name} stopped unexpectedly; see var/log/{service.name}.log")
                stopping = True
        time.sleep(0.5)

    print("Stopping ...")
    for service in reversed(procs):
        service.stop()
    print("Stopped.")
    return 0 if not waiting else 1


if __name__ == "__main__":
    sys.exit(main())
