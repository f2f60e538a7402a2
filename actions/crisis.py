"""The safety layer's reply: the right door first, then a person, then the way back.

The NLU decides the category (nlp/crisis.py); this picks the text from content/crisis.yml and
names only the doors that are open now: the zorgkantoor within its opening hours, the
huisarts on working days and the huisartsenpost otherwise. 112, 113 and Veilig Thuis are
always open. It asks for no personal data and promises nothing about tonight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import report, send
from actions.content import Button, Content, Reply, content, intent_payload
from contract.hours import is_open
from nlp.crisis import category_of

FLOW_FORM, HANDOFF_FORM = "flow_form", "handoff_form"


@dataclass(frozen=True)
class CrisisReply:
    door: Reply  # the category's text, with the numbers
    calls: list[dict[str, str]]  # tap-to-call links for the widget: {"title", "number"}
    closing: Reply | None  # a person and the way back; None inside the handoff form
    closing_text_only: str | None = None  # inside the handoff form: a line before its question


def huisarts_now(registry: Content, moment: datetime) -> str:
    """The huisarts in practice hours, the huisartsenpost otherwise (content/crisis.yml)."""
    open_now = is_open(registry.crisis.get("huisarts_hours") or {}, moment)
    return "uw huisarts" if open_now else "de huisartsenpost"


def crisis_reply(
    category: str,
    moment: datetime,
    *,
    flow_paused: bool,
    in_handoff: bool,
    registry: Content | None = None,
) -> CrisisReply:
    registry = registry or content()
    data = registry.crisis
    item = data["categories"][category]
    office_open = registry.office_open(moment)
    huisarts = huisarts_now(registry, moment)
    parts = [registry.render(item["text"], huisarts=huisarts)]
    extra = item.get("more_office_open" if office_open else "more_office_closed")
    if extra:
        parts.append(registry.render(extra, huisarts=huisarts))
    calls = [dict(data["calls"][door]) for door in item.get("calls", [])]
    door = Reply(" ".join(parts), [], f"crisis:{category}")
    closing = data["closing"]
    if in_handoff:
        return CrisisReply(door, calls, None, registry.render(closing["in_handoff"]))
    labels = data["buttons"]
    if office_open:
        text = registry.render(closing["office_open"])
        buttons = [Button(labels["human"], intent_payload("request_human"))]
    else:  # a chat now is not possible; a call on the next working day is
        text = registry.render(closing["office_closed"])
        buttons = [Button(labels["callback"], intent_payload("request_callback"))]
    if flow_paused:
        text = f"{text} {registry.render(closing['resume'])}"
        buttons.append(Button(labels["resume"], intent_payload("where_was_i")))
    return CrisisReply(door, calls, Reply(text, buttons))


def crisis_check(
    category: str, moment: datetime, ordinary: str | None, registry: Content | None = None
) -> tuple[Reply, list[dict[str, str]]]:
    """Only the classifier read a crisis: the door in one line, then a choice. "Ja" gives the
    whole crisis reply; "Nee" the answer to the ordinary topic the classifier ranked next."""
    registry = registry or content()
    data = registry.crisis
    check = data["check"]
    line = registry.render(check["lines"][category], huisarts=huisarts_now(registry, moment))
    text = " ".join([check["intro"], line, check["question"]])
    other = ordinary if ordinary and registry.topic_title(ordinary) else "help"
    buttons = [
        Button(check["confirm"], intent_payload(f"crisis_{category}")),
        Button(check["other_question"], intent_payload(other)),
    ]
    calls = [
        dict(data["calls"][door]) for door in data["categories"][category].get("calls", [])[:1]
    ]
    return Reply(text, buttons, f"crisis_check:{category}"), calls


def send_crisis_reply(dispatcher: CollectingDispatcher, reply: CrisisReply) -> None:
    """The door with its numbers, the tap-to-call links, then a person and the way back."""
    send(dispatcher, reply.door)
    if reply.calls:
        dispatcher.utter_message(json_message={"calls": reply.calls})
    if reply.closing is not None:
        send(dispatcher, reply.closing)
    elif reply.closing_text_only:
        dispatcher.utter_message(text=reply.closing_text_only)


class ActionCrisis(Action):
    """Runs for a crisis_* intent in any state: outside a form, inside a guided flow (marked
    paused, so "Verder waar ik was" resumes it) and inside the handoff form (which goes on)."""

    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = tracker.latest_message.get("intent") or {}
        category = category_of(intent.get("name")) or "medical"
        loop = tracker.active_loop.get("name") if tracker.active_loop else None
        events: list[EventType] = []
        if loop == FLOW_FORM:  # the rule then deactivates the form; the answers stay in flow_state
            events.append(SlotSet("flow_paused", True))
        moment = datetime.now(timezone.utc)
        if float(intent.get("confidence") or 1.0) < 1.0:  # the classifier alone: check first
            ordinary = next(
                (
                    r.get("name")
                    for r in tracker.latest_message.get("intent_ranking") or []
                    if not category_of(r.get("name")) and r.get("name") != "nlu_fallback"
                ),
                None,
            )
            check, calls = crisis_check(category, moment, ordinary)
            send(dispatcher, check)
            if calls:
                dispatcher.utter_message(json_message={"calls": calls})
            report(dispatcher, topic=f"crisis_check:{category}")
            return [*events, SlotSet("offered_human", False)]
        in_flow = loop == FLOW_FORM or bool(tracker.get_slot("flow_paused"))
        reply = crisis_reply(category, moment, flow_paused=in_flow, in_handoff=loop == HANDOFF_FORM)
        send_crisis_reply(dispatcher, reply)
        # anonymous figures per category for the staff portal; the text itself is not kept here
        report(dispatcher, topic=f"crisis:{category}")
        events.append(SlotSet("last_answer", reply.door.answer_id))
        # a typed "ja" now means yes to a person (outside the handoff form, which asks itself)
        events.append(SlotSet("offered_human", loop != HANDOFF_FORM))
        return events


def repeat_door(dispatcher: CollectingDispatcher, category: str) -> list[EventType]:
    """ "Wat moet ik doen?" right after a crisis reply asks about the emergency, not about the
    route to Wlz care (talking to the bot as a worried daughter: it got the first steps of the
    Wlz after "mijn vader sloeg me net"): the door once more, then a person."""
    reply = crisis_reply(category, datetime.now(timezone.utc), flow_paused=False, in_handoff=False)
    dispatcher.utter_message(text=content().dialogue_text("crisis_first"))
    send_crisis_reply(dispatcher, reply)
    # not "crisis:": the staff figures count one crisis contact, not each repeat; and the last
    # answer is the repeat, so asking again gets the route, not the door once more
    report(dispatcher, topic=f"crisis_repeat:{category}")
    return [SlotSet("last_answer", f"crisis_repeat:{category}"), SlotSet("offered_human", True)]
