"""The event log: masked, bounded text; review status only for unanswered questions."""

import pytest

from records import events as bot_events
from records.database import make_engine
from records.events import EventLog


@pytest.fixture
def log(tmp_path):
    return EventLog(make_engine(f"sqlite:///{tmp_path / 'events.sqlite3'}"))


def test_text_is_masked_flattened_and_bounded(log):
    log.record("fallback", "zalo", "gọi  0987.654.321\nCCCD 001203004567 " + "x" * 1000)
    [event] = log.events()
    assert event.text.startswith("gọi ****.***.*** CCCD ************ ")
    assert len(event.text) == bot_events.MAX_TEXT and "\n" not in event.text


def test_unknown_kinds_are_refused(log):
    with pytest.raises(ValueError):
        log.record("whatever", "rest", "x")


def test_events_filter_by_time_and_kind(log):
    log.record("answer", "rest", "a", procedure_id="p", at=100.0)
    log.record("fallback", "rest", "b", at=200.0)
    assert [e.kind for e in log.events(since=150.0)] == ["fallback"]
    assert [e.text for e in log.events(kinds=["answer"])] == ["a"]


def test_status_changes_only_touch_open_unanswered_questions(log):
    log.record("answer", "rest", "a", at=1.0)
    log.record("fallback", "rest", "b", at=2.0)
    log.record("feedback_down", "rest", "c", at=3.0)
    ids = [e.id for e in log.events()]
    assert [e.text for e in log.unanswered()] == ["b", "c"]
    assert log.set_status(ids, bot_events.DISMISSED) == 2
    assert log.set_status(ids, bot_events.ALIASED) == 0  # already decided
    assert log.unanswered() == [] and len(log.unanswered(bot_events.DISMISSED)) == 2
    assert log.set_status(ids, "bogus") == 0


def test_record_quietly_swallows_storage_errors(monkeypatch, caplog):
    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(bot_events, "event_log", broken)
    bot_events.record_quietly("answer", channel="rest", text="x")
    assert "could not record" in caplog.text


def test_the_shared_log_follows_console_db_url(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSOLE_DB_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    monkeypatch.setattr(bot_events, "_shared", None)
    bot_events.record_quietly("answer", channel="rest", text="x")
    assert (tmp_path / "shared.sqlite3").exists()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_conversation_has_a_budget_of_events_per_window():
    clock = Clock()
    caps = bot_events.RateCap(budgets={"fallback": ("review", 3), "feedback_down": ("review", 3),
                                       "answer": ("answer", 5)}, window=3600.0, clock=clock)
    assert [caps.allow("c1", "fallback") for _ in range(2)] == [True, True]
    assert caps.allow("c1", "feedback_down") and not caps.allow("c1", "fallback")  # one shared budget
    assert not caps.allow("c1", "feedback_down")
    assert caps.allow("c1", "answer") and caps.allow("c2", "fallback")  # other budgets, other conversations
    clock.now += 3599.0
    assert not caps.allow("c1", "fallback")
    clock.now += 1.0
    assert caps.allow("c1", "fallback")  # a new window
    assert caps.allow("c1", "dossier_lookup")  # kinds without a budget are not counted


def test_the_budget_counter_is_bounded_and_keeps_no_conversation_id():
    caps = bot_events.RateCap(max_tracked=100)
    for i in range(1000):
        caps.allow(f"zalo-user-{i}", "fallback")
    assert len(caps) == 100
    assert not any("zalo-user" in key for key in caps._counts)


def test_record_quietly_drops_a_flooding_conversations_events(caplog):
    budget = bot_events.RATE_BUDGETS["feedback_down"][1]
    with caplog.at_level("DEBUG", logger="records.events"):
        for _ in range(budget + 5):
            bot_events.record_quietly("feedback_down", conversation="c1", channel="rest", text="sai")
        bot_events.record_quietly("fallback", conversation="c1", channel="rest", text="linh tinh")
        bot_events.record_quietly("answer", conversation="c1", channel="rest", text="lệ phí")
        bot_events.record_quietly("fallback", conversation="c2", channel="rest", text="linh tinh")
        bot_events.record_quietly("fallback", channel="rest", text="không rõ hội thoại")  # not counted
    kinds = [e.kind for e in bot_events.event_log().events()]
    assert kinds.count("feedback_down") == budget and kinds.count("fallback") == 2 and kinds.count("answer") == 1
    assert "over its feedback_down budget" in caplog.text
