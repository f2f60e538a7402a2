"""Answer search: a second opinion beside the intent classifier.

Every answered topic is a document: its title, its texts (general, relative, "more") and the
glossary terms that point to it. scikit-learn's tf-idf over character n-grams of the folded
text (typos and Dutch compounds still share most n-grams) ranks the topics for a message.

`second_opinion` then decides what the assistant does with a topic question:
- the classifier is sure, or the search agrees with it: answer;
- otherwise: ask back ("Bedoelt u...?") with the classifier's and the search's topics as buttons,
  because a wrong answer costs more than a click;
- a greeting, "help" or "thanks" that is really a question ("ik zoek hulp bij een verpleeghuis"):
  ask back with the search's topics.
The thresholds were chosen on the validation sets (benchmarks/validation/), never on the
held-out or real-question sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from actions.content import Content, content
from nlp.vocabulary import fold

# Chosen on the validation sets plain, hard and topics_2026-12 together (December 2026): the
# classifier alone answered 87.6 % right and 10.9 % wrong; trusting it from 0.75 and asking back
# below that unless the search agrees gave 83.8 % right, 8.4 % asked back with the right topic
# among the buttons and 7.8 % wrong. The search itself adds little (83.0 % right without it);
# with a lower similarity floor (0.12) it hurt (9.3 % wrong).
SURE = 0.75
SEARCH_MIN = 0.18
# conversation intents that must not hide a question; longer messages are questions
GENERIC = {"greet", "help", "thank", "affirm", "deny", "goodbye"}
# answered from the message itself (a word to explain, a place), not from a topic text
NOT_JUDGED = {"ask_term_meaning", "ask_which_care_office"}
QUESTION_WORDS = 5


@dataclass(frozen=True)
class Opinion:
    kind: str  # "answer" or "ask"
    intents: tuple[str, ...]


class AnswerSearch:
    def __init__(self, registry: Content) -> None:
        documents: dict[str, list[str]] = {}
        for item in registry.answers:
            intent = item["intent"]
            if not intent.startswith("ask_") or not registry.topic_title(intent):
                continue
            parts = documents.setdefault(intent, [registry.topic_title(intent) or ""])
            parts += [str(item.get(key) or "") for key in ("text", "text_relative", "more")]
        for term in registry.terms:
            if term.get("topic") in documents:
                documents[term["topic"]] += [
                    term["id"].replace("_", " "),
                    *term.get("terms", []),
                    str(term.get("text") or ""),
                ]
        self.intents = list(documents)
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold
        )
        self.matrix = self.vectorizer.fit_transform(" ".join(parts) for parts in documents.values())

    def rank(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        scores = linear_kernel(self.vectorizer.transform([text]), self.matrix)[0]
        best = scores.argsort()[::-1][:limit]
        return [(self.intents[i], float(scores[i])) for i in best]


@lru_cache(maxsize=1)
def answer_search() -> AnswerSearch:
    return AnswerSearch(content())


def second_opinion(
    text: str, ranking: Iterable[Mapping[str, Any]], search: AnswerSearch | None = None
) -> Opinion:
    """Answer the classifier's topic, or ask back with the likeliest topics."""
    ranked = [r for r in ranking if r.get("name") and r.get("name") != "nlu_fallback"]
    if not ranked:
        return Opinion("answer", ())
    top, confidence = str(ranked[0]["name"]), float(ranked[0].get("confidence") or 0.0)
    words = len(text.split())
    if top in NOT_JUDGED:
        return Opinion("answer", (top,))
    is_topic = top.startswith("ask_")
    if not is_topic and not (top in GENERIC and words >= QUESTION_WORDS):
        return Opinion("answer", (top,))  # flows, navigation, handoff, crisis: not ours to judge
    found = [(i, s) for i, s in (search or answer_search()).rank(text) if s >= SEARCH_MIN]
    if is_topic and (confidence >= SURE or (found and found[0][0] == top)):
        return Opinion("answer", (top,))
    candidates = ([top] if is_topic else []) + [
        str(r["name"]) for r in ranked[1:3] if str(r["name"]).startswith("ask_")
    ]
    candidates += [i for i, _ in found[:2]]
    chosen = tuple(dict.fromkeys(candidates))[:3]
    if not is_topic and not found:
        return Opinion("answer", (top,))  # a long greeting with no topic in it is a greeting
    return Opinion("ask", chosen)
