"""Where the person stands on the route to Wlz care, read from what they write.

A phone adviser asks this in the first minute; the assistant listens for it in every message
("mijn vader heeft al een indicatie", "ze staat op de wachtlijst") and keeps it in the slot
`stage` for the rest of the conversation (forgotten at its end, like every slot). "Wat is de
volgende stap?" is then answered from there, not with the general first steps.

Stages, in route order: applying (the CIZ application runs), indicated (an indication, no care
chosen yet), waiting (on a waiting list), in_care (care has started). Nothing found: orienting.
"""
from __future__ import annotations

import re

from nlp.vocabulary import fold

# the later stage wins when a message names two ("heeft een indicatie en staat op de wachtlijst")
PATTERNS: list[tuple[str, re.Pattern[str]]] = [(stage, re.compile(pattern)) for stage, pattern in [
    ("in_care", r"\b(woont|woon|wonen|zit|zitten) (nu |al |sinds kort )*in (een |het |de )?"
                r"(verpleeghuis|instelling|zorginstelling|woonvorm|woongroep)\b"
                r"|\b(heeft|hebben|heb|krijgt|krijgen|krijg) (nu |al )*(een |het )?(pgb|vpt|mpt)\b"
                r"|\bis (al )?opgenomen\b"),
    ("waiting", r"\b(staat|staan|sta) (nu |al )*(\w+ ){0,4}op (de |een )?wachtlijst"
                r"|\bwacht(en|t)? (nu |al )*(\w+ ){0,3}op (een )?(plek|plaats|opname)\b"),
    ("indicated", r"\b(heeft|hebben|heb|kreeg|kregen|krijgt|gekregen) (nu |al |sinds kort |net )*"
                  r"(een |de |het )?(wlz[- ]?)?(indicatie|zorgprofiel|indicatiebesluit)\b"
                  r"|\bindicatie (is )?(binnen|rond|toegekend|gekregen)\b"
                  r"|\b(heeft|hebben|heb) (al )?(vv|vg|lg|lvg|zg) ?\d\b"),
    ("applying", r"\b(indicatie|wlz|ciz)\b.*\b(aangevraagd|ingediend|loopt)\b"
                 r"|\b(aangevraagd|ingediend)\b.*\b(indicatie|ciz|wlz)\b"
                 r"|\bciz (komt|belt|is geweest|was hier)\b"),
]]
ORDER = ["applying", "indicated", "waiting", "in_care"]
# "als ze een indicatie heeft, ...", "wat als": a hypothesis says nothing about where they stand
HYPOTHETICAL = re.compile(r"\b(als|wanneer|zodra|stel dat|hoe)\b")


def stage_of(text: str) -> str | None:
    """The stage a message states, or None."""
    folded = fold(text)
    found = [stage for stage, pattern in PATTERNS if pattern.search(folded)]
    if not found or HYPOTHETICAL.search(folded.split(",")[0]) and "?" in text:
        return None
    return max(found, key=ORDER.index)
