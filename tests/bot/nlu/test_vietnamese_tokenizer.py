import inspect
import re
import unicodedata

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def test_default_config_has_every_key_the_base_tokenizer_reads():
    source = inspect.getsource(Tokenizer.__init__)
    read = set(re.findall(r'config\["(\w+)"\]', source)) | set(re.findall(r'config\.get\("(\w+)"', source))
    assert read <= set(VietnameseTokenizer.get_default_config())


def test_tokens_index_the_original_message(tokenizer):
    text = unicodedata.normalize("NFD", "Đổi bằng lái  xe ở đâu vậy?")
    message = Message({TEXT: text})
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert tokens
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert all(token.lemma == token.lemma.lower() for token in tokens)


def test_lemmas_join_syllables_with_underscores(tokenizer):
    message = Message({TEXT: "Làm hộ chiếu cần giấy tờ gì"})
    tokenizer.process([message])
    lemmas = [t.lemma for t in message.get(TOKENS_NAMES[TEXT])]
    assert "ho_chieu" in lemmas and "giay_to" in lemmas


@pytest.mark.parametrize(
    "example",
    [
        "làm [căn cước](procedure) mất bao lâu",
        "lam [can cuoc](procedure) mat bao lau",
        "cho hỏi [đăng ký  tạm trú](procedure) ở đâu???",
        "lệ phí [lltp](procedure) bn z",
        "thủ tục [sổ đỏ](procedure), cần gì?",
    ],
)
def test_entity_spans_align_with_tokens(tokenizer, example):
    data = RasaYAMLReader().reads(f'version: "3.1"\nnlu:\n- intent: x\n  examples: |\n    - {example}\n')
    tokenizer.process_training_data(data)
    message = data.training_examples[0]
    tokens = message.get(TOKENS_NAMES[TEXT])
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    for entity in message.get("entities"):
        assert entity["start"] in starts, (entity, tokens)
        assert entity["end"] in ends, (entity, tokens)


def test_empty_message_gives_no_tokens(tokenizer):
    message = Message({TEXT: "😀"})
    tokenizer.process([message])
    assert message.get(TOKENS_NAMES[TEXT]) == []


def test_without_compounds_every_syllable_is_a_token_at_its_own_offsets():
    plain = VietnameseTokenizer({**VietnameseTokenizer.get_default_config(), "compounds": False})
    text = "Làm  căn cước mất bao lâu"
    tokens = plain.tokenize(Message(data={TEXT: text}), TEXT)
    assert [t.lemma for t in tokens] == ["lam", "can", "cuoc", "mat", "bao", "lau"]
    assert all(text[t.start:t.end] == t.text for t in tokens)
