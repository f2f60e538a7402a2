"""What a person gets for a question: the right answer at once, a question back with the right
topic among the buttons, or something wrong. Three shares, for the deployed model
(models/wlz.tar.gz) and the deployed decision (actions/search.py: answer, or ask back).

Sets: tests/real_questions/real_questions.yml (questions from public FAQ pages and forums, each
with its source) first, then the held-out NLU sets. Never tune on them.

Usage (Rasa environment, after `make train`):
    .venv/rasa/bin/python -m benchmarks.real_questions
Prints a table and writes benchmarks/reports/real_questions.md; benchmarks/nlu.py puts the same
table at the top of its report.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from benchmarks.provenance import commit

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "real_questions" / "real_questions.yml"
MODEL = ROOT / "models" / "wlz.tar.gz"
REPORT = ROOT / "benchmarks" / "reports" / "real_questions.md"


@dataclass
class Shares:
    right: int = 0
    asked: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        return self.right + self.asked + self.wrong

    def row(self, name: str) -> str:
        n = max(self.total, 1)
        return (
            f"| {name} | {self.total} | {self.right / n:.1%} | {self.asked / n:.1%} | "
            f"{self.wrong / n:.1%} |"
        )


# answers reached through another intent: independent support is the client-support intent
# with OCO, MEE or Zorgbelang named (actions/answers.py)
SAME_AS = {"ask_independent_support": "ask_client_support"}


def real_questions() -> list[tuple[str, str]]:
    if not REAL.exists():
        return []
    return [
        (q["text"], SAME_AS.get(q["intent"], q["intent"]))
        for q in yaml.safe_load(REAL.read_text(encoding="utf-8"))["questions"]
    ]


def heldout() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            pairs += [
                (line[2:].strip(), block["intent"])
                for line in (block.get("examples") or "").splitlines()
                if line.startswith("- ")
            ]
    return pairs


def outcome(text: str, ranking: list[dict]) -> tuple[str, tuple[str, ...]]:
    """What the assistant does: ("answer", (intent,)) or ("ask", intents on the buttons)."""
    from actions.content import content
    from actions.search import second_opinion

    if not ranking:
        return "ask", ()
    if ranking[0].get("name") == "nlu_fallback":  # the fallback offers the likeliest topics
        buttons = content().suggestions(r for r in ranking if r.get("name") != "nlu_fallback")
        return "ask", tuple(b.payload.lstrip("/").split("{")[0] for b in buttons)
    opinion = second_opinion(text, ranking)
    return opinion.kind, opinion.intents


def measure(pairs: list[tuple[str, str]], model: Path = MODEL) -> tuple[Shares, Counter]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> list[list[dict]]:
        return [(await agent.parse_message(text)).get("intent_ranking") or [] for text, _ in pairs]

    shares, confusions = Shares(), Counter()
    for (text, wanted), ranking in zip(pairs, asyncio.run(parse_all())):
        kind, intents = outcome(text, ranking)
        if kind == "answer" and intents[:1] == (wanted,):
            shares.right += 1
        elif kind == "ask" and wanted in intents:
            shares.asked += 1
        else:
            shares.wrong += 1
            confusions[f"{wanted} -> {kind}:{intents[0] if intents else '-'}"] += 1
    return shares, confusions


def table() -> tuple[list[str], dict[str, Shares]]:
    sets = {
        "real questions (public FAQ pages and forums)": real_questions(),
        "held-out NLU sets": heldout(),
    }
    results = {name: measure(pairs) for name, pairs in sets.items() if pairs}
    lines = [
        "| set | questions | right first time | asked back, right topic among the buttons "
        "| wrong |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [shares.row(name) for name, (shares, _) in results.items()]
    real = results.get("real questions (public FAQ pages and forums)")
    if real:
        lines += [
            "",
            "Most frequent wrong outcomes on the real questions (by intent, no texts): "
            + ", ".join(f"{k} ({v})" for k, v in real[1].most_common(8))
            + ".",
        ]
    return lines, {name: shares for name, (shares, _) in results.items()}


def main() -> None:
    logging.getLogger("rasa").setLevel(logging.ERROR)
    lines, _ = table()
    text = "\n".join(
        [
            "# What a question gets: right, asked back, or wrong",
            "",
            f"Run on {date.today().isoformat()}, commit {commit()}, deployed model and decision. "
            "Made by `python -m benchmarks.real_questions`.",
            "",
            *lines,
            "",
        ]
    )
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
