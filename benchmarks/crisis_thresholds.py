"""How the second crisis reader's thresholds were chosen: leave one writer out.

The development sets (nlp/crisis_dev*.yml) are by six writers. For each, the second
reader (nlp/crisis_reader.py) is trained on the NLU training data and the other writers' sets, and
the whole decision (patterns, intent classifier, reader: nlp/crisis.py) is scored on the one
left out: the share of its crises found and of its near misses alarmed (crisis reply or safety
check), summed over the writers. The patterns were tuned on all the sets, so they look better
here than on the evaluation sets; the reader's part is honest. Without the reader is the first
row.

Development data only: the evaluation sets in tests/crisis/ are never read here.
Usage (Rasa environment, from the repository root, after `make train`):
    .venv/rasa/bin/python -m benchmarks.crisis_thresholds
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from rasa.core.agent import Agent
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data

from nlp.crisis import CrisisRules, category_of
from nlp.crisis_component import CrisisLayer
from nlp.crisis_reader import (
    DEVELOPMENT_FILES,
    NONE,
    CrisisReader,
    development_examples,
)

ROOT = Path(__file__).resolve().parent.parent
# (confirm, alone, sure): sure is where the reader alone outweighs the past and "not" wordings
# (confirm, alone, sure, overruled): sure is where the reader alone outweighs the past and "not"
# wordings; overruled where the intent classifier's confidence in an ordinary intent stops it
GRID = [
    (0.5, 0.9, 0.95, 1.01),
    (0.5, 0.9, 0.95, 0.95),
    (0.5, 0.9, 0.95, 0.9),
    (0.5, 0.9, 0.95, 0.8),
    (0.5, 0.95, 0.95, 0.9),
    (0.5, 1.01, 1.01, 1.01),
    (0.6, 0.9, 0.95, 0.9),
]


def readings(texts: list[str]) -> dict[str, tuple]:
    """Each message's spaCy doc and intent ranking as the safety layer sees them."""
    seen: dict[str, tuple] = {}
    latest: list[tuple] = []

    def record(self, messages):
        latest[:] = [(m.get(SPACY_DOCS[TEXT]), m.get(INTENT_RANKING_KEY) or []) for m in messages]
        return messages

    # patched before loading: Rasa's graph keeps the bound method it found at load time
    real, CrisisLayer.process = CrisisLayer.process, record
    try:
        agent = Agent.load(str(ROOT / "models" / "wlz.tar.gz"))

        async def run() -> None:
            for text in texts:
                await agent.parse_message(text)
                seen[text] = latest[0]

        asyncio.run(run())
    finally:
        CrisisLayer.process = real
    return seen


def main() -> None:
    logging.disable(logging.INFO)
    training = [
        (m.get(TEXT), category_of(m.get("intent")) or NONE)
        for m in load_data(str(ROOT / "data" / "nlu")).intent_examples
    ]
    # one writer's crises and near misses may be in two files (crisis_dev_5.yml, ..._controls.yml)
    by_writer: dict[str, list[Path]] = {}
    for path in DEVELOPMENT_FILES:
        by_writer.setdefault(path.stem.removesuffix("_controls"), []).append(path)
    writers = [development_examples(paths) for paths in by_writer.values()]
    seen = readings([text for examples in writers for text, _ in examples])
    settings = [("without the reader", CrisisRules(), False)]
    for confirm, alone, sure, overruled in GRID:
        rules = CrisisRules()
        rules.second_confirm, rules.second_alone, rules.second_sure = confirm, alone, sure
        rules.second_overruled = overruled
        settings.append(
            (f"confirm {confirm}, alone {alone}, sure {sure}, overruled {overruled}", rules, True)
        )
    rows = {name: [0, 0, 0, 0] for name, _, _ in settings}
    for k, held_out in enumerate(writers):
        reader = CrisisReader.fit(
            training + [e for j, w in enumerate(writers) if j != k for e in w]
        )
        for text, category in held_out:
            doc, ranking = seen[text]
            second = reader.read(text)
            for name, rules, with_reader in settings:
                hit = rules.decide(doc, ranking, second if with_reader else None) is not None
                counts = rows[name]
                if category == NONE:
                    counts[2] += 1
                    counts[3] += hit
                else:
                    counts[0] += 1
                    counts[1] += hit
    print("| setting | crises found | near misses alarmed |\n| --- | ---: | ---: |")
    for name, (crises, found, controls, alarms) in rows.items():
        print(
            f"| {name} | {found / crises:.3f} ({found}/{crises}) "
            f"| {alarms / controls:.3f} ({alarms}/{controls}) |"
        )


if __name__ == "__main__":
    main()
