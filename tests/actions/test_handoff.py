"""Decisions of the warm handoff: reading answers, validating contact details, the summary."""

from __future__ import annotations

import pytest

from actions import handoff


@pytest.mark.parametrize(
    "text,expected",
    [
        ("06-12345678", "0612345678"),
        ("06 1234 5678", "0612345678"),
        ("+31 6 12345678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("+31 (0)6 12345678", "0612345678"),
        ("020-1234567", "0201234567"),
        ("0800-0123456", "08000123456"),  # free numbers have 4 or 7 digits after 0800
        ("0800-1234", "08001234"),
        ("0800-123456", None),
        ("12345678", None),
        ("06-1234567", None),
        ("bel me maar", None),
        ("0612345678901", None),
    ],
)
def test_dutch_phone_numbers(text: str, expected: str | None) -> None:
    assert handoff.normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Jan.de.Vries@Example.nl", "jan.de.vries@example.nl"),
        ("naam+wlz@voorbeeld.nl.", "naam+wlz@voorbeeld.nl"),
        ("naam@voorbeeld", None),
        ("naam@@voorbeeld.nl", None),
        ("naam..x@voorbeeld.nl", None),
        ("geen mail", None),
    ],
)
def test_email_addresses(text: str, expected: str | None) -> None:
    assert handoff.normalise_email(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ja, dat mag", True),
        ("ja graag", True),
        ("Jazeker!", True),
        ("is goed", True),
        ("Nee, liever niet", False),
        ("nee hoor", False),
        ("liever niet eigenlijk", False),
        ("misschien", None),
        ("wat bedoelt u", None),
    ],
)
def test_yes_no(text: str, expected: bool | None) -> None:
    assert handoff.parse_yes_no(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Adviseur zorgkantoor", "zorgkantoor"),
        ("het zorgkantoor graag", "zorgkantoor"),
        ("Onafhankelijke ondersteuner", "oco"),
        ("iemand van MEE", "oco"),
        ("Zorgbelang", "oco"),
        ("clientondersteuner", "oco"),
        ("weet niet", None),
        ("weet ik niet meer", None),
    ],
)
def test_target(text: str, expected: str | None) -> None:
    assert handoff.parse_target(text) == expected


def test_difference_question_is_recognised() -> None:
    assert handoff.asks_for_difference("Wat is het verschil?")
    assert not handoff.asks_for_difference("zorgkantoor")


def test_chat_is_only_possible_when_staff_are_online() -> None:
    assert handoff.parse_method("Nu chatten", staff_online=True) == "chat"
    assert handoff.parse_method("Nu chatten", staff_online=False) is None
    assert handoff.parse_method("Bel mij terug", staff_online=False) == "telefoon"
    assert handoff.parse_method("Stuur mij een e-mail", staff_online=True) == "email"


def test_part_of_day() -> None:
    assert handoff.parse_part_of_day("'s Ochtends") == "ochtend"
    assert handoff.parse_part_of_day("liefst in de middag") == "middag"
    assert handoff.parse_part_of_day("Maakt niet uit") == "geen voorkeur"
    assert handoff.parse_part_of_day("dinsdag") is None


def test_summary_collects_topics_signals_and_unanswered_questions() -> None:
    messages = [
        {"text": "hallo", "intent": "greet"},
        {"text": "wat is een pgb", "intent": "ask_pgb_what"},
        {"text": "mijn moeder valt steeds, het gaat niet meer thuis", "intent": "ask_waiting"},
        {"text": "kan de kat mee naar het verpleeghuis", "intent": "nlu_fallback"},
        {"text": "/ask_pgb_what", "intent": "ask_pgb_what"},
        {"text": "ik wil een mens", "intent": "request_human"},
    ]
    summary = handoff.summarise(
        messages, "moeder", flow_signals=["voorkeur_kan_niet_leveren"], plan_id="7"
    )
    assert summary.topics == ["ask_pgb_what", "ask_waiting"]
    assert summary.signals == ["voorkeur_kan_niet_leveren", "wens_pgb", "urgent"]
    assert summary.unanswered == ["kan de kat mee naar het verpleeghuis"]
    assert summary.for_whom == "moeder" and summary.plan_id == "7"


def test_a_crisis_makes_the_summary_urgent_with_its_category() -> None:
    messages = [
        {"text": "wat is een pgb", "intent": "ask_pgb_what"},
        {"text": "ze ligt op de vloer", "intent": "crisis_medical"},
        {"text": "ik wil een mens", "intent": "request_human"},
    ]
    summary = handoff.summarise(messages, "moeder").as_dict()
    assert summary["crisis"] == "medical"
    assert summary["topics"] == ["ask_pgb_what"]  # a crisis is not a Wlz topic
    assert summary["signals"] == ["wens_pgb", "urgent"]


def test_summary_of_a_bare_request_is_empty() -> None:
    summary = handoff.summarise([{"text": "mens graag", "intent": "request_human"}], None)
    assert summary.as_dict() == {"topics": [], "for_whom": None, "signals": [], "unanswered": []}


def test_an_organisation_is_named_by_a_word_only_it_has() -> None:
    organisations = [
        {"id": 1, "name": "MEE Utrecht"},
        {"id": 2, "name": "Zorgbelang Utrecht"},
        {"id": 3, "name": "Stichting Meedoen"},
    ]
    assert handoff.match_organisation("mee graag", organisations)["id"] == 1
    assert handoff.match_organisation("Zorgbelang", organisations)["id"] == 2
    assert handoff.match_organisation("3", organisations)["id"] == 3
    assert (
        handoff.match_organisation("die in utrecht", organisations) is None
    )  # both are in Utrecht
    assert handoff.match_organisation("de buurvrouw", organisations) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("prima, deel het maar", True),
        ("dat mag hoor", True),
        ("dat mag niet", False),
        ("nee toch maar niet", False),
        ("geen idee", None),
    ],
)
def test_consent_in_everyday_words(text: str, expected) -> None:
    from actions.handoff import parse_yes_no

    assert parse_yes_no(text) is expected


def test_a_phone_number_inside_a_sentence_is_found() -> None:
    from actions.handoff import normalise_phone

    assert normalise_phone("u kunt me bereiken op 06-23456789") == "0623456789"
    assert normalise_phone("bel me maar") is None
