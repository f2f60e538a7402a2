"""Load benchmark: simulated citizens against the whole assistant, loopback only.

Starts its own stack (action server, Rasa, web service) on spare ports with a
temporary database, then:

1. *think-time mode*: N citizens (default 50, and 200) each run a scripted
   conversation (questions, a guided flow) with 2-5 s between turns, through the
   web service (POST /api/chat) and straight to Rasa's REST webhook, one path after
   the other in alternating order, and prints p50/p95/p99 latency, throughput and
   errors for both,
   the overhead ratio, and the peak memory of all processes;
2. *saturation mode*: no think time, the number of simultaneous senders rises
   step by step, raw and through the service interleaved step by step; the
   saturation throughput is the rate (messages/s) at which p95 passes 1 s.

Figures, not pass/fail: the report goes to benchmarks/reports/load.md.

Usage (web environment, from the repository root, after `make train`):
    python -m benchmarks.load [--citizens 50 200] [--steps 1 2 4 8 12 16 24 32 48]
        [--step-seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_all  # noqa: E402

from benchmarks.provenance import commit  # noqa: E402

PORTS = {"actions": 25055, "rasa": 25005, "web": 28000}
SCRIPTS = [
    ["Hallo", "Wat is de Wlz?", "Vertel meer", "Hoe vraag ik een indicatie aan?", "Dank u wel"],
    [
        "Mijn moeder is dement en woont alleen",
        "Wat is een pgb?",
        "Welke taken heeft een budgethouder?",
        "Past een pgb bij mij?",
        "Ja, dat weet ik",
        "Daar wil ik hulp bij",
        "stop",
        "ja",
    ],
    [
        "Ik wil een persoonlijk plan maken",
        "Voor mijn vader",
        "Dat hij thuis kan blijven",
        "Hij leest graag de krant",
        "sla over",
        "terug",
        "waar was ik?",
        "Dank je",
    ],
    [
        "Hoe lang is de wachtlijst voor een verpleeghuis?",
        "Wat is overbruggingszorg?",
        "Welk zorgkantoor hoort bij Zwolle?",
        "Wat zijn jullie openingstijden?",
        "Doei",
    ],
    [
        "keuzehulp",
        "Ja, thuis blijven",
        "Ja",
        "Nee, bijna niemand",
        "Weet ik niet",
        "Nee",
        "Ik wacht al lang",
    ],
]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    started: float = 0.0
    ended: float = 0.0

    def summary(self) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
        seconds = max(self.ended - self.started, 1e-9)
        return {
            "messages": len(self.latencies),
            "errors": self.errors,
            "p50": pick(0.50) * 1000,
            "p95": pick(0.95) * 1000,
            "p99": pick(0.99) * 1000,
            "throughput": len(self.latencies) / seconds,
        }


class MemoryWatch:
    """Peak resident memory of the stack's processes and their children, sampled twice a second."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self.pids:
                try:
                    parent = psutil.Process(pid)
                    total += sum(
                        p.memory_info().rss for p in [parent, *parent.children(recursive=True)]
                    )
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.5)

    def stop(self) -> int:
        self._stop.set()
        return self.peak


def answered(target: str, body) -> bool:
    """A real answer: not empty, and not the service's own "no answer" fallback (sender system),
    which it gives when Rasa or the action server answered nothing."""
    if target == "service":
        messages = body.get("messages") or []
        return bool(messages) and all(m.get("sender") != "system" for m in messages)
    return any(reply.get("text") for reply in body or [])


async def send(client: httpx.AsyncClient, target: str, sender: str, text: str, run: Run) -> None:
    started = time.perf_counter()
    try:
        if target == "service":
            body = {"message": text, **({"conversation_id": sender} if sender else {})}
            response = await client.post(f"http://127.0.0.1:{PORTS['web']}/api/chat", json=body)
        else:
            response = await client.post(
                f"http://127.0.0.1:{PORTS['rasa']}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
            )
        ok = response.status_code == 200 and answered(target, response.json())
    except (httpx.HTTPError, ValueError):
        ok = False
    run.latencies.append(time.perf_counter() - started)
    if not ok:
        run.errors += 1


async def citizen(
    client: httpx.AsyncClient,
    target: str,
    number: int,
    run: Run,
    think: tuple[float, float],
    rng: random.Random,
) -> None:
    sender = f"load-{target}-{number}-{secrets.token_hex(4)}"
    await asyncio.sleep(rng.uniform(0, think[1]))  # citizens arrive spread out, not all at once
    for text in SCRIPTS[number % len(SCRIPTS)]:
        await send(client, target, sender, text, run)
        await asyncio.sleep(rng.uniform(*think))


