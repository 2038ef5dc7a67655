"""Grouping what the bot could not answer, the way staff review it."""


from sqlalchemy import insert

from knowledge.shorthand import load_shorthand
from records.events import BotEvent, EventLog, bot_events
from tests.web.console.test_web import console, csrf_of, log_in  # noqa: F401 - the console fixture
from web.console.unanswered import group_questions, recent_questions, signature, suggest_procedures


def event(i, text, kind="fallback", procedure_id="", channel="rest"):
    return BotEvent(i, float(i), kind, channel, procedure_id, "", text, "open")


def test_signature_ignores_diacritics_shorthand_and_question_filler(real_kb):
    sh = real_kb.shorthand
    assert signature("làm sổ đỏ ở đâu ạ?", sh) == signature("lam so do o dau", sh) == frozenset({"so", "do"})
    assert signature("ko dc à", sh) == signature("không được à", sh)


def test_similar_wording_groups_and_biggest_group_comes_first(real_kb):
    events = [
        event(1, "bay flycam cần xin phép không"),
        event(2, "làm sổ đỏ ở đâu ạ"),
        event(3, "lam so do o dau", channel="zalo"),
        event(4, "sổ đỏ làm ở đâu vậy", kind="unresolved"),
        event(5, "xin phép bay flycam"),
        event(6, "đăng ký nuôi chó"),
    ]
    groups = group_questions(events, real_kb.shorthand)
    assert [g.count for g in groups] == [3, 2, 1]
    top = groups[0]
    assert top.ids == [2, 3, 4] and top.channels == ["rest", "zalo"]
    assert top.kinds == {"fallback": 2, "unresolved": 1}
    assert top.wording == "sổ đỏ làm ở đâu vậy"  # all equally frequent: the latest
    assert top.examples[0] == "sổ đỏ làm ở đâu vậy" and len(top.examples) == 3


def test_the_most_frequent_wording_represents_the_group(real_kb):
    events = [event(1, "cấp sổ đỏ"), event(2, "cap so do"), event(3, "cấp sổ đỏ"), event(4, "cap so do nhanh")]
    [group] = group_questions(events, real_kb.shorthand)
    assert group.wording == "cấp sổ đỏ" and group.count == 4


def test_empty_messages_form_their_own_group(real_kb):
    groups = group_questions([event(1, ""), event(2, ""), event(3, "thủ tục nuôi ong")], real_kb.shorthand)
    assert [(g.wording, g.count) for g in groups] == [("", 2), ("thủ tục nuôi ong", 1)]


def test_suggestion_prefers_the_rated_procedure_then_search(real_kb):
    rated = [event(1, "câu trả lời sai", kind="feedback_down", procedure_id="cap_ho_chieu_pho_thong")]
    named = [event(2, "passport gấp thì sao")]
    unknown = [event(3, "nuôi ong mật")]
    groups = [group_questions(e, real_kb.shorthand)[0] for e in (rated, named, unknown)]
    suggest_procedures(groups, real_kb)
    assert [g.suggested_procedure_id for g in groups] == ["cap_ho_chieu_pho_thong", "cap_ho_chieu_pho_thong", ""]


def _naive_groups(events, shorthand, threshold=0.5):
    """Every question against every group, the way grouping worked before the word index."""
    from web.console.unanswered import QuestionGroup, signature, similarity

    groups = []
    for event in sorted(events, key=lambda e: e.at):
        sig = signature(event.text, shorthand)
        best = max(groups, key=lambda g: similarity(sig, g.key), default=None)
        if best is not None and similarity(sig, best.key) >= threshold:
            best.events.append(event)
        else:
            groups.append(QuestionGroup(sig, [event]))
    return sorted(groups, key=lambda g: (-g.count, -g.last_at))


def test_the_word_index_groups_exactly_as_comparing_with_every_group(real_kb):
    import random

    rng = random.Random(3)
    words = "làm sổ đỏ ở đâu hộ chiếu mất bao lâu căn cước cho con tạm trú lệ phí bn ko 😀 xin giấy phép".split()
    events = [BotEvent(i, float(i), "fallback", "rest", "", "", " ".join(rng.sample(words, rng.randint(0, 5))), "open")
              for i in range(400)]
    fast = group_questions(events, real_kb.shorthand)
    slow = _naive_groups(events, real_kb.shorthand)
    assert [g.ids for g in fast] == [g.ids for g in slow]


def test_grouping_reads_the_start_of_long_questions():
    from web.console.unanswered import head

    assert head("làm sổ đỏ") == "làm sổ đỏ"
    assert head("làm sổ đỏ ở đâu", limit=10) == "làm sổ đỏ"
    assert head("x" * 50, limit=10) == "x" * 10


def test_junk_sharing_common_words_is_compared_with_a_bounded_number_of_groups(real_kb, monkeypatch):
    from web.console import unanswered

    looked_up = []
    original = unanswered._candidates

    def counting(sig, by_word, threshold):
        found = original(sig, by_word, threshold)
        looked_up.append(len(found))
        return found

    monkeypatch.setattr(unanswered, "_candidates", counting)
    groups = group_questions([event(i, f"câu linh tinh số {i} kiểu{i} chữ{i}") for i in range(1000)], real_kb.shorthand)
    assert len(groups) == 1000  # all different: they share 4 words out of 7
    assert max(looked_up) <= unanswered.MAX_POSTINGS  # not every earlier group


