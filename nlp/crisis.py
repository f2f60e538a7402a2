"""The safety layer: does a message point to danger now, and which door does it need?

Two readers, one decision:
- rules: spaCy Matcher patterns on the normalised lemmas of the message (nlp/crisis_rules.yml),
  for the long tail of crisis phrasings that a classifier trained on a few hundred examples
  misses (third person, typos, indirect wording);
- the intent classifier, trained on the crisis_* intents (data/nlu/crisis*.yml), for phrasings
  no pattern foresaw. Alone it counts only above a threshold, and then the bot checks first
  (one line with the door, then "is dat nu zo?") instead of the whole crisis reply.

A message about the past ("vorig jaar is hij gevallen") or an idiom ("ik lach me dood") is not
a crisis unless it also says it happens now; a weak pattern also yields to general wording
("wat doet Veilig Thuis"). The decision wins over every other reading, including stop, deny
and a form's answer (see data/crisis.yml).

Pure: spaCy only, no Rasa. The Rasa component (nlp/crisis_component.py) and the benchmark
(benchmarks/crisis.py) both call `CrisisRules.decide`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc

from contract.crisis import CATEGORIES
from nlp.vocabulary import fold

RULES_FILE = Path(__file__).resolve().parent / "crisis_rules.yml"
INTENT_PREFIX = "crisis_"
# The intent's confidence when only the classifier saw a crisis: below 1, so the action checks
# with the person before the whole crisis reply (a button payload "/crisis_x" is 1 again).
CHECK_CONFIDENCE = 0.9
GAP = re.compile(r"^~(\d*)$")
# Words that start a new clause after "ik kan niet meer": "..., en", "maar", "want", "echt".
CLAUSE_WORDS = frozenset("en maar want echt hoor ik het help hulp wat hoe".split())


def intent_name(category: str) -> str:
    return INTENT_PREFIX + category


def category_of(intent: str | None) -> str | None:
    """'crisis_medical' -> 'medical'; None for any other intent."""
    if intent and intent.startswith(INTENT_PREFIX) and intent[len(INTENT_PREFIX) :] in CATEGORIES:
        return intent[len(INTENT_PREFIX) :]
    return None


def compile_pattern(
    pattern: str,
    groups: Mapping[str, list[str]] | None = None,
    lemmas: Any = None,
    attr: str = "LEMMA",
) -> list[dict[str, Any]]:
    """A pattern line as spaCy Matcher token specs.

    Terms are separated by spaces (nlp/crisis_rules.yml explains them with examples):
    - ``vallen|gevallen|valt``: the token's lemma (lower case, no diacritics) is one of these;
      list the inflected forms too, the lookup lemmatizer does not know every form;
    - ``=slaat|=sloeg``: the word as typed (lower case), where the lemma is too broad
      ("sla over" is not "slaat");
    - ``@person``: one of the words of that group;
    - ``re:^bloed``: the lemma matches this regular expression;
    - ``~`` or ``~3``: up to that many other tokens may stand here.
    A trailing ``$`` is handled by `CrisisRules`: the match must end the message or a clause;
    a leading ``?`` marks a weak pattern (a trait that is often background, see `Reading`).
    `attr` is the token attribute: LEMMA (repaired lemma) or NORM (dictionary form, unrepaired).
    """
    groups = groups or {}
    lemmas = lemmas or {}
    specs: list[dict[str, Any]] = []
    for term in pattern.removeprefix("?").removesuffix("$").split():
        gap = GAP.match(term)
        if gap:
            specs += [{"OP": "?"}] * int(gap.group(1) or 1)
        elif term.startswith("re:"):
            specs.append({attr: {"REGEX": term[3:]}})
        elif term.startswith("="):
            specs.append({"LOWER": {"IN": [form.lstrip("=") for form in term.split("|")]}})
        else:
            forms: list[str] = []
            for form in term.split("|"):
                forms += groups[form[1:]] if form.startswith("@") else [form]
            # a form and its dictionary form: "schreeuwt" is read as "schreeuwen"
            folded = {fold(form) for form in forms} | {
                fold(lemmas.get(form, form)) for form in forms
            }
            specs.append({attr: {"IN": sorted(folded)}})
    if not specs or "OP" in specs[0] or "OP" in specs[-1]:
        raise ValueError(f"a crisis pattern must start and end with a word: {pattern!r}")
    return specs


def ends_clause(doc: Doc, end: int) -> bool:
    """Whether a match ending before token `end` ends the message or a clause."""
    return end >= len(doc) or doc[end].is_punct or doc[end].lower_ in CLAUSE_WORDS


@dataclass(frozen=True)
class Reading:
    """What the rules saw in one message.

    A strong pattern ("ligt op de grond", "slaat me") counts unless the message is about the
    past ("vorig jaar"). A weak one ("agressief", "hoort stemmen") is often background to a Wlz
    question ("mijn zoon kan soms agressief zijn, welke woonvorm past"), so it also yields to
    habitual and general wording. Either way a sign of "now" ("net", "vannacht") keeps it.
    """

    strong: frozenset[str]
    weak: frozenset[str]
    past: bool
    background: bool
    now: bool
    idiom: bool = False  # "ik lach me dood": nothing counts
    recent: bool = False  # "vorige week", "gisteren": ends a match but for the exempt categories
    recent_exempt: frozenset[str] = frozenset()  # abuse and suicide
    # categories whose own "not this" wording appeared ("de thuiszorg stopt zodra ze naar het
    # verpleeghuis gaat" is no sudden loss of care); a sign of now still keeps them, for the
    # patterns only a sign stronger than "nu" (see present_only)
    vetoed: frozenset[str] = frozenset()
    # the person with dementia or a psychosis hits the writer ("pa (dementie) slaat me"): the
    # door is the huisarts (danger at home), not Veilig Thuis
    by_condition: bool = False
    # the only sign of now is "nu" ("het gaat prima nu"), not "net" or "vannacht"
    present_only: bool = False

    @property
    def categories(self) -> frozenset[str]:
        if self.idiom:
            return frozenset()
        if self.now:
            found = self.strong | self.weak
            if self.present_only:  # "nu" alone does not take back "but it is fine now"
                found -= self.vetoed
        elif self.past:
            return frozenset()
        else:
            found = (self.strong if self.background else self.strong | self.weak) - self.vetoed
            found = found & self.recent_exempt if self.recent else found
        if self.by_condition and "abuse" in found:
            found = (found - {"abuse"}) | {"danger_home"}
        return found


@lru_cache(maxsize=1)
def dictionary_forms() -> Any:
    """spaCy's Dutch lemma table (spacy-lookups-data): .get(word form) -> dictionary form."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    except (ImportError, ValueError, OSError):  # no table: patterns list their own forms
        return {}


