"""Decisions of the warm handoff, as plain functions (no Rasa imports).

Reads what the person typed or clicked (who they want to talk to, how to be
contacted, phone, e-mail, yes/no) and builds the summary they consent to share.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from nlp.crisis import category_of
from nlp.vocabulary import fold

TARGETS = ("zorgkantoor", "oco")
METHODS = ("chat", "telefoon", "email")
PARTS_OF_DAY = ("ochtend", "middag")

_YES = {
    "ja",
    "jazeker",
    "jawel",
    "graag",
    "ok",
    "oke",
    "okay",
    "prima",
    "goed",
    "is goed",
    "akkoord",
    "dat mag",
    "mag",
    "ja hoor",
    "ja graag",
    "ja dat mag",
    "ja, dat mag",
    "zeker",
    "klopt",
    "yes",
}
_NO = {
    "nee",
    "neen",
    "nee hoor",
    "liever niet",
    "niet",
    "nope",
    "nee dank je",
    "nee dank u",
    "no",
    "nee, liever niet",
    "niet delen",
}


# a first word or a phrase that says yes: "prima, deel het maar", "dat mag hoor"
_YES_FIRST = {"ja", "jazeker", "jawel", "graag", "prima", "oke", "ok", "okay", "akkoord", "zeker"}
_NO_PHRASES = (
    "liever niet",
    "mag niet",
    "niet delen",
    "niet doorgeven",
    "wil ik niet",
    "zeker niet",
)
NEGATIONS = {"niet", "geen", "nooit"}
_YES_PHRASES = (
    "deel het maar",
    "deel maar",
    "dat mag",
    "mag gedeeld",
    "mag je delen",
    "mag u delen",
    "ga je gang",
    "ga uw gang",
    "doe maar",
    "is goed",
    "vind ik goed",
)


def _words(text: str) -> str:
    return re.sub(r"[^\w@.+\- ]", " ", fold(text)).strip()


def parse_yes_no(text: str) -> bool | None:
    """Consent decides whether anything is shared: a "no" anywhere wins over a "yes" ("ok,
    liever niet", "zeker niet", "prima, maar niet delen"), and a yes needs no negation at all."""
    words = _words(text)
    tokens = set(words.replace(",", " ").split())
    if (
        words in _NO
        or words.split(" ")[0] in {"nee", "neen"}
        or any(no in words for no in _NO_PHRASES)
        or tokens & {"nee", "neen"}
    ):
        return False
    if tokens & NEGATIONS:
        return None  # "graag niet", "ja maar niet alles": ask again rather than guess
    if (
        words in _YES
        or words.startswith(("ja ", "ja,"))
        or words.split(" ")[0] in _YES_FIRST
        or any(phrase in words for phrase in _YES_PHRASES)
    ):
        return True
    return None


def parse_target(text: str) -> str | None:
    """'zorgkantoor' or 'oco' from a button title or typed words."""
    words = _words(text)
    # "mee" and "oco" as whole words only: "weet ik niet meer" names no organisation
    if set(words.split()) & {"oco", "mee"} or any(
        k in words for k in ("onafhankelijk", "zorgbelang", "clientondersteuner")
    ):
        return "oco"
    if any(
        k in words
        for k in ("zorgkantoor", "adviseur", "klantadviseur", "maakt niet uit", "geen voorkeur")
    ):
        return "zorgkantoor"
    return None


def asks_for_difference(text: str) -> bool:
    words = _words(text)
    return "verschil" in words or "welke moet ik" in words or "wat is beter" in words


def parse_method(text: str, staff_online: bool) -> str | None:
    words = _words(text)
    if any(k in words for k in ("bel", "telefo", "terugbellen", "gebeld", "mobiel")):
        return "telefoon"
    if any(k in words for k in ("mail", "e-mail", "email")):
        return "email"
    if staff_online and any(k in words for k in ("chat", "nu ", "meteen", "direct", "nu")):
        return "chat"
    return None


def no_preference(text: str) -> bool:
    words = _words(text)
    return any(
        k in words
        for k in (
            "maakt niet uit",
            "geen voorkeur",
            "allebei",
            "altijd",
            "weet ik niet",
            "weet niet",
            "maakt me niet uit",
            "om het even",
        )
    )


def parse_part_of_day(text: str) -> str | None:
    words = _words(text)
    if "ochtend" in words or "morgen" in words or "voor 12" in words:
        return "ochtend"
    if "middag" in words or "na 12" in words or "avond" in words:
        return "middag"
    if no_preference(text):
        return "geen voorkeur"
    return None


def match_organisation(
    text: str, organisations: Iterable[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The organisation a button or typed words name: "MEE", "zorgbelang graag", its id.

    A typed word counts when it is in exactly one organisation's name, so a region that two
    names share ("MEE Utrecht", "Zorgbelang Utrecht") picks neither and the question is asked
    again.
    """
    typed = _words(text)
    organisations = list(organisations)
    names = [set(_words(str(org.get("name", ""))).split()) for org in organisations]
    for org in organisations:
        if typed in {str(org.get("id")), _words(str(org.get("name", "")))}:
            return org
    counts = Counter(word for name in names for word in name)
    candidates = [
        org
        for org, name in zip(organisations, names)
        if set(typed.split()) & {word for word in name if counts[word] == 1}
    ]
    return candidates[0] if len(candidates) == 1 else None


_PHONE_CHARS = re.compile(r"[\s\-().]")
_PHONE_IN_TEXT = re.compile(r"(?:\+31|0031|\(?0)[\d\s\-().]{8,18}\d")


def normalise_phone(text: str) -> str | None:
    """A Dutch phone number as digits starting with 0, or None when it is not one.

    Accepts 06-12345678, +31 (0)6 1234 5678, 0031 20 1234567, 020-1234567 (ten
    digits after removing +31/0031) and 0800/0900 numbers with 4 or 7 more digits.
    """
    # the number may come inside a sentence: "u kunt me bereiken op 06-23456789"
    found = _PHONE_IN_TEXT.search(text)
    candidate = (
        found.group() if found and not _PHONE_CHARS.sub("", text.strip()).isdigit() else text
    )
    digits = _PHONE_CHARS.sub("", candidate.strip().replace("(0)", ""))
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    if re.fullmatch(r"0(?!800|90[069])[1-9]\d{8}", digits) or re.fullmatch(
        r"09(00|06|09)\d{4}(\d{3})?|0800\d{4}(\d{3})?", digits
    ):
        return digits
    return None


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)


def normalise_email(text: str) -> str | None:
    candidate = text.strip().strip(".,;").lower()
    if len(candidate) <= 254 and _EMAIL.match(candidate) and ".." not in candidate:
        return candidate
    return None


# -- the summary the person consents to share ---------------------------------

URGENT_WORDS = (
    "spoed",
    "crisis",
    "noodgeval",
    "gaat niet meer",
    "kan niet meer",
    "red het niet",
    "valt steeds",
    "gevallen",
    "onveilig",
    "niet meer veilig",
    "acuut",
    "dringend",
)
PGB_INTENTS = {
    "ask_pgb_what",
    "ask_pgb_conditions",
    "ask_pgb_interview",
    "ask_pgb_duties",
    "ask_pgb_representative",
    "ask_pgb_not_possible",
    "start_pgb_check",
}
NOT_TOPICS = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "help",
    "bot_challenge",
    "insult",
    "english",
    "tell_more",
    "inform_for_whom",
    "inform",
    "nlu_fallback",
    "request_human",
    "request_callback",
    "next_step",
    "go_back",
    "where_was_i",
    "skip",
    "stop",
    "restart",
    "out_of_scope",
}


@dataclass
class Summary:
    topics: list[str] = field(default_factory=list)
    for_whom: str | None = None
    signals: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    plan_id: str | None = None
    crisis: str | None = None  # the safety layer's latest category: the adviser sees it first

    def as_dict(self) -> dict[str, Any]:
        found = {
            "topics": self.topics,
            "for_whom": self.for_whom,
            "signals": self.signals,
            "unanswered": self.unanswered,
        }
        return {**found, "crisis": self.crisis} if self.crisis else found


def summarise(
    user_messages: Iterable[Mapping[str, Any]],
    relation: str | None,
    flow_signals: Iterable[str] = (),
    plan_id: str | None = None,
    max_unanswered: int = 5,
) -> Summary:
    """Summary from the user's messages (each with 'text' and 'intent') and flow results."""
    summary = Summary(for_whom=relation, plan_id=plan_id)
    signals: list[str] = list(flow_signals)
    for message in user_messages:
        intent, text = message.get("intent") or "", message.get("text") or ""
        crisis = category_of(intent)
        if crisis:
            summary.crisis = crisis
        elif intent and intent not in NOT_TOPICS and intent not in summary.topics:
            summary.topics.append(intent)
        if intent == "nlu_fallback" and text and not text.startswith("/"):
            summary.unanswered.append(text[:300])
        if intent in PGB_INTENTS and "wens_pgb" not in signals:
            signals.append("wens_pgb")
        if (crisis or any(w in fold(text) for w in URGENT_WORDS)) and "urgent" not in signals:
            signals.append("urgent")
    summary.unanswered = summary.unanswered[-max_unanswered:]
    summary.signals = signals
    return summary
