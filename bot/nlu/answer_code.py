"""A message holding the code of a question left for an officer ("HD-7K3Q9M") asks for its answer.

Codes are random, so no example teaches a classifier to recognise them; this
sets the ``check_answer`` intent whenever a message holds one, whatever the
intent model said, on every channel.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.intent_override import IntentOverride
from records.handoffs import find_answer_code

CHECK_ANSWER = "check_answer"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AnswerCodeClassifier(IntentOverride):
    """Overrides the intent of messages that hold a left question's code with ``check_answer``."""

    def intent_for(self, text: str) -> str | None:
        return CHECK_ANSWER if find_answer_code(text) else None