async def think_time_mode(target: str, citizens: int) -> dict:
    run, rng = Run(), random.Random(42)
    limits = httpx.Limits(max_connections=citizens + 10, max_keepalive_connections=citizens + 10)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        run.started = time.perf_counter()
        await asyncio.gather(
            *(citizen(client, target, n, run, (2.0, 5.0), rng) for n in range(citizens))
        )
        run.ended = time.perf_counter()
    return run.summary()


async def saturation_step(target: str, senders: int, seconds: float) -> dict:
    run = Run()
    deadline = time.perf_counter() + seconds

    async def sender_loop(number: int) -> None:
        # one scripted conversation after another, each under a new id, as real visitors
        # come: one endless conversation would grow its tracker and slow every turn
        conversation = 0
        while time.perf_counter() < deadline:
            sender = f"sat-{target}-{senders}-{number}-{conversation}-{secrets.token_hex(3)}"
            for text in SCRIPTS[(number + conversation) % len(SCRIPTS)]:
                if time.perf_counter() >= deadline:
                    break
                await send(client, target, sender, text, run)
            conversation += 1

    async with httpx.AsyncClient(
        timeout=30, limits=httpx.Limits(max_connections=senders + 5)
    ) as client:
        run.started = time.perf_counter()
        await asyncio.gather(*(sender_loop(n) for n in range(senders)))
        run.ended = time.perf_counter()
    return run.summary()


def crossing(rows: list[dict], limit_ms: float = 1000.0) -> tuple[float, bool]:
    """The throughput at which p95 passes the limit, interpolated between the last step
    under it and the first step over it, and whether it passed within the steps at all
    (if not: the throughput of the last step, a lower bound)."""
    for previous, row in zip([None, *rows], rows):
        if row["p95"] <= limit_ms and not row["errors"]:
            continue
        if previous is None:
            return 0.0, True
        if row["errors"] or row["p95"] <= previous["p95"]:
            return previous["throughput"], True
        share = (limit_ms - previous["p95"]) / (row["p95"] - previous["p95"])
        return previous["throughput"] + share * (row["throughput"] - previous["throughput"]), True
    return (rows[-1]["throughput"] if rows else 0.0), False


def peak(rows: list[dict], limit_ms: float = 1000.0) -> float:
    """The highest throughput of a step that kept p95 under the limit without errors."""
    return max(
        (r["throughput"] for r in rows if r["p95"] <= limit_ms and not r["errors"]), default=0.0
    )


async def saturation(steps: list[int], seconds: float) -> dict[str, list[dict]]:
    """Rising steps for both paths, interleaved (raw then service, then service then raw, ...):
    Rasa's in-memory tracker store keeps every conversation of the run, so whichever path
    went second after the other's whole series would meet a heavier Rasa."""
    rows: dict[str, list[dict]] = {"rasa": [], "service": []}
    saturated: set[str] = set()
    for index, senders in enumerate(steps):
        for target in ("rasa", "service") if index % 2 == 0 else ("service", "rasa"):
            if target in saturated:
                continue
            result = await saturation_step(target, senders, seconds)
            result["senders"] = senders
            rows[target].append(result)
            print(
                f"  {target:8} senders {senders:3}: {result['throughput']:6.1f} msg/s, "
                f"p95 {result['p95']:7.0f} ms, errors {result['errors']}",
                flush=True,
            )
            if result["p95"] > 1000 or result["errors"]:
                saturated.add(target)
        if len(saturated) == len(rows):
            break
    return rows


def start_stack(work: Path) -> list[run_all.Service]:
    # the load comes from one address: the per-client limit is for the public internet
    return run_all.start_stack(
        PORTS, work, {"RATE_PER_CLIENT": "1000000", "RATE_PER_CONVERSATION": "1000000"}
    )


