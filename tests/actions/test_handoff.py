"""Reaching a person, as the action server runs it: contacts, the queue, a left question and its answer."""

from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff as mod
from knowledge.schema import Centre, ServiceDesk
from records.handoffs import HandoffQueue, find_answer_code

OPEN = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # Tuesday 09:00 in Viet Nam
CLOSED = datetime(2026, 12, 5, 2, 0, tzinfo=timezone.utc)  # Saturday


@pytest.fixture
def queue(monkeypatch):
    mod.handoff_queue.cache_clear()
    yield mod.handoff_queue()
    mod.handoff_queue.cache_clear()


@pytest.fixture
def at(monkeypatch):
    def set_time(when):
        monkeypatch.setattr(mod, "_now", lambda: when)
        return when
    return set_time


def tracker(text="", intent="human_handoff", slots=None, channel="socketio", sender="web:abc", loop=None):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": message, "input_channel": channel}]
    return Tracker(sender, slots or {}, message, events, False, None, {"name": loop} if loop else {}, "action_listen")


async def run(action, t):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def buttons(messages):
    return [b["payload"] for m in messages for b in (m.get("buttons") or [])]


def test_the_way_to_a_person_needs_an_open_centre_with_an_officer_on_duty(tmp_path):
    queue = HandoffQueue.__new__(HandoffQueue)
    desk = ServiceDesk(centre_name="TT", hotline="1", opening_hours="x", portal_name="p", portal_url="https://a.b",
                       centres=[Centre(id="a", name="A", hours={"tue": ["07:30-11:30"]}),
                                Centre(id="b", name="B", hours={"tue": ["07:30-11:30"]})])
    duty = {"a": [], "b": ["an"]}
    queue.on_duty = lambda centre: duty[centre]
    way = mod.way_to_person(desk, queue, OPEN)
    assert way.live and way.centre.id == "b"
    assert not mod.way_to_person(desk, queue, CLOSED).live
    duty["b"] = []
    assert not mod.way_to_person(desk, queue, OPEN).live and mod.way_to_person(desk, queue, OPEN).centre.id == "a"


async def test_asking_for_a_person_offers_chat_when_an_officer_is_on_duty(queue, at):
    at(OPEN)
    messages, _ = await run(mod.ActionHandoff(), tracker("cho tôi gặp cán bộ"))
    assert "Tổng đài" in texts(messages) and buttons(messages) == ["/leave_question"]
    queue.check_in("an", "mot-cua")
    messages, _ = await run(mod.ActionHandoff(), tracker("cho tôi gặp cán bộ"))
    assert buttons(messages) == ["/talk_to_officer", "/leave_question"]


async def test_joining_the_queue_tells_the_place_and_the_wait(queue, at):
    at(OPEN)
    queue.check_in("an", "mot-cua")
    await run(mod.ActionTalkToOfficer(), tracker(sender="zalo:first", channel="zalo"))
    messages, _ = await run(mod.ActionTalkToOfficer(), tracker())
    assert "vị trí số 2" in texts(messages) and "10 phút" in texts(messages)
    assert buttons(messages) == ["/stop_waiting"]
    [first, second] = queue.listing()
    assert (first.conversation_id, first.channel, second.conversation_id) == ("zalo:first", "zalo", "web:abc")
    messages, _ = await run(mod.ActionStopWaiting(), tracker("/stop_waiting", intent="stop_waiting"))
    assert "rời bạn khỏi hàng chờ" in texts(messages) and len(queue.listing()) == 1


async def test_outside_hours_the_citizen_is_offered_to_leave_a_question(queue, at):
    at(CLOSED)
    queue.check_in("an", "mot-cua")
    messages, _ = await run(mod.ActionTalkToOfficer(), tracker())
    assert "ngoài giờ" in texts(messages) and "thứ Hai 07/12/2026" in texts(messages)
    assert buttons(messages) == ["/leave_question"] and queue.listing() == []


@pytest.mark.parametrize("typed, contact", [
    ("0912 345 678", "0912345678"), ("email: an.nguyen@example.com nhé", "an.nguyen@example.com"),
    ("không", ""), ("abc", None)])
def test_contacts_are_read(typed, contact):
    assert mod.read_contact(typed) == contact


