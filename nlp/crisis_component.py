"""Rasa NLU component: the safety layer's decision replaces the intent (nlp/crisis.py).

It runs last in the pipeline, after the FallbackClassifier, so neither a low confidence nor
a reading as stop, deny or a form answer can hide a crisis. The intent becomes crisis_<category>;
the dialogue (data/crisis.yml) answers it before anything else.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlp.crisis import CHECK_CONFIDENCE, CrisisRules, category_of, intent_name


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisLayer(GraphComponent):
    def __init__(self, rules: CrisisRules) -> None:
        self.rules = rules

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisLayer":
        return cls(CrisisRules())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:  # a button payload ("/affirm") skips the NLU pipeline
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            decision = self.rules.decide_with_source(doc, ranking)
            if decision is None:
                if ranking and category_of(ranking[0].get("name")):
                    # the past, an idiom, or below the classifier threshold: the classifier's own
                    # crisis reading must not slip through to the dialogue's crisis rules
                    others = [r for r in ranking if not category_of(r.get("name"))]
                    if others:
                        message.set(INTENT, others[0], add_to_output=True)
                        message.set(INTENT_RANKING_KEY, others, add_to_output=True)
                continue
            category, sure = decision
            # confidence 1: the rules saw it; below 1: only the classifier did, and the bot
            # checks first (actions/crisis.py) instead of giving the whole crisis reply
            confidence = 1.0 if sure else CHECK_CONFIDENCE
            intent = {"name": intent_name(category), "confidence": confidence}
            others = [r for r in ranking if r.get("name") != intent["name"]]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *others], add_to_output=True)
        return messages
