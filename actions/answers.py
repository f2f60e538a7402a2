"""Rasa SDK actions that answer questions from the content registry.

Thin on purpose: they read the tracker, ask actions.content for the reply and
send it. Which text fits which question is decided (and tested) in content.py.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content import Button, Reply, content, intent_payload
from actions.events import bot_ever_said, previous_bot_texts
from actions.in_context import BACK_REFERENCES, asks, reading_in_context
from actions.search import QUESTION_WORDS, answer_search, second_opinion
from actions.situation import care_profile_code, expresses_burden, expresses_worry, stage_of
from contract.payload import PRIVATE_REPLY
from nlp.follow_up import is_next_step_question, refusal_intent
from nlp.vocabulary import canonical, fold

SECOND_FAILURE = 2
# outside a flow these have nothing to act on ("next_step" gets the next step of the route instead)
NAVIGATION_WITHOUT_FLOW = ("where_was_i", "go_back", "skip")
FLOW_STARTS = ("start_route_guide", "start_choice_aid", "start_pgb_check", "start_personal_plan")
# Client support is one intent; naming an independent organisation or OCO (the glossary
# counts "onafhankelijk", "niet van het zorgkantoor" as that) gets the independent answer.
INDEPENDENT_SUPPORT = {"oco", "mee", "zorgbelang"}
# questions where a typed zorgprofiel code gets the text of that code (content/glossary.yml)
CODE_INTENTS = {"ask_care_profile", "ask_term_meaning"}


ENTITY_TYPES = ("leveringsvorm", "relatie", "organisatie", "sector", "begrip", "plaats")
# Entities that name a topic of their own: "hoe lang duurt het pgb?" is not a follow-up.
TOPIC_ENTITIES = ("leveringsvorm", "organisatie", "sector", "begrip", "plaats")
FOLLOW_UP_MAX_WORDS = 8
# "waar vragen we dat aan", "bij wie moet ik dat melden", "wie regelt dat"
WHERE_QUESTION = re.compile(
    r"\s*(?:en |maar )?(?:waar|bij wie|wie|naar wie|naar waar)\b(?! was ik)"
)
# How likely the earlier topic must be by the words alone before the person is asked.
FOLLOW_UP_MIN_CONFIDENCE = 0.1


def entities_from(message: dict[str, Any]) -> dict[str, str]:
    """Entities of a parsed message as canonical ids, under every type a text has.

    "vpt" is tagged once, as a delivery form, but is also a glossary term: both
    ask_delivery_forms and ask_term_meaning must find it.
    """
    found: dict[str, str] = {}
    for entity in message.get("entities", []):
        name, text = entity.get("entity"), str(entity.get("value", ""))
        if not (name and text):
            continue
        found.setdefault(name, canonical(name, text) or fold(text))
        for other in ENTITY_TYPES:
            value = canonical(other, text)
            if value:
                found.setdefault(other, value)
    return found


def latest_entities(tracker: Tracker) -> dict[str, str]:
    return entities_from(tracker.latest_message)


# What an earlier message adds to a follow-up read with it: which delivery form, sector or place
# the answer is about. Not its terms: "kost dat geld?" after "het zorgkantoor noemde een
# cliëntondersteuner" does not ask what a zorgkantoor is.
CONTEXT_ENTITIES = ("leveringsvorm", "sector", "plaats")


def context_entities(joined: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in entities_from(joined).items() if k in CONTEXT_ENTITIES}


def report(
    dispatcher: CollectingDispatcher, topic: str | None = None, signals: list[str] | None = None
) -> None:
    """Tell the web service what a message was about, for anonymous weekly figures (never shown)."""
    payload = {key: value for key, value in (("topic", topic), ("signals", signals)) if value}
    if payload:
        dispatcher.utter_message(json_message=payload)


# a relative named as the one who gives the care, not the one who gets it
CARER_INTENTS = {"ask_pgb_family_pay", "ask_pgb_employer"}
# what a refusal question is read as (nlp/follow_up.py) before the earlier answer is known
REFUSAL_INTENTS = {"ask_objection", "ask_mediation"}
CARER_ROLE = re.compile(
    r"\b(?:mijn|m'n|mn|onze)\s+\w+\s+(?:(?:daarvan|ervan|daar\s+van|daaruit|eruit|ook|dan)\s+)?"
    r"(?:betalen|inhuren|aannemen|in dienst|als zorgverlener|"
    r"helpt|zorgt|verzorgt|doet de zorg)\b(?!\s+(?:zichzelf|niet))"
    r"|\b(?:betalen|inhuren|aannemen)\s+(?:aan\s+)?(?:mijn|m'n|mn)\s+\w+"
)


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=[b.as_dict() for b in reply.buttons])
    if reply.private:  # marks the message just sent; the service stores a placeholder for it
        dispatcher.utter_message(json_message={PRIVATE_REPLY: True})


def acknowledge_worry(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A word for the writer's fear or tiredness before the answer, once per conversation.

    "hij valt steeds vaker, ik ben zo bang" deserves more than the route; a person is offered
    with it. Said once: repeated on every worried message it would sound like a machine.
    Whether it was said now.
    """
    message = tracker.latest_message.get("text") or ""
    if not expresses_worry(message):
        return False
    registry = content()
    said = [registry.dialogue_text(key) for key in ("acknowledge_worry", "acknowledge_burden")]
    if bot_ever_said(tracker.events, said):
        return False
    # a worn-out carer also gets the way to a short rest (logeeropvang), not only a person
    if expresses_burden(message):
        rest = Button(registry.topic_title("ask_respite_stay"), intent_payload("ask_respite_stay"))
        buttons = [rest.as_dict(), registry.human_button().as_dict()]
        dispatcher.utter_message(text=said[1], buttons=buttons)
    else:
        dispatcher.utter_message(text=said[0], buttons=[registry.human_button().as_dict()])
    return True


