"""Rasa tokenizer for Vietnamese: thin glue around :mod:`bot.nlu.segmentation`."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.segmentation import Segmenter
from knowledge.shorthand import load_shorthand

_SYLLABLE = re.compile(r"\S+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Word-segments Vietnamese with underthesea; lemmas are folded and shorthand-expanded."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Every key the base :class:`Tokenizer` reads."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # False splits underthesea's compounds back into syllables (for ablations in `make eval`).
            "compounds": True,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["vi"]

    @staticmethod
    def required_packages() -> List[str]:
        return ["underthesea"]

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._segmenter = Segmenter(load_shorthand())
        self._compounds = bool(config.get("compounds", True))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        pieces = self._segmenter.segment(text)
        if self._compounds:
            tokens = [Token(p.text, p.start, p.end, lemma=p.lemma) for p in pieces]
        else:
            tokens = [
                Token(m.group(0), p.start + m.start(), p.start + m.end(), lemma=self._segmenter.lemma(m.group(0)))
                for p in pieces for m in _SYLLABLE.finditer(p.text)
            ]
            tokens = [t for t in tokens if t.lemma]
        return self._apply_token_pattern(tokens)
