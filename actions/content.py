"""The content registry: every text the assistant says, chosen and filled in.

Texts live in content/*.yml so a zorgkantoor can edit them without touching
code, and every answer names its source. This module only selects and renders;
it has no Rasa imports so it is unit-tested on its own.
"""

from __future__ import annotations

import os
import re
import string
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from contract.hours import WEEKDAYS, is_open
from contract.paths import content_dir
from nlp.vocabulary import canonical, fold


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


# -- sources (content/sources.yml) -----------------------------------------------------------
CHECKED_ON = re.compile(r"\bgecontroleerd (\d{4}-\d{2}-\d{2})\b")
# the assistant's own words or the zorgkantoor's own settings: no fact that needs a source
OWN_WORDS = (
    "eigen tekst",
    "eigen vraag",
    "contactgegevens",
    "werking van deze assistent",
    "de bronnen van de categorieën",
)


@dataclass(frozen=True)
class SourceCheck:
    kind: str  # web | document | own | note
    checked: str | None  # ISO date of the last check, for web pages and documents
    url: str | None = None


def check_source(text: str, documents: list[dict[str, Any]]) -> SourceCheck:
    """What one line of an item's `sources` is: a dated web page, a registered document, the
    assistant's own words, or a note (what the sources do not say)."""
    if text.startswith(("http://", "https://")):
        found = CHECKED_ON.search(text)
        return SourceCheck("web", found.group(1) if found else None, text.split()[0])
    for document in documents:
        if text.startswith(document["key"]):
            return SourceCheck(
                "document", str(document.get("checked") or "") or None, document.get("url")
            )
    if text.startswith(OWN_WORDS):
        return SourceCheck("own", None)
    return SourceCheck("note", None)


def place_key(text: str) -> str:
    """A place name as compared: folded, words only ("'s-Hertogenbosch" -> "'s-hertogenbosch")."""
    return " ".join(re.findall(r"[\w'-]+", fold(text)))


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    answer_id: str | None = None
    # repeats what the person wrote for the persoonlijk plan: the service must not store it
    private: bool = False


# A glossary explanation's answer id is this prefix and the term id ("term:pgb").
TERM_ANSWER = "term:"


def intent_payload(intent: str, entities: Mapping[str, str] | None = None) -> str:
    """A button payload Rasa reads as an intent, optionally with entities."""
    if not entities:
        return f"/{intent}"
    pairs = ",".join(f'"{k}":"{v}"' for k, v in entities.items())
    return f"/{intent}{{{pairs}}}"


_CAPITALISED = "__capitalised"
_AT_SENTENCE_START = re.compile(r"(^|[.!?]\s+)\{(\w+)\}")


