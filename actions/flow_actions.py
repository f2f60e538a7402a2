"""Rasa actions of the guided flows (flow_form). Thin: decisions live in actions/flows/.

The form has one required slot, flow_input, filled from whatever the person
types. The validator hands each message to the engine, which keeps the flow's
state in the slot flow_state and empties flow_input until the flow is done.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import choose_reply, context_entities, entities_from, report, send
from actions.content import Reply, content
from actions.flows import engine
from actions.flows.engine import FLOW_BY_INTENT, Turn, common_text, flow
from actions.flows.results import finish
from actions.in_context import reading_in_context
from actions.service_client import client
from contract.payload import PRIVATE_ANSWER

DONE = "klaar"


def turn_from(tracker: Tracker) -> Turn:
    message = tracker.latest_message
    intent = message.get("intent") or {}
    return Turn(
        text=message.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities_from(message),
    )


def side_answer_for(tracker: Tracker, answered: list[str] | None = None):
    """The answer to a side question typed inside a flow; its id goes into `answered`, so the
    flow can remember it as the last answer ("vertel meer" and "en als ze nee zeggen?" then
    follow it)."""

    def answer(turn: Turn) -> Reply | None:
        relation = turn.entities.get("relatie") or tracker.get_slot("relatie")
        # "waar vraag je dat aan?" during the pgb-check started by "ik wil een pgb voor mijn
        # zoon": read with the message before it, as outside a flow (actions/in_context.py)
        joined = reading_in_context(tracker.events, turn.text)
        intent = joined["intent"]["name"] if joined else turn.intent
        entities = {**context_entities(joined), **turn.entities} if joined else turn.entities
        reply = choose_reply(intent or "", dict(entities), relation)
        if answered is not None and reply.answer_id:
            answered.append(reply.answer_id)
        return reply

    return answer


def send_all(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        send(dispatcher, reply)


class ActionFlowStart(Action):
    def name(self) -> str:
        return "action_flow_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        name = FLOW_BY_INTENT.get(intent, "route_guide")
        dispatcher.utter_message(text=content().render(flow(name).intro))
        report(dispatcher, topic=f"flow:{name}")
        return [
            SlotSet("flow_state", engine.start(name)),
            SlotSet("flow_input", None),
            SlotSet("flow_paused", False),
        ]


class ValidateFlowForm(FormValidationAction):
    def name(self) -> str:
        return "validate_flow_form"

    def validate_flow_input(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        state = tracker.get_slot("flow_state")
        if not state:  # nothing to continue: end the form quietly
            return {"flow_input": DONE}
        turn = turn_from(tracker)
        answered: list[str] = []
        outcome = engine.advance(state, turn, side_answer_for(tracker, answered))
        send_all(dispatcher, outcome.messages)
        slots: dict[str, Any] = {
            "flow_state": outcome.state,
            "flow_input": DONE if outcome.done else None,
        }
        if answered:  # a side question was answered: it is what "vertel meer" extends now
            slots["last_answer"] = answered[-1]
        relation = turn.entities.get("relatie")
        if (
            relation
            and state.get("flow") == "personal_plan"
            and engine.current(state).id == "voor_wie"
        ):
            slots["relatie"] = relation
        return slots


class ActionAskFlowInput(Action):
    def name(self) -> str:
        return "action_ask_flow_input"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = tracker.get_slot("flow_state")
        if state:
            send_all(dispatcher, engine.prompt(state))
            if engine.expects_private_text(state):
                # tells the web service not to keep the next message: no consent to store the
                # plan yet
                dispatcher.utter_message(json_message={PRIVATE_ANSWER: True})
        return []


class ActionFlowFinish(Action):
    """Closing messages; saves a plan only with consent; hands signals to the handoff."""

    def name(self) -> str:
        return "action_flow_finish"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = tracker.get_slot("flow_state")
        events: list[EventType] = [
            SlotSet("flow_state", None),
            SlotSet("flow_input", None),
            SlotSet("flow_paused", False),
        ]
        if not state:
            return events
        result = finish(state)
        send_all(dispatcher, result.messages)
        report(
            dispatcher,
            topic=f"flow_done:{state['flow']}" if not result.cancelled else None,
            signals=result.signals,
        )
        if result.signals:
            known = list(tracker.get_slot("choice_aid_signals") or [])
            events.append(
                SlotSet("choice_aid_signals", known + [s for s in result.signals if s not in known])
            )
        if result.plan is not None:
            events += self._plan(dispatcher, tracker, result.plan, result.save_plan)
        return events

    @staticmethod
    def _plan(
        dispatcher: CollectingDispatcher, tracker: Tracker, plan: dict[str, Any], save: bool
    ) -> list[EventType]:
        texts = flow("personal_plan").results
        buttons = [b.as_dict() for b in engine.next_buttons("personal_plan")]
        if not save:
            dispatcher.utter_message(
                text=content().render(texts["not_saved"]["text"]), buttons=buttons
            )
            return []
        saved = client().create_plan({"conversation_id": tracker.sender_id, **plan})
        if not saved or not saved.get("url"):
            dispatcher.utter_message(
                text=content().render(texts["save_failed"]["text"]), buttons=buttons
            )
            return []
        dispatcher.utter_message(
            text=content().render(texts["saved"]["text"], link=saved["url"]),
            buttons=buttons,
            custom={"plan": {"url": saved["url"]}},
        )
        return [SlotSet("plan_id", str(saved["id"]))]


class ActionFlowPause(Action):
    """The person asks for a human mid-flow: keep the answers, leave the form."""

    def name(self) -> str:
        return "action_flow_pause"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = tracker.get_slot("flow_state") or {}
        if state.get("flow"):
            dispatcher.utter_message(
                text=common_text("paused_for_handoff", flow=flow(state["flow"]).title)
            )
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("flow_paused", True)]


class ActionFlowResume(Action):
    def name(self) -> str:
        return "action_flow_resume"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = tracker.get_slot("flow_state") or {}
        if state.get("flow"):
            dispatcher.utter_message(
                text=common_text("resume_welcome_back", flow=flow(state["flow"]).title)
            )
        return [SlotSet("flow_paused", False), SlotSet("flow_input", None)]
