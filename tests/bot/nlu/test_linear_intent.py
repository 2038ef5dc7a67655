import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.linear_intent import LinearIntentClassifier, LinearIntentModel, UntrustedModelFile
from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer

# Three labels told apart by which columns are non-zero; column 3 is shared noise.
FEATURES = scipy.sparse.csr_matrix(np.array([
    [2, 0, 0, 1], [1, 0, 0, 1], [3, 0, 0, 0],
    [0, 2, 0, 1], [0, 1, 0, 1], [0, 3, 0, 0],
    [0, 0, 2, 1], [0, 0, 1, 1], [0, 0, 3, 0],
]))
LABELS = ["a"] * 3 + ["b"] * 3 + ["c"] * 3


def test_rank_lists_every_label_best_first_with_probabilities_summing_to_one():
    model = LinearIntentModel().fit(FEATURES, LABELS)
    [ranking] = model.rank(scipy.sparse.csr_matrix([[0, 4, 0, 1]]))
    assert [name for name, _ in ranking][0] == "b"
    assert {name for name, _ in ranking} == {"a", "b", "c"}
    confidences = [c for _, c in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_training_twice_gives_the_same_model():
    first = LinearIntentModel().fit(FEATURES, LABELS).rank(FEATURES)
    second = LinearIntentModel().fit(FEATURES, LABELS).rank(FEATURES)
    assert first == second


def test_a_message_with_no_known_features_is_not_confident():
    model = LinearIntentModel().fit(FEATURES, LABELS)
    [ranking] = model.rank(scipy.sparse.csr_matrix([[0, 0, 0, 0]]))
    assert ranking[0][1] < 0.5  # the fallback threshold, not a guess, decides


def test_saved_model_loads_and_ranks_the_same(tmp_path):
    model = LinearIntentModel().fit(FEATURES, LABELS)
    model.save(tmp_path / "m.skops")
    assert LinearIntentModel.load(tmp_path / "m.skops").rank(FEATURES) == model.rank(FEATURES)


class NotAModel:
    pass


def test_loading_refuses_a_file_holding_unexpected_types(tmp_path):
    import skops.io as sio

    sio.dump({"tfidf": NotAModel(), "classifier": NotAModel()}, tmp_path / "evil.skops")
    with pytest.raises(UntrustedModelFile):
        LinearIntentModel.load(tmp_path / "evil.skops")


TRAINING = """version: "3.1"
nlu:
- intent: ask_fee
  examples: |
    - lệ phí làm hộ chiếu bao nhiêu
    - le phi cap doi can cuoc bn
    - đăng ký kết hôn mất phí không
    - phi lam lltp bao nhieu tien
- intent: ask_where
  examples: |
    - làm hộ chiếu ở đâu
    - nop ho so can cuoc o dau
    - đăng ký kết hôn đến chỗ nào
    - lam lltp thi len dau
- intent: greet
  examples: |
    - xin chào
    - chao ad
    - chào bạn
    - hi ad
"""


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_component_trains_persists_and_classifies_in_a_rasa_pipeline(tmp_path):
    """Tokenizer, CountVectors and the classifier, trained and reloaded as Rasa does."""
    data = RasaYAMLReader().reads(TRAINING)
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    storage = LocalModelStorage(tmp_path)
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4},
        storage, Resource("cv"), _context())
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    resource = Resource("linear")
    LinearIntentClassifier.create({}, storage, resource, _context()).train(data)
    classifier = LinearIntentClassifier.load({}, storage, resource, _context())

    messages = [Message({TEXT: "le phi ho chieu bn"}), Message({TEXT: "hộ chiếu làm ở đâu vậy"})]
    tokenizer.process(messages)
    featurizer.process(messages)
    classifier.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["ask_fee", "ask_where"]
    ranking = messages[0].get(INTENT_RANKING_KEY)
    assert len(ranking) == 3 and ranking[0] == messages[0].get(INTENT)


def test_component_without_training_leaves_intents_alone(tmp_path):
    classifier = LinearIntentClassifier.load({}, LocalModelStorage(tmp_path), Resource("never"), _context())
    message = Message({TEXT: "xin chào"})
    classifier.process([message])
    assert message.get(INTENT) is None


def test_a_message_with_nothing_to_count_gets_no_intent_instead_of_an_error(tmp_path):
    """Emoji, punctuation, empty text: no features, so confidence 0 and the fallback answers."""
    data = RasaYAMLReader().reads(TRAINING)
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    storage = LocalModelStorage(tmp_path)
    featurizer = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                               Resource("cv"), _context())
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    classifier = LinearIntentClassifier.create({}, storage, Resource("linear"), _context())
    classifier.train(data)

    messages = [Message({TEXT: "😀😀"}), Message({TEXT: "le phi ho chieu"}), Message({TEXT: ""})]
    tokenizer.process(messages)
    featurizer.process(messages)
    classifier.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == [None, "ask_fee", None]
    assert messages[0].get(INTENT)["confidence"] == 0.0 and messages[0].get(INTENT_RANKING_KEY) == []
