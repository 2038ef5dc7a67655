"""The console's figures from recorded events: rates, rankings, days in Vietnam's calendar."""

from datetime import date, datetime, timezone

from records.events import BotEvent
from web.console import statistics as st

TODAY = date(2026, 11, 23)


def at(day: int, hour: int = 9) -> float:
    return datetime(2026, 11, day, hour, tzinfo=st.VIETNAM).timestamp()


def ev(kind, when, procedure_id=""):
    return BotEvent(0, when, kind, "rest", procedure_id, "", "", "open")


NAMES = {"a": "Thủ tục A", "b": "Thủ tục B"}
EVENTS = [
    ev("answer", at(22), "a"), ev("answer", at(22), "a"), ev("answer", at(22), "b"), ev("fallback", at(22)),
    ev("answer", at(23), "b"), ev("unresolved", at(23)), ev("fallback", at(23)), ev("fallback", at(23)),
    ev("feedback_up", at(23), "a"), ev("feedback_up", at(23), "a"), ev("feedback_down", at(23), "b"),
    ev("dossier_lookup", at(23)), ev("dossier_lookup", at(21)),
    ev("answer", at(1), "a"),  # outside the window
]


def test_daily_fallback_rate_and_lookups():
    figures = st.compute(EVENTS, TODAY, 3, NAMES)
    assert [d.day.day for d in figures.days] == [21, 22, 23]
    d21, d22, d23 = figures.days
    assert (d22.questions, d22.not_answered, d22.fallback_rate) == (4, 1, 0.25)
    assert (d23.questions, d23.not_answered, d23.fallback_rate) == (4, 3, 0.75)
    assert d21.fallback_rate is None and d21.lookups == 1 and d23.lookups == 1
    assert figures.fallback_rate == 0.5 and figures.lookups == 2


def test_satisfaction_overall_and_per_procedure():
    figures = st.compute(EVENTS, TODAY, 3, NAMES)
    assert (figures.up, figures.down) == (2, 1) and abs(figures.satisfaction - 2 / 3) < 1e-9
    assert [(p.procedure_id, p.satisfaction) for p in figures.rated()] == [("b", 0.0), ("a", 1.0)]


def test_most_asked_counts_answers_only_in_the_window():
    figures = st.compute(EVENTS, TODAY, 3, NAMES)
    assert [(p.name, p.asked) for p in figures.most_asked()] == [("Thủ tục A", 2), ("Thủ tục B", 2)]


def test_days_follow_vietnam_time_not_utc():
    late = datetime(2026, 11, 22, 23, 30, tzinfo=st.VIETNAM).timestamp()  # 16:30 UTC the same day
    early = datetime(2026, 11, 23, 0, 30, tzinfo=st.VIETNAM).timestamp()  # 17:30 UTC on the 22nd
    figures = st.compute([ev("fallback", late), ev("answer", early)], TODAY, 2, {})
    assert [(d.questions, d.not_answered) for d in figures.days] == [(1, 1), (1, 0)]


def test_no_events_means_no_rates_not_zero():
    figures = st.compute([], TODAY, 7, {})
    assert figures.satisfaction is None and figures.fallback_rate is None and len(figures.days) == 7


def test_bars_scale_to_the_largest_value():
    bars = st.bars([0, 5, 10], ["a", "b", "c"], ["", "", ""], height=100, width=300)
    assert [b.height for b in bars] == [0, 50, 100] and bars[2].y == 0 and bars[1].x == 115.0


def test_json_view():
    data = st.as_json(st.compute(EVENTS, TODAY, 3, NAMES))
    assert data["fallback_rate"] == 0.5 and data["days"][1] == {
        "day": "2026-11-22", "questions": 4, "not_answered": 1, "fallback_rate": 0.25, "lookups": 0}


def test_times_are_shown_in_vietnam_time_whatever_the_server_zone():
    midnight_utc = datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc).timestamp()
    assert st.local_time_text(midnight_utc) == "23/11/2026 07:30"