def test_page_numbers_and_pages():
    from web.console.unanswered import page_number, page_of

    assert [page_number(raw) for raw in ("2", " 3 ", None, "", "abc", "-1", "²", "9" * 50)] == [2, 3, 1, 1, 1, 1, 1, 1]
    groups = group_questions([event(i, f"chủ đề{i}") for i in range(120)], _shorthand())
    first, third, past = page_of(groups, 1, 50), page_of(groups, 3, 50), page_of(groups, 99, 50)
    assert (first.total, first.pages, first.first, first.last) == (120, 3, 1, 50)
    assert (third.number, third.first, third.last, len(third.groups)) == (3, 101, 120, 20)
    assert past.number == 3 and page_of(groups, 0, 50).number == 1
    assert page_of([], 1).pages == 1 and page_of([], 1).first == 0


def _shorthand():
    from knowledge.shorthand import Shorthand

    return Shorthand({})


def test_only_the_newest_open_questions_are_grouped(tmp_path):
    from records.database import make_engine
    from records.events import EventLog
    from web.console.unanswered import recent_questions

    log = EventLog(make_engine(f"sqlite:///{tmp_path / 'events.sqlite3'}"))
    for i in range(5):
        log.record("fallback", "rest", f"câu {i}", at=float(10 - i))  # recorded newest first
    log.record("answer", "rest", "không phải câu chưa trả lời", at=100.0)
    events, truncated = recent_questions(log, limit=3)
    assert [e.text for e in events] == ["câu 2", "câu 1", "câu 0"] and truncated
    events, truncated = recent_questions(log, limit=5)
    assert len(events) == 5 and not truncated


def flood(log: EventLog, texts, start: float) -> None:
    """Many open questions at once (one transaction), one second apart from ``start``."""
    rows = [dict(at=start + i, kind="fallback", channel="rest", procedure_id="", aspect="", text=text, status="open")
            for i, text in enumerate(texts)]
    with log.engine.begin() as conn:
        conn.execute(insert(bot_events), rows)


async def test_a_flood_of_junk_renders_a_page_quickly_and_page_two_shows_the_next_groups(console):  # noqa: F811
    log = EventLog(console.accounts.engine)
    await log_in(console)
    assert (await console.get("/console/unanswered")).status == 200  # knowledge and templates loaded
    flood(log, [f"câu linh tinh số {i} kiểu{i} chữ{i} rác{i % 97}" for i in range(20_000)], start=1_000.0)
    flood(log, ["làm pát xpo ở đâu"] * 3 + ["xin phép bay flycam"] * 2, start=100_000.0)

    response = await console.get("/console/unanswered")
    html = await response.text()
    # The 2,700 procedures are listed once for the page, not once per group (that made a 23 MB page).
    assert response.status == 200 and 2000 < html.count("<option ") < 4000
    assert len(html) < 2_000_000
    assert "3 lần</span> “làm pát xpo ở đâu”" in html and 'id="truncated"' in html
    assert "Đang hiện nhóm 1–50 trong" in html and 'rel="next" href="/console/unanswered?page=2"' in html
    assert 'rel="prev"' not in html

    expected = group_questions(recent_questions(log)[0], load_shorthand(console.kb_dir / "shorthand.yml"))
    response = await console.get("/console/api/unanswered", params={"page": "2"})
    second = await response.json()
    assert [g["ids"] for g in second] == [g.ids for g in expected[50:100]]
    assert response.headers["X-Page"] == "2" and response.headers["X-Total-Groups"] == str(len(expected))
    assert response.headers["X-Questions-Truncated"] == "1"
    first = await (await console.get("/console/api/unanswered")).json()
    assert [g["count"] for g in first[:2]] == [3, 2]
    assert not {g["wording"] for g in first} & {g["wording"] for g in second}

    html = await (await console.get("/console/unanswered?page=2")).text()
    assert "Đang hiện nhóm 51–100" in html and 'rel="prev" href="/console/unanswered?page=1"' in html
    assert 'action="/console/unanswered/alias?page=2"' in html


async def test_a_dismissal_on_a_later_page_stays_on_that_page(console):  # noqa: F811
    log = EventLog(console.accounts.engine)
    flood(log, [f"chủ đề riêng{i} khác{i}" for i in range(120)], start=1_000.0)
    await log_in(console)
    html = await (await console.get("/console/unanswered?page=3")).text()
    [group, *_] = await (await console.get("/console/api/unanswered", params={"page": "3"})).json()
    response = await console.post("/console/unanswered/dismiss?page=3", data={
        "csrf": csrf_of(html), "ids": ",".join(map(str, group["ids"])), "alias": group["wording"]})
    html = await response.text()
    assert "Đã bỏ qua 1 câu hỏi" in html and "trang 3/3" in html and "(119 nhóm)" in html