def follow_up_choice(
    text: str,
    intent: str,
    entities: dict[str, str],
    previous: str | None,
    ranking: list[dict[str, Any]],
) -> Reply | None:
    """A short question that points back and names no topic ("hoe lang duurt dat?") may be
    about the topic just answered. When the classifier picked another topic and the earlier
    one is also likely, the person chooses: better one click than another topic's answer."""
    # "waar dien ik dat in?" read as "waar was ik?" with no flow to resume: about the topic of
    # just now (development dialogues: after an objection, a move, a pgb)
    where = intent == "where_was_i" and bool(WHERE_QUESTION.match(fold(text)))
    if not previous or intent == previous or not (intent.startswith("ask_") or where):
        return None
    words = re.findall(r"\w+", fold(text))
    if len(words) > FOLLOW_UP_MAX_WORDS or not BACK_REFERENCES.intersection(words):
        return None
    if any(entities.get(name) for name in TOPIC_ENTITIES):
        return None
    confidence = {r.get("name"): r.get("confidence", 0.0) for r in ranking}
    if not where and confidence.get(previous, 0.0) < FOLLOW_UP_MIN_CONFIDENCE:
        return None
    registry = content()
    topics = (previous,) if where else (previous, intent)
    buttons = [Button(registry.topic_title(i) or i, intent_payload(i)) for i in topics]
    if where:
        buttons.append(registry.human_button())
    return Reply(registry.dialogue_text("follow_up_which"), buttons)


def without_repeat(
    reply: Reply, said: set[str], entities: dict[str, str], relation: str | None
) -> list[Reply]:
    """A second question on the topic just answered ("wat doet de svb precies?" after the
    budget holder's duties) must not get the same text again: a glossary term it names,
    else the answer's longer text, else a short note with the follow-ups and a person."""
    if reply.text not in said:
        return [reply]
    registry = content()
    if entities.get("begrip"):
        term = registry.explain_term(entities["begrip"], relation)
        if term.answer_id and term.text not in said:
            return [term]
    more = registry.more(reply.answer_id, relation)
    if more.answer_id and more.text not in said:
        return [Reply(registry.dialogue_text("answer_repeated_more")), more]
    human = registry.human_button()
    buttons = [b for b in reply.buttons if b.payload not in ("/tell_more", human.payload)]
    return [Reply(registry.dialogue_text("answer_repeated"), [*buttons, human], reply.answer_id)]


# what to show next, per stage (actions/situation.py; "orienting" when nothing is known): the text
# and the follow-up topics
NEXT_STEPS = {
    "orienting": (
        "next_step_orienting",
        ["start_route_guide", "ask_indication_apply", "ask_client_support"],
    ),
    "applying": (
        "next_step_applying",
        ["start_choice_aid", "ask_client_support", "ask_indication_process"],
    ),
    "indicated": (
        "next_step_indicated",
        ["start_choice_aid", "ask_provider_choice", "ask_care_profile"],
    ),
    "waiting": ("next_step_waiting", ["ask_waiting", "ask_bridging_care", "ask_mediation"]),
    "in_care": ("next_step_in_care", ["ask_care_plan", "ask_unhappy_with_care", "ask_complaint"]),
}


