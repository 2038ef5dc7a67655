"""Intent classification by logistic regression over tf-idf weighted n-grams.

Why not DIET for intents: on our held-out set DIET's intent accuracy moved by
three points between random seeds (92.8 % to 95.8 %), so a retrain could
silently lose what the last one won. A linear model over the same sparse
features is deterministic, trains in seconds and scored as well as DIET's
best seed (README "Measuring"). DIET stays in the pipeline for entities.

``LinearIntentModel`` is plain scikit-learn, testable without Rasa;
``LinearIntentClassifier`` is the thin graph component around it.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Sequence

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

logger = logging.getLogger(__name__)

_MODEL_FILE = "linear_intent.skops"
# Beyond what skops trusts by default: the tf-idf weights are kept as a
# sparse diagonal matrix, which is plain data.
_TRUSTED_EXTRA_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})


class UntrustedModelFile(Exception):
    """A saved model asks for types scikit-learn does not list as safe to load."""


class LinearIntentModel:
    """Sublinear tf-idf, then multinomial logistic regression.

    Raw counts let a long message's repeated syllables outvote the few words
    that carry the intent; sublinear tf-idf damps repeats and down-weights
    n-grams every intent shares. ``C`` is the inverse regularisation: high
    enough that confident answers come out confident (the fallback threshold
    reads these probabilities), low enough not to memorise typos.
    """

    def __init__(self, c: float = 30.0, class_weight: str | None = "balanced", max_iter: int = 3000) -> None:
        self.tfidf = TfidfTransformer(sublinear_tf=True)
        self.classifier = LogisticRegression(
            C=c, class_weight=class_weight, max_iter=max_iter, solver="lbfgs", random_state=42
        )

    def fit(self, features: scipy.sparse.spmatrix, labels: Sequence[str]) -> LinearIntentModel:
        self.classifier.fit(self.tfidf.fit_transform(features), list(labels))
        return self

    def rank(self, features: scipy.sparse.spmatrix) -> List[List[tuple[str, float]]]:
        """Every label with its probability, best first, for each row."""
        probabilities = self.classifier.predict_proba(self.tfidf.transform(features))
        labels = self.classifier.classes_
        rankings = []
        for row in probabilities:
            order = np.argsort(-row, kind="stable")
            rankings.append([(str(labels[i]), float(row[i])) for i in order])
        return rankings

    def save(self, path: Any) -> None:
        import skops.io as sio

        sio.dump({"tfidf": self.tfidf, "classifier": self.classifier}, path)

    @classmethod
    def load(cls, path: Any) -> LinearIntentModel:
        """Loads a model saved by ``save``; refuses files holding unexpected types.

        skops (unlike pickle) runs no code on load, and we trust only the
        types it lists as safe plus the sparse matrix tf-idf keeps. A file
        asking for more was not written by ``save`` and is not loaded.
        """
        import skops.io as sio

        unexpected = set(sio.get_untrusted_types(file=path)) - _TRUSTED_EXTRA_TYPES
        if unexpected:
            raise UntrustedModelFile(f"refusing to load {path}: unexpected types {sorted(unexpected)}")
        state = sio.load(path, trusted=sorted(_TRUSTED_EXTRA_TYPES))
        model = cls()
        model.tfidf, model.classifier = state["tfidf"], state["classifier"]
        return model


def sentence_features(message: Message) -> scipy.sparse.csr_matrix | None:
    """The message's sentence-level sparse features from every featurizer, as one row.

    None when the featurizers found nothing to count (an empty message, emoji
    or punctuation only): there is nothing to classify.
    """
    _, sentence = message.get_sparse_features(TEXT)
    return None if sentence is None else scipy.sparse.csr_matrix(sentence.features)


NO_INTENT = {"name": None, "confidence": 0.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Sets ``intent`` and ``intent_ranking`` from ``LinearIntentModel``."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"C": 30.0, "class_weight": "balanced", "max_iter": 3000, "ranking_length": 10}

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearIntentModel | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        featured = [(e, sentence_features(e)) for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        usable = [(e, row) for e, row in featured if row is not None]
        if len(usable) < len(featured):
            logger.warning("LinearIntentClassifier: %d examples have no features (nothing a featurizer counts); "
                           "left out.", len(featured) - len(usable))
        if not usable:
            if featured:
                raise ValueError("LinearIntentClassifier needs a sparse featurizer (CountVectorsFeaturizer) before it")
            logger.warning("LinearIntentClassifier: no intent examples, nothing to train.")
            return self._resource
        self._model = LinearIntentModel(
            c=float(self._config["C"]),
            class_weight=self._config["class_weight"],
            max_iter=int(self._config["max_iter"]),
        ).fit(scipy.sparse.vstack([row for _, row in usable]), [e.get(INTENT) for e, _ in usable])
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / _MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = LinearIntentModel.load(directory / _MODEL_FILE)
        except ValueError:
            # Rasa raises ValueError when the resource was never written: the
            # training data had no intent examples (an entities-only model).
            logger.warning("LinearIntentClassifier: no usable trained model; intents will be left unset.")
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None or not messages:
            return messages
        rows = [sentence_features(m) for m in messages]
        readable = [row for row in rows if row is not None]
        rankings = iter(self._model.rank(scipy.sparse.vstack(readable)) if readable else [])
        length = int(self._config["ranking_length"])
        for message, row in zip(messages, rows, strict=True):
            if row is None:  # confidence 0: the FallbackClassifier after us answers it
                message.set(INTENT, dict(NO_INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            ranked = [{"name": name, "confidence": confidence} for name, confidence in next(rankings)]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked[:length] if length > 0 else ranked, add_to_output=True)
        return messages