class _KeepMissing(dict):
    """format_map helper: leave unknown {placeholders} visible instead of failing."""

    def __missing__(self, key: str) -> str:
        base = key.removesuffix(_CAPITALISED)
        if base != key and isinstance(self.get(base), str):  # {x} opening a sentence
            return self[base][:1].upper() + self[base][1:]
        return "{" + base + "}"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Content:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or content_dir()
        self.answers: list[dict[str, Any]] = self._load("answers.yml").get("answers", [])
        self.terms: list[dict[str, Any]] = self._load("glossary.yml").get("terms", [])
        self.dialogue: dict[str, Any] = self._load("dialogue.yml")
        self.file_settings: dict[str, Any] = self._load("settings.yml")
        self.settings: dict[str, Any] = self.file_settings
        self.regions: list[dict[str, Any]] = self._load("regions.yml").get("regions", [])
        self.flows: dict[str, Any] = self._load("flows.yml")
        self.crisis: dict[str, Any] = self._load("crisis.yml")
        self.documents: list[dict[str, Any]] = self._load("sources.yml").get("documents", [])
        self._by_id = {item["id"]: item for item in self.answers}
        self._places: dict[str, list[dict[str, Any]]] | None = None

    def _load(self, name: str) -> dict[str, Any]:
        path = self.directory / name
        if not path.exists():
            return {}
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def apply_settings(self, changed: Mapping[str, Any]) -> None:
        """Sections from the service replace the file's sections of the same name."""
        merged = dict(self.file_settings)
        for section, values in changed.items():
            if isinstance(values, Mapping):
                merged[section] = {**(self.file_settings.get(section) or {}), **values}
        self.settings = merged

    # -- values a zorgkantoor configures ------------------------------------
    def values(self) -> dict[str, str]:
        office = self.settings.get("zorgkantoor", {})
        values = {f"zorgkantoor_{key}": str(val) for key, val in office.items()}
        for key, org in (self.settings.get("organisaties") or {}).items():
            for attr, val in org.items():
                values[f"{key}_{attr}"] = str(val)
        for key, val in (self.settings.get("overdracht") or {}).items():
            values[key] = str(val)
        values["openingstijden"] = self.opening_hours_text()
        return values

    def opening_hours_text(self) -> str:
        hours = self.settings.get("openingstijden") or {}
        open_days = [(day, hours[day]) for day in WEEKDAYS if hours.get(day)]
        if not open_days:
            return "zie de website"
        # "maandag tot en met vrijdag, 08:30-17:00 uur" when consecutive days share hours
        indices = [WEEKDAYS.index(day) for day, _ in open_days]
        consecutive = indices == list(range(indices[0], indices[0] + len(indices)))
        if len({h for _, h in open_days}) == 1 and len(open_days) > 1 and consecutive:
            return f"{open_days[0][0]} tot en met {open_days[-1][0]}, {open_days[0][1]} uur"
        return ", ".join(f"{day} {h} uur" for day, h in open_days)

    def office_open(self, moment: datetime) -> bool:
        """Whether the zorgkantoor is open at that moment (its hours, with a beheerder's edits)."""
        return is_open(self.settings.get("openingstijden") or {}, moment)

    def relation_phrases(self, relation: str | None) -> dict[str, str] | None:
        """'moeder' -> {'naaste': 'uw moeder', ...}; None when about the user."""
        if not relation:
            return None
        value = canonical("relatie", relation) or fold(relation)
        if value == "zelf":
            return None
        phrases = (self.dialogue.get("relaties") or {}).get(value)
        return dict(phrases) if phrases else None

    def render(self, text: str, relation: str | None = None, **extra: str) -> str:
        values = _KeepMissing(self.values())
        values.update(self.relation_phrases(relation) or {})
        values.update(extra)
        # "{naaste} mag kiezen" opens a sentence: "Uw moeder mag kiezen", not "uw moeder"
        return _AT_SENTENCE_START.sub(rf"\1{{\2{_CAPITALISED}}}", text.strip()).format_map(values)

    # -- answers ---------------------------------------------------------------
    def answer_item(self, intent: str, entities: Mapping[str, str] | None = None) -> dict | None:
        """The item for an intent; an entity variant wins when its value matches."""
        entities = entities or {}
        general = None
        for item in self.answers:
            if item.get("intent") != intent:
                continue
            wanted = item.get("entity") or {}
            if not wanted:
                general = general or item
            elif all(entities.get(k) == v for k, v in wanted.items()):
                return item
        return general

    def _text_for(self, item: Mapping[str, Any], relation: str | None, field_name: str) -> str:
        relative = item.get(f"{field_name}_relative")  # text_relative, more_relative
        if relative and self.relation_phrases(relation):
            return self.render(relative, relation)
        return self.render(item[field_name], relation)

    def _buttons(self, item: Mapping[str, Any]) -> list[Button]:
        buttons = [
            Button(b["title"], intent_payload(b["intent"], b.get("entities")))
            for b in item.get("buttons", [])
        ]
        if item.get("more"):
            buttons.insert(0, Button(self.dialogue_text("button_tell_more"), "/tell_more"))
        return buttons

    def answer(
        self, intent: str, entities: Mapping[str, str] | None = None, relation: str | None = None
    ) -> Reply | None:
        item = self.answer_item(intent, entities)
        if item is None:
            return None
        return Reply(self._text_for(item, relation, "text"), self._buttons(item), item["id"])

    def more(self, answer_id: str | None, relation: str | None = None) -> Reply:
        item = self._by_id.get(answer_id or "")
        if item is None:
            return Reply(self.dialogue_text("no_more"), self.menu_buttons())
        buttons = [b for b in self._buttons(item) if b.payload != "/tell_more"]
        if not item.get("more"):
            # "hoe werkt dat precies" after a short answer: its own follow-ups fit better
            # than the general menu, and a person can always say more.
            human = self.human_button()
            return Reply(
                self.dialogue_text("no_more_related"),
                [*buttons, *([human] if human.payload not in {b.payload for b in buttons} else [])],
            )
        return Reply(self._text_for(item, relation, "more"), buttons, item["id"])

    def offers_human(self, answer_id: str | None) -> bool:
        """Whether the answer ends by offering a person, so that "ja" means yes to that."""
        return bool(self._by_id.get(answer_id or "", {}).get("offers_human"))

    def when_refused(self, answer_id: str | None) -> str | None:
        """The topic of "en als ze nee zeggen?" right after this answer, where it is not bezwaar."""
        return self._by_id.get(answer_id or "", {}).get("when_refused")

    def topic_of(self, answer_id: str | None) -> str | None:
        """The intent an earlier reply answered: an answer's own, or a glossary term's topic."""
        if answer_id and answer_id.startswith(TERM_ANSWER):
            term = self.term(answer_id.removeprefix(TERM_ANSWER))
            return term.get("topic") if term else None
        item = self._by_id.get(answer_id or "")
        return item.get("intent") if item else None

    # -- glossary and regions --------------------------------------------------
    def term(self, term_id: str) -> dict | None:
        return next((t for t in self.terms if t["id"] == term_id), None)

    def explain_term(self, term_id: str | None, relation: str | None = None) -> Reply:
        """A term explained; about a relative where the term has a text for that
        ("VV5 ... Uw moeder woont dan in een huis met zorg")."""
        term = self.term(term_id) if term_id else None
        if term is None:
            return Reply(self.dialogue_text("term_unknown"), self.menu_buttons())
        topic = term.get("topic")
        buttons = [Button(self.topic_title(topic) or topic, intent_payload(topic))] if topic else []
        return Reply(self._text_for(term, relation, "text"), buttons, f"{TERM_ANSWER}{term['id']}")

    def _place_index(self) -> dict[str, list[dict[str, Any]]]:
        """Folded name -> regions: gemeenten (also without CBS's suffix, "Bergen (L.)") and
        places."""
        if self._places is None:
            index: dict[str, list[dict[str, Any]]] = {}
            for region in self.regions:
                names = {place_key(n) for n in region.get("places", [])}
                for gemeente in region.get("gemeenten", []):
                    names |= {place_key(gemeente), place_key(re.sub(r"\s*\(.*\)$", "", gemeente))}
                for name in names - {""}:
                    index.setdefault(name, []).append(region)
            self._places = index
        return self._places

    def regions_for(self, place: str) -> list[dict[str, Any]]:
        return self._place_index().get(place_key(place), [])

    def find_place(self, text: str) -> str | None:
        """The longest gemeente or place named in a message ("ik woon in Den Haag"), or None."""
        words = place_key(text).split()
        index = self._place_index()
        for size in range(min(len(words), 5), 0, -1):
            for start in range(len(words) - size + 1):
                candidate = " ".join(words[start : start + size])
                if candidate in index:
                    return candidate
        return None

    def which_care_office(self, place: str | None) -> Reply | None:
        """Reply for a named place, or None to fall back to the general answer."""
        if not place:
            return None
        regions = self.regions_for(place)
        name = place.title()
        if not regions:
            return Reply(self.dialogue_text("place_unknown", plaats=name))
        file = self._load("regions.yml")
        current = self.settings.get("zorgkantoren_per_regio") or {}
        found = []
        for region in regions:
            if current.get("jaar") and (current.get("namen") or {}).get(region["name"]):
                office, year = current["namen"][region["name"]], current["jaar"]
            else:
                office, year = region["zorgkantoor"], file.get("organisations_year", "")
            found.append(
                self.dialogue_text(
                    "place_found",
                    plaats=name,
                    regio=region["name"],
                    regio_jaar=str(file.get("year", "")),
                    zorgkantoor=office,
                    zorgkantoor_jaar=str(year),
                )
            )
        if len(found) > 1:  # "Bergen": in Limburg and in Noord-Holland
            return Reply("\n".join([self.dialogue_text("place_ambiguous", plaats=name), *found]))
        return Reply(found[0])

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        """(where, item) for every text with sources: answers, glossary, dialogue, flows, crisis."""
        found = [(f"answers.yml {i['id']}", i) for i in self.answers]
        found += [(f"glossary.yml {t['id']}", t) for t in self.terms]
        found += [(f"dialogue.yml {k}", v) for k, v in (self.dialogue.get("texts") or {}).items()]
        found += list(self.flow_items())
        crisis = self.crisis or {}
        found += [(f"crisis.yml {k}", v) for k, v in (crisis.get("categories") or {}).items()]
        found += [(f"crisis.yml {k}", crisis[k]) for k in ("closing", "check") if k in crisis]
        return found

    def last_checked(self, item: Mapping[str, Any]) -> str | None:
        """The newest check date of an item's sources; None when it cites no dated source."""
        dates = [
            c.checked
            for c in (check_source(t, self.documents) for t in item.get("sources") or [])
            if c.kind in ("web", "document") and c.checked
        ]
        return max(dates) if dates else None

    def flow_items(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """(where, item) for every text in flows.yml: each is a dict with text and sources."""

        def walk(where: str, node: Any) -> Iterable[tuple[str, dict[str, Any]]]:
            if isinstance(node, dict):
                if "text" in node and isinstance(node["text"], str):
                    yield where, node
                for key, child in node.items():
                    if isinstance(child, (dict, list)):
                        yield from walk(f"{where}.{key}", child)
            elif isinstance(node, list):
                for index, child in enumerate(node):
                    name = child.get("id", index) if isinstance(child, dict) else index
                    yield from walk(f"{where}.{name}", child)

        yield from walk("flows.yml", self.flows)

    # -- dialogue snippets -----------------------------------------------------
    def dialogue_text(self, key: str, relation: str | None = None, **extra: str) -> str:
        entry = (self.dialogue.get("texts") or {}).get(key)
        if entry is None:
            raise KeyError(f"content/dialogue.yml has no text {key!r}")
        return self.render(entry["text"], relation, **extra)

    def topic_title(self, intent: str) -> str | None:
        return (self.dialogue.get("topic_titles") or {}).get(intent)

    def human_button(self) -> Button:
        return Button(
            self.topic_title("request_human") or "Praat met een medewerker",
            intent_payload("request_human"),
        )

    def menu_buttons(self) -> list[Button]:
        return [
            Button(self.topic_title(i) or i, intent_payload(i))
            for i in self.dialogue.get("menu", [])
        ]

    def suggestions(
        self, ranking: Iterable[Mapping[str, Any]], limit: int = 3, min_confidence: float = 0.05
    ) -> list[Button]:
        """Buttons for the likeliest topics in an NLU ranking, best first."""
        buttons = []
        for entry in ranking:
            name, confidence = entry.get("name"), entry.get("confidence", 0.0)
            title = self.topic_title(name) if name else None
            if title and confidence >= min_confidence:
                buttons.append(Button(title, intent_payload(name)))
            if len(buttons) == limit:
                break
        return buttons


@lru_cache(maxsize=1)
def _registry() -> Content:
    return Content()


SETTINGS_REFRESH_SECONDS = 60.0
_settings_checked_at = float("-inf")


def content() -> Content:
    """The registry, with contact details a beheerder changed in the staff portal (when deployed
    next to the web service, SERVICE_URL set); the file's values when the service is unreachable."""
    global _settings_checked_at
    registry = _registry()
    if (
        os.environ.get("SERVICE_URL")
        and time.monotonic() - _settings_checked_at > SETTINGS_REFRESH_SECONDS
    ):
        _settings_checked_at = time.monotonic()
        from actions.service_client import (
            client,  # late: the client imports nothing from here
        )

        fresh = client().settings()
        if fresh:
            registry.apply_settings(fresh)
    return registry


def placeholders_in(text: str) -> set[str]:
    """Names of {placeholders} in a text; the content tests use this."""
    return _placeholders(text)
