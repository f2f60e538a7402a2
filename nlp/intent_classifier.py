"""Rasa intent classifier: a linear model (SVM or logistic regression) on tf-idf weighted features.

Why not DIET: a linear model on the same
word and character n-gram counts generalised better to unseen phrasings
(benchmarks/reports/nlu.md), trains in seconds instead of minutes, and gives
the same model for the same data every time (DIET's TensorFlow threads made
borderline phrases flip between trainings).

Each featurizer's sentence counts (word n-grams, character n-grams) form one
block; a block gets sublinear tf, idf from the training data and unit length,
so no block outweighs another by its size. That is what sklearn's
TfidfVectorizer does; the counts themselves come from Rasa's featurizers.
The model is stored as plain arrays (numpy .npz, no pickle).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent_classifier.npz"


def _origin(features: Any) -> str:
    origin = features.origin
    return origin if isinstance(origin, str) else "+".join(origin)


def sentence_blocks(message: Message) -> dict[str, sparse.csr_matrix]:
    """The message's sparse sentence features, one 1-row matrix per featurizer."""
    return {
        _origin(f): sparse.csr_matrix(f.features)
        for f in message.features
        if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
    }


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, each row scaled to unit length."""
    weighted = counts.astype(np.float64).tocsr(copy=True)
    weighted.data = 1.0 + np.log(np.maximum(weighted.data, 1.0))
    weighted = (weighted @ sparse.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ weighted


def fit_idf(counts: sparse.csr_matrix) -> np.ndarray:
    n_docs = counts.shape[0]
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    return np.log((1.0 + n_docs) / (1.0 + doc_freq)) + 1.0


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Intent classifier: a linear model on tf-idf weighted featurizer counts."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse regularisation strength; higher fits the examples more closely.
            "C": 50.0,
            # "log": logistic regression, whose probabilities are the confidences.
            # "squared_hinge": a linear SVM (one against the rest); its scores become
            # confidences through a softmax whose scale is fitted on held-back folds.
            "loss": "log",
            "max_iter": 3000,
            # How many intents the ranking lists (the fallback suggests from it).
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        blocks: list[str] | None = None,
        idf: list[np.ndarray] | None = None,
        coef: np.ndarray | None = None,
        intercept: np.ndarray | None = None,
        classes: list[str] | None = None,
        scale: float = 1.0,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.blocks = blocks or []
        self.idf = idf or []
        self.coef = coef
        self.intercept = intercept
        self.classes = classes or []
        self.scale = scale

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def _counts(self, messages: list[Message], block: str, width: int) -> sparse.csr_matrix:
        rows = []
        for message in messages:
            row = sentence_blocks(message).get(block)
            if row is None:  # no features from this featurizer: an all-zero row
                row = sparse.csr_matrix((1, width))
            rows.append(row)
        return sparse.vstack(rows).tocsr()

    def _matrix(self, messages: list[Message]) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                tfidf(self._counts(messages, block, len(idf)), idf)
                for block, idf in zip(self.blocks, self.idf)
            ]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: %s stays untrained.", self.__class__.__name__)
            return self._resource
        widths = {name: row.shape[1] for name, row in sentence_blocks(examples[0]).items()}
        self.blocks = sorted(widths)
        self.idf = [fit_idf(self._counts(examples, block, widths[block])) for block in self.blocks]
        matrix, labels = self._matrix(examples), np.array([m.get(INTENT) for m in examples])
        model = self._new_model().fit(matrix, labels)
        self.coef, self.intercept = model.coef_, model.intercept_
        self.classes = [str(c) for c in model.classes_]
        self.scale = 1.0 if self.config["loss"] == "log" else self._fit_scale(matrix, labels)
        self.persist()
        return self._resource

    def _new_model(self) -> LogisticRegression | LinearSVC:
        if self.config["loss"] == "log":
            return LogisticRegression(
                C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced"
            )
        if self.config["loss"] == "squared_hinge":
            return LinearSVC(
                C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced"
            )
        raise ValueError(f"Unknown loss {self.config['loss']!r}: use 'log' or 'squared_hinge'.")

    def _fit_scale(self, matrix: sparse.csr_matrix, labels: np.ndarray) -> float:
        """The softmax scale that makes scores on unseen folds honest probabilities.

        SVM scores are not probabilities; the fallback thresholds need them to be.
        Scores on examples each fold model did not see are calibrated with one
        number (temperature scaling), so the ranking stays the SVM's.
        """
        folds = min(3, int(np.unique(labels, return_counts=True)[1].min()))
        if folds < 2:
            return 1.0
        classes = np.unique(labels)
        scores, gold = [], []
        for train, held in StratifiedKFold(folds, shuffle=True, random_state=0).split(
            matrix, labels
        ):
            model = self._new_model().fit(matrix[train], labels[train])
            if len(model.classes_) != len(classes):
                return 1.0
            scores.append(model.decision_function(matrix[held]))
            gold.append(np.searchsorted(classes, labels[held]))
        scores, gold = np.vstack(scores), np.concatenate(gold)

        def negative_log_likelihood(scale: float) -> float:
            probabilities = softmax(scale * scores)
            return -np.log(probabilities[np.arange(len(gold)), gold] + 1e-12).mean()

        return float(
            minimize_scalar(negative_log_likelihood, bounds=(0.1, 100.0), method="bounded").x
        )

    def predict_proba(self, messages: list[Message]) -> np.ndarray:
        return softmax(self.scale * (self._matrix(messages) @ self.coef.T + self.intercept))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.coef is None or not messages:
            return messages
        for message, probabilities in zip(messages, self.predict_proba(messages)):
            order = np.argsort(-probabilities)
            ranking = [
                {"name": self.classes[i], "confidence": float(probabilities[i])}
                for i in order[: self.config["ranking_length"]]
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(
                directory / MODEL_FILE,
                coef=self.coef,
                intercept=self.intercept,
                classes=np.array(self.classes),
                blocks=np.array(self.blocks),
                scale=np.array(self.scale),
                **{f"idf_{i}": idf for i, idf in enumerate(self.idf)},
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / MODEL_FILE, allow_pickle=False) as stored:
                    blocks = [str(b) for b in stored["blocks"]]
                    return cls(
                        config,
                        model_storage,
                        resource,
                        blocks=blocks,
                        idf=[stored[f"idf_{i}"] for i in range(len(blocks))],
                        coef=stored["coef"],
                        intercept=stored["intercept"],
                        classes=[str(c) for c in stored["classes"]],
                        scale=float(stored["scale"]) if "scale" in stored else 1.0,
                    )
        except (ValueError, FileNotFoundError, KeyError):
            logger.debug("No trained %s found; intents stay unclassified.", cls.__name__)
            return cls.create(config, model_storage, resource, execution_context)
