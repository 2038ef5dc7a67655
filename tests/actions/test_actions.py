"""Actions run against a Tracker and a CollectingDispatcher, as the action server runs them."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as mod
from records import events as bot_events
from replies.answers import Aspect, payload


@pytest.fixture(autouse=True)
def use_small_kb(monkeypatch, small_kb):
    monkeypatch.setattr(mod, "knowledge_base", lambda: small_kb)


def tracker(text, intent="ask_fee", entities=(), slots=None, ranking=None, events=None, channel="rest"):
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": list(entities),
    }
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": message, "input_channel": channel}]
    return Tracker("u1", slots or {}, message, history, False, None, {}, "action_listen")


def user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def recorded(kind=None):
    return [e for e in bot_events.event_log().events() if kind is None or e.kind == kind]


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
    # (asked online in so many words: an online reading without them gives way, see below)
    text = "làm hộ chiếu online thế nào" if action.aspect == Aspect.online else "làm hộ chiếu thế nào"
    messages, slots = await run(action, tracker(text, entities=entities))
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


async def test_a_situation_among_close_procedures_is_declined_with_them_as_buttons_in_both_actions():
    text = "người tạm trú có được làm căn cước ở nơi khác không"
    for action, intent in ((mod.ActionAnswerOverview(), "ask_overview"), (mod.ActionHelpfulFallback(), "nlu_fallback")):
        messages, slots = await run(action, tracker(text, intent=intent))
        said = text_of(messages)
        assert "chưa có câu trả lời đã được kiểm chứng" in said and "Bạn muốn hỏi thủ tục nào" not in said
        assert len(messages[-1]["buttons"]) >= 2 and "procedure_id" not in slots


async def test_a_single_weak_candidate_is_offered_with_a_decline_not_asked_about_alone(monkeypatch, small_kb):
    from actions.resolution import Decision

    only = small_kb.get("cap_ho_chieu_pho_thong")
    monkeypatch.setattr(mod, "decide", lambda *a, **k: Decision(candidates=[only]))
    for action, intent in ((mod.ActionAnswerPapers(), "ask_papers"), (mod.ActionHelpfulFallback(), "nlu_fallback")):
        messages, slots = await run(action, tracker("mấy giấy tờ xuất ngoại kia", intent=intent))
        said = text_of(messages)
        assert "chưa có câu trả lời đã được kiểm chứng" in said and "Bạn muốn hỏi thủ tục nào" not in said
        assert [b["title"] for b in messages[-1]["buttons"]] == [only.name]


async def test_candidates_none_of_them_named_are_offered_with_a_decline_not_asked_about(monkeypatch, small_kb):
    from actions.resolution import Decision

    weak = [small_kb.get("cap_ho_chieu_pho_thong"), small_kb.get("dang_ky_tam_tru")]
    monkeypatch.setattr(mod, "decide", lambda *a, **k: Decision(candidates=weak, named=False))
    for action, intent in ((mod.ActionAnswerSteps(), "ask_steps"), (mod.ActionHelpfulFallback(), "nlu_fallback")):
        messages, slots = await run(action, tracker("giữ sổ chờ hưu thì nộp cho công ty cũ à", intent=intent))
        said = text_of(messages)
        assert "chưa có câu trả lời đã được kiểm chứng" in said and "Bạn muốn hỏi thủ tục nào" not in said
        assert [b["title"] for b in messages[-1]["buttons"]] == [p.name for p in weak]
    monkeypatch.setattr(mod, "decide", lambda *a, **k: Decision(candidates=weak))
    messages, _ = await run(mod.ActionAnswerSteps(), tracker("giữ sổ chờ hưu thì nộp cho công ty cũ à",
                                                             intent="ask_steps"))
    assert "Bạn muốn hỏi thủ tục nào" in text_of(messages)


async def test_one_answer_for_all_candidates_only_when_the_message_names_them(monkeypatch, real_kb):
    from actions.resolution import Decision

    monkeypatch.setattr(mod, "knowledge_base", lambda: real_kb)
    cards = [real_kb.get(i) for i in ("cap_doi_the_can_cuoc", "cap_lai_the_can_cuoc", "cap_the_can_cuoc_lan_dau")]
    question = tracker("làm căn cước mất bao lâu", intent="ask_processing_time")
    monkeypatch.setattr(mod, "decide", lambda *a, **k: Decision(candidates=cards))
    messages, _ = await run(mod.ActionAnswerTime(), question)
    assert "giống nhau cho các thủ tục" in text_of(messages)
    # Each found only in part, they may all miss the procedure meant: no answer from them.
    monkeypatch.setattr(mod, "decide", lambda *a, **k: Decision(candidates=cards, named=False))
    messages, _ = await run(mod.ActionAnswerTime(), question)
    said = text_of(messages)
    assert "giống nhau" not in said and "chưa có câu trả lời đã được kiểm chứng" in said


async def test_named_candidates_asked_a_fact_in_words_are_answered_when_the_nlu_reads_it_out_of_scope(real_kb,
                                                                                                     monkeypatch):
    monkeypatch.setattr(mod, "knowledge_base", lambda: real_kb)
    for action, intent in ((mod.ActionOutOfScope(), "out_of_scope"), (mod.ActionHelpfulFallback(), "nlu_fallback")):
        messages, _ = await run(action, tracker("Con 14 tuổi làm căn cước bao lâu?", intent=intent))
        assert "giống nhau cho các thủ tục" in text_of(messages) and "7 ngày làm việc" in text_of(messages)
    # Named but asked nothing in words: offered, not answered, as before.
    messages, _ = await run(mod.ActionOutOfScope(), tracker("căn cước", intent="out_of_scope"))
    assert "giống nhau" not in text_of(messages) and len(messages[-1]["buttons"]) == 3


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


def test_slot_events_are_rasa_events():
    assert SlotSet("procedure_id", "x")["event"] == "slot"


async def test_an_answer_offers_thumbs_and_is_recorded_with_channel():
    messages, _ = await run(mod.ActionAnswerFee(), tracker("lệ phí làm hộ chiếu", channel="zalo"))
    assert messages[-1]["text"] == "Thông tin này có giúp ích cho bạn không?"
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert payloads == ['/feedback_good{"procedure_id":"cap_ho_chieu_pho_thong"}',
                        '/feedback_bad{"procedure_id":"cap_ho_chieu_pho_thong"}']
    [event] = recorded()
    assert (event.kind, event.channel, event.procedure_id, event.aspect) == (
        "answer", "zalo", "cap_ho_chieu_pho_thong", "fee")


async def test_overview_keeps_its_aspect_buttons_beside_the_thumbs():
    messages, _ = await run(mod.ActionAnswerOverview(), tracker("hộ chiếu", intent="ask_overview"))
    titles = [b["title"] for b in messages[-1]["buttons"]]
    assert titles[0] == "Giấy tờ cần chuẩn bị" and titles[-2:] == ["👍 Hữu ích", "👎 Chưa hữu ích"]
    assert not any(m.get("buttons") for m in messages[:-1])


async def test_papers_of_every_case_are_an_answer_with_case_buttons():
    messages, _ = await run(mod.ActionAnswerPapers(), tracker("khai sinh cần giấy tờ gì", intent="ask_papers"))
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert any(p.startswith("/ask_papers{") for p in payloads) and "/feedback_good" in str(payloads)
    assert [e.kind for e in recorded()] == ["answer"]


async def test_unknown_procedure_is_recorded_masked():
    await run(mod.ActionAnswerOverview(), tracker("thủ tục bay flycam, gọi tôi 0912 345 678", intent="ask_overview"))
    [event] = recorded()
    assert event.kind == "unresolved" and "0912" not in event.text and "flycam" in event.text


async def test_fallbacks_are_recorded_and_an_answered_fallback_counts_as_an_answer():
    await run(mod.ActionHelpfulFallback(), tracker("ừm thế à", intent="nlu_fallback"))
    await run(mod.ActionHelpfulFallback(), tracker("😀😀", intent="nlu_fallback"))
    await run(mod.ActionHelpfulFallback(),
              tracker("passport", intent="nlu_fallback", ranking=[{"name": "nlu_fallback"}, {"name": "ask_fee"}]))
    assert [e.kind for e in recorded()] == ["fallback", "fallback", "answer"]


async def test_out_of_scope_says_what_the_bot_does_and_is_recorded():
    messages, _ = await run(mod.ActionOutOfScope(), tracker("dự báo thời tiết mai", intent="out_of_scope"))
    assert text_of(messages) == mod.OUT_OF_SCOPE_REPLY
    assert [e.kind for e in recorded()] == ["fallback"]


def answered(question, procedure_id, intent="ask_fee"):
    """A citizen's question and the bot's answer about ``procedure_id``, ending with its 👍 / 👎 buttons."""
    buttons = [{"title": "👍", "payload": payload("feedback_good", procedure_id=procedure_id)},
               {"title": "👎", "payload": payload("feedback_bad", procedure_id=procedure_id)}]
    return [user(question, intent), {"event": "action", "name": "action_answer_fee"},
            {"event": "bot", "text": "Lệ phí ...", "data": {}},
            {"event": "bot", "text": "Thông tin này có giúp ích cho bạn không?", "data": {"buttons": buttons}},
            {"event": "action", "name": "action_listen"}]


async def test_thumbs_down_records_the_question_it_rates_once():
    before = answered("lệ phí hộ chiếu 079203001234", "cap_ho_chieu_pho_thong")
    payload = '/feedback_bad{"procedure_id":"cap_ho_chieu_pho_thong"}'
    entities = [{"entity": "procedure_id", "value": "cap_ho_chieu_pho_thong"}]
    messages, _ = await run(mod.ActionRecordFeedback(), tracker(payload, "feedback_bad", entities, events=before))
    assert "cán bộ rà soát" in text_of(messages) and "1800 1096" in text_of(messages)
    [event] = recorded()
    assert (event.kind, event.procedure_id) == ("feedback_down", "cap_ho_chieu_pho_thong")
    assert event.text == "lệ phí hộ chiếu ************"
    again = before + [user(payload, "feedback_bad")]
    messages, _ = await run(mod.ActionRecordFeedback(), tracker(payload, "feedback_bad", entities, events=again))
    assert "rồi" in text_of(messages) and len(recorded()) == 1


async def test_a_typed_thumbs_up_rates_the_answer_shown():
    before = answered("tạm trú mất bao lâu", "dang_ky_tam_tru")
    await run(mod.ActionRecordFeedback(), tracker("câu trả lời hữu ích", "feedback_good", events=before,
                                                  slots={"procedure_id": "dang_ky_tam_tru"}))
    [event] = recorded()
    assert (event.kind, event.procedure_id, event.text) == ("feedback_up", "dang_ky_tam_tru", "tạm trú mất bao lâu")


def typed_rating(procedure_id, events, intent="feedback_bad"):
    """``/feedback_bad{"procedure_id": ...}`` typed by hand, as Rasa parses it."""
    text = payload(intent, procedure_id=procedure_id)
    return tracker(text, intent, [{"entity": "procedure_id", "value": procedure_id}], events=events)


@pytest.mark.parametrize("procedure_id", ["dang_ky_tam_tru", "khong_co_thu_tuc_nay", "x" * 5000])
async def test_a_typed_rating_of_a_procedure_the_answer_was_not_about_is_not_recorded(procedure_id):
    before = answered("lệ phí hộ chiếu", "cap_ho_chieu_pho_thong")
    messages, _ = await run(mod.ActionRecordFeedback(), typed_rating(procedure_id, before))
    assert "Cảm ơn" in text_of(messages) and recorded() == []


async def test_a_rating_with_no_rated_answer_before_it_is_not_recorded():
    await run(mod.ActionRecordFeedback(), typed_rating("cap_ho_chieu_pho_thong", []))
    later = answered("lệ phí hộ chiếu", "cap_ho_chieu_pho_thong") + [
        user("thời tiết mai", "out_of_scope"), {"event": "action", "name": "action_out_of_scope"},
        {"event": "bot", "text": "Mình chỉ trả lời về thủ tục hành chính.", "data": {}}]
    await run(mod.ActionRecordFeedback(), typed_rating("cap_ho_chieu_pho_thong", later))
    assert recorded() == []


async def test_a_rating_of_a_procedure_the_knowledge_base_no_longer_has_is_not_recorded():
    await run(mod.ActionRecordFeedback(), typed_rating("da_bo", answered("thủ tục cũ", "da_bo")))
    assert recorded() == []


async def test_a_flood_of_ratings_of_one_answer_counts_once():
    events = answered("lệ phí hộ chiếu", "cap_ho_chieu_pho_thong")
    for i in range(20):
        intent = "feedback_bad" if i % 2 else "feedback_good"
        await run(mod.ActionRecordFeedback(), typed_rating("cap_ho_chieu_pho_thong", events, intent))
        events = events + [user(payload(intent, procedure_id="cap_ho_chieu_pho_thong"), intent),
                           {"event": "bot", "text": "Cảm ơn bạn!", "data": {}}]
    assert [e.kind for e in recorded()] == ["feedback_up"]


def test_offered_procedure_reads_the_buttons_of_the_latest_answer():
    first = answered("lệ phí hộ chiếu", "cap_ho_chieu_pho_thong")
    second = answered("tạm trú ở đâu", "dang_ky_tam_tru", intent="ask_where")
    rating = user("/feedback_good", "feedback_good")
    assert mod.offered_procedure(first + second + [rating]) == "dang_ky_tam_tru"
    assert mod.offered_procedure(first + [user("xin chào", "greet"), rating]) == ""
    broken = {"event": "bot", "data": {"buttons": [{"payload": "/feedback_bad{not json"},
                                                   {"payload": "/feedback_bad"}, {"payload": '/feedback_bad["x"]'}]}}
    assert mod.offered_procedure([broken, rating]) == ""


async def test_one_conversation_cannot_flood_the_event_log():
    for _ in range(bot_events.RATE_BUDGETS["fallback"][1] + 10):
        mod.record_turn(tracker("linh tinh", intent="nlu_fallback"), bot_events.FALLBACK)
    other = tracker("linh tinh", intent="nlu_fallback")
    other.sender_id = "u2"
    mod.record_turn(other, bot_events.FALLBACK)
    assert len(recorded("fallback")) == bot_events.RATE_BUDGETS["fallback"][1] + 1


def test_rated_question_walks_back_to_the_answered_turn():
    events = [user("cũ", "ask_fee"), {"event": "action", "name": "action_answer_fee"},
              user("làm hộ chiếu ở đâu", "ask_where"), {"event": "action", "name": "action_answer_where"},
              user("/feedback_good", "feedback_good")]
    assert mod.rated_question(events) == ("làm hộ chiếu ở đâu", False)
    assert mod.rated_question(events + [user("/feedback_bad", "feedback_bad")]) == ("làm hộ chiếu ở đâu", True)
    assert mod.rated_question([user("/feedback_good", "feedback_good")]) == ("", False)


async def test_a_broken_event_store_never_costs_the_answer(monkeypatch):
    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(bot_events, "event_log", broken)
    messages, _ = await run(mod.ActionAnswerFee(), tracker("lệ phí làm hộ chiếu"))
    assert "Phí, lệ phí" in text_of(messages)


async def test_the_second_decline_in_a_conversation_offers_a_person():
    first, slots = await run(mod.ActionOutOfScope(), tracker("thời tiết hôm nay thế nào", intent="out_of_scope"))
    assert slots == {"declines": 1.0} and not any(m.get("buttons") for m in first)
    second, slots = await run(mod.ActionOutOfScope(), tracker("kể chuyện cười đi", intent="out_of_scope",
                                                               slots={"declines": 1.0}))
    assert slots == {"declines": 2.0}
    assert {"title": "Gặp cán bộ", "payload": "/human_handoff"} in second[-1]["buttons"]


async def test_a_thumbs_down_offers_a_person():
    messages, _ = await run(mod.ActionRecordFeedback(), tracker("/feedback_bad", intent="feedback_bad"))
    assert any(b["payload"] == "/human_handoff" for m in messages for b in (m.get("buttons") or []))
    messages, _ = await run(mod.ActionRecordFeedback(), tracker("/feedback_good", intent="feedback_good"))
    assert not any(b["payload"] == "/human_handoff" for m in messages for b in (m.get("buttons") or []))


async def test_a_letter_asking_two_facts_gets_both_and_the_source_once():
    messages, slots = await run(mod.ActionAnswerPapers(),
                                tracker("cho tôi hỏi làm hộ chiếu cần giấy tờ gì và nộp ở đâu", intent="ask_papers"))
    said = text_of(messages)
    assert "Nơi nộp hồ sơ" in said and said.count("Nguồn:") == 1
    assert slots["aspect"] == Aspect.papers.value and slots["procedure_id"] == "cap_ho_chieu_pho_thong"


async def test_a_legal_basis_reading_gives_way_to_the_fact_asked():
    asked = tracker("thời gian giải quyết cấp hộ chiếu được quy định như thế nào", intent="ask_legal_basis")
    messages, slots = await run(mod.ActionAnswerLegalBasis(), asked)
    said = text_of(messages)
    assert "Thời gian giải quyết" in said and "Căn cứ pháp lý" not in said
    assert slots["aspect"] == Aspect.time.value


async def test_a_letter_asking_two_facts_in_so_many_words_gets_them_not_the_nlus_reading():
    letter = ("Gia đình tôi định phá nhà cũ xây lại nhà 3 tầng, đất đã có sổ đỏ. Xin hỏi xin cấp hộ chiếu thì nộp "
              "ở đâu và bao lâu thì có?")
    messages, slots = await run(mod.ActionAnswerPapers(), tracker(letter, intent="ask_papers"))
    said = text_of(messages)
    assert "Nơi nộp hồ sơ" in said and "Thời gian giải quyết" in said and "Bạn chuẩn bị" not in said
    assert slots["aspect"] == Aspect.where.value


async def test_a_button_payload_answers_only_its_own_aspect():
    messages, slots = await run(mod.ActionAnswerFee(),
                                tracker("/ask_fee", intent="ask_fee", slots={"procedure_id": "cap_ho_chieu_pho_thong"}))
    said = text_of(messages)
    assert "Phí, lệ phí" in said and "Nơi nộp hồ sơ" not in said


async def test_each_question_of_a_letter_is_answered_or_named_and_the_source_comes_once(monkeypatch, real_kb):
    monkeypatch.setattr(mod, "knowledge_base", lambda: real_kb)
    letter = ("Con tôi 4 tuổi có bắt buộc làm căn cước không? Lệ phí làm căn cước cho cháu là bao nhiêu? "
              "Nếu cháu đang ở với ông bà nội ở tỉnh khác thì ông bà có đưa cháu đi làm thay được không?")
    messages, slots = await run(mod.ActionAnswerOverview(), tracker(letter, intent="ask_overview"))
    said = text_of(messages)
    assert said.startswith("Không.") and "Phí, lệ phí" in said
    assert said.index("Phí, lệ phí") > said.index("Căn cứ:")  # in the order asked
    assert said.count("mã thủ tục") == 1 and "«Nếu cháu đang ở với ông bà nội" in said
    assert slots["procedure_id"] == "cap_the_can_cuoc_lan_dau"
    assert messages[-1]["buttons"][-1]["payload"].startswith("/feedback_bad")


async def test_a_question_naming_its_procedure_only_as_done_gets_no_overview_of_it():
    text = "con tôi đã được công ty làm hộ chiếu rồi, vậy sang Nhật thì ở khách sạn nào?"
    messages, _ = await run(mod.ActionAnswerOverview(), tracker(text, intent="ask_overview"))
    assert "Cơ quan giải quyết" not in text_of(messages) and "chưa có câu trả lời" in text_of(messages)
    assert [e.kind for e in recorded()] == ["unresolved"]
    messages, _ = await run(mod.ActionAnswerOverview(), tracker("hộ chiếu thì sao?", intent="ask_overview"))
    assert "Cơ quan giải quyết" in text_of(messages)


async def test_a_letter_gets_the_facts_it_asks_beside_a_situation_nothing_settles():
    # "sinh ở nhà, không có giấy chứng sinh" is a situation the small knowledge base cannot settle; the time of a
    # birth registration, asked in a sentence of its own, is the record's.
    text = ("Vợ tôi sinh con ở nhà, không có giấy chứng sinh thì có đăng ký khai sinh được không? "
            "Đăng ký khai sinh mất bao lâu?")
    messages, slots = await run(mod.ActionHelpfulFallback(), tracker(text, intent="nlu_fallback"))
    said = text_of(messages)
    assert "chưa có câu trả lời đã được kiểm chứng" in said
    assert "chưa xét trường hợp riêng của bạn" in said and "Thời gian giải quyết" in said and "Nguồn:" in said
    assert slots["procedure_id"] == "dang_ky_khai_sinh"
    # Without that sentence, the "not known" offers the facts as buttons instead.
    messages, _ = await run(mod.ActionHelpfulFallback(), tracker(text.split("?")[0] + "?", intent="nlu_fallback"))
    assert "Thời gian giải quyết" not in text_of(messages) and messages[-1]["buttons"]


def test_an_online_reading_without_a_word_of_online_gives_way(real_kb):
    # The NLU reads "... một mình được không" as "can it be done online"; "Có, trực tuyến một phần" would answer
    # another question.
    assert mod.asked(real_kb, "đăng ký kết hôn một mình được không", Aspect.online) == [Aspect.overview]
    assert mod.asked(real_kb, "đăng ký kết hôn trên vneid được không", Aspect.online) == [Aspect.online]
    assert mod.asked(real_kb, "dang ky ket hon online dc ko", Aspect.online) == [Aspect.online]