def report(think: dict, saturation_rows: dict, peaks: dict, args, minutes: float) -> str:
    arguments = (
        f"--citizens {' '.join(map(str, args.citizens))} --steps {' '.join(map(str, args.steps))} "
        f"--step-seconds {args.step_seconds:g}"
    )
    lines = [
        "# Load benchmark",
        "",
        f"Run on {date.today().isoformat()} by `python -m benchmarks.load {arguments}` "
        f"in {minutes:.0f} minutes on this machine ({os.cpu_count()} cores), commit {commit()}, "
        "loopback only, one Rasa process, one web process, SQLite. An error is a failed request, "
        "an empty reply, or the "
        'service\'s own "no answer" fallback.',
        "",
        "## Citizens with think time (2-5 s between turns; the order of the paths alternates)",
        "",
        "| citizens | path | messages | errors | p50 ms | p95 ms | p99 ms | msg/s "
        "| peak memory (all processes) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for citizens, paths in think.items():
        for path, r in paths.items():
            lines.append(
                f"| {citizens} | {path} | {r['messages']} | {r['errors']} "
                f"| {r['p50']:.0f} | {r['p95']:.0f} "
                f"| {r['p99']:.0f} | {r['throughput']:.1f} | {peaks[citizens] / 2**20:.0f} MiB |"
            )
        service, raw = paths["service"], paths["rasa"]
        lines.append(
            f"| {citizens} | overhead service/raw | | | "
            f"{service['p50'] / max(raw['p50'], 1e-9):.2f}x | "
            f"{service['p95'] / max(raw['p95'], 1e-9):.2f}x | | | |"
        )
    lines += [
        "",
        "## Saturation (no think time, rising simultaneous senders; "
        "raw and service steps interleaved)",
        "",
        "| path | senders | msg/s | p95 ms | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path, rows in saturation_rows.items():
        for r in rows:
            lines.append(
                f"| {path} | {r['senders']} | {r['throughput']:.1f} | {r['p95']:.0f} "
                f"| {r['errors']} |"
            )
    (raw_at, raw_passed), (service_at, service_passed) = (
        crossing(saturation_rows[p]) for p in ("rasa", "service")
    )
    ratio = service_at / raw_at if raw_at else 0.0
    p95_50 = think.get(50, {}).get("service", {}).get("p95")
    errors = sum(r["errors"] for paths in think.values() for r in paths.values())
    bound = lambda passed: "" if passed else " (p95 stayed under 1 s: a lower bound)"  # noqa: E731
    lines += [
        "",
        f"Saturation throughput, where p95 passes 1 s (interpolated between steps): raw Rasa "
        f"{raw_at:.1f} msg/s{bound(raw_passed)}, through the service {service_at:.1f} msg/s"
        f"{bound(service_passed)}, ratio {ratio:.2f}. Peak throughput of a step with p95 ≤ 1 s: "
        f"raw {peak(saturation_rows['rasa']):.1f}, "
        f"service {peak(saturation_rows['service']):.1f} msg/s.",
        "",
        "Targets on 2 cores: 0 errors "
        f"({'met' if errors == 0 else 'NOT met'}); p95 ≤ 250 ms at 50 citizens with think time "
        f"({'met' if p95_50 is not None and p95_50 <= 250 else 'NOT met'}); "
        "saturation through the service "
        f"≥ 0.9 × raw ({'met' if ratio >= 0.9 else 'NOT met'}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 2, 4, 8, 12, 16, 24, 32, 48])
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "reports" / "load.md")
    args = parser.parse_args()
    if any(run_all.port_in_use(p) for p in PORTS.values()):
        raise SystemExit(f"ports {sorted(PORTS.values())} are in use")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        services = start_stack(Path(tmp))
        try:
            # warm up: the first answers load lazily
            asyncio.run(think_time_mode("rasa", 2))
            think, peaks = {}, {}
            for index, citizens in enumerate(args.citizens):
                watch = MemoryWatch([s.process.pid for s in services])
                # the order alternates: Rasa's in-memory tracker store keeps every conversation
                # of the run, so always going second would always meet a fuller Rasa
                order = ("service", "rasa") if index % 2 == 0 else ("rasa", "service")
                think[citizens] = {
                    path: asyncio.run(think_time_mode(path, citizens)) for path in order
                }
                for path, r in think[citizens].items():
                    print(
                        f"{citizens:4} citizens via {path:8}: p50 {r['p50']:.0f} ms, "
                        f"p95 {r['p95']:.0f} ms, "
                        f"p99 {r['p99']:.0f} ms, {r['throughput']:.1f} msg/s, errors {r['errors']}",
                        flush=True,
                    )
                peaks[citizens] = watch.stop()
            sat = asyncio.run(saturation(args.steps, args.step_seconds))
        finally:
            for service in reversed(services):
                service.stop()
    text = report(think, sat, peaks, args, (time.monotonic() - started) / 60)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
