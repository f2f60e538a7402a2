"""The handoff actions: consent gates sharing, retries reuse one key, failures stay kind."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff_actions
from actions.content import content
from actions.events import user_messages


class FakeService:
    def __init__(self, online: bool = False, fail: bool = False) -> None:
        self.online, self.fail = online, fail
        self.handoffs: dict[str, dict[str, Any]] = {}

    def create_handoff(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        if self.fail:
            return None
        key = payload["idempotency_key"]
        self.handoffs.setdefault(
            key, {**payload, "reference": f"WLZ-TEST-{len(self.handoffs) + 1:02d}"}
        )
        return {"reference": self.handoffs[key]["reference"], "status": "nieuw"}

    def organisations(self, kind: str = "oco") -> list[dict[str, Any]]:
        return [
            {"id": 1, "name": "MEE Voorbeeld", "active": True},
            {"id": 2, "name": "Zorgbelang Voorbeeld", "active": True},
        ]

    def staff_online(self) -> bool:
        return self.online


@pytest.fixture
def service(monkeypatch) -> FakeService:
    fake = FakeService()
    monkeypatch.setattr(handoff_actions, "client", lambda: fake)
    return fake


def tracker(slots: dict[str, Any], events: list[dict[str, Any]] | None = None) -> Tracker:
    base = {name: None for name in handoff_actions.HANDOFF_SLOTS}
    base.update({"relatie": None, "handoff_count": 0, "plan_id": None, "choice_aid_signals": None})
    base.update(slots)
    return Tracker(
        "conv-1",
        base,
        {"intent": {"name": "affirm"}, "entities": [], "text": "ja"},
        events or [],
        False,
        None,
        {},
        "",
    )


PHONE_SLOTS = {
    "handoff_target": "zorgkantoor",
    "handoff_method": "telefoon",
    "handoff_phone": "0612345678",
    "handoff_part_of_day": "ochtend",
}
USER_EVENTS = [
    {"event": "user", "text": "wat is een pgb", "parse_data": {"intent": {"name": "ask_pgb_what"}}},
    {
        "event": "user",
        "text": "kan de hond mee",
        "parse_data": {"intent": {"name": "nlu_fallback"}},
    },
]


def submit(t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = handoff_actions.ActionSubmitHandoff().run(dispatcher, t, {})
    return dispatcher.messages, events


def test_consent_shares_summary_and_gives_reference(service) -> None:
    messages, events = submit(
        tracker({**PHONE_SLOTS, "handoff_consent": "ja", "relatie": "moeder"}, USER_EVENTS)
    )
    (stored,) = service.handoffs.values()
    assert stored["summary"]["topics"] == ["ask_pgb_what"]
    assert stored["summary"]["unanswered"] == ["kan de hond mee"]
    assert stored["summary"]["signals"] == ["wens_pgb"]
    assert stored["summary"]["for_whom"] == "moeder"
    assert stored["phone"] == "0612345678" and stored["consent"] is True
    assert "WLZ-TEST-01" in messages[0]["text"]
    assert {"event": "slot", "name": "handoff_reference", "value": "WLZ-TEST-01"} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events if e.get("event") == "slot"
    ]


def test_without_consent_nothing_is_sent(service) -> None:
    messages, _ = submit(tracker({**PHONE_SLOTS, "handoff_consent": "nee"}, USER_EVENTS))
    assert service.handoffs == {}
    assert messages[0]["text"] == content().dialogue_text("handoff_no_consent")


@pytest.mark.parametrize("consent", ["ja", "nee"])
def test_once_the_handoff_ends_a_yes_is_only_a_yes_again(service, consent) -> None:
    """An offer of a person ("Wilt u een mens spreken?") is used up by the handoff it started."""
    _, events = submit(
        tracker({**PHONE_SLOTS, "handoff_consent": consent, "offered_human": True}, USER_EVENTS)
    )
    assert {"event": "slot", "timestamp": None, "name": "offered_human", "value": False} in events


def test_retrying_the_same_request_creates_one_handoff(service) -> None:
    slots = {**PHONE_SLOTS, "handoff_consent": "ja"}
    first, _ = submit(tracker(slots))
    again, _ = submit(tracker(slots))  # same handoff_count: the same request again
    assert len(service.handoffs) == 1
    assert "WLZ-TEST-01" in first[0]["text"] and "WLZ-TEST-01" in again[0]["text"]


def test_a_second_request_later_is_a_new_handoff(service) -> None:
    submit(tracker({**PHONE_SLOTS, "handoff_consent": "ja"}))
    submit(tracker({**PHONE_SLOTS, "handoff_consent": "ja", "handoff_count": 1}))
    assert len(service.handoffs) == 2


def test_service_down_apologises_and_keeps_the_answers(monkeypatch) -> None:
    monkeypatch.setattr(handoff_actions, "client", lambda: FakeService(fail=True))
    messages, events = submit(tracker({**PHONE_SLOTS, "handoff_consent": "ja"}))
    assert messages[0]["text"] == content().dialogue_text("handoff_failed")
    # the handoff slots are kept for a retry with the same idempotency key
    assert [e["name"] for e in events] == ["offered_human"]


def test_consent_question_shows_the_summary(service) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker({**PHONE_SLOTS, "relatie": "vader"}, USER_EVENTS)
    handoff_actions.ActionAskHandoffConsent().run(dispatcher, t, {})
    text = dispatcher.messages[0]["text"]
    assert "Wat is een pgb?" in text and "uw vader" in text and "0612345678" in text
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Ja, dat mag",
        "Nee, liever niet",
    ]


def test_chat_is_offered_only_when_staff_are_online(service) -> None:
    for online, expected in ((True, 3), (False, 2)):
        service.online = online
        dispatcher = CollectingDispatcher()
        handoff_actions.ActionAskHandoffMethod().run(dispatcher, tracker({}), {})
        assert len(dispatcher.messages[0]["buttons"]) == expected


async def test_oco_choice_adds_the_organisation_question(service) -> None:
    form = handoff_actions.ValidateHandoffForm()
    slots = await form.required_slots(
        [], CollectingDispatcher(), tracker({"handoff_target": "oco"}), {}
    )
    assert slots[:2] == ["handoff_target", "handoff_organisation"]
    slots = await form.required_slots(
        [], CollectingDispatcher(), tracker({"handoff_method": "email"}), {}
    )
    assert slots == ["handoff_target", "handoff_method", "handoff_email", "handoff_consent"]


def started_this_turn(slot: str) -> list[dict[str, Any]]:
    """Events as the form passes them to its ask action when the handoff has just started."""
    return [
        {
            "event": "user",
            "text": "ik wil een mens",
            "parse_data": {"intent": {"name": "request_human"}},
        },
        {"event": "action", "name": "action_prepare_handoff"},
        {"event": "active_loop", "name": "handoff_form"},
        {"event": "slot", "name": "requested_slot", "value": slot},
    ]


def answered_unclearly(slot: str, text: str) -> list[dict[str, Any]]:
    """... and on the next turn, after an answer the validator could not use."""
    return [
        *started_this_turn(slot),
        {"event": "bot", "text": "(de vraag)"},
        {"event": "action", "name": "handoff_form"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}},
        {"event": "slot", "name": slot, "value": None},
        {"event": "slot", "name": "requested_slot", "value": slot},
    ]


def ask(action: Any, slots: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker(slots, events), {})
    return dispatcher.messages


def test_invalid_phone_is_asked_again_kindly_in_one_message(service) -> None:
    dispatcher = CollectingDispatcher()
    result = handoff_actions.ValidateHandoffForm().validate_handoff_phone(
        "12345", dispatcher, tracker({}), {}
    )
    assert result == {"handoff_phone": None} and dispatcher.messages == []  # the ask action says it
    first = ask(handoff_actions.ActionAskHandoffPhone(), {}, started_this_turn("handoff_phone"))
    again = ask(
        handoff_actions.ActionAskHandoffPhone(), {}, answered_unclearly("handoff_phone", "12345")
    )
    assert [m["text"] for m in first] == [content().dialogue_text("handoff_ask_phone")]
    assert [m["text"] for m in again] == [content().dialogue_text("handoff_phone_invalid")]


def test_a_handoff_started_again_asks_everything_afresh(service) -> None:
    # an earlier handoff in the same conversation stopped at the phone question
    events = [
        *answered_unclearly("handoff_target", "weet niet"),
        {
            "event": "user",
            "text": "ik wil een mens",
            "parse_data": {"intent": {"name": "request_human"}},
        },
        {"event": "action", "name": "action_prepare_handoff"},
        {"event": "slot", "name": "requested_slot", "value": "handoff_target"},
    ]
    messages = ask(handoff_actions.ActionAskHandoffTarget(), {}, events)
    assert messages[0]["text"].startswith("Ik breng u graag in contact met een mens")


def test_organisation_is_chosen_by_name(service) -> None:
    dispatcher = CollectingDispatcher()
    result = handoff_actions.ValidateHandoffForm().validate_handoff_organisation(
        "Zorgbelang Voorbeeld", dispatcher, tracker({}), {}
    )
    assert result == {"handoff_organisation": "2"}


def test_answers_given_inside_a_flow_are_not_topics_or_unanswered_questions(service) -> None:
    events = [
        {
            "event": "user",
            "text": "wat is een pgb",
            "parse_data": {"intent": {"name": "ask_pgb_what"}},
        },
        {"event": "active_loop", "name": "flow_form"},
        {
            "event": "user",
            "text": "dat ik buiten kan zijn",
            "parse_data": {"intent": {"name": "nlu_fallback"}},
        },
        {
            "event": "user",
            "text": "ja ik wil thuis blijven",
            "parse_data": {"intent": {"name": "ask_care_at_home_allowed"}},
        },
        {"event": "active_loop", "name": None},
        {
            "event": "user",
            "text": "kan de hond mee",
            "parse_data": {"intent": {"name": "nlu_fallback"}},
        },
    ]
    summary = handoff_actions.build_summary(
        tracker({"choice_aid_signals": ["wacht_te_lang"]}, events)
    )
    assert summary.topics == ["ask_pgb_what"] and summary.unanswered == ["kan de hond mee"]
    assert summary.signals == ["wacht_te_lang", "wens_pgb"]


def test_a_contact_method_typed_at_the_who_question_is_kept(service) -> None:
    form, dispatcher = handoff_actions.ValidateHandoffForm(), CollectingDispatcher()
    assert form.validate_handoff_target("bellen", dispatcher, tracker({}), {}) == {
        "handoff_target": None,
        "handoff_method": "telefoon",
    }
    assert form.validate_handoff_target("weet ik niet", dispatcher, tracker({}), {}) == {
        "handoff_target": None
    }
    assert form.validate_handoff_organisation("mail maar", dispatcher, tracker({}), {}) == {
        "handoff_organisation": None,
        "handoff_method": "email",
    }
    assert dispatcher.messages == []


def test_who_is_asked_again_briefly_not_with_the_whole_introduction(service) -> None:
    first = ask(handoff_actions.ActionAskHandoffTarget(), {}, started_this_turn("handoff_target"))
    again = ask(
        handoff_actions.ActionAskHandoffTarget(), {}, answered_unclearly("handoff_target", "bellen")
    )
    assert first[0]["text"].startswith("Ik breng u graag in contact met een mens")
    assert [m["text"] for m in again] == [content().dialogue_text("handoff_target_again")]
    assert again[0]["buttons"] == first[0]["buttons"]


def test_a_contact_method_typed_early_is_acknowledged(service) -> None:
    events = [
        *answered_unclearly("handoff_target", "bellen"),
        {"event": "slot", "name": "handoff_method", "value": "telefoon"},
    ]
    again = ask(handoff_actions.ActionAskHandoffTarget(), {}, events)
    assert again[0][
        "text"
    ] == "Goed, dan bellen wij u. Eerst nog één vraag. " + content().dialogue_text(
        "handoff_target_again"
    )


def test_organisation_typed_in_own_words_or_no_preference(service) -> None:
    form, dispatcher = handoff_actions.ValidateHandoffForm(), CollectingDispatcher()
    for typed, expected in (
        ("MEE Voorbeeld", "1"),
        ("mee graag", "1"),
        ("zorgbelang", "2"),
        ("2", "2"),
        ("maakt niet uit", handoff_actions.NO_ORGANISATION),
        ("de buurvrouw", None),
    ):
        assert form.validate_handoff_organisation(typed, dispatcher, tracker({}), {}) == {
            "handoff_organisation": expected
        }, typed
    assert dispatcher.messages == []


def test_organisation_question_offers_no_preference_and_asks_again_once(service) -> None:
    first = ask(
        handoff_actions.ActionAskHandoffOrganisation(),
        {},
        started_this_turn("handoff_organisation"),
    )
    again = ask(
        handoff_actions.ActionAskHandoffOrganisation(),
        {},
        answered_unclearly("handoff_organisation", "0612345678"),
    )
    assert [b["title"] for b in first[0]["buttons"]] == [
        "MEE Voorbeeld",
        "Zorgbelang Voorbeeld",
        "Maakt niet uit",
    ]
    assert first[0]["text"] == content().dialogue_text("handoff_ask_organisation")
    assert len(again) == 1 and again[0]["text"] == content().dialogue_text(
        "handoff_organisation_again"
    )


def test_without_a_chosen_organisation_consent_names_the_zorgkantoor(service) -> None:
    slots = {
        **PHONE_SLOTS,
        "handoff_target": "oco",
        "handoff_organisation": handoff_actions.NO_ORGANISATION,
    }
    assert handoff_actions.recipient(tracker(slots)) == content().values()["zorgkantoor_naam"]
    assert (
        handoff_actions.recipient(tracker({**slots, "handoff_organisation": "2"}))
        == "Zorgbelang Voorbeeld"
    )


def test_consent_asked_again_without_repeating_the_summary(service) -> None:
    again = ask(
        handoff_actions.ActionAskHandoffConsent(),
        PHONE_SLOTS,
        answered_unclearly("handoff_consent", "hoezo"),
    )
    assert [m["text"] for m in again] == [content().dialogue_text("handoff_consent_again")]
    assert [b["title"] for b in again[0]["buttons"]] == ["Ja, dat mag", "Nee, liever niet"]


def typed(
    text: str, intent: str, confidence: float, slots: dict[str, Any] | None = None
) -> Tracker:
    base = {name: None for name in handoff_actions.HANDOFF_SLOTS}
    base.update({"relatie": None, **(slots or {})})
    message = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    return Tracker("conv-1", base, message, [], False, None, {}, "")


def test_a_question_at_the_consent_step_is_answered_then_consent_asked_again(service) -> None:
    form, dispatcher = handoff_actions.ValidateHandoffForm(), CollectingDispatcher()
    result = form.validate_handoff_consent(
        "wat doen jullie met mijn gegevens?",
        dispatcher,
        typed("wat doen jullie met mijn gegevens?", "ask_privacy", 0.97),
        {},
    )
    assert result == {"handoff_consent": None}
    assert [m["text"] for m in dispatcher.messages] == [content().answer("ask_privacy").text]
    assert not dispatcher.messages[0]["buttons"]  # the consent buttons follow
    # a plain unclear answer is not taken for a question
    quiet = CollectingDispatcher()
    form.validate_handoff_consent("tja", quiet, typed("tja", "ask_privacy", 0.4), {})
    assert quiet.messages == []


def test_after_a_side_answer_the_phone_question_is_asked_plainly(service) -> None:
    events = [
        *answered_unclearly("handoff_phone", "is dit anoniem?"),
        {"event": "bot", "text": "(privacy)"},
    ]
    again = ask(handoff_actions.ActionAskHandoffPhone(), {}, events)
    assert [m["text"] for m in again] == [content().dialogue_text("handoff_ask_phone")]


def test_a_crisis_typed_inside_a_flow_marks_the_handoff_urgent_without_its_text() -> None:
    events = [
        {"event": "active_loop", "name": "flow_form"},
        {
            "event": "user",
            "text": "mijn antwoord voor het plan",
            "parse_data": {"intent": {"name": "inform"}},
        },
        {
            "event": "user",
            "text": "hij bloedt",
            "parse_data": {"intent": {"name": "crisis_medical"}},
        },
        {"event": "active_loop", "name": None},
    ]
    assert user_messages(events) == [{"text": "", "intent": "crisis_medical"}]
    summary = handoff_actions.build_summary(tracker({}, events)).as_dict()
    assert summary["crisis"] == "medical" and "urgent" in summary["signals"]
