"""The held-out and validation sets stay apart from the training data, or their scores mean
nothing."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from benchmarks.context import DEVELOPMENT as CONTEXT_DEVELOPMENT
from benchmarks.context import DIALOGUES as CONTEXT_DIALOGUES
from benchmarks.context import answer_intents
from nlp.normalizer import edit_distance
from nlp.vocabulary import fold

ROOT = Path(__file__).resolve().parents[2]


def examples(directory: Path) -> dict[str, str]:
    return {
        m.get("text").lower(): m.get("intent") for m in load_data(str(directory)).intent_examples
    }


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


# -- the safety layer's evaluation sets (benchmarks/crisis.py) ------------------------------
CRISIS_SETS = sorted((ROOT / "tests" / "crisis").glob("*.yml"))


def normalised(text: str) -> str:
    """Case, diacritics and punctuation do not make a message new."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def near_duplicate(a: str, b: str) -> bool:
    """Equal after normalising, at most two edits apart, or at least 0.93 alike by characters."""
    if abs(len(a) - len(b)) > max(2, 0.15 * max(len(a), len(b))):
        return False
    if a == b or (abs(len(a) - len(b)) <= 2 and edit_distance(a, b) <= 2):
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= 0.93 and matcher.ratio() >= 0.93


def candidates(text: str, others: list[str]) -> list[str]:
    """The texts that share at least half of this one's words: the only ones that can be near
    duplicates (two edits or 0.93 alike). Comparing every pair took minutes."""
    words = set(text.split())
    index = _word_index(tuple(others))
    shared = Counter(i for word in words for i in index.get(word, ()))
    return [others[i] for i, count in shared.items() if count >= len(words) / 2]


@lru_cache(maxsize=2)
def _word_index(others: tuple[str, ...]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, other in enumerate(others):
        for word in set(other.split()):
            index[word].append(i)
    return index


def crisis_texts() -> list[str]:
    return [
        normalised(m["text"])
        for path in CRISIS_SETS
        for m in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    ]


@pytest.mark.parametrize("name", SETS)
def test_no_evaluation_example_is_near_a_training_example(name: str) -> None:
    """Case, punctuation, diacritics and a typo or two (which the typo repair undoes) do not make
    an example new: the held-out and validation sets keep none within two edits or 93 % alike."""
    seen = [normalised(t) for t in TRAINING]
    clashes = [
        (text, other)
        for text in map(normalised, examples(SETS[name]))
        for other in candidates(text, seen)
        if near_duplicate(text, other)
    ]
    assert not clashes, f"{len(clashes)} {name} examples near training examples: {clashes[:5]}"


def test_the_crisis_sets_share_nothing_with_training_or_tuning_data() -> None:
    devs = [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "nlp").glob("crisis_dev*.yml"))
    ]
    seen = [normalised(t) for t in TRAINING] + [
        normalised(m["text"])
        for dev in devs
        for part in ("crisis", "controls")
        for m in dev.get(part, [])
    ]
    clashes = [
        (text, other)
        for text in crisis_texts()
        for other in candidates(text, seen)
        if near_duplicate(text, other)
    ]
    # the controls may quote the issue's own examples of what is not a crisis ("stop", ...);
    # they are not training phrasings of a crisis, and the classifier must keep them apart
    allowed = {"stop", "ik wil stoppen met het pgb", "stop maar", "ik wil stoppen"}
    clashes = [c for c in clashes if c[0] not in allowed]
    assert not clashes, (
        f"{len(clashes)} evaluation messages near training or dev data: {clashes[:5]}"
    )


def test_near_duplicate_catches_small_changes() -> None:
    assert near_duplicate(
        normalised("Mijn vader is gevallen!"), normalised("mijn vader is gevallen")
    )
    assert near_duplicate("mijn vader is gevalen", "mijn vader is gevallen")
    assert not near_duplicate("mijn vader is gevallen", "mijn moeder wil niet meer leven")


# -- the redactor's corpora (benchmarks/redaction.py) -------------------------------------------
REDACTION_DEVS = sorted((ROOT / "benchmarks" / "development").glob("redaction_dev*.yml"))
REDACTION_SETS = sorted((ROOT / "tests" / "redaction").glob("*.yml"))


def test_the_redaction_corpora_share_nothing_with_the_development_corpora() -> None:
    """The redactor is tuned on the development corpora; its evaluation corpora must not hold
    the same messages, or a near copy of one."""
    seen = [
        normalised(i["text"])
        for path in REDACTION_DEVS
        for i in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    ]
    texts = [
        normalised(i["text"])
        for path in REDACTION_SETS
        for i in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    ]
    clashes = [
        (text, other)
        for text in texts
        for other in candidates(text, seen)
        if near_duplicate(text, other)
    ]
    assert len(REDACTION_SETS) >= 2 and len(texts) >= 800
    assert not clashes, (
        f"{len(clashes)} evaluation messages near development messages: {clashes[:5]}"
    )


def test_every_labelled_piece_is_in_its_message() -> None:
    for path in [*REDACTION_DEVS, *REDACTION_SETS]:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            for piece in item["pii"] or []:
                assert piece["text"] in item["text"], (path.name, piece["text"])


# -- real questions from public FAQ pages (benchmarks/real_questions.py) ----------------------
REAL_QUESTIONS = ROOT / "tests" / "real_questions" / "real_questions.yml"


def test_real_questions_are_kept_apart_from_training_and_name_their_source() -> None:
    questions = yaml.safe_load(REAL_QUESTIONS.read_text(encoding="utf-8"))["questions"]
    assert len(questions) >= 300
    assert all(str(q["source"]).startswith("http") for q in questions)
    trained = set(TRAINING.values()) | {
        "out_of_scope",
        "ask_independent_support",
    }  # via client support
    assert {q["intent"] for q in questions} <= trained
    seen = [normalised(t) for t in TRAINING]
    clashes = [
        (q["text"], other)
        for q in questions
        for other in candidates(normalised(q["text"]), seen)
        if near_duplicate(normalised(q["text"]), other)
    ]
    assert not clashes, f"{len(clashes)} real questions near training examples: {clashes[:5]}"


# -- the context benchmark's dialogues (benchmarks/context.py) -------------------------------
CONTEXT_KINDS = {
    "stage",
    "subject_change",
    "cost",
    "duration",
    "where",
    "who_may",
    "refusal",
    "add_on",
}


def _dialogues(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]


@pytest.mark.parametrize("path", [CONTEXT_DIALOGUES, *CONTEXT_DEVELOPMENT], ids=lambda p: p.name)
def test_every_context_dialogue_can_be_scored(path: Path) -> None:
    """Every expected answer exists (a misspelt id would count the bot wrong), kinds are known."""
    known = answer_intents()
    dialogues = _dialogues(path)
    assert len({d["name"] for d in dialogues}) == len(dialogues), "dialogue names must be unique"
    for dialogue in dialogues:
        assert dialogue["kind"] in CONTEXT_KINDS, dialogue["name"]
        assert len(dialogue["turns"]) >= 2, dialogue["name"]
        assert dialogue["expect"] and set(dialogue["expect"]) <= set(known), dialogue["name"]


def test_the_context_test_dialogues_are_no_near_copies_of_development_dialogues() -> None:
    joined = [
        normalised(" | ".join(d["turns"])) for p in CONTEXT_DEVELOPMENT for d in _dialogues(p)
    ]
    copies = [
        d["name"]
        for d in _dialogues(CONTEXT_DIALOGUES)
        if any(near_duplicate(normalised(" | ".join(d["turns"])), o) for o in joined)
    ]
    assert copies == []
