"""Redactor benchmark: how much personal data survives, and how much else is hidden.

Reads tests/redaction/redaction_set.yml (written by a writer who saw neither the redactor
nor its tests; never tune on it). For each message with personal data, each listed piece
counts as hidden when it no longer appears in the redacted text; each message without personal
data counts as a false redaction when anything in it changed. Prints a table per kind and
writes benchmarks/reports/redaction.md.

With --deduce, the same figures for the `deduce` library (Dutch de-identification) when it is
installed in the running environment, with its load time and memory, for comparison.

Usage (web environment, from the repository root):
    .venv/web/bin/python -m benchmarks.redaction [--deduce]
"""
from __future__ import annotations

import argparse
import resource
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable

import yaml

from benchmarks.provenance import commit

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "redaction" / "redaction_set.yml"
REPORT = ROOT / "benchmarks" / "reports" / "redaction.md"


def score(redact: Callable[[str], str], items: list[dict]) -> dict:
    found, total, changed, negatives, kept_words = Counter(), Counter(), 0, 0, []
    started = time.perf_counter()
    for item in items:
        redacted = redact(item["text"])
        if not item["pii"]:
            negatives += 1
            changed += redacted != item["text"]
            continue
        for piece in item["pii"]:
            total[piece["kind"]] += 1
            found[piece["kind"]] += piece["text"] not in redacted
        # what else went: words outside the listed pieces that are no longer there
        rest = item["text"]
        for piece in item["pii"]:
            rest = rest.replace(piece["text"], " ")
        kept_words.append(sum(w in redacted for w in rest.split()) / max(len(rest.split()), 1))
    return {"found": found, "total": total, "false": changed, "negatives": negatives,
            "kept": sum(kept_words) / max(len(kept_words), 1),
            "ms": (time.perf_counter() - started) * 1000 / len(items)}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deduce", action="store_true", help="also score the deduce library")
    args = parser.parse_args()
    items = yaml.safe_load(SET.read_text(encoding="utf-8"))["items"]
    runs = {}
    before = rss_mb()
    started = time.perf_counter()
    from bot.redaction import redact, warm_up
    warm_up()
    runs["bot/redaction.py"] = score(redact, items) | {"load_s": time.perf_counter() - started,
                                                       "mb": rss_mb() - before}
    if args.deduce:
        before = rss_mb()
        started = time.perf_counter()
        from deduce import Deduce
        deduce = Deduce()
        loaded = time.perf_counter() - started
        runs["deduce"] = score(lambda t: deduce.deidentify(t).deidentified_text, items) | {
            "load_s": loaded, "mb": rss_mb() - before}
    kinds = sorted({p["kind"] for item in items for p in item["pii"]})
    lines = ["# Redactor benchmark", "",
             f"Run on {date.today().isoformat()}, commit {commit()}, arguments: "
             f"{'--deduce' if args.deduce else '(none)'}. Made by `python -m benchmarks.redaction`.", "",
             f"Evaluation data: `{SET.relative_to(ROOT)}` ({sum(1 for i in items if i['pii'])} messages with "
             f"personal data, {sum(1 for i in items if not i['pii'])} without), written by a writer who saw "
             "neither the redactor nor its tests. Never tuned on.", "",
             "| redactor | " + " | ".join(kinds) + " | all pieces hidden | messages without personal data "
             "changed | other words kept | ms per message | load s | memory MB |",
             "| --- | " + " | ".join("---:" for _ in kinds) + " | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, run in runs.items():
        per_kind = [f"{run['found'][k]}/{run['total'][k]}" for k in kinds]
        hidden = sum(run["found"].values()) / max(sum(run["total"].values()), 1)
        lines.append(f"| {name} | " + " | ".join(per_kind) + f" | {hidden:.1%} | "
                     f"{run['false']}/{run['negatives']} | {run['kept']:.1%} | {run['ms']:.2f} | "
                     f"{run['load_s']:.1f} | {run['mb']:.0f} |")
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
