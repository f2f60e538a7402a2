"""The content registry: every text has a source, reads at B1 and renders fully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.content import Content, check_source, placeholders_in
from benchmarks.readability import rendered_texts, score_all

ROOT = Path(__file__).resolve().parents[2]
CONTENT = Content()
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
INTENTS = set(DOMAIN["intents"])
SPECIAL = {"inform_for_whom", "ask_term_meaning"}  # answered from dialogue/glossary


def answered_by_registry() -> set[str]:
    """Intents whose rule ends in action_answer."""
    intents = set()
    for rule in RULES:
        steps = rule["steps"]
        if steps[-1].get("action") == "action_answer":
            # one intent, or several under "or"
            intents |= {s["intent"] for s in steps[-2].get("or", [steps[-2]]) if "intent" in s}
    return intents


def all_items() -> list[tuple[str, dict]]:
    return CONTENT.items()


@pytest.mark.parametrize("where,item", all_items(), ids=[w for w, _ in all_items()])
def test_every_item_names_a_source(where: str, item: dict) -> None:
    sources = item.get("sources") or []
    assert sources and all(isinstance(s, str) and s.strip() for s in sources), where


@pytest.mark.parametrize("where,item", all_items(), ids=[w for w, _ in all_items()])
def test_every_fact_has_a_source_with_an_address_and_a_checked_date(where: str, item: dict) -> None:
    """A web page with the date it was read, or a registered document (content/sources.yml, with
    its address and check date); only the assistant's own words need neither."""
    checks = [check_source(s, CONTENT.documents) for s in item.get("sources") or []]
    undated_pages = [c.url for c in checks if c.kind == "web" and not c.checked]
    assert not undated_pages, (
        f"{where}: web sources without (gecontroleerd JJJJ-MM-DD): {undated_pages}"
    )
    if all(c.kind in ("own", "note") for c in checks) and any(c.kind == "own" for c in checks):
        return  # the assistant's own words
    assert CONTENT.last_checked(item), (
        f"{where}: no web page or registered document among {item.get('sources')}"
    )


def test_every_registered_document_has_an_address_and_a_checked_date() -> None:
    for document in CONTENT.documents:
        assert str(document["url"]).startswith("https://") and CHECKED_DATE.fullmatch(
            str(document["checked"])
        )


CHECKED_DATE = re.compile(r"20\d\d-\d\d-\d\d")


CHECKED = re.compile(r"\b(gecontroleerd|checked) 20\d\d-\d\d-\d\d\b")


@pytest.mark.parametrize("category", sorted(CONTENT.crisis["categories"]))
def test_every_crisis_door_names_a_web_source_and_the_date_it_was_checked(category: str) -> None:
    sources = CONTENT.crisis["categories"][category]["sources"]
    web = [s for s in sources if s.startswith("http")]
    assert web and all(CHECKED.search(s) for s in web), category


def test_ids_are_unique() -> None:
    ids = [i["id"] for i in CONTENT.answers]
    assert len(ids) == len(set(ids))


def test_every_registry_intent_has_exactly_one_general_answer() -> None:
    for intent in sorted(answered_by_registry() - SPECIAL):
        general = [i for i in CONTENT.answers if i["intent"] == intent and not i.get("entity")]
        assert len(general) == 1, f"{intent}: {len(general)} general answers"


def test_answers_only_for_known_intents_and_buttons_lead_somewhere() -> None:
    for item in CONTENT.answers:
        assert item["intent"] in INTENTS, item["id"]
        for button in item.get("buttons", []):
            assert button["intent"] in INTENTS, f"{item['id']}: button to {button['intent']}"


def test_a_refused_topic_is_an_answered_intent() -> None:
    """`when_refused` leads to an answer ("en als ze er niks mee doen?" after a complaint)."""
    refused = {i["id"]: i["when_refused"] for i in CONTENT.answers if "when_refused" in i}
    assert refused, "no answer names what a refusal question after it is about"
    for answer_id, intent in refused.items():
        assert intent in answered_by_registry() - SPECIAL, f"{answer_id}: {intent}"


