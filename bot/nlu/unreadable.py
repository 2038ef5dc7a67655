"""Route messages with nothing to read (empty, emoji, punctuation) to the fallback.

A classifier given no tokens still picks *some* intent from its bias; this
makes the outcome deterministic, so such messages always get the polite
"please type your question" answer.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME

from bot.nlu.intent_override import IntentOverride
from knowledge.vntext import is_unreadable


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnreadableMessageClassifier(IntentOverride):
    """Overrides the intent of unreadable messages with ``nlu_fallback``."""

    def intent_for(self, text: str) -> str | None:
        return DEFAULT_NLU_FALLBACK_INTENT_NAME if is_unreadable(text) else None
