"""The domain vocabulary, shared by the spaCy pipeline builder and the actions.

entity -> canonical value -> phrases people type. Merged from nlp/entities.yml
and the editable content (glossary terms -> `begrip`, places -> `plaats`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENTITIES_FILE = ROOT / "nlp" / "entities.yml"
GLOSSARY_FILE = ROOT / "content" / "glossary.yml"
REGIONS_FILE = ROOT / "content" / "regions.yml"

Phrase = str | dict  # "pgb", or {"exact": "MEE"} for a case-sensitive match
Vocabulary = dict[str, dict[str, list[Phrase]]]


def phrase_text(phrase: Phrase) -> str:
    return phrase["exact"] if isinstance(phrase, dict) else phrase


def fold(text: str) -> str:
    """Lowercase without diacritics: 'Cliënt' and 'client' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _load_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_vocabulary(root: Path = ROOT) -> Vocabulary:
    vocab: Vocabulary = {
        label: {value: list(phrases) for value, phrases in values.items()}
        for label, values in _load_yaml(root / "nlp" / "entities.yml").items()
    }
    for term in _load_yaml(root / "content" / "glossary.yml").get("terms", []):
        vocab.setdefault("begrip", {})[term["id"]] = [term["id"], *term.get("terms", [])]
    for region in _load_yaml(root / "content" / "regions.yml").get("regions", []):
        for place in region.get("places", []):
            vocab.setdefault("plaats", {})[fold(place)] = [place]
    return vocab


@lru_cache(maxsize=1)
def _lookup() -> dict[tuple[str, str], str]:
    return {
        (label, fold(phrase_text(phrase))): value
        for label, values in load_vocabulary().items()
        for value, phrases in values.items()
        for phrase in phrases
    }


def canonical(entity: str, text: str) -> str | None:
    """Map what the user typed ('Persoonsgebonden budget') to its id ('pgb')."""
    return _lookup().get((entity, fold(text)))
