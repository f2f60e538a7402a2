"""A short follow-up read once more, together with the person's message before it.

The intent classifier reads one message at a time. "waar vragen we dat aan" after "we willen een
pgb voor onze dochter" is about the pgb, but its words alone point to the CIZ indication; "mag
ik met haar mee" after "mijn vrouw gaat naar een verpleeghuis" is about moving in along. A
follow-up that points back (a word like "dat", "daar" or "haar", and few words) is therefore
read again by the same model, joined to the previous message, through Rasa's own parse
endpoint. The joined reading is used only when it is sure; when Rasa cannot be reached the
message keeps its own reading (the conversation goes on as before).
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

import requests

from actions.events import previous_user_text
from nlp.follow_up import is_next_step_question, refusal_intent
from nlp.vocabulary import fold

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2.0
# Words that point back to what was just discussed: "hoe lang duurt dat?".
BACK_REFERENCES = frozenset(
    "dat dit die deze het daar daarvan daarover daarbij daarvoor daarmee daaraan daarin "
    "ervan erover erbij ervoor ermee eraan erin".split()
)
# For a question read with the message before it also a person or "such a thing" named there:
# "mag ik met haar mee", "waar vind ik zo'n plek".
POINTERS = BACK_REFERENCES | frozenset(
    "daarna ze zij hij hem haar zijn dan zo zon zoiets zulke".split()
)
# How a Dutch question starts: a question word, or the verb ("mag ik...", "kost dat...").
QUESTION_STARTS = frozenset(
    "wat waar wie hoe hoeveel hoelang wanneer welke welk waarom waarvoor waarmee mag mogen kan "
    "kun kunnen moet moeten krijg krijgt krijgen is zijn heeft hebben heb betaal betaalt betalen "
    "gaat gaan komt komen wordt worden blijft blijven duurt kost kosten valt vallen telt geldt "
    "werkt bij naar".split()
)
# A longer message says what it is about by itself.
MAX_WORDS = 14
# How sure the joined reading must be to replace the message's own (development dialogues).
SURE = 0.5
# Not from a joined reading: a term named in the earlier message is not what a follow-up asks
# ("waar vraag ik dat aan" after "wat is een indicatie" wants the application, not the word).
NOT_JOINED = frozenset({"ask_term_meaning"})
# "andere vraag: hoe lang duurt een aanvraag?" says itself that it leaves the earlier topic
NEW_SUBJECT = re.compile(
    r"\b(?:andere vraag|ander ding|iets anders|los daarvan|nog een vraag|ander onderwerp|"
    r"even wat anders|nog iets|verder wil ik|trouwens)\b"
)


def rasa_urls() -> list[str]:
    return [u.strip().rstrip("/") for u in os.environ.get("RASA_URL", "").split(",") if u.strip()]


def asks(text: str) -> bool:
    """A question, not a statement: "hij woont nog alleen" tells, "waar vraag ik dat aan" asks."""
    words = [
        w for w in re.findall(r"\w+", fold(text)) if w not in ("en", "maar", "ok", "oke", "dus")
    ]
    return "?" in text or bool(words) and words[0] in QUESTION_STARTS


def leans_on_context(text: str) -> bool:
    words = re.findall(r"\w+", fold(text))
    return 0 < len(words) <= MAX_WORDS and bool(POINTERS.intersection(words)) and asks(text)


def parse(text: str) -> dict[str, Any] | None:
    """Rasa's reading of a text, or None when no Rasa server answers in time."""
    token = os.environ.get("RASA_API_TOKEN", "")
    for url in rasa_urls():
        try:
            response = requests.post(
                f"{url}/model/parse",
                params={"token": token} if token else None,
                json={"text": text},
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError):
            log.warning("Rasa parse unavailable at %s; the message keeps its own reading.", url)
    return None


def reading_in_context(events: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The joined reading of a follow-up that points back, when it is sure; otherwise None."""
    previous = previous_user_text(events)
    if previous is None or not leans_on_context(text):
        return None
    # "wat nu?" and "en als ze nee zeggen?" are read from where the person stands (nlp/follow_up.py)
    if is_next_step_question(text) or refusal_intent(text) or NEW_SUBJECT.search(fold(text)):
        return None
    reading = parse(f"{previous.rstrip(' .?!')}. {text}")
    if not reading:
        return None
    intent = reading.get("intent") or {}
    name = str(intent.get("name") or "")
    if (
        not name.startswith("ask_")
        or name in NOT_JOINED
        or float(intent.get("confidence") or 0.0) < SURE
    ):
        return None  # only a topic's answer; a greeting, crisis or fallback says nothing new
    return reading
