"""Short follow-ups that name no topic: "wat nu?" and "en als ze nee zeggen?".

A question for the next step, whatever words it uses.

People ask it in many ways ("wat moeten wij intussen doen", "kan ik al ergens mee beginnen",
"hoe verder", "en nu?"), and the classifier read several of them as another intent: restart
("beginnen"), tell_more, help, the general route. After the person said where they stand
("de aanvraag loopt", "ze staat op de wachtlijst") the answer must come from there
(actions/situation.py, `next_step_*` in content/dialogue.yml).

A question about a refusal ("wat als het zorgkantoor dat afwijst", "en als ze daar geen plek
hebben") was read as deny or not understood; it asks what one can do then: bezwaar (objection),
or the zorgkantoor's help to find a place (mediation) when the refusal is about a place.

The Rasa component runs after the intent classifier and before the safety layer (which still
wins). It changes the intent only where the message is such a question and little else, and the
classifier read a generic intent or was unsure; a question with its own topic ("wat moet ik doen
als het CIZ nee zegt" is the refusal kind, "wat kost dat" keeps its intent).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlp.vocabulary import fold

_WHO = r"(?: (?:ik|we|wij|je|jij|u|jullie))?"
_WHEN = (
    r"(?: (?:nu|dan|intussen|ondertussen|in de tussentijd|tot dan|tot die tijd|alvast|nog|eerst|"
    r"als eerste|zelf|allemaal|verder|al|daarna|precies|het beste|het best|als familie))*"
)
QUESTION = re.compile(
    rf"\bwat (?:moet|moeten|kan|kunnen|zou|zouden|ga|gaan|kun){_WHO}{_WHEN} "
    r"(?:doen|regelen|ondernemen|"
    r"aanvragen|doen\?)\b"
    rf"|\b(?:wat|hoe) (?:nu|dan|verder)\b|^\s*(?:en )?(?:nu|dan)\s*\?*\s*$"
    r"|\bhoe (?:gaat|moet|gaan|moeten)?(?: het| we| wij| ik)?(?: nu| dan)? ?verder\b"
    r"|\b(?:volgende|eerste|nieuwe) stap|\bwelke stap (?:komt|is nu|moet|nu|hierna|daarna)"
    # "waar moet ik beginnen", "waar begin ik"; not "waar moet ik dat doorgeven" (a where question)
    r"|\bwaar (?:moet|kan|moeten|kunnen)(?: ik| we| wij)? (?:\w+ ){0,2}"
    r"(?:beginnen|starten|aan beginnen)\b"
    r"|\bwaar (?:begin|start|beginnen|starten)(?: ik| we| wij)?\b"
    r"|\b(?:kan|moet|kunnen|moeten)(?: ik| we| wij)? (?:al |nu |alvast |verder |nog |zelf )*"
    r"(?:ergens|iets) "
    r"(?:mee )?(?:beginnen|doen|regelen|starten)\b"
    r"|\bhoe (?:pak|pakken|pakt) (?:ik|we|wij|je|u) (?:dit|dat|het)(?: nu| dan)? aan\b"
    # "wat moet er nu gebeuren", "is er iets wat ik nu al kan regelen", "hoe begin ik daarmee"
    r"|\bwat moet er (?:nu |dan |eerst )?gebeuren\b"
    r"|\biets (?:wat|dat) (?:ik|we|wij) (?:nu |al |alvast )*(?:kan|kunnen|moet|moeten) "
    r"(?:doen|regelen)\b"
    r"|\bhoe (?:begin|start) (?:ik|we|wij)\b"
    r"|\bwelke kant (?:moet|moeten)"
)
# words that show the question has a topic of its own: then the classifier decides
OWN_TOPIC = re.compile(
    r"\b(?:(?:als|wanneer|zodra) (?:het|ze|zij|hij|ik|je|we|wij|er|de|mijn|u|iemand)|"
    r"bezwaar|klacht|betalen|kost|kosten|geld|pgb|wachtlijst|"
    r"eigen bijdrage|verhuizen|overlijd\w*|afgewezen|nee zegt|nee zeggen)\b"
)
MAX_WORDS = 14
# the intents a next-step question was read as (December 2026 development dialogues), and
# the classifier's doubt: below this confidence any intent gives way
GENERIC_INTENTS = frozenset(
    {
        "help",
        "restart",
        "tell_more",
        "ask_route",
        "nlu_fallback",
        "affirm",
        "deny",
        "inform",
        "greet",
        "thank",
        "out_of_scope",
        "where_was_i",
        "stop",
    }
)
UNSURE = 0.6
INTENT_NAME = "next_step"


REFUSAL = re.compile(
    r"\b(?:als|stel dat|wanneer|wat gebeurt er als)\b[^,.;!?]*\b(?:nee|afgewezen|afwijzen|afwijst|"
    r"afgekeurd|weigeren|weigert|geweigerd|niet (?:krijg\w*|toegekend|goedgekeurd|verantwoord|"
    r"veilig|kan|lukt|mag)|niet (?:wordt|worden|word) (?:goedgekeurd|toegekend)|"
    r"(?:ze|zij) niet (?:luisteren|willen)|"
    r"er (?:dan )?(?:nog )?niet uit(?:komen|komt|kom)?|"
    r"geen (?:plek|plaats|ruimte)|niks mee doen|niets mee doen|niet eens)\b"
)
PLACE = re.compile(r"\bgeen (?:plek|plaats|ruimte)\b")


def is_next_step_question(text: str) -> bool:
    folded = fold(text)
    return (
        bool(QUESTION.search(folded))
        and not OWN_TOPIC.search(folded)
        and len(re.findall(r"\w+", folded)) <= MAX_WORDS
    )


def refusal_intent(text: str) -> str | None:
    """The intent a short "and if they say no" question asks for, or None."""
    folded = fold(text)
    if not REFUSAL.search(folded) or len(re.findall(r"\w+", folded)) > MAX_WORDS:
        return None
    return "ask_mediation" if PLACE.search(folded) else "ask_objection"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FollowUpQuestion(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FollowUpQuestion":
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            wanted = INTENT_NAME if is_next_step_question(text) else refusal_intent(text)
            # "wat als het zorgkantoor zegt dat het niet kan" names an organisation, but does
            # not ask what it is
            overridable = GENERIC_INTENTS | (
                {"ask_term_meaning"} if wanted != INTENT_NAME else set()
            )
            if (
                wanted is None
                or intent.get("name") == wanted
                or (
                    intent.get("name") not in overridable
                    and float(intent.get("confidence") or 0) >= UNSURE
                )
            ):
                continue
            chosen = {"name": wanted, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != wanted]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
