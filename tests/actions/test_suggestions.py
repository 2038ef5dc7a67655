"""The curated questions offered beside an honest "not known"."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from actions import routing, suggestions
from actions.resolution import decide
from knowledge.passages import QUESTION, Hit, Passage


def declined(kb, text):
    decision = decide(kb, text)
    way = routing.route(kb, text, decision.procedure, decision.candidates)
    assert way.kind == routing.UNKNOWN_SITUATION, (text, way.kind)
    return way


def test_the_closest_questions_are_offered_in_words_that_ask_them(real_kb):
    way = declined(real_kb, "Con gái tôi 9 tuổi, tôi định làm căn cước cho cháu. Cháu có bắt buộc phải đi cùng đến "
                            "công an để lấy vân tay không, hay tôi đi nộp hồ sơ là được?")
    assert 1 <= len(way.nearby) <= routing.NEARBY_MAX
    phrasings = suggestions.offered(real_kb, way.nearby)
    assert phrasings and len(phrasings) <= len(way.nearby)
    # Each offered phrasing, sent alone, is answered with its own question.
    for phrasing in phrasings:
        question = next(q for _, q in way.nearby if phrasing in q.phrasings)
        decision = decide(real_kb, phrasing)
        again = routing.route(real_kb, phrasing, decision.procedure, decision.candidates)
        assert again.kind == routing.QUESTION and again.question.id == question.id
    # the question it asks is among them ("một mình", which says it, would have it answered)
    assert any("cùng bố mẹ" in phrasing for phrasing in phrasings)


def test_a_question_none_of_whose_phrasings_reaches_it_is_not_offered(real_kb, monkeypatch):
    way = declined(real_kb, "tôi đăng ký tạm trú cho con mèo nhà tôi có bị phạt không")
    assert suggestions.offered(real_kb, way.nearby)
    monkeypatch.setattr(suggestions, "_routes_back", lambda *a: False)
    assert suggestions.offered(real_kb, way.nearby) == []


def test_the_nearby_questions_are_distinct_best_first_and_from_the_floor_on(real_kb):
    proc = real_kb.get("dang_ky_tam_tru")
    keys = [q.id for q in real_kb.questions(proc.id)][:5]
    covers = [0.9, 0.9, 0.6, routing.NEARBY_COVER - 0.01, 0.8]
    # the same question twice (two of its phrasings), then one below the floor, then one after it
    ranked = [Hit(Passage(proc.id, QUESTION, "…", key), 1.0, cover)
              for key, cover in zip([keys[0], keys[0], keys[1], keys[2], keys[3]], covers, strict=True)]
    assert [q.id for _, q in routing._nearby(real_kb, ranked)] == [keys[0], keys[1]]
    many = [Hit(Passage(proc.id, QUESTION, "…", key), 1.0, 0.9) for key in keys]
    assert len(routing._nearby(real_kb, many)) == routing.NEARBY_MAX


def test_what_routes_back_is_remembered_per_question_index(real_kb, monkeypatch):
    # A private memory, restored afterwards: what this test makes the router say must not outlive it.
    monkeypatch.setattr(suggestions, "_ROUTED", WeakKeyDictionary())
    way = declined(real_kb, "tôi đăng ký tạm trú cho con mèo nhà tôi có bị phạt không")
    first = suggestions.offered(real_kb, way.nearby)
    calls = []
    monkeypatch.setattr(suggestions, "route", lambda *a, **k: calls.append(a) or routing.Route(routing.ASPECT))
    assert suggestions.offered(real_kb, way.nearby) == first and calls == []  # remembered
    suggestions._ROUTED.pop(real_kb.question_index)  # as after a reload, which builds a new index
    assert suggestions.offered(real_kb, way.nearby) == [] and calls
