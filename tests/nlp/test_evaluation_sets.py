"""The held-out and validation sets stay apart from the training data, or their scores mean nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[2]


def examples(directory: Path) -> dict[str, str]:
    return {m.get("text").lower(): m.get("intent") for m in load_data(str(directory)).intent_examples}


TRAINING = examples(ROOT / "data" / "nlu")
SETS = {"held-out": ROOT / "tests" / "nlu", "validation": ROOT / "benchmarks" / "validation"}


@pytest.mark.parametrize("name", SETS)
def test_no_evaluation_example_is_a_training_example(name: str) -> None:
    overlap = sorted(set(examples(SETS[name])) & set(TRAINING))
    assert not overlap, f"{name} examples also in data/nlu: {overlap[:5]}"


@pytest.mark.parametrize("name", SETS)
def test_every_evaluation_intent_is_trained(name: str) -> None:
    unknown = sorted(set(examples(SETS[name]).values()) - set(TRAINING.values()))
    assert not unknown, f"{name} intents without training data: {unknown}"


def test_held_out_and_validation_do_not_share_examples() -> None:
    assert not set(examples(SETS["held-out"])) & set(examples(SETS["validation"]))


def test_the_plain_and_hard_validation_sets_do_not_share_examples() -> None:
    # benchmarks/nlu.py scores them apart; a shared example would count twice
    validation = ROOT / "benchmarks" / "validation"
    assert not set(examples(validation / "plain.yml")) & set(examples(validation / "hard.yml"))
