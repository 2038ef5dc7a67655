from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.answer_code import AnswerCodeClassifier


def classify(text, intent="ask_papers"):
    message = Message(data={TEXT: text, INTENT: {INTENT_NAME_KEY: intent, "confidence": 0.7}})
    [out] = AnswerCodeClassifier().process([message])
    return out.get(INTENT)[INTENT_NAME_KEY]


def test_a_message_with_a_left_questions_code_asks_for_its_answer():
    assert classify("xem trả lời HD-7K3Q9M") == "check_answer"
    assert classify("hd 7k3q9m") == "check_answer"


def test_other_messages_keep_their_intent():
    assert classify("làm hộ chiếu cần giấy tờ gì") == "ask_papers"
    assert classify("tra cứu hồ sơ 000.00.07.H29-261101-0042", "lookup_dossier") == "lookup_dossier"
