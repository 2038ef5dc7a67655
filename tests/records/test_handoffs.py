from concurrent.futures import ThreadPoolExecutor

import pytest

from records.database import make_engine
from records.handoffs import ABANDONED, ACTIVE, CLOSED, WAITING, HandoffQueue, normalise_code


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def queue(tmp_path):
    return HandoffQueue(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"), Clock())


def test_a_conversation_queues_once_and_learns_its_place(queue):
    first = queue.request("web:a", "socketio", "mot-cua")
    queue.clock.now += 10
    second = queue.request("zalo:b", "zalo", "mot-cua", reason="declined")
    assert queue.request("web:a", "socketio", "mot-cua").id == first.id  # asking again keeps the place
    assert first.state == WAITING and second.reason == "declined"
    assert queue.place(first.id).position == 1 and queue.place(second.id).position == 2
    assert queue.place(second.id).expected_wait_s == 2 * 300  # default handling time, one officer
    assert queue.place(second.id, officers_on_duty=2).expected_wait_s == 300
    assert queue.take(first.id, "can-bo-1")
    assert queue.place(second.id).position == 1 and queue.place(first.id) is None


def test_two_officers_clicking_at_once_one_wins(queue):
    handoff = queue.request("web:a", "socketio", "mot-cua")
    with ThreadPoolExecutor(max_workers=8) as pool:
        wins = list(pool.map(lambda n: queue.take(handoff.id, f"can-bo-{n}"), range(8)))
    assert wins.count(True) == 1
    assert queue.get(handoff.id).officer == f"can-bo-{wins.index(True)}"


def test_transfer_and_close_belong_to_the_holder(queue):
    handoff = queue.request("web:a", "socketio", "mot-cua")
    queue.take(handoff.id, "an")
    assert not queue.transfer(handoff.id, "binh", "cuong", "x")  # not hers to transfer
    assert queue.transfer(handoff.id, "an", "binh", "Hỏi về đất đai, gọi chị Trần Thị Bình")
    held = queue.get(handoff.id)
    assert held.officer == "binh" and held.state == ACTIVE and "Trần Thị Bình" not in held.note
    with pytest.raises(ValueError):
        queue.close(handoff.id, "binh", "whatever")
    assert not queue.close(handoff.id, "an", "answered")
    queue.clock.now += 240
    assert queue.close(handoff.id, "binh", "answered")
    assert queue.get(handoff.id).state == CLOSED and queue.open_for("web:a") is None


def test_the_expected_wait_follows_how_long_officers_take(queue):
    for n in range(3):
        h = queue.request(f"web:{n}", "socketio", "mot-cua")
        queue.take(h.id, "an")
        queue.clock.now += 120
        queue.close(h.id, "an", "answered")
    waiting = queue.request("web:new", "socketio", "mot-cua")
    assert queue.place(waiting.id).expected_wait_s == 120


def test_a_left_question_gets_a_code_an_answer_and_is_delivered_once(queue):
    left = queue.leave("zalo:b", "zalo", "mot-cua", "Đất của tôi bị cấp trùng sổ đỏ thì làm gì?", "0912345678")
    assert left.code.startswith("HD-") and len(left.code) == 9
    assert queue.by_code(left.code.lower().replace("-", " ")).id == left.id
    assert queue.by_code("HD-000000") is None and normalise_code("xyz") == ""
    assert queue.undelivered_for("zalo:b") == []
    queue.answer(left.id, "an", "Bạn nộp đơn đề nghị tại Văn phòng đăng ký đất đai.")
    [pending] = queue.undelivered_for("zalo:b")
    assert pending.answer.startswith("Bạn nộp") and pending.answered_by == "an"
    assert queue.mark_delivered(left.id) and not queue.mark_delivered(left.id)
    assert queue.undelivered_for("zalo:b") == [] and [q.id for q in queue.left_listing(answered=True)] == [left.id]


def test_codes_are_not_sequential(queue):
    codes = {queue.leave(f"web:{n}", "socketio", "c", "q", "").code for n in range(50)}
    assert len(codes) == 50


def test_figures_per_day_and_centre(queue):
    a = queue.request("web:a", "socketio", "mot-cua")
    queue.clock.now += 60
    queue.take(a.id, "an")
    queue.clock.now += 300
    queue.close(a.id, "an", "answered")
    b = queue.request("web:b", "socketio", "mot-cua")
    queue.abandon(b.id)
    [day] = queue.figures()
    assert day["requested"] == 2 and day["handled"] == 1 and day["abandoned"] == 1
    assert day["median_wait_s"] == 60 and day["outcomes"] == {"answered": 1}
    assert queue.get(b.id).state == ABANDONED


def test_officers_are_on_duty_while_their_page_checks_in(queue):
    assert queue.on_duty("mot-cua") == []
    queue.check_in("an", "mot-cua")
    queue.check_in("binh", "khac")
    assert queue.on_duty("mot-cua") == ["an"]
    queue.clock.now += 91
    assert queue.on_duty("mot-cua") == []
    queue.check_in("an", "mot-cua")
    queue.check_out("an")
    assert queue.on_duty("mot-cua") == []


def test_a_taken_conversation_can_be_released_and_zalo_answers_listed(queue):
    handoff = queue.request("zalo:a", "zalo", "mot-cua")
    queue.take(handoff.id, "an")
    assert not queue.release(handoff.id, "binh") and queue.release(handoff.id, "an")
    assert queue.get(handoff.id).state == WAITING and queue.get(handoff.id).officer == ""
    on_zalo = queue.leave("zalo:a", "zalo", "c", "câu hỏi", "")
    on_web = queue.leave("web:b", "socketio", "c", "câu hỏi", "")
    assert queue.undelivered_on("zalo") == []
    for left in (on_zalo, on_web):
        queue.answer(left.id, "an", "trả lời")
    assert [q.id for q in queue.undelivered_on("zalo")] == [on_zalo.id]
