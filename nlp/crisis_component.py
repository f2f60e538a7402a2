"""Rasa NLU component: the safety layer's decision replaces the intent (nlp/crisis.py).

It runs last in the pipeline, after the FallbackClassifier, so neither a low confidence nor
a reading as stop, deny or a form answer can hide a crisis. The intent becomes crisis_<category>;
the dialogue (data/crisis.yml) answers it before anything else.

Training fits the second reader (nlp/crisis_reader.py) on the NLU examples and the development
sets; a digest of those sets is part of the component's config, so Rasa retrains it when they
change.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlp.crisis import CHECK_CONFIDENCE, CrisisRules, category_of, intent_name
from nlp.crisis_reader import (
    DEVELOPMENT_FILES,
    NONE,
    CrisisReader,
    development_examples,
)

logger = logging.getLogger(__name__)
READER_FILE = "crisis_reader.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisLayer(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        digest = hashlib.sha256()
        for path in DEVELOPMENT_FILES:
            digest.update(path.read_bytes())
        return {"development_sets": digest.hexdigest()[:16]}

    def __init__(
        self,
        rules: CrisisRules,
        reader: CrisisReader | None = None,
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
    ) -> None:
        self.rules = rules
        self.reader = reader
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisLayer":
        return cls(CrisisRules(), None, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            (m.get(TEXT), category_of(m.get(INTENT)) or NONE) for m in training_data.intent_examples
        ]
        self.reader = CrisisReader.fit(examples + development_examples())
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / READER_FILE, **self.reader.arrays())
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisLayer":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / READER_FILE, allow_pickle=False) as stored:
                    return cls(
                        CrisisRules(), CrisisReader.from_arrays(stored), model_storage, resource
                    )
        except (ValueError, FileNotFoundError, KeyError):
            logger.warning(
                "No trained second crisis reader found; the rules and the intent classifier decide."
            )
            return cls.create(config, model_storage, resource, execution_context)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:  # a button payload ("/affirm") skips the NLU pipeline
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            second = self.reader.read(message.get(TEXT) or "") if self.reader else None
            decision = self.rules.decide_with_source(doc, ranking, second)
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
