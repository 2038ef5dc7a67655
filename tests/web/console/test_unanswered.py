"""Grouping what the bot could not answer, the way staff review it."""

from records.events import BotEvent
from web.console.unanswered import group_questions, signature, suggest_procedures


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
