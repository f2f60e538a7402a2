"""Context benchmark: does a follow-up that leans on the conversation get the right answer?

Starts the whole assistant on spare ports (as `make run` does, with a temporary database) and
plays every dialogue of tests/context/dialogues.yml in a fresh conversation: a situation or a
topic first, then follow-ups ("wat kost dat", "en als ze nee zeggen", "wat kan ik nu doen"),
or a change of subject. The dialogues were written apart from the training data by a writer who
saw only the answers; tune on nothing here.

The last turn is scored from Rasa's tracker and the bot's reply:
- *in context*: the answer given in that turn (the `last_answer` slot set in it) is one of the
  dialogue's expected answers;
- *asked back*: no answer, but a "Bedoelt u...?" or "which one" choice with an expected topic
  among the buttons (one click from the right answer);
- *wrong*: anything else (another answer, a fallback, an ask-back without the right topic).

Targets (issue 22): in context in at least 90 % of the dialogues; a change of subject
recognised (the new topic's answer) in at least 95 % of those that change it.
Figures, not pass/fail: the report goes to benchmarks/reports/context.md.
Development dialogues (benchmarks/development/context_dev*.yml: another writer's, and the first
two test sets of 5 December 2026, read three and four times) are for looking at: `--dev --show`
prints the ones not in context. The test set is reported by kind only.
Usage (Rasa environment, from the repository root, after `make train`):
    .venv/rasa/bin/python -m benchmarks.context [--workers 4]      # the test set, writes the report
    .venv/rasa/bin/python -m benchmarks.context --dev [--show]     # development set, no report
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_all  # noqa: E402

from actions.situation import ORDER  # noqa: E402
from benchmarks.provenance import commit  # noqa: E402

PORTS = {"actions": 26155, "rasa": 26105, "web": 28200}
DIALOGUES = ROOT / "tests" / "context" / "dialogues.yml"
DEVELOPMENT = sorted((ROOT / "benchmarks" / "development").glob("context_dev*.yml"))
REPORT = ROOT / "benchmarks" / "reports" / "context.md"
TARGET_IN_CONTEXT, TARGET_CHANGE = 0.90, 0.95
SUBJECT_CHANGE = "subject_change"


def answer_intents() -> dict[str, str]:
    """Answer id -> the intent whose button leads to it (for "asked back with the right topic")."""
    answers = yaml.safe_load((ROOT / "content" / "answers.yml").read_text(encoding="utf-8"))[
        "answers"
    ]
    intents = {a["id"]: a["intent"] for a in answers}
    intents.update({f"stage:{stage}": "next_step" for stage in ("orienting", *ORDER)})
    return intents


def last_turn(tracker: dict) -> tuple[str | None, list[str]]:
    """(the answer id set in the last turn, or None; the bot's actions in it)."""
    events = tracker["events"]
    start = max(i for i, e in enumerate(events) if e["event"] == "user")
    answer = None
    for event in events[start:]:
        if event["event"] == "slot" and event["name"] == "last_answer":
            answer = event["value"]
    actions = [
        e["name"] for e in events[start:] if e["event"] == "action" and e["name"] != "action_listen"
    ]
    return answer, actions


def play(rasa: str, token: str, dialogue: dict, intents: dict[str, str]) -> dict:
    sender = f"context-{secrets.token_hex(6)}"
    replies: list[dict] = []
    for text in dialogue["turns"]:
        response = requests.post(
            f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        response.raise_for_status()
        replies = response.json()
    # ALL: a turn that restarts the conversation ("opnieuw") hides the events before it otherwise
    tracker = requests.get(
        f"{rasa}/conversations/{sender}/tracker",
        params={"token": token, "include_events": "ALL"},
        timeout=30,
    )
    tracker.raise_for_status()
    answer, actions = last_turn(tracker.json())
    expected = set(dialogue["expect"])
    payloads = {
        str(b.get("payload", "")).lstrip("/").split("{")[0]
        for r in replies
        for b in r.get("buttons") or []
    }
    if answer in expected:
        outcome = "in_context"
    elif answer is None and payloads & {intents.get(e) for e in expected}:
        outcome = "asked_back"
    else:
        outcome = "wrong"
    return {
        "outcome": outcome,
        "answer": answer,
        "actions": actions,
        "said": " / ".join(str(r.get("text") or "")[:90] for r in replies),
    }


def report(dialogues: list[dict], results: list[dict], minutes: float, args) -> str:
    source = ", ".join(
        f"`{path.relative_to(ROOT)}`" for path in (DEVELOPMENT if args.dev else [DIALOGUES])
    )
    kinds = sorted({d["kind"] for d in dialogues})
    rows = []
    totals: Counter = Counter()
    for kind in kinds:
        counts = Counter(r["outcome"] for d, r in zip(dialogues, results) if d["kind"] == kind)
        n = sum(counts.values())
        totals.update(counts)
        rows.append(
            f"| {kind} | {n} | {counts['in_context'] / n:.3f} | {counts['asked_back'] / n:.3f} | "
            f"{counts['wrong'] / n:.3f} |"
        )
    n = len(dialogues)
    follow = [r for d, r in zip(dialogues, results) if d["kind"] != SUBJECT_CHANGE]
    change = [r for d, r in zip(dialogues, results) if d["kind"] == SUBJECT_CHANGE]
    share = lambda rs: sum(r["outcome"] == "in_context" for r in rs) / max(len(rs), 1)  # noqa: E731
    verdict = lambda value, target: "met" if value >= target else "NOT met"  # noqa: E731
    wrong_answers = Counter(
        f"{d['kind']}: {r['answer'] or (r['actions'][0] if r['actions'] else 'none')}"
        for d, r in zip(dialogues, results)
        if r["outcome"] == "wrong"
    )
    return "\n".join(
        [
            "# Context benchmark",
            "",
            f"Run on {date.today().isoformat()}, commit {commit()}, "
            f"arguments: --workers {args.workers}"
            f"{' --dev' if args.dev else ''}; "
            f"{minutes:.1f} minutes. Made by `.venv/rasa/bin/python -m benchmarks.context`.",
            "",
            f"{n} dialogues of {source}, written apart from the training data by a writer "
            "who saw only the answers. The last turn counts: *in context* when its answer is one "
            "the writer expected, *asked back* when the bot offered the expected topic as a button "
            "instead, *wrong* otherwise.",
            "",
            "| kind | dialogues | in context | asked back | wrong |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
            f"| all | {n} | {totals['in_context'] / n:.3f} | {totals['asked_back'] / n:.3f} "
            f"| {totals['wrong'] / n:.3f} |",
            "",
            f"- Follow-ups answered in context: {share(follow):.3f} of {len(follow)} "
            f"(target ≥ {TARGET_IN_CONTEXT:.2f}: {verdict(share(follow), TARGET_IN_CONTEXT)}).",
            f"- A change of subject recognised: {share(change):.3f} of {len(change)} "
            f"(target ≥ {TARGET_CHANGE:.2f}: {verdict(share(change), TARGET_CHANGE)}).",
            f"- All dialogues in context: {share(results):.3f}.",
            "",
            "What the wrong ones got instead (kind: answer id, or the first action when no answer "
            "was set): "
            f"{dict(wrong_answers.most_common())}.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--dev", action="store_true", help="play the development dialogues (no report)"
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="with --dev: print each dialogue that was not in context",
    )
    args = parser.parse_args()
    if args.show and not args.dev:
        parser.error("--show reads the dialogues: only with --dev, never on the test set")
    dialogues = [
        dialogue
        for path in (DEVELOPMENT if args.dev else [DIALOGUES])
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]
    ]
    intents = answer_intents()
    token = secrets.token_urlsafe(24)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        services = run_all.start_stack(
            PORTS,
            Path(work),
            {
                "RATE_PER_CLIENT": "1000000",
                "RATE_PER_CONVERSATION": "1000000",
                "RASA_API_TOKEN": token,
            },
        )
        rasa = f"http://127.0.0.1:{PORTS['rasa']}"
        try:
            with ThreadPoolExecutor(args.workers) as pool:
                results = list(pool.map(lambda d: play(rasa, token, d, intents), dialogues))
        finally:
            for service in reversed(services):
                service.stop()
    if args.show:
        for dialogue, result in zip(dialogues, results):
            if result["outcome"] != "in_context":
                print(
                    f"[{result['outcome']}] {dialogue['kind']}: {' || '.join(dialogue['turns'])}\n"
                    f"    expected {dialogue['expect']}, got {result['answer']} "
                    f"{result['actions']}\n"
                    f"    said: {result['said']}"
                )
    text = report(dialogues, results, (time.monotonic() - started) / 60, args)
    if not args.dev:
        REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