def choose_reply(
    intent: str, entities: dict[str, str], relation: str | None, stage: str | None = None
) -> Reply:
    registry = content()
    if intent == "inform_for_whom":
        key = "for_whom_relative" if registry.relation_phrases(relation) else "for_whom_self"
        return Reply(registry.dialogue_text(key, relation), registry.menu_buttons())
    if intent == "stop":  # outside a flow, or after a flow was cancelled
        return Reply(registry.dialogue_text("flow_cancelled"), registry.menu_buttons())
    if intent == "next_step" and stage is None:
        stage = "orienting"  # "wat is de volgende stap" outside a flow: from the start of the route
    if intent in ("next_step", "ask_first_steps") and stage in NEXT_STEPS:
        # the next step from where the person stands, not the general first steps
        text_key, buttons = NEXT_STEPS[stage]
        return Reply(
            registry.dialogue_text(text_key),
            [Button(registry.topic_title(i) or i, intent_payload(i)) for i in buttons],
            f"stage:{stage}",
        )
    if intent in NAVIGATION_WITHOUT_FLOW:
        return Reply(
            registry.dialogue_text("nothing_to_resume"),
            [Button(registry.topic_title(i) or i, f"/{i}") for i in FLOW_STARTS],
        )
    if intent == "ask_term_meaning":
        return registry.explain_term(entities.get("begrip"), relation)
    if intent == "ask_client_support" and INDEPENDENT_SUPPORT & {
        entities.get("begrip"),
        entities.get("organisatie"),
    }:
        intent = "ask_independent_support"
    if intent == "ask_which_care_office":
        by_place = registry.which_care_office(entities.get("plaats"))
        if by_place is not None:
            return by_place
    reply = registry.answer(intent, entities, relation)
    if reply is None:
        # An intent without content is a gap in the registry, not the user's fault.
        return Reply(registry.dialogue_text("no_answer"), registry.menu_buttons())
    return reply


