"""What a message typed inside a guided flow or the handoff form does to the conversation.

The dialogues in in_form_dialogues.yml were written apart from the training data by a writer
who saw only the questions (content/flows.yml, content/dialogue.yml) and how the forms behave.
Each turn goes to the running assistant; the expectations are read from Rasa's tracker: which
question or form field is asked next, which answers are kept or skipped, the flow's phase, the
slots, the active form and the first action the bot ran. Not the intent the NLU chose: inside a
form what counts is what happens.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from helpers import PORTS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DIALOGUES = yaml.safe_load((HERE / "in_form_dialogues.yml").read_text(encoding="utf-8"))[
    "dialogues"
]
QUESTIONS = {
    name: [q["id"] for q in flow["questions"]]
    for name, flow in yaml.safe_load((ROOT / "content" / "flows.yml").read_text(encoding="utf-8"))[
        "flows"
    ].items()
}


def observe(tracker: dict[str, Any]) -> dict[str, Any]:
    """What the expectations can name, read from a tracker."""
    slots = tracker["slots"]
    loop = (tracker.get("active_loop") or {}).get("name") or "none"
    state = slots.get("flow_state") or {}
    phase = state.get("phase") or "none"
    asks = None
    if loop == "handoff_form":
        asks = slots.get("requested_slot")
    elif loop == "flow_form" and phase in (
        "questions",
        "confirm_stop",
    ):  # stopping keeps the question
        asks = QUESTIONS[state["flow"]][state["index"]]
    answers = state.get("answers") or {}
    events = tracker["events"]
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    actions = [
        e["name"]
        for e in events[last_user:]
        if e["event"] == "action" and e["name"] != "action_listen"
    ]
    return {
        "loop": loop,
        "phase": phase,
        "asks": asks,
        "flow": state.get("flow") or "none",
        "kept": {k for k, v in answers.items() if v},
        "skipped": {k for k, v in answers.items() if v is None},
        "slots": slots,
        "action": actions[0] if actions else None,
    }


def check(expect: dict[str, Any], seen: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("loop", "phase", "asks", "flow", "action"):
        if key in expect and expect[key] != seen[key]:
            problems.append(f"{key}: expected {expect[key]!r}, got {seen[key]!r}")
    for key in ("kept", "skipped"):
        missing = set(expect.get(key) or ()) - seen[key]
        if missing:
            problems.append(f"{key}: {sorted(missing)} not among {sorted(seen[key])}")
    for name, value in (expect.get("slots") or {}).items():
        if seen["slots"].get(name) != value:
            problems.append(f"slot {name}: expected {value!r}, got {seen['slots'].get(name)!r}")
    for name in expect.get("filled") or ():
        if not seen["slots"].get(name):
            problems.append(f"slot {name} is empty")
    return problems


@pytest.fixture(scope="module")
def rasa(stack):
    token = stack.env["RASA_API_TOKEN"]
    with httpx.Client(base_url=f"http://127.0.0.1:{PORTS['rasa']}", timeout=60) as client:
        yield client, token


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["name"] for d in DIALOGUES])
def test_a_message_inside_a_form_does_what_it_should(rasa, dialogue) -> None:
    client, token = rasa
    sender = f"in-form-{uuid.uuid4().hex}"
    problems = []
    for number, turn in enumerate(dialogue["turns"], 1):
        sent = client.post(
            "/webhooks/rest/webhook", json={"sender": sender, "message": turn["user"]}
        )
        assert sent.status_code == 200, sent.text
        if "expect" not in turn:
            continue
        tracker = client.get(f"/conversations/{sender}/tracker", params={"token": token})
        assert tracker.status_code == 200, tracker.text
        seen = observe(tracker.json())
        where = (
            f"[now: {seen['loop']}, {seen['flow']}, {seen['phase']}, asks {seen['asks']}, "
            f"first action {seen['action']}]"
        )
        problems += [
            f"turn {number} ({turn['user']!r}): {p} {where}" for p in check(turn["expect"], seen)
        ]
    assert not problems, "\n".join(problems)


def test_the_dialogues_cover_every_flow_and_the_handoff_form() -> None:
    starts = {
        turn["user"] for d in DIALOGUES for turn in d["turns"] if turn["user"].startswith("/")
    }
    assert {
        "/start_route_guide",
        "/start_choice_aid",
        "/start_pgb_check",
        "/start_personal_plan",
        "/request_human",
    } <= starts
    assert len(DIALOGUES) >= 40
