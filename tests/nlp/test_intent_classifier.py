"""The intent classifier in config.yml: tf-idf weighting, training, ranking, storage."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from nlp.intent_classifier import LinearIntentClassifier, fit_idf, tfidf

WORDS = ["pgb", "budget", "wachten", "wachtlijst", "hallo", "goedemorgen"]
TRAINING = [
    ("ask_pgb_what", ["pgb"]),
    ("ask_pgb_what", ["budget"]),
    ("ask_pgb_what", ["pgb", "budget"]),
    ("ask_waiting", ["wachten"]),
    ("ask_waiting", ["wachtlijst"]),
    ("ask_waiting", ["wachten", "wachtlijst"]),
    ("greet", ["hallo"]),
    ("greet", ["goedemorgen"]),
    ("greet", ["hallo", "goedemorgen"]),
]


def counts(words: list[str]) -> sparse.csr_matrix:
    return sparse.csr_matrix([[words.count(w) for w in WORDS]], dtype=float)


def message(
    words: list[str], intent: str | None = None, blocks: tuple[str, ...] = ("words", "chars")
) -> Message:
    msg = Message(data={TEXT: " ".join(words), **({"intent": intent} if intent else {})})
    for origin in blocks:
        msg.add_features(Features(counts(words), FEATURE_TYPE_SENTENCE, TEXT, origin))
    return msg


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def new_classifier(storage, **config) -> LinearIntentClassifier:
    context = ExecutionContext(GraphSchema({}), "test")
    return LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config},
        storage,
        Resource("intents"),
        context,
    )


def test_weighting_is_sklearns_sublinear_tfidf() -> None:
    rng = np.random.default_rng(0)
    matrix = sparse.csr_matrix(rng.integers(0, 4, size=(20, 12)).astype(float))
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).toarray()
    np.testing.assert_allclose(tfidf(matrix, fit_idf(matrix)).toarray(), expected, atol=1e-12)


def test_an_empty_row_stays_zero() -> None:
    matrix = sparse.csr_matrix(np.array([[0.0, 0.0], [1.0, 2.0]]))
    assert not tfidf(matrix, fit_idf(matrix)).toarray()[0].any()


def test_ranks_intents_and_survives_storage(storage) -> None:
    classifier = new_classifier(storage, ranking_length=2)
    classifier.train(TrainingData([message(words, intent) for intent, words in TRAINING]))
    [parsed] = classifier.process([message(["wachtlijst"])])
    ranking = parsed.get("intent_ranking")
    assert parsed.get("intent")["name"] == "ask_waiting" == ranking[0]["name"]
    assert len(ranking) == 2 and ranking[0]["confidence"] > ranking[1]["confidence"]

    context = ExecutionContext(GraphSchema({}), "test")
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, Resource("intents"), context
    )
    probe = [message(["pgb"]), message(["hallo", "wachten"])]
    np.testing.assert_allclose(loaded.predict_proba(probe), classifier.predict_proba(probe))


def test_a_missing_featurizer_block_counts_as_no_words(storage) -> None:
    classifier = new_classifier(storage)
    classifier.train(TrainingData([message(words, intent) for intent, words in TRAINING]))
    [parsed] = classifier.process([message(["budget"], blocks=("words",))])
    assert parsed.get("intent")["name"] == "ask_pgb_what"


def test_same_data_gives_the_same_model(storage, tmp_path) -> None:
    data = [message(words, intent) for intent, words in TRAINING]
    first = new_classifier(storage)
    first.train(TrainingData(data))
    (tmp_path / "again").mkdir()
    second = new_classifier(LocalModelStorage(tmp_path / "again"))
    second.train(TrainingData(data))
    np.testing.assert_array_equal(first.coef, second.coef)


def test_untrained_classifier_leaves_messages_alone(storage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.load({}, storage, Resource("nothing"), context)
    [parsed] = classifier.process([message(["pgb"])])
    assert parsed.get("intent") is None


def test_svm_scores_become_calibrated_confidences_that_survive_storage(storage) -> None:
    classifier = new_classifier(storage, loss="squared_hinge", C=1.0)
    classifier.train(TrainingData([message(words, intent) for intent, words in TRAINING]))
    assert classifier.scale != 1.0  # fitted on held-back folds, not left at its default
    probe = [message(["wachtlijst"]), message(["hallo", "wachten"])]
    probabilities = classifier.predict_proba(probe)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert classifier.classes[int(probabilities[0].argmax())] == "ask_waiting"

    context = ExecutionContext(GraphSchema({}), "test")
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "loss": "squared_hinge"},
        storage,
        Resource("intents"),
        context,
    )
    assert loaded.scale == classifier.scale
    np.testing.assert_allclose(loaded.predict_proba(probe), probabilities)


def test_an_unknown_loss_is_refused(storage) -> None:
    classifier = new_classifier(storage, loss="hinge-ish")
    with pytest.raises(ValueError, match="Unknown loss"):
        classifier.train(TrainingData([message(words, intent) for intent, words in TRAINING]))
