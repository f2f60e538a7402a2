"""Readability of every text the assistant can say (Flesch-Douma, Dutch).

Flesch-Douma = 206.835 - 0.93 * words/sentence - 77 * syllables/word; textstat
applies these Dutch weights with set_lang("nl"). 60 and up reads as plain
language (roughly B1). Prints the median and the hardest texts.

Usage: python -m benchmarks.readability
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Iterator

import textstat

from actions.content import Content

textstat.set_lang("nl")
SAMPLE_RELATION = "moeder"
# values the actions fill in at run time, for scoring dialogue texts
DIALOGUE_SAMPLES = {
    "plaats": "Utrecht",
    "regio": "Utrecht",
    "zorgkantoor": "Zilveren Kruis Zorgkantoor",
    "regio_jaar": "2025",
    "zorgkantoor_jaar": "2016",
    "ontvanger": "Zorgkantoor Voorbeeldregio",
    "referentie": "WLZ-7K3M-Q9",
    "verwachting": "binnen 2 werkdagen",
    "samenvatting": "- Onderwerpen: Wat is een pgb?\n- Over wie: uw moeder\n- Contact: bellen",
    "waarde": "pgb",
    "flow": "de keuzehulp",
    "nummer": "3",
    "totaal": "9",
    "titel": "De keuze",
    "link": "https://www.zorgkantoor-voorbeeld.nl/plan/abc",
    "manier": "bellen",
}


@dataclass(frozen=True)
class ScoredText:
    where: str
    text: str
    flesch_douma: float
    words: int
    words_per_sentence: float


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def rendered_texts(content: Content) -> Iterator[tuple[str, str]]:
    """(where, text as the user sees it) for every answer, term and dialogue text."""
    for item in content.answers:
        for field in ("text", "text_relative", "more", "more_relative"):
            if item.get(field):
                relation = SAMPLE_RELATION if field.endswith("_relative") else None
                yield f"answers.yml {item['id']}.{field}", content.render(item[field], relation)
    for term in content.terms:
        yield f"glossary.yml {term['id']}", content.render(term["text"])
    for key, entry in (content.dialogue.get("texts") or {}).items():
        if len(entry["text"].split()) >= 4:  # button labels are not prose
            yield (
                f"dialogue.yml {key}",
                content.render(entry["text"], SAMPLE_RELATION, **DIALOGUE_SAMPLES),
            )
    for where, entry in content.flow_items():
        if len(entry["text"].split()) >= 4:
            yield where, content.render(entry["text"], SAMPLE_RELATION, **DIALOGUE_SAMPLES)
        if entry.get("text_relative"):
            yield f"{where}.text_relative", content.render(entry["text_relative"], SAMPLE_RELATION)
        if entry.get("todo"):
            yield f"{where}.todo", content.render(entry["todo"])
    yield from crisis_texts(content)


def crisis_texts(content: Content) -> Iterator[tuple[str, str]]:
    """The safety layer's replies (content/crisis.yml), with the huisarts named as by day."""
    crisis = content.crisis
    for key, item in (crisis.get("categories") or {}).items():
        for field in ("text", "more_office_open", "more_office_closed"):
            if item.get(field):
                yield (
                    f"crisis.yml {key}.{field}",
                    content.render(item[field], huisarts="uw huisarts"),
                )
    for key in ("office_open", "office_closed", "resume", "in_handoff"):
        yield f"crisis.yml closing.{key}", content.render(crisis["closing"][key])
    check = crisis["check"]
    for key, line in check["lines"].items():
        text = " ".join([check["intro"], line, check["question"]])
        yield f"crisis.yml check.{key}", content.render(text, huisarts="uw huisarts")


def score(where: str, text: str) -> ScoredText:
    words = len(text.split())
    parts = sentences(text) or [text]
    return ScoredText(where, text, textstat.flesch_reading_ease(text), words, words / len(parts))


def score_all(content: Content | None = None) -> list[ScoredText]:
    content = content or Content()
    return [score(where, text) for where, text in rendered_texts(content)]


def main() -> None:
    scored = score_all()
    values = [s.flesch_douma for s in scored]
    print(f"texts scored: {len(scored)}")
    print(f"Flesch-Douma median: {statistics.median(values):.1f}  minimum: {min(values):.1f}")
    print(
        f"words per sentence, median: {statistics.median(s.words_per_sentence for s in scored):.1f}"
    )
    print("hardest five:")
    for s in sorted(scored, key=lambda s: s.flesch_douma)[:5]:
        print(f"  {s.flesch_douma:5.1f}  {s.where}")


if __name__ == "__main__":
    main()
