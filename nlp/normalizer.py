"""A spaCy component that gives every token a normalised lemma for Rasa's featurizers.

Rasa's CountVectorsFeaturizer counts lemmas. People type "persoonsgebonde budget",
"indicatei", "clientondersteuning" or "verpleeghuis" where the training data has
"pgb", "indicatie", "cliëntondersteuning" and "instelling". This component:

1. sets the lemma of a recognised domain entity to its canonical id, so synonyms
   share features ("verpleeghuis", "instelling", "opname" -> "verblijf");
2. corrects a typo to the nearest word of a lexicon made from the training data
   and the domain vocabulary (edit distance 1, or 2 for long words), but only for
   words the Dutch lemma table does not know, so real words are never "fixed";
3. folds diacritics, so "cliënt" and "client" are the same feature.

Registered through the `spacy_factories` entry point in pyproject.toml, so
spacy.load() inside Rasa finds it without extra imports.
"""
# no `from __future__ import annotations`: spaCy validates factory signatures at runtime

import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from nlp.vocabulary import fold

MIN_LENGTH = 5  # shorter words have too many neighbours to correct safely
DOMINANT = 5  # a known word yields to a neighbour this many times as frequent


def _deletes(word: str, depth: int) -> set[str]:
    found, frontier = set(), {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def max_edits(word: str) -> int:
    return 2 if len(word) >= 9 else 1


class SpellLexicon:
    """Symmetric-delete lookup of the nearest known word (after SymSpell)."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self._index: dict[str, set[str]] = {}
        for word in frequencies:
            for key in {word} | _deletes(word, max_edits(word)):
                self._index.setdefault(key, set()).add(word)

    def correct(self, word: str) -> str | None:
        """The word this is probably a typo of, or None.

        A word seen in the data is still a typo when a neighbour is DOMINANT times
        as frequent: training data contains typos too ("zorgkntoor").
        """
        if len(word) < MIN_LENGTH:
            return None
        own = self.frequencies.get(word, 0)
        limit = max_edits(word)
        candidates: set[str] = set()
        for key in {word} | _deletes(word, limit):
            candidates |= self._index.get(key, set())
        candidates.discard(word)
        scored = [
            (edit_distance(word, c), -self.frequencies[c], c)
            for c in candidates
            if self.frequencies[c] >= max(1, own * DOMINANT)
        ]
        scored = [s for s in scored if s[0] <= min(limit, max_edits(s[2]))]
        return min(scored)[2] if scored else None


def build_frequencies(
    texts: Iterable[str], extra_words: Iterable[str], min_count: int = 2
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in fold(text).split() if w.isalpha())
    for word in extra_words:
        counts[fold(word)] += min_count
    return {w: c for w, c in counts.items() if c >= min_count and len(w) >= MIN_LENGTH}


class DomainNormalizer:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.frequencies: dict[str, int] = {}
        self.lexicon = SpellLexicon({})
        self._lemmas = None

    def set_frequencies(self, frequencies: dict[str, int]) -> None:
        self.frequencies = dict(frequencies)
        self.lexicon = SpellLexicon(self.frequencies)

    def _lemma_table(self):
        # the lemmatizer loads its table in its own from_disk, after we are made
        if self._lemmas is None:
            lookups = (
                self.nlp.get_pipe("lemmatizer").lookups
                if "lemmatizer" in self.nlp.pipe_names
                else None
            )
            self._lemmas = (
                lookups.get_table("lemma_lookup")
                if lookups and lookups.has_table("lemma_lookup")
                else {}
            )
        return self._lemmas

    def __call__(self, doc: Doc) -> Doc:
        table = self._lemma_table()
        entity_lemmas = {}
        for ent in doc.ents:
            if ent.ent_id_:
                for token in ent:
                    entity_lemmas[token.i] = fold(ent.ent_id_).replace(" ", "_")
        for token in doc:
            # the dictionary form before any repair: the safety layer's patterns also read it,
            # so a repair that changes the meaning ("niemand" -> "iemand") cannot hide a crisis
            token.norm_ = fold(table.get(token.lower_, token.lower_))
            if token.i in entity_lemmas:
                token.lemma_ = entity_lemmas[token.i]
                continue
            lemma = token.lemma_ or token.lower_
            if token.is_alpha and token.lower_ not in table:
                corrected = self.lexicon.correct(fold(token.text))
                if corrected:
                    lemma = table.get(corrected, corrected)
            token.lemma_ = fold(lemma)
        return doc

    def to_disk(self, path: Path, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lexicon.json").write_text(
            json.dumps(self.frequencies, ensure_ascii=False), encoding="utf-8"
        )

    def from_disk(self, path: Path, exclude: tuple = ()) -> "DomainNormalizer":
        self.set_frequencies(json.loads((Path(path) / "lexicon.json").read_text(encoding="utf-8")))
        return self


@Language.factory("wlz_normalizer")
def make_normalizer(nlp: Language, name: str) -> DomainNormalizer:
    return DomainNormalizer(nlp, name)