def answered_with(
    dispatcher: CollectingDispatcher, replies: list[Reply], topic: str
) -> list[dict[str, Any]]:
    """Send an answer's replies; the slots that remember it (the last one is "the answer")."""
    for reply in replies:
        send(dispatcher, reply)
    report(dispatcher, topic=topic)
    answered = replies[-1].answer_id
    return [
        SlotSet("last_answer", answered),
        SlotSet("fallback_count", 0),
        SlotSet("offered_human", content().offers_human(answered)),
    ]


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        intent = message.get("intent", {}).get("name", "")
        entities = latest_entities(tracker)
        if intent == "ask_which_care_office" and not entities.get("plaats"):
            # any of the 342 gemeenten, also those the entity rules do not list
            place = content().find_place(message.get("text") or "")
            entities = {**entities, "plaats": place} if place else entities
        said = fold(message.get("text") or "")
        # the person the care is for stays when a message refers back to them ("hoeveel moet ze
        # betalen, mijn vader woont nog thuis") or names a relative as the carer ("mag ik mijn zus
        # betalen uit het pgb"): the relative named along the way does not get the care
        if (
            entities.get("relatie")
            and tracker.get_slot("relatie")
            and (
                re.search(r"\b(ze|zij|haar|hij|hem)\b", said)
                or intent in CARER_INTENTS
                or CARER_ROLE.search(said)
            )
        ):
            entities = {**entities, "relatie": tracker.get_slot("relatie")}
        relation = entities.get("relatie") or tracker.get_slot("relatie")
        about = [SlotSet("relatie", entities["relatie"])] if entities.get("relatie") else []
        # where the person stands is kept whatever this turn answers (also a "Bedoelt u...?")
        stage_now = stage_of(message.get("text") or "")
        stage = stage_now or tracker.get_slot("stage")
        if stage:
            about.append(SlotSet("stage", stage))
        previous = str(tracker.get_slot("last_answer") or "")
        # "wat kan ik in de tussentijd doen" once the person said the application runs: the
        # next step from there, though the classifier was sure of care while waiting for a place
        if stage and intent.startswith("ask_") and is_next_step_question(message.get("text") or ""):
            intent = "next_step"
        # after an emergency, not after exhaustion: "ik red het niet meer ... wat is de eerste
        # stap" asks for the route (development dialogues)
        emergency = previous.startswith("crisis:") and previous != "crisis:carer_exhaustion"
        if intent in ("next_step", "ask_first_steps") and emergency:
            from actions.crisis import repeat_door  # actions.crisis imports this module

            return [*repeat_door(dispatcher, previous.removeprefix("crisis:")), *about]
        acknowledge_worry(dispatcher, tracker)
        text, ranking = message.get("text") or "", message.get("intent_ranking") or []
        # "waar vragen we dat aan" after "we willen een pgb": read with the message before it
        joined = reading_in_context(tracker.events, text)
        if joined and joined["intent"]["name"] != intent:
            intent, ranking, text = (
                joined["intent"]["name"],
                joined["intent_ranking"],
                joined["text"],
            )
            entities = {**context_entities(joined), **entities}
        # "en als ze er niks mee doen?" after the complaints answer is about the complaint
        refused = content().when_refused(previous)
        if refused and intent in REFUSAL_INTENTS and refusal_intent(message.get("text") or ""):
            intent = refused
        choice = follow_up_choice(
            message.get("text") or "",
            intent,
            entities,
            content().topic_of(tracker.get_slot("last_answer")),
            ranking,
        )
        if choice is not None:
            send(dispatcher, choice)  # the earlier answer stays the one "Vertel meer" extends
            return [*about, SlotSet("offered_human", False)]
        # "mag ik mijn zus daarvan betalen" was read as skip (0.74) and got "U was nog niet bezig
        # met een stappenplan": outside a flow, navigation with a whole question behind it is a
        # question the classifier missed, so the person chooses among its likeliest topics
        if intent in NAVIGATION_WITHOUT_FLOW and asks(text) and len(text.split()) >= QUESTION_WORDS:
            topics = tuple(str(r["name"]) for r in ranking if str(r["name"]).startswith("ask_"))
            if topics:
                send(dispatcher, ask_back(topics[:2]))
                report(dispatcher, topic="ask_back")
                return [*about, SlotSet("offered_human", False)]
        opinion = second_opinion(text, ranking)
        typed = str(message.get("text") or "")
        # "mijn moeder heeft sinds vorige maand een indicatie vv5": no question the classifier
        # is sure of, but where they stand and their zorgprofiel: the code explained and the
        # next step from there (without a code a "Bedoelt u...?" stays the safer answer)
        code = care_profile_code(typed)
        if (
            opinion.kind == "ask"
            and stage_now
            and code
            and content().term(f"zorgprofiel_{code}")
            and not asks(typed)
        ):
            replies = [
                content().explain_term(f"zorgprofiel_{code}", relation),
                choose_reply("next_step", {}, relation, stage_now),
            ]
            return [*answered_with(dispatcher, replies, f"stage:{stage_now}"), *about]
        if opinion.kind == "ask" and not typed.startswith("/"):
            send(
                dispatcher, ask_back(opinion.intents)
            )  # unsure: a click is cheaper than a wrong answer
            report(dispatcher, topic="ask_back")
            return [*about, SlotSet("offered_human", False)]
        # "mijn vader heeft een indicatie VG6": that code explained, not only its family
        code = care_profile_code(message.get("text") or "") if intent in CODE_INTENTS else None
        if code and content().term(f"zorgprofiel_{code}"):
            replies = [content().explain_term(f"zorgprofiel_{code}", relation)]
        else:
            replies = without_repeat(
                choose_reply(intent, entities, relation, stage),
                previous_bot_texts(tracker.events),
                entities,
                relation,
            )
        return [*answered_with(dispatcher, replies, intent), *about]


class ActionTellMore(Action):
    def name(self) -> str:
        return "action_tell_more"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reply = content().more(tracker.get_slot("last_answer"), tracker.get_slot("relatie"))
        send(dispatcher, reply)
        report(dispatcher, topic="tell_more")
        return []


def ask_back(intents: tuple[str, ...]) -> Reply:
    """ "Bedoelt u...?" with the likeliest topics, and a person."""
    registry = content()
    buttons = [
        Button(registry.topic_title(i) or i, intent_payload(i))
        for i in intents
        if registry.topic_title(i)
    ]
    return Reply(registry.dialogue_text("ask_back"), [*buttons, registry.human_button()])


