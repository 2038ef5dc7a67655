import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.syllable_featurizer import SyllableCountVectorsFeaturizer, syllables
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer

TRAINING = """version: "3.1"
nlu:
- intent: ask_processing_time
  examples: |
    - làm [căn cước](procedure) mất bao lâu
    - cấp hộ chiếu bao lâu thì có
- intent: ask_fee
  examples: |
    - lệ phí đăng ký kết hôn bao nhiêu
"""


def test_syllables_split_compound_lemmas():
    assert syllables("can_cuoc") == "can cuoc"
    assert syllables("lam") == "lam"


def _featurizer(tmp_path, **config):
    featurizer = SyllableCountVectorsFeaturizer.create(
        {**SyllableCountVectorsFeaturizer.get_default_config(), **config},
        LocalModelStorage(tmp_path), Resource("syllables"), ExecutionContext(GraphSchema({}), "test"))
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    data = RasaYAMLReader().reads(TRAINING)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    return tokenizer, featurizer


def _features(tokenizer, featurizer, text):
    message = Message({TEXT: text})
    tokenizer.process([message])
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    return message, sequence.features.toarray(), sentence.features.toarray()


def test_a_question_typed_with_or_without_diacritics_gets_the_same_sentence_features(tmp_path):
    tokenizer, featurizer = _featurizer(tmp_path, min_ngram=1, max_ngram=2)
    accented, _, with_marks = _features(tokenizer, featurizer, "làm căn cước mất bao lâu")
    plain, _, without = _features(tokenizer, featurizer, "lam can cuoc mat bao lau")
    # underthesea groups the two differently; the syllable features do not care
    lemmas = lambda m: [t.lemma for t in m.get(TOKENS_NAMES[TEXT])]  # noqa: E731
    assert lemmas(accented) != lemmas(plain)
    assert with_marks.any() and np.array_equal(with_marks, without)


def test_sequence_features_keep_one_row_per_token(tmp_path):
    tokenizer, featurizer = _featurizer(tmp_path, analyzer="char_wb", min_ngram=2, max_ngram=4)
    message, sequence, _ = _features(tokenizer, featurizer, "cho hỏi làm căn cước mất bao lâu")
    assert sequence.shape[0] == len(message.get(TOKENS_NAMES[TEXT]))
