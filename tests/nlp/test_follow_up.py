"""Short follow-ups that name no topic (nlp/follow_up.py), with phrasings written for these
tests."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlp.follow_up import FollowUpQuestion, is_next_step_question, refusal_intent


@pytest.mark.parametrize(
    "text",
    [
        "en nu?",
        "wat moeten we ondertussen regelen",
        "hoe gaat het nu verder",
        "kunnen we alvast ergens mee beginnen",
        "welke stap komt hierna",
        "wat zou u als eerste doen",
        "wat kunnen wij het beste doen?",
        "wat moet er nu gebeuren",
        "is er iets wat ik nu al kan regelen?",
        "hoe begin ik daar nou mee",
    ],
)
def test_questions_for_the_next_step(text: str) -> None:
    assert is_next_step_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "wat kost een plek in het verpleeghuis",
        "wat moet ik doen als hij overlijdt",
        "wat is de wlz",
        "nu even niet",
        "wat moet ik betalen aan eigen bijdrage",
    ],
)
def test_questions_with_a_topic_of_their_own(text: str) -> None:
    assert not is_next_step_question(text)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("en als het ciz nee zegt?", "ask_objection"),
        ("stel dat ze het afwijzen, wat dan", "ask_objection"),
        ("wat als de aanbieder geen plek heeft", "ask_mediation"),
        ("wat als ik het er niet eens mee ben", "ask_objection"),
        ("wat als dat niet wordt goedgekeurd", "ask_objection"),
        ("en als het zorgkantoor zegt dat het thuis niet veilig is?", "ask_objection"),
        ("en als we er dan nog niet uitkomen", "ask_objection"),
        ("en als ze niet luisteren?", "ask_objection"),
        ("als hij niet luistert naar de dokter, wat dan", None),
        ("nee dank u", None),
    ],
)
def test_refusal_questions(text: str, intent: str | None) -> None:
    assert refusal_intent(text) == intent


def read(text: str, intent: str, confidence: float) -> str:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    FollowUpQuestion().process([message])
    return message.get(INTENT)["name"]


def test_the_component_overrides_only_generic_or_unsure_readings() -> None:
    assert read("kan ik al ergens mee beginnen", "restart", 0.9) == "next_step"
    assert read("wat nu", "nlu_fallback", 0.3) == "next_step"
    assert read("en als ze nee zeggen", "deny", 0.95) == "ask_objection"
    assert read("stel dat we het niet krijgen", "stop", 0.99) == "ask_objection"
    assert (
        read("wat nu met de eigen bijdrage", "ask_own_contribution", 0.9) == "ask_own_contribution"
    )
    assert read("hoe verder", "ask_waiting", 0.8) == "ask_waiting"  # sure of a topic: it stays
    assert read("/restart", "restart", 1.0) == "restart"  # a button stays what it is


def test_a_question_about_the_steps_of_the_route_is_no_next_step_question() -> None:
    assert not is_next_step_question("welke stappen zijn er om zorg uit de wlz te krijgen")
    assert is_next_step_question("welke stap komt nu")


def test_a_refusal_question_read_as_a_form_answer_is_still_a_refusal_question() -> None:
    # "en als ze daar geen plek hebben" was read as inform (0.81) and got "niet goed begrepen"
    assert read("en als ze daar geen plek hebben", "inform", 0.81) == "ask_mediation"


def test_a_refusal_question_naming_an_organisation_does_not_ask_what_it_is() -> None:
    # "wat als het zorgkantoor zegt dat..." got the glossary's "Het zorgkantoor voert de Wlz uit"
    text = "wat als het zorgkantoor zegt dat dat niet verantwoord is"
    assert read(text, "ask_term_meaning", 0.95) == "ask_objection"
    # a next-step question does not: "wat is de volgende stap bij het CIZ" may ask a term
    assert read("wat is het ciz", "ask_term_meaning", 0.95) == "ask_term_meaning"