# the classifier's confidence from which an "inform" outside a form is a statement about the
# person's situation, not a question it failed to understand
STATEMENT_CONFIDENCE = 0.8


def fallback_reply(failures: int, ranking: list[dict[str, Any]]) -> Reply:
    """First miss: offer the likeliest topics. Second miss in a row: offer a person."""
    registry = content()
    if failures >= SECOND_FAILURE:
        human = registry.human_button()
        return Reply(
            registry.dialogue_text("fallback_second"), [human, *registry.menu_buttons()[:2]]
        )
    suggestions = registry.suggestions(r for r in ranking if r.get("name") != "nlu_fallback")
    if suggestions:
        return Reply(registry.dialogue_text("fallback_suggest"), suggestions)
    return Reply(registry.dialogue_text("fallback_rephrase"), registry.menu_buttons())


# Build the answer index when the action server loads this module, not on a citizen's first
# question (about 0.8 s on 2 cores).
answer_search()


class ActionFallbackSuggest(Action):
    def name(self) -> str:
        return "action_fallback_suggest"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # A town name alone ("Tilburg", "ik woon in zeist") answers the bot's "typ uw
        # woonplaats": look it up, whatever the classifier made of the message. Any gemeente
        # counts only right after that question ("Best" is also a word).
        acknowledged = acknowledge_worry(dispatcher, tracker)
        place = latest_entities(tracker).get("plaats")
        if not place and tracker.get_slot("last_answer") == "which_care_office":
            place = content().find_place(tracker.latest_message.get("text") or "")
        by_place = content().which_care_office(place)
        if by_place is not None:
            send(dispatcher, by_place)
            report(dispatcher, topic="ask_which_care_office")
            return [SlotSet("last_answer", by_place.answer_id), SlotSet("fallback_count", 0)]
        # "mag ik met haar mee" after "mijn vrouw gaat naar een verpleeghuis": not understood on
        # its own, but sure when read with the message before it
        joined = reading_in_context(tracker.events, tracker.latest_message.get("text") or "")
        if joined:
            relation = latest_entities(tracker).get("relatie") or tracker.get_slot("relatie")
            entities = {**context_entities(joined), **latest_entities(tracker)}
            replies = without_repeat(
                choose_reply(joined["intent"]["name"], entities, relation),
                previous_bot_texts(tracker.events),
                entities,
                relation,
            )
            return answered_with(dispatcher, replies, joined["intent"]["name"])
        # "ze heeft vorige maand al een indicatie gekregen": no question, but where they stand;
        # a wegwijzer answers with the next step from there
        stage = stage_of(tracker.latest_message.get("text") or "")
        if stage:
            reply = choose_reply("next_step", {}, tracker.get_slot("relatie"), stage)
            send(dispatcher, reply)
            report(dispatcher, topic=f"stage:{stage}")
            return [
                SlotSet("stage", stage),
                SlotSet("last_answer", reply.answer_id),
                SlotSet("fallback_count", 0),
            ]
        # "ze woont nog alleen in haar flat": no question, something about their situation
        # (the classifier is sure it is a statement): thank them, no "Sorry, dat begreep ik niet"
        intent = tracker.latest_message.get("intent") or {}
        if (
            intent.get("name") == "inform"
            and float(intent.get("confidence") or 0) >= STATEMENT_CONFIDENCE
            # "mag ik het bezwaar mailen naar ...? mijn nummer is ..." asks something: not
            # "Dank u, dat is goed om te weten" (a worried daughter)
            and not asks(tracker.latest_message.get("text") or "")
        ):
            send(
                dispatcher,
                Reply(content().dialogue_text("situation_noted"), content().menu_buttons()),
            )
            report(dispatcher, topic="situation_noted")
            return [SlotSet("fallback_count", 0)]
        # "het valt me allemaal zo zwaar": heard just now, so no "Sorry, dat begreep ik niet";
        # where to start instead
        if acknowledged:
            send(
                dispatcher,
                Reply(content().dialogue_text("where_to_start"), content().menu_buttons()),
            )
            report(dispatcher, topic="worry_heard")
            return [SlotSet("fallback_count", 0)]
        failures = int(tracker.get_slot("fallback_count") or 0) + 1
        reply = fallback_reply(failures, tracker.latest_message.get("intent_ranking", []))
        send(dispatcher, reply)
        report(dispatcher, topic="nlu_fallback")
        return [SlotSet("fallback_count", failures), SlotSet("offered_human", False)]
