"""Which texts are due for a check: their newest source check is older than a year.

    .venv/web/bin/python scripts/content_report.py [--months 12] [--today 2026-12-05]

Lists every text in content/*.yml whose newest dated source (a web page read on a date, or a
document in content/sources.yml) was checked more than `--months` ago, oldest first, and texts
that cite no dated source at all. Exit code 1 when anything is listed, so a scheduled job can
warn the content owner.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.content import Content, check_source  # noqa: E402


def months_between(earlier: date, later: date) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def stale(content: Content, today: date, months: int) -> tuple[list[tuple[str, str]], list[str]]:
    old, undated = [], []
    for where, item in content.items():
        checked = content.last_checked(item)
        if checked is None:
            kinds = {check_source(s, content.documents).kind for s in item.get("sources") or []}
            if "own" not in kinds:
                undated.append(where)
        elif months_between(date.fromisoformat(checked), today) >= months:
            old.append((checked, where))
    return sorted(old), undated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args(argv)
    old, undated = stale(Content(), args.today, args.months)
    for checked, where in old:
        print(f"{checked}  {where}")
    for where in undated:
        print(f"zonder datum  {where}")
    print(
        f"{len(old)} teksten langer dan {args.months} maanden niet gecontroleerd, "
        f"{len(undated)} zonder gedateerde bron."
    )
    return 1 if old or undated else 0


if __name__ == "__main__":
    sys.exit(main())
