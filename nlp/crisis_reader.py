"""The safety layer's second reader: a classifier of its own for "danger now, which kind".

The intent classifier learns the crisis intents from a few hundred NLU examples among sixty
other intents. This reader learns only one question, from more examples: the crisis and
near-miss messages of the development sets (nlp/crisis_dev*.yml, ten writers) and every NLU
training example (the crisis intents as their category, all others as "none"). Character
n-grams (2-5, within words) and word n-grams (1-2), tf-idf, logistic regression.

It confirms or adds to the intent classifier where no pattern matched (nlp/crisis.py): the
intent classifier alone counts only when this reader also gives a crisis at least
`confirm`, and this reader alone counts (as a safety check) from `alone`. Both thresholds were
chosen by leave-one-writer-out over the five development sets (README, "Safety net").

Pure: scikit-learn and numpy. Stored as plain arrays (no pickle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlp.vocabulary import fold

NONE = "none"
DEVELOPMENT_FILES = sorted(Path(__file__).resolve().parent.glob("crisis_dev*.yml"))


def development_examples(paths: Iterable[Path] = DEVELOPMENT_FILES) -> list[tuple[str, str]]:
    """(text, category or "none") of the development sets' crises and near misses."""
    examples = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        examples += [(m["text"], m["category"]) for m in data.get("crisis") or []]
        examples += [
            (m["text"] if isinstance(m, dict) else m, NONE) for m in data.get("controls") or []
        ]
    return examples


def _vectorizers(
    char_terms: Any = None, word_terms: Any = None
) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        preprocessor=fold,
        vocabulary=char_terms,
    )
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        sublinear_tf=True,
        preprocessor=fold,
        vocabulary=word_terms,
    )
    return chars, words


class CrisisReader:
    def __init__(
        self, chars: TfidfVectorizer, words: TfidfVectorizer, model: LogisticRegression
    ) -> None:
        self.chars, self.words, self.model = chars, words, model
        self._none = list(model.classes_).index(NONE)

    @classmethod
    def fit(cls, examples: list[tuple[str, str]], C: float = 10.0) -> "CrisisReader":
        texts, labels = [t for t, _ in examples], [c for _, c in examples]
        chars, words = _vectorizers()
        matrix = sparse.hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
        model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(matrix, labels)
        return cls(chars, words, model)

    def read(self, text: str) -> tuple[str | None, float]:
        """(the likeliest crisis category, the probability of any crisis)."""
        matrix = sparse.hstack([self.chars.transform([text]), self.words.transform([text])]).tocsr()
        probabilities = self.model.predict_proba(matrix)[0]
        crisis = 1.0 - float(probabilities[self._none])
        ranked = [c for c in np.argsort(-probabilities) if c != self._none]
        return str(self.model.classes_[ranked[0]]), crisis

    def arrays(self) -> dict[str, np.ndarray]:
        def terms(vectorizer: TfidfVectorizer) -> np.ndarray:
            ordered = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
            return np.array([term for term, _ in ordered])

        return {
            "char_terms": terms(self.chars),
            "char_idf": self.chars.idf_,
            "word_terms": terms(self.words),
            "word_idf": self.words.idf_,
            "coef": self.model.coef_,
            "intercept": self.model.intercept_,
            "classes": np.array(self.model.classes_),
        }

    @classmethod
    def from_arrays(cls, stored: Any) -> "CrisisReader":
        chars, words = _vectorizers(list(stored["char_terms"]), list(stored["word_terms"]))
        chars.idf_, words.idf_ = stored["char_idf"], stored["word_idf"]
        model = LogisticRegression()
        model.coef_, model.intercept_ = stored["coef"], stored["intercept"]
        model.classes_ = np.array([str(c) for c in stored["classes"]])
        return cls(chars, words, model)
