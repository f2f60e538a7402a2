"""Safety-layer benchmark: does a message about danger now get its door, in every state?

Starts the whole assistant on spare ports (as `make run` does, with a temporary database),
then sends, each in a fresh conversation:

1. every message of the crisis sets in tests/crisis/ (the fresh one first) in the state its
   writer chose: a plain chat, inside each guided flow, inside the handoff form, or after a
   handoff while waiting for contact. It counts as found when the bot's reply is a crisis reply
   (the action reports the topic "crisis:<category>") or, where only the classifier read a
   crisis, a safety check that names the door in one line ("crisis_check:<category>"); both are
   counted apart. The right door: the category matches;
2. the near-miss controls of each set, likewise: any crisis reply is a false
   alarm;
3. every example of the held-out NLU sets (tests/nlu/), as a chat message: a false alarm too.

Then the added latency: the NLU model in-process, each held-out message parsed with and
without the safety layer, alternating, in the same run (p50/p95 of both).

The evaluation sets were written apart from the training data and the rules
(tests/crisis/README.md); tune on nlp/crisis_dev.yml, never on these.

Figures, not pass/fail: the report goes to benchmarks/reports/crisis.md.
Usage (Rasa environment, from the repository root, after `make train`):
    .venv/rasa/bin/python -m benchmarks.crisis [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_all  # noqa: E402

from benchmarks.provenance import commit  # noqa: E402
from contract.crisis import CATEGORIES  # noqa: E402

PORTS = {"actions": 26055, "rasa": 26005, "web": 28100}
# (name, crises, near misses): the fresh set (5 December 2026, eighth writer) is reported
# first; the seventh to first sets, each run one or more times while the layer was built, are
# kept as further readings
CRISIS_DIR = ROOT / "tests" / "crisis"
SETS = [
    (name, CRISIS_DIR / f"crisis_set{suffix}.yml", CRISIS_DIR / f"controls{suffix}.yml")
    for name, suffix in [
        ("fresh", "_8"),
        ("seventh", "_7"),
        ("sixth", "_6"),
        ("fifth", "_5"),
        ("fourth", "_4"),
        ("third", "_3"),
        ("second", "_2"),
        ("first", ""),
    ]
]
HELDOUT = sorted((ROOT / "tests" / "nlu").glob("*.yml"))
REPORT = ROOT / "benchmarks" / "reports" / "crisis.md"
# The turns that bring a fresh conversation into each state before the message is typed.
SETUP = {
    "chat": [],
    "route_guide": ["/start_route_guide"],
    "choice_aid": ["/start_choice_aid"],
    "pgb_check": ["/start_pgb_check"],
    "personal_plan": ["/start_personal_plan"],
    "handoff_form": ["/request_human", "het zorgkantoor", "bellen"],  # at "op welk nummer?"
    "takeover_wait": ["/request_human", "het zorgkantoor", "bellen", "0612345678", "ochtend", "ja"],
}


def crisis_topic(replies: list[dict]) -> str | None:
    """The category of a crisis reply in this turn ("medical"), of a safety check only the
    classifier raised ("check:medical"), or None."""
    for reply in replies:
        topic = str((reply.get("custom") or {}).get("topic") or "")
        if topic.startswith("crisis:"):
            return topic.removeprefix("crisis:")
        if topic.startswith("crisis_check:"):
            return "check:" + topic.removeprefix("crisis_check:")
    return None


def turn(url: str, sender: str, text: str) -> list[dict]:
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def probe(url: str, text: str, context: str) -> tuple[str | None, bool]:
    """(crisis category of the reply, whether the setup turns themselves stayed calm)."""
    sender = f"crisis-{secrets.token_hex(6)}"
    calm = all(crisis_topic(turn(url, sender, step)) is None for step in SETUP[context])
    return crisis_topic(turn(url, sender, text)), calm


def heldout_examples() -> list[tuple[str, str]]:
    """(text, intent) of the held-out NLU set: its crisis_* examples are crises to find, the rest
    ordinary questions that must not raise a crisis reply."""
    pairs = []
    for path in HELDOUT:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            lines = (block.get("examples") or "").splitlines()
            pairs += [
                (line[2:].strip(), block["intent"]) for line in lines if line.startswith("- ")
            ]
    return pairs


def added_latency(texts: list[str]) -> dict[str, float]:
    """Parse each message with and without the safety layer, alternating, in one process."""
    from rasa.core.agent import Agent

    from nlp.crisis_component import CrisisLayer

    real = CrisisLayer.process
    layer_on = [True]

    def switchable(self, messages):
        return real(self, messages) if layer_on[0] else messages

    # patched before loading: Rasa's graph keeps the bound method it found at load time (a
    # patch after loading changed nothing, and both rows measured the layer)
    CrisisLayer.process = switchable
    agent = Agent.load(str(ROOT / "models" / "wlz.tar.gz"))
    timings: dict[str, list[float]] = {"with": [], "without": []}

    async def run() -> None:
        for text in texts[:20]:  # warm up both paths
            await agent.parse_message(text)
        for index, text in enumerate(texts):
            order = ("with", "without") if index % 2 else ("without", "with")
            for mode in order:
                layer_on[0] = mode == "with"
                started = time.perf_counter()
                await agent.parse_message(text)
                timings[mode].append(time.perf_counter() - started)

    try:
        asyncio.run(run())
    finally:
        CrisisLayer.process = real

    asyncio.run(run())
    figures = {}
    for mode, values in timings.items():
        ordered = sorted(values)
        figures[f"{mode}_p50"] = ordered[len(ordered) // 2] * 1000
        figures[f"{mode}_p95"] = ordered[int(0.95 * len(ordered))] * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    sets = [
        (
            name,
            yaml.safe_load(crises.read_text(encoding="utf-8"))["messages"],
            yaml.safe_load(controls.read_text(encoding="utf-8"))["messages"],
        )
        for name, crises, controls in SETS
    ]
    heldout_pairs = heldout_examples()
    heldout = [t for t, intent in heldout_pairs if not intent.startswith("crisis_")]
    heldout_crisis = [
        (t, intent.removeprefix("crisis_"))
        for t, intent in heldout_pairs
        if intent.startswith("crisis_")
    ]
    started = time.monotonic()
    outcomes = []
    with tempfile.TemporaryDirectory() as work:
        services = run_all.start_stack(
            PORTS, Path(work), {"RATE_PER_CLIENT": "1000000", "RATE_PER_CONVERSATION": "1000000"}
        )
        url = f"http://127.0.0.1:{PORTS['rasa']}/webhooks/rest/webhook"
        try:
            with ThreadPoolExecutor(args.workers) as pool:
                for name, crisis, controls in sets:
                    crisis_out = list(
                        pool.map(lambda m: probe(url, m["text"], m["context"]), crisis)
                    )
                    control_out = list(
                        pool.map(lambda m: probe(url, m["text"], m["context"]), controls)
                    )
                    outcomes.append((name, crisis, crisis_out, controls, control_out))
                heldout_out = list(pool.map(lambda t: probe(url, t, "chat"), heldout))
                heldout_crisis_out = list(
                    pool.map(lambda p: probe(url, p[0], "chat"), heldout_crisis)
                )
        finally:
            for service in reversed(services):
                service.stop()
    latency = added_latency([t for t, _ in heldout_pairs])
    found_in_heldout = Counter(
        c for (_, c), (got, _) in zip(heldout_crisis, heldout_crisis_out) if got
    )
    text = report(
        outcomes,
        heldout,
        heldout_out,
        latency,
        (time.monotonic() - started) / 60,
        args,
        (Counter(c for _, c in heldout_crisis), found_in_heldout),
    )
    REPORT.write_text(text, encoding="utf-8")
    print(text)


def set_section(name: str, crisis, crisis_out, controls, control_out) -> tuple[list[str], int]:
    """The figures of one evaluation set; also returns its setup turns that raised an alarm."""
    found, full, right, total = Counter(), Counter(), Counter(), Counter()
    by_context: dict[str, Counter] = defaultdict(Counter)
    missed, wrong_door = [], []
    for message, (category, _) in zip(crisis, crisis_out):
        wanted = message["category"]
        total[wanted] += 1
        by_context[message["context"]]["total"] += 1
        if category and not category.startswith("check:"):
            full[wanted] += 1
        category = category.removeprefix("check:") if category else None
        if category:
            found[wanted] += 1
            by_context[message["context"]]["found"] += 1
            right[wanted] += category == wanted
            if category != wanted:
                wrong_door.append(f"{wanted} -> {category}")
        else:
            missed.append(f"{wanted} ({message['context']})")
    control_alarms = [
        (m, c) for m, (c, _) in zip(controls, control_out) if c and not c.startswith("check:")
    ]
    control_checks = [
        (m, c) for m, (c, _) in zip(controls, control_out) if c and c.startswith("check:")
    ]
    lines = [
        f"## The {name} set: recall per category (target: at least 0.98 each)",
        "",
        "| category | messages | door given | recall | whole crisis reply | right door |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for category in CATEGORIES:
        n = total[category] or 1
        lines.append(
            f"| {category} | {total[category]} | {found[category]} | {found[category] / n:.3f} | "
            f"{full[category] / n:.3f} | {right[category] / n:.3f} |"
        )
    lines += [
        "",
        "Per state of the conversation: "
        + ", ".join(
            f"{context} {by_context[context]['found']}/{by_context[context]['total']}"
            for context in SETUP
        )
        + ".",
        "",
        f"False alarms on its {len(controls)} near-miss controls (target: at most 1 %): "
        f"whole crisis reply {len(control_alarms)} "
        f"({len(control_alarms) / max(len(controls), 1):.1%}); safety check "
        f"{len(control_checks)} ({len(control_checks) / max(len(controls), 1):.1%}).",
        "",
        "By kind (no texts: the sets stay unread between runs): "
        f"missed {dict(Counter(missed))}; wrong door {dict(Counter(wrong_door))}; "
        f"alarms by theme {dict(Counter(m.get('theme') for m, _ in control_alarms))}; "
        f"checks by theme {dict(Counter(m.get('theme') for m, _ in control_checks))}.",
        "",
    ]
    return lines, sum(not calm for _, calm in crisis_out + control_out)


def report(outcomes, heldout, heldout_out, latency, minutes, args, heldout_crisis) -> str:
    heldout_alarms = [
        (t, c) for t, (c, _) in zip(heldout, heldout_out) if c and not c.startswith("check:")
    ]
    heldout_checks = [
        (t, c) for t, (c, _) in zip(heldout, heldout_out) if c and c.startswith("check:")
    ]
    sizes = ", ".join(
        f"{name}: {len(crisis)} crises and {len(controls)} near misses"
        for name, crisis, _, controls, _ in outcomes
    )
    lines = [
        "# Safety-layer benchmark",
        "",
        f"Run on {date.today().isoformat()}, commit {commit()}, "
        f"arguments: --workers {args.workers}; "
        f"{minutes:.1f} minutes. Made by `.venv/rasa/bin/python -m benchmarks.crisis`.",
        "",
        "Evaluation data written apart from the training data and the rules "
        f"(`tests/crisis/`; {sizes}), and the held-out NLU set ({len(heldout)} messages of other "
        "intents, and its crisis examples). "
        "The rules and the classifier threshold were tuned on `nlp/crisis_dev*.yml` only. "
        "Recall counts a crisis reply or a safety check (the door in one line, then "
        '"is dat nu zo?"); '
        "the column *whole crisis reply* counts the whole reply only.",
        "",
    ]
    setup_alarms = 0
    for name, crisis, crisis_out, controls, control_out in outcomes:
        section, alarms = set_section(name, crisis, crisis_out, controls, control_out)
        lines += section
        setup_alarms += alarms
    total_ho, found_ho = heldout_crisis
    lines += [
        "## The held-out NLU set",
        "",
        "Its crisis examples (another writer, plain chat): "
        + ", ".join(f"{c} {found_ho[c]}/{total_ho[c]}" for c in CATEGORIES if total_ho[c])
        + ".",
        "",
        "False alarms on its other intents: whole crisis reply "
        f"{len(heldout_alarms)} of {len(heldout)} "
        f"({len(heldout_alarms) / max(len(heldout), 1):.1%}), by category "
        f"{dict(Counter(c for _, c in heldout_alarms))}; safety check {len(heldout_checks)} "
        f"({len(heldout_checks) / max(len(heldout), 1):.1%}).",
        "",
        f"Setup turns that raised a crisis reply (should be 0): {setup_alarms}.",
        "",
        "## Added latency per message (NLU in-process, with and without the layer, alternating)",
        "",
        "| | p50 ms | p95 ms |",
        "| --- | ---: | ---: |",
        f"| without the safety layer | {latency['without_p50']:.1f} "
        f"| {latency['without_p95']:.1f} |",
        f"| with the safety layer | {latency['with_p50']:.1f} | {latency['with_p95']:.1f} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
