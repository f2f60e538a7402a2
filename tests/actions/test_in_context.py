"""When a follow-up is read again with the message before it (actions/in_context.py)."""

from __future__ import annotations

import socket

import pytest

from actions import in_context


def events(*texts: str) -> list[dict]:
    return [{"event": "user", "text": t} for t in texts]


def test_the_previous_message_is_the_persons_not_a_button_click() -> None:
    assert in_context.previous_user_text(events("ik wil een pgb", "waar vraag ik dat aan")) == (
        "ik wil een pgb"
    )
    assert in_context.previous_user_text(events("/ask_pgb_what", "en dan?")) is None
    assert in_context.previous_user_text(events("waar vraag ik dat aan")) is None


@pytest.mark.parametrize(
    "text, leans",
    [
        ("waar vraag ik dat aan", True),
        ("mag ik met haar mee", True),
        ("waar vind ik zon plek", True),
        ("wat is een persoonsgebonden budget", False),
        # a statement about the situation tells, it does not ask about the earlier message
        ("hij woont nog alleen in zijn flat", False),
        # long enough to say what it is about by itself
        (
            "hoe lang duurt het gemiddeld voordat het ciz een besluit neemt over een aanvraag "
            "voor iemand met dementie",
            False,
        ),
    ],
)
def test_which_messages_point_back(text: str, leans: bool) -> None:
    assert in_context.leans_on_context(text) is leans


def reading(name: str, confidence: float) -> dict:
    return {
        "text": "joined",
        "intent": {"name": name, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": confidence}],
        "entities": [],
    }


def test_a_sure_topic_reading_of_the_joined_messages_is_used(monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        in_context, "parse", lambda text: asked.append(text) or reading("ask_pgb_conditions", 0.8)
    )
    found = in_context.reading_in_context(
        events("we willen een pgb voor onze dochter.", "waar vragen we dat aan"),
        "waar vragen we dat aan",
    )
    assert found["intent"]["name"] == "ask_pgb_conditions"
    assert asked == ["we willen een pgb voor onze dochter. waar vragen we dat aan"]


@pytest.mark.parametrize(
    "name, confidence",
    [
        ("ask_pgb_conditions", 0.4),  # not sure
        ("ask_term_meaning", 0.9),  # a word of the earlier message, not the question
        ("greet", 0.9),  # no topic
        ("crisis_medical", 0.9),  # the safety layer already read each message on its own
    ],
)
def test_an_unsure_or_topicless_joined_reading_is_not_used(monkeypatch, name, confidence) -> None:
    monkeypatch.setattr(in_context, "parse", lambda text: reading(name, confidence))
    assert in_context.reading_in_context(events("ik wil een pgb", "en dat"), "en dat") is None


@pytest.mark.parametrize(
    "text", ["wat moet ik nu doen", "andere vraag: hoe lang duurt dat bij het ciz"]
)
def test_next_step_questions_and_new_subjects_are_not_joined(monkeypatch, text: str) -> None:
    monkeypatch.setattr(in_context, "parse", lambda _: pytest.fail("must not be read again"))
    assert in_context.reading_in_context(events("ze staat op de wachtlijst", text), text) is None


def test_without_a_reachable_rasa_the_message_keeps_its_own_reading(monkeypatch) -> None:
    monkeypatch.delenv("RASA_URL", raising=False)
    assert in_context.parse("ik wil een pgb. waar vraag ik dat aan") is None
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("RASA_URL", f"http://127.0.0.1:{port}")
    assert in_context.parse("ik wil een pgb. waar vraag ik dat aan") is None


def test_a_side_question_inside_a_flow_is_read_with_the_message_before_it(monkeypatch) -> None:
    """ "waar vraag je dat aan?" during the pgb-check that "ik wil een pgb voor mijn zoon"
    started gets the pgb conditions, not the help text its own words suggest."""
    from rasa_sdk import Tracker

    from actions.answers import choose_reply
    from actions.flow_actions import side_answer_for
    from actions.flows.engine import Turn

    monkeypatch.setattr(in_context, "parse", lambda text: reading("ask_pgb_conditions", 0.8))
    history = events("ik wil voor mijn zoon een pgb", "waar vraag je dat aan?")
    tracker = Tracker("c", {"relatie": "zoon"}, {}, history, False, None, {}, "")
    reply = side_answer_for(tracker)(Turn("waar vraag je dat aan?", "help", 0.6))
    assert reply.text == choose_reply("ask_pgb_conditions", {}, "zoon").text
