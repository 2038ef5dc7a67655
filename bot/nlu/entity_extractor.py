"""DIET as an entity extractor only, safe on data sets without entities.

Intents come from ``LinearIntentClassifier``. Rasa's own DIETClassifier with
``intent_classification: false`` crashes in its first epoch when the training
data has no entity annotations (it builds a model with nothing to learn), so
the same pipeline could not be trained on a plain intent data set. This one
skips training then, and leaves entities from other extractors alone.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import INTENT_CLASSIFICATION

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class DIETEntityExtractor(DIETClassifier):
    """DIET with intent classification always off; untrained when there is nothing to learn."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DIETClassifier.get_default_config(), INTENT_CLASSIFICATION: False}

    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__({**config, INTENT_CLASSIFICATION: False}, *args, **kwargs)

    def train(self, training_data: TrainingData) -> Resource:
        if not training_data.entity_examples:
            logger.info("DIETEntityExtractor: no entity annotations in the training data; not trained.")
            return self._resource
        return super().train(training_data)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        return super().process(messages)