def test_glossary_topics_are_answered_intents_with_a_title() -> None:
    for term in CONTENT.terms:
        if "topic" in term:
            assert term["topic"] in answered_by_registry() - SPECIAL, term["id"]
            assert CONTENT.topic_title(term["topic"]), term["id"]


def test_every_delivery_form_has_its_own_answer() -> None:
    for form in ("verblijf", "vpt", "mpt", "pgb"):
        item = CONTENT.answer_item("ask_delivery_forms", {"leveringsvorm": form})
        assert item is not None and item.get("entity") == {"leveringsvorm": form}


@pytest.mark.parametrize("where,text", list(rendered_texts(CONTENT)))
def test_rendered_texts_have_no_open_placeholders(where: str, text: str) -> None:
    assert not placeholders_in(text), f"{where}: {placeholders_in(text)}"


PHONE_OR_AMOUNT = re.compile(r"(€\s?\d|\b0\d{2,3}[- ]?\d{6,7}\b|\b\d+\s?(euro|weken|dagen)\b)")


@pytest.mark.parametrize("where,item", [(w, i) for w, i in all_items() if "text" in i])
def test_no_unsourced_numbers_in_texts(where: str, item: dict) -> None:
    """Amounts, phone numbers and terms change: they belong in settings.yml."""
    for field in ("text", "text_relative", "more", "more_relative"):
        assert not PHONE_OR_AMOUNT.search(item.get(field) or ""), f"{where}.{field}"


SCORED = score_all(CONTENT)


@pytest.mark.parametrize("scored", SCORED, ids=[s.where for s in SCORED])
def test_b1_readability(scored) -> None:
    assert scored.flesch_douma >= 60, f"{scored.where}: {scored.flesch_douma:.1f}"
    assert scored.words <= 85, f"{scored.where}: {scored.words} words"
    assert scored.words_per_sentence <= 15, f"{scored.where}: {scored.words_per_sentence:.1f}"


def test_the_report_lists_texts_checked_more_than_a_year_ago() -> None:
    import importlib.util
    from datetime import date

    spec = importlib.util.spec_from_file_location(
        "content_report", ROOT / "scripts" / "content_report.py"
    )
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    assert report.stale(CONTENT, date(2026, 12, 6), 12) == ([], [])
    old, _ = report.stale(CONTENT, date(2028, 1, 1), 12)
    assert ("2026-12-05", "answers.yml waiting") in old and len(old) > 100
    assert report.months_between(date(2026, 12, 5), date(2027, 12, 4)) == 11


# waiting, money, objections, complaints, care at home, turning 18, representation: the answer
# always offers a person (issue 19, content review section 4)
SENSITIVE = [
    "ask_waiting",
    "ask_waiting_norms",
    "ask_own_contribution",
    "ask_objection",
    "ask_complaint",
    "ask_unhappy_with_care",
    "ask_care_at_home_allowed",
    "ask_turning_18",
    "ask_representation",
    "ask_pgb_duties",
    "ask_pgb_family_pay",
    "ask_pgb_control",
    "ask_pgb_employer",
    "ask_urgent_route",
]


@pytest.mark.parametrize("intent", SENSITIVE)
def test_sensitive_answers_end_with_a_way_to_a_person(intent: str) -> None:
    general = next(i for i in CONTENT.answers if i["intent"] == intent and not i.get("entity"))
    assert "request_human" in [b["intent"] for b in general.get("buttons", [])], intent


@pytest.mark.parametrize("where,item", all_items(), ids=[w for w, _ in all_items()])
def test_no_promise_the_zorgkantoor_cannot_keep(where: str, item: dict) -> None:
    for key in ("text", "text_relative", "more", "more_relative"):
        text = item.get(key) or ""
        assert not re.search(
            r"\\bDan belt het zorgkantoor u\\b|\\bkan ook altijd\\b|\\bkrijgt u een brief\\b", text
        ), where
