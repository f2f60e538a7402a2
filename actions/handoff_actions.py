"""Rasa actions of the warm handoff form (handoff_form).

The form asks: who to talk to (zorgkantoor or an OCO organisation), how to be
contacted (chat now only when staff are online; phone; e-mail), the details,
and explicit consent after showing the summary. Decisions live in handoff.py;
storage goes through the web service's internal API.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import handoff
from actions.answers import choose_reply
from actions.content import content
from actions.events import this_turn, user_messages
from actions.flow_actions import turn_from
from actions.flows.engine import is_side_question
from actions.service_client import client
from contract.slots import HANDOFF_SLOTS

FLOW_SIGNAL_SLOTS = ["choice_aid_signals"]  # filled by the guided flows
# Set when the handoff ends, not when it starts: the rule that starts it on "ja" needs the
# offer to hold until the form runs. Afterwards a "ja" is only a "ja" again.
OFFER_USED = SlotSet("offered_human", False)
NO_ORGANISATION = "onbekend"  # an OCO without a chosen organisation: the zorgkantoor refers on


def _text(key: str, **values: str) -> str:
    return content().dialogue_text(key, **values)


def _button(key: str, payload: str | None = None) -> dict[str, str]:
    title = _text(key)
    return {"title": title, "payload": payload or title}


def _organisations() -> list[dict[str, Any]]:
    return [o for o in client().organisations("oco") if o.get("active", True)]


def asked_before(tracker: Tracker, slot: str) -> bool:
    """Whether the form asked for `slot` on the turn before and the answer did not fit.

    Then the ask action gives the short "please choose again" text instead of repeating the
    whole question, and the validators stay silent (but for answering a side question), so
    the person reads one message, not two.
    The events after the latest user message belong to this turn; a handoff that started this
    turn (action_prepare_handoff) asks everything for the first time.
    """
    requested_before = None
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if not seen_user:
            # a handoff that started this turn, or a crisis reply just before the question,
            # asks in full
            if kind == "action" and event.get("name") in (
                "action_prepare_handoff",
                "action_crisis",
            ):
                return False
            seen_user = kind == "user"
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested_before = event.get("value")
            break
    return requested_before == slot


def answer_side_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """A topic question typed instead of an answer ("wat doen jullie met mijn gegevens?" at the
    consent question) gets its answer; the form then asks its own question again."""
    turn = turn_from(tracker)
    if turn.intent and is_side_question(turn, buttons_only=False):
        relation = turn.entities.get("relatie") or tracker.get_slot("relatie")
        # text only: the form's own question and buttons follow, and a click on "Vertel meer"
        # would be read as an answer to it
        dispatcher.utter_message(text=choose_reply(turn.intent, dict(turn.entities), relation).text)


def bot_spoke_this_turn(tracker: Tracker) -> bool:
    """Whether a validator already answered this message (a side question, the difference)."""
    return any(event.get("event") == "bot" for event in this_turn(tracker.events))


def answer_did_not_fit(tracker: Tracker, slot: str) -> bool:
    """Asked before, and no side answer given now: the retry text may say it did not fit."""
    return asked_before(tracker, slot) and not bot_spoke_this_turn(tracker)


def method_named_this_turn(tracker: Tracker) -> str | None:
    """The contact method the latest message named before it was asked ("bellen" at "met wie?")."""
    named = [
        e.get("value")
        for e in this_turn(tracker.events)
        if e.get("event") == "slot" and e.get("name") == "handoff_method" and e.get("value")
    ]
    return named[-1] if named else None


def _again(tracker: Tracker, key: str) -> str:
    """The short "choose again" text, acknowledging a contact method typed early."""
    method = method_named_this_turn(tracker)
    noted = (
        _text("handoff_method_noted", manier="bellen" if method == "telefoon" else "mailen")
        if method
        else ""
    )
    return f"{noted} {_text(key)}".strip()


class ActionPrepareHandoff(Action):
    """Start afresh each time; a callback request already knows the method."""

    def name(self) -> str:
        return "action_prepare_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        intent = tracker.latest_message.get("intent", {}).get("name")
        # "ja" to an offered person counts as asking for one
        dispatcher.utter_message(
            json_message={
                "topic": "request_callback" if intent == "request_callback" else "request_human"
            }
        )
        if intent == "request_callback":
            events.append(SlotSet("handoff_method", "telefoon"))
        return events


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = ["handoff_target"]
        if tracker.get_slot("handoff_target") == "oco":
            slots.append("handoff_organisation")
        slots.append("handoff_method")
        method = tracker.get_slot("handoff_method")
        if method == "telefoon":
            slots += ["handoff_phone", "handoff_part_of_day"]
        elif method == "email":
            slots.append("handoff_email")
        return slots + ["handoff_consent"]

    def validate_handoff_target(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if handoff.asks_for_difference(text):
            dispatcher.utter_message(text=_text("handoff_difference"))
            return {"handoff_target": None}
        target = handoff.parse_target(text)
        if target is None:
            answer_side_question(dispatcher, tracker)
            return {"handoff_target": None, **_early_method(text)}
        return {"handoff_target": target}

    def validate_handoff_organisation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if handoff.no_preference(text):  # the zorgkantoor passes it on to one of them
            return {"handoff_organisation": NO_ORGANISATION}
        chosen = handoff.match_organisation(text, _organisations())
        if chosen is None:
            answer_side_question(dispatcher, tracker)
            return {"handoff_organisation": None, **_early_method(text)}
        return {"handoff_organisation": str(chosen["id"])}

    def validate_handoff_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        method = handoff.parse_method(str(value or ""), staff_online=client().staff_online())
        if method is None:
            answer_side_question(dispatcher, tracker)
        return {"handoff_method": method}

    def validate_handoff_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = handoff.normalise_phone(str(value or ""))
        if phone is None:
            answer_side_question(dispatcher, tracker)
        return {"handoff_phone": phone}

    def validate_handoff_part_of_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        part = handoff.parse_part_of_day(str(value or ""))
        return {"handoff_part_of_day": part or "geen voorkeur"}

    def validate_handoff_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        email = handoff.normalise_email(str(value or ""))
        if email is None:
            answer_side_question(dispatcher, tracker)
        return {"handoff_email": email}

    def validate_handoff_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = handoff.parse_yes_no(str(value or ""))
        if answer is None:
            answer_side_question(dispatcher, tracker)
            return {"handoff_consent": None}
        return {"handoff_consent": "ja" if answer else "nee"}


def _early_method(text: str) -> dict[str, str]:
    """ "bellen" typed at an earlier question answers the contact question already: keep it.

    Phone and e-mail only: chat depends on who is online when the form gets there.
    """
    method = handoff.parse_method(text, staff_online=False)
    return {"handoff_method": method} if method else {}


class ActionAskHandoffTarget(Action):
    def name(self) -> str:
        return "action_ask_handoff_target"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # asked before (an unclear answer, or after explaining the difference): the short question
        text = (
            _again(tracker, "handoff_target_again")
            if asked_before(tracker, "handoff_target")
            else _text("handoff_intro")
        )
        dispatcher.utter_message(
            text=text,
            buttons=[
                _button("button_target_zorgkantoor"),
                _button("button_target_oco"),
                _button("button_difference"),
            ],
        )
        return []


class ActionAskHandoffOrganisation(Action):
    def name(self) -> str:
        return "action_ask_handoff_organisation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        organisations = _organisations()
        if len(organisations) == 1:  # nothing to choose
            return [SlotSet("handoff_organisation", str(organisations[0]["id"]))]
        if not organisations:  # directory unreachable or empty: the zorgkantoor refers on
            return [SlotSet("handoff_organisation", NO_ORGANISATION)]
        buttons = [{"title": o["name"], "payload": o["name"]} for o in organisations]
        buttons.append(_button("button_no_preference"))
        again = asked_before(tracker, "handoff_organisation")
        dispatcher.utter_message(
            text=_again(tracker, "handoff_organisation_again")
            if again
            else _text("handoff_ask_organisation"),
            buttons=buttons,
        )
        return []


class ActionAskHandoffMethod(Action):
    def name(self) -> str:
        return "action_ask_handoff_method"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        online = client().staff_online()
        if answer_did_not_fit(tracker, "handoff_method"):
            text = _text("handoff_method_again")
        else:
            text = _text("handoff_ask_method_online" if online else "handoff_ask_method_offline")
        buttons = [_button("button_method_chat")] if online else []
        dispatcher.utter_message(
            text=text,
            buttons=[*buttons, _button("button_method_phone"), _button("button_method_email")],
        )
        return []


class ActionAskHandoffPhone(Action):
    def name(self) -> str:
        return "action_ask_handoff_phone"

    def run(self, dispatcher, tracker, domain) -> list[EventType]:
        again = answer_did_not_fit(tracker, "handoff_phone")
        dispatcher.utter_message(
            text=_text("handoff_phone_invalid" if again else "handoff_ask_phone")
        )
        return []


class ActionAskHandoffPartOfDay(Action):
    def name(self) -> str:
        return "action_ask_handoff_part_of_day"

    def run(self, dispatcher, tracker, domain) -> list[EventType]:
        dispatcher.utter_message(
            text=_text("handoff_ask_part_of_day"),
            buttons=[
                _button("button_morning"),
                _button("button_afternoon"),
                _button("button_no_preference"),
            ],
        )
        return []


class ActionAskHandoffEmail(Action):
    def name(self) -> str:
        return "action_ask_handoff_email"

    def run(self, dispatcher, tracker, domain) -> list[EventType]:
        again = answer_did_not_fit(tracker, "handoff_email")
        dispatcher.utter_message(
            text=_text("handoff_email_invalid" if again else "handoff_ask_email")
        )
        return []


def flow_signals(tracker: Tracker) -> list[str]:
    signals: list[str] = []
    for slot in FLOW_SIGNAL_SLOTS:
        signals += list(tracker.get_slot(slot) or []) if slot in tracker.slots else []
    return signals


def build_summary(tracker: Tracker) -> handoff.Summary:
    plan_id = tracker.get_slot("plan_id") if "plan_id" in tracker.slots else None
    return handoff.summarise(
        user_messages(tracker.events), tracker.get_slot("relatie"), flow_signals(tracker), plan_id
    )


def recipient(tracker: Tracker) -> str:
    if tracker.get_slot("handoff_target") == "oco":
        chosen = tracker.get_slot("handoff_organisation")
        for org in _organisations():
            if str(org.get("id")) == chosen:
                return org["name"]
        # no organisation chosen (or none listed): only the zorgkantoor's advisers see it, and
        # they refer on; the person consents to what really happens
    return content().values().get("zorgkantoor_naam", "het zorgkantoor")


def contact_line(tracker: Tracker) -> str:
    method = tracker.get_slot("handoff_method")
    if method == "telefoon":
        return (
            f"bellen naar {tracker.get_slot('handoff_phone')} "
            f"({tracker.get_slot('handoff_part_of_day')})"
        )
    if method == "email":
        return f"e-mail naar {tracker.get_slot('handoff_email')}"
    return "nu chatten"


def summary_text(summary: handoff.Summary, tracker: Tracker) -> str:
    registry = content()
    lines = []
    if summary.topics:
        titles = [registry.topic_title(t) or t for t in summary.topics]
        lines.append(_text("summary_topics", waarde=", ".join(titles)))
    naaste = registry.relation_phrases(summary.for_whom)
    if naaste:
        lines.append(_text("summary_for_whom", waarde=naaste["naaste"]))
    if summary.unanswered:
        lines.append(_text("summary_unanswered", waarde=str(len(summary.unanswered))))
    if summary.plan_id:
        lines.append(_text("summary_plan"))
    if not lines:
        lines.append(_text("summary_nothing"))
    lines.append(_text("summary_contact", waarde=contact_line(tracker)))
    return "\n".join(f"- {line}" for line in lines)


class ActionAskHandoffConsent(Action):
    def name(self) -> str:
        return "action_ask_handoff_consent"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if asked_before(tracker, "handoff_consent"):  # the summary is just above
            text = _text("handoff_consent_again")
        else:
            text = _text(
                "handoff_ask_consent",
                ontvanger=recipient(tracker),
                samenvatting=summary_text(build_summary(tracker), tracker),
            )
        dispatcher.utter_message(
            text=text, buttons=[_button("button_yes_share"), _button("button_no_share")]
        )
        return []


class ActionSubmitHandoff(Action):
    def name(self) -> str:
        return "action_submit_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("handoff_consent") != "ja":
            dispatcher.utter_message(text=_text("handoff_no_consent"))
            return [SlotSet(slot, None) for slot in HANDOFF_SLOTS] + [OFFER_USED]

        summary = build_summary(tracker)
        attempt = int(tracker.get_slot("handoff_count") or 0)
        method = tracker.get_slot("handoff_method")
        organisation = tracker.get_slot("handoff_organisation")
        payload = {
            "conversation_id": tracker.sender_id,
            # the same request retried maps to the same handoff, never a second one
            "idempotency_key": f"{tracker.sender_id}:{attempt}",
            "target": tracker.get_slot("handoff_target"),
            "organisation_id": int(organisation)
            if organisation and organisation.isdigit()
            else None,
            "contact_method": method,
            "phone": tracker.get_slot("handoff_phone"),
            "email": tracker.get_slot("handoff_email"),
            "part_of_day": tracker.get_slot("handoff_part_of_day"),
            "summary": summary.as_dict(),
            "plan_id": summary.plan_id,
            "consent": True,
        }
        created = client().create_handoff(payload)
        if not created or not created.get("reference"):
            dispatcher.utter_message(text=_text("handoff_failed"))
            return [OFFER_USED]  # keep the handoff slots: a retry reuses the same idempotency key

        settings = content().settings.get("overdracht") or {}
        key = {"telefoon": "handoff_done_phone", "email": "handoff_done_email"}.get(
            method, "handoff_done_chat"
        )
        expectation = settings.get(
            "verwachting_email" if method == "email" else "verwachting_terugbellen", ""
        )
        dispatcher.utter_message(
            text=_text(
                key,
                referentie=created["reference"],
                ontvanger=recipient(tracker),
                verwachting=expectation,
            ),
            custom={"handoff": {"reference": created["reference"], "method": method}},
        )
        return [
            SlotSet("handoff_count", attempt + 1),
            SlotSet("handoff_reference", created["reference"]),
            *[SlotSet(slot, None) for slot in HANDOFF_SLOTS],
            OFFER_USED,
        ]
