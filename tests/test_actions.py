"""Actions run against a Tracker and a CollectingDispatcher, as the action server runs them."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as mod
from actions.answers import Aspect


@pytest.fixture(autouse=True)
def use_small_kb(monkeypatch, small_kb):
    monkeypatch.setattr(mod, "knowledge_base", lambda: small_kb)


def tracker(text, intent="ask_fee", entities=(), slots=None, ranking=None):
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": list(entities),
    }
    return Tracker("u1", slots or {}, message, [], False, None, {}, "action_listen")


async def run(action, t):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def text_of(messages):
    return "\n".join(m["text"] for m in messages)


@pytest.mark.parametrize(
    "action, marker",
    [
        (mod.ActionAnswerFee(), "Phí, lệ phí"),
        (mod.ActionAnswerTime(), "Thời gian giải quyết"),
        (mod.ActionAnswerWhere(), "Nơi nộp hồ sơ"),
        (mod.ActionAnswerSteps(), "Các bước thực hiện"),
        (mod.ActionAnswerOnline(), "trực tuyến"),
        (mod.ActionAnswerLegalBasis(), "Căn cứ pháp lý"),
        (mod.ActionAnswerOverview(), "Cơ quan giải quyết"),
    ],
)
async def test_each_aspect_action_answers_and_sets_slots(action, marker):
    entities = [{"entity": "procedure", "value": "hộ chiếu"}]
    messages, slots = await run(action, tracker("làm hộ chiếu thế nào", entities=entities))
    assert marker in text_of(messages)
    assert slots["procedure_id"] == "cap_ho_chieu_pho_thong"
    assert slots["aspect"] == action.aspect.value
    assert action.name() == f"action_answer_{action.aspect.value}"


async def test_follow_up_uses_slot_procedure():
    messages, slots = await run(
        mod.ActionAnswerFee(), tracker("còn lệ phí thì sao", slots={"procedure_id": "dang_ky_tam_tru"})
    )
    assert "Đăng ký tạm trú" in text_of(messages)
    assert slots["procedure_id"] == "dang_ky_tam_tru"


async def test_papers_case_button_then_checklist():
    messages, slots = await run(mod.ActionAnswerPapers(), tracker("khai sinh cần giấy tờ gì", intent="ask_papers"))
    assert messages[-1]["buttons"]
    assert slots["case_id"] is None
    chosen = messages[-1]["buttons"][1]
    case_id = chosen["payload"].split('"case_id":"')[1].split('"')[0]
    messages, slots = await run(
        mod.ActionAnswerPapers(),
        tracker(chosen["payload"], intent="ask_papers", entities=[{"entity": "case_id", "value": case_id}],
                slots={"procedure_id": "dang_ky_khai_sinh"}),
    )
    assert "Bạn chuẩn bị" in text_of(messages) and chosen["title"] in text_of(messages)
    assert slots["case_id"] == case_id


async def test_case_is_forgotten_when_procedure_changes():
    _, slots = await run(
        mod.ActionAnswerFee(),
        tracker("lệ phí hộ chiếu", slots={"procedure_id": "dang_ky_khai_sinh", "case_id": "tre_bi_bo_roi"}),
    )
    assert slots["procedure_id"] == "cap_ho_chieu_pho_thong" and slots["case_id"] is None


async def test_ambiguous_asks_with_at_most_four_buttons_and_keeps_aspect():
    question = tracker("làm căn cước mất bao lâu", intent="ask_processing_time")
    messages, slots = await run(mod.ActionAnswerTime(), question)
    assert 2 <= len(messages[-1]["buttons"]) <= 4
    assert "procedure_id" not in slots and slots["aspect"] == Aspect.time.value


async def test_followup_action_answers_last_aspect_for_new_procedure():
    messages, slots = await run(
        mod.ActionAnswerFollowup(),
        tracker("còn lý lịch tư pháp thì sao", intent="inform_procedure",
                slots={"procedure_id": "cap_ho_chieu_pho_thong", "aspect": "fee"}),
    )
    assert "Phí, lệ phí" in text_of(messages) and "lý lịch tư pháp" in text_of(messages).lower()
    assert slots["procedure_id"] == "cap_phieu_ly_lich_tu_phap"


async def test_followup_from_button_payload():
    messages, slots = await run(
        mod.ActionAnswerFollowup(),
        tracker('/inform_procedure{"procedure_id":"cap_doi_the_can_cuoc"}', intent="inform_procedure",
                entities=[{"entity": "procedure_id", "value": "cap_doi_the_can_cuoc"}], slots={"aspect": "time"}),
    )
    assert "Thời gian giải quyết Cấp đổi thẻ căn cước" in text_of(messages)


async def test_unknown_procedure_points_to_portal():
    messages, slots = await run(mod.ActionAnswerOverview(), tracker("thủ tục bay flycam", intent="ask_overview"))
    assert "dichvucong.gov.vn" in text_of(messages)
    assert "procedure_id" not in slots


async def test_fallback_still_answers_a_clear_procedure():
    messages, _ = await run(
        mod.ActionHelpfulFallback(),
        tracker("passport", intent="nlu_fallback", ranking=[{"name": "nlu_fallback"}, {"name": "ask_fee"}]),
    )
    assert "Phí, lệ phí Cấp hộ chiếu" in text_of(messages)


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "???"])
async def test_fallback_for_unreadable_messages_asks_for_text(text):
    messages, events = await run(mod.ActionHelpfulFallback(), tracker(text, intent="nlu_fallback"))
    assert text_of(messages) == mod.UNREADABLE_REPLY
    assert events == {}


async def test_fallback_mentions_current_procedure():
    messages, _ = await run(
        mod.ActionHelpfulFallback(),
        tracker("ừm thế à", intent="nlu_fallback", slots={"procedure_id": "dang_ky_tam_tru"}),
    )
    assert "Đăng ký tạm trú" in text_of(messages) and "1800 1096" in text_of(messages)


async def test_handoff():
    messages, _ = await run(mod.ActionHandoff(), tracker("gặp cán bộ", intent="human_handoff"))
    assert "Tổng đài" in text_of(messages)


def test_slot_events_are_rasa_events():
    assert SlotSet("procedure_id", "x")["event"] == "slot"