async def test_a_left_question_is_stored_masked_with_a_code_and_its_answer_fetched_by_code(queue, at):
    at(CLOSED)
    question = "Tôi là Nguyễn Văn An, số 0912345678, đất bị cấp trùng sổ đỏ thì làm thế nào?"
    slots = {"left_question": question, "left_contact": "0912345678"}
    messages, events = await run(mod.ActionSubmitLeftQuestion(), tracker(slots=slots, channel="zalo", sender="zalo:u"))
    [left] = queue.left_listing()
    assert left.code in texts(messages) and "gửi vào Zalo này" in texts(messages)
    assert "0912345678" not in left.question and left.contact == "0912345678"
    assert {e["name"]: e["value"] for e in events} == {"left_question": None, "left_contact": None}
    messages, _ = await run(mod.ActionCheckAnswer(), tracker(f"xem trả lời {left.code.lower()}", "check_answer"))
    assert "đang chờ cán bộ" in texts(messages)
    queue.answer(left.id, "an", "Bạn nộp đơn tại Văn phòng đăng ký đất đai.")
    messages, _ = await run(mod.ActionCheckAnswer(), tracker(left.code, "check_answer", sender="web:other"))
    assert "Văn phòng đăng ký đất đai" in texts(messages)
    assert queue.undelivered_for("zalo:u")  # read elsewhere: still delivered on its own channel
    messages, _ = await run(mod.ActionCheckAnswer(), tracker("HD-ZZZZZZ", "check_answer"))
    assert "không tìm thấy" in texts(messages)


async def test_the_form_takes_the_question_as_typed_and_checks_the_contact():
    form = mod.ValidateLeaveQuestionForm()
    t = tracker("Đất của tôi bị cấp trùng sổ, tôi phải làm gì?", intent="ask_steps", slots={
        "requested_slot": "left_question"}, loop="leave_question_form")
    extracted = await form.extract_left_question(CollectingDispatcher(), t, {})
    assert extracted == {"left_question": t.latest_message["text"]}
    stop = tracker("thôi", intent="stop", slots={"requested_slot": "left_question"}, loop="leave_question_form")
    assert await form.extract_left_question(CollectingDispatcher(), stop, {}) == {}
    dispatcher = CollectingDispatcher()
    assert form.validate_left_question("ngắn", dispatcher, t, {}) == {"left_question": None}
    assert form.validate_left_contact("abc", dispatcher, t, {}) == {"left_contact": None}
    assert form.validate_left_contact("-", dispatcher, t, {}) == {"left_contact": "-"}


def test_answer_codes_are_found_in_what_citizens_type():
    assert find_answer_code("cho tôi xem trả lời mã hd-7k3q9m nhé") == "HD-7K3Q9M"
    assert find_answer_code("HD 7K3Q9M") == "HD-7K3Q9M" and find_answer_code("hồ sơ 000.00") == ""
    assert find_answer_code("000.00.07.HD-261101") == ""


@pytest.mark.parametrize("text, person", [
    ("cho tôi gặp cán bộ", True), ("hotline là số mấy", True), ("làm việc mấy giờ", True),
    ("tôi cần người hỗ trợ", True), ("nối máy cho cán bộ giúp tôi", True),
    ("lltp so 2 nho nguoi nha xin ho dc ko ad", False), ("tách hộ có cần bố tôi là chủ hộ đồng ý không", False),
])
def test_asking_for_a_person_is_told_from_someone_else_acting_in_a_procedure(text, person):
    assert mod.asks_for_person(text) is person


async def test_a_procedure_question_read_as_asking_for_a_person_is_answered(queue, at, real_kb, monkeypatch):
    at(OPEN)
    monkeypatch.setattr("actions.actions.knowledge_base", lambda: real_kb)
    monkeypatch.setattr(mod, "knowledge_base", lambda: real_kb)
    messages, _ = await run(mod.ActionHandoff(), tracker("lltp so 2 nho nguoi nha xin ho dc ko ad"))
    assert "Tổng đài:" not in texts(messages)  # not the contacts
    assert "ủy quyền" in texts(messages) and "Lý lịch tư pháp" in texts(messages)
    messages, _ = await run(mod.ActionHandoff(), tracker("cho tôi gặp cán bộ"))
    assert "Tổng đài" in texts(messages)