CLASSIFIER_MIN_WORDS = 3
CLASSIFIER_MIN_CONTENT_WORDS = 2  # words other than spaCy's Dutch stop words
SHORT_MESSAGE_MIN_CONFIDENCE = 0.95


# sections that take a match back: matched on the words as typed only
SILENCERS = frozenset(
    {"past", "recent_past", "closings", "background", "idioms", *(f"not_{c}" for c in CATEGORIES)}
)
CLAUSE_BREAKS = {",", ".", ";", ":", "?", "!", "\n"}


def _clause_ids(doc: Doc) -> list[int]:
    """For each token, the number of the clause it stands in (split at punctuation)."""
    ids, clause = [], 0
    for token in doc:
        ids.append(clause)
        if token.text in CLAUSE_BREAKS or token.is_space and "\n" in token.text:
            clause += 1
    return ids


class CrisisRules:
    def __init__(self, rules: Mapping[str, Any] | None = None, path: Path = RULES_FILE) -> None:
        if rules is None:
            rules = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.rules = rules
        self.min_confidence = float(rules.get("classifier_min_confidence", 0.6))
        second = rules.get("second_reader") or {}
        self.second_confirm = float(second.get("confirm", 0.5))
        self.second_alone = float(second.get("alone", 0.9))
        self.second_sure = float(second.get("sure", 1.01))
        self.second_overruled = float(second.get("overruled", 1.01))
        self._matchers: dict[int, Matcher] = {}  # one per spaCy vocabulary

    def _matcher(self, doc: Doc) -> Matcher:
        key = id(doc.vocab)
        if key not in self._matchers:
            matcher = Matcher(doc.vocab)
            groups = self.rules.get("groups") or {}
            lemmas = dictionary_forms()
            sections = {
                **{c: self.rules["categories"][c] for c in CATEGORIES},
                **{
                    name: self.rules.get(name, [])
                    for name in (
                        "past",
                        "recent_past",
                        "closings",
                        "background",
                        "now",
                        "present",
                        "idioms",
                    )
                },
                **{
                    f"condition_{part}": (self.rules.get("aggression_by_condition") or {}).get(
                        part, []
                    )
                    for part in ("condition", "against_writer", "except")
                },
                **{f"not_{c}": (self.rules.get("not") or {}).get(c, []) for c in CATEGORIES},
            }
            for label, patterns in sections.items():
                # "!" marks a weak pattern, "$" one whose match must end a clause
                for pattern in patterns:
                    weak, clause = pattern.startswith("?"), pattern.endswith("$")
                    name = label + ("!" if weak else "") + ("$" if clause else "")
                    # a sign of danger also on the typo-repaired lemma; what silences one only
                    # on the words as typed: the repair read "water" as "later" (the past)
                    attrs = ("NORM",) if label in SILENCERS else ("LEMMA", "NORM")
                    matcher.add(
                        name, [compile_pattern(pattern, groups, lemmas, attr) for attr in attrs]
                    )
            self._matchers[key] = matcher
        return self._matchers[key]

    def read(self, doc: Doc) -> Reading:
        labels = set()
        clauses = _clause_ids(doc)
        seen_in: dict[str, set[int]] = {}  # label -> the clauses it matched in
        for match_id, start, end in self._matcher(doc)(doc):
            label = doc.vocab.strings[match_id]
            if label.endswith("$"):
                if not ends_clause(doc, end):
                    continue
                label = label[:-1]
            labels.add(label)
            seen_in.setdefault(label.rstrip("!"), set()).add(clauses[start])
        # a category's "not" wording counts only in the clause where the category matched: in
        # "ik wil niet meer leven. wie betaalt als ik overleden ben" the second clause does not
        # take back the first; with no category match (the classifier alone) it counts anywhere
        vetoed = frozenset(
            c
            for c in CATEGORIES
            if f"not_{c}" in seen_in and seen_in.get(c, set()) <= seen_in[f"not_{c}"]
        )
        return Reading(
            strong=frozenset(labels & set(CATEGORIES)),
            weak=frozenset(c for c in CATEGORIES if c + "!" in labels),
            past="past" in labels,
            background="background" in labels,
            idiom="idioms" in labels,
            now="now" in labels or ("present" in labels and not {"past", "recent_past"} & labels),
            # a thank-you ends most matches too, but not a farewell ("dit is mijn
            # laatste bericht, bedankt voor de hulp") or abuse
            recent="recent_past" in labels or "closings" in labels,
            recent_exempt=frozenset(self.rules.get("recent_past_exempt") or ()),
            vetoed=vetoed,
            by_condition={"condition_condition", "condition_against_writer"} <= labels
            and "condition_except" not in labels,
            present_only="now" not in labels and "present" in labels,
        )

    @staticmethod
    def _ended(reading: Reading, category: str | None) -> bool:
        """The message is about the past (or the recent past, for most categories), not now."""
        ended = reading.past or (reading.recent and category not in reading.recent_exempt)
        return ended and not reading.now

    def decide(
        self,
        doc: Doc,
        ranking: Iterable[Mapping[str, Any]] = (),
        second: tuple[str | None, float] | None = None,
    ) -> str | None:
        """The crisis category of a message, or None.

        `ranking` is the classifier's intent ranking (best first; nlu_fallback is skipped);
        `second` the second reader's (category, probability of a crisis), when there is one.
        """
        decision = self.decide_with_source(doc, ranking, second)
        return decision[0] if decision else None

    def decide_with_source(
        self,
        doc: Doc,
        ranking: Iterable[Mapping[str, Any]] = (),
        second: tuple[str | None, float] | None = None,
    ) -> tuple[str, bool] | None:
        """(category, whether a pattern matched) or None. Without a pattern only the classifiers
        saw it: on the development sets that was right for most crises the rules missed, but it
        also fired on idioms ("ik lach me dood"), so the bot then checks before it alarms.

        With the second reader (nlp/crisis_reader.py) the intent classifier's crisis counts only
        when the reader agrees at least `confirm`; the reader alone counts from `alone`."""
        reading = self.read(doc)
        if reading.idiom:
            return None
        ranked = [r for r in ranking if r.get("name") != "nlu_fallback"]
        top = ranked[0] if ranked else {}
        by_classifier = category_of(top.get("name"))
        if reading.categories:
            if "suicide" in reading.categories:  # its door (113, and 112 when acute) comes first
                return "suicide", True
            if by_classifier in reading.categories:
                return by_classifier, True
            return next(c for c in CATEGORIES if c in reading.categories), True
        # a few words ("ik", "haar katten", "ik, en haar buurman": answers inside a form) give the
        # classifiers little to go on: alone they must then be nearly sure ("bloed overal" 0.96,
        # "ik" 0.88 on the model of December 2026); most short crises are the patterns' work
        short = (
            sum(token.is_alpha for token in doc) < CLASSIFIER_MIN_WORDS
            or sum(token.is_alpha and not token.is_stop for token in doc)
            < CLASSIFIER_MIN_CONTENT_WORDS
        )
        needed = SHORT_MESSAGE_MIN_CONFIDENCE if short else self.min_confidence
        if (
            by_classifier
            and float(top.get("confidence", 0.0)) >= needed
            and not self._silenced(reading, by_classifier)
            and (second is None or second[1] >= self.second_confirm)
        ):
            return by_classifier, False
        # the reader alone: never on a few words (it read "ik", a plan answer, as 0.9996 crisis),
        # not where the intent classifier is sure of an ordinary question; the past and "not"
        # wordings are crude ("bloedt na een val" is now): nearly sure, the reader, which learned
        # them from the near misses, outweighs them
        ordinary = float(top.get("confidence", 0.0)) if top and not by_classifier else 0.0
        if (
            second is not None
            and second[0]
            and not short
            and second[1] >= self.second_alone
            and ordinary < self.second_overruled
            and (second[1] >= self.second_sure or not self._silenced(reading, second[0]))
        ):
            return second[0], False
        return None

    def _silenced(self, reading: Reading, category: str) -> bool:
        """About the past, or the category's own "not" wording, and nothing says it is now."""
        return self._ended(reading, category) or (category in reading.vetoed and not reading.now)
