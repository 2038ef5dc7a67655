"""Choosing the routing thresholds: answers are judged as make eval-qa grades them."""

from __future__ import annotations

from datetime import date

from actions import routing
from knowledge.questions import Question
from tools.evaluate_qa import Item
from tools.tune_qa import judge, sweep


def _question(answer: str) -> Question:
    return Question(id="q", phrasings=["x"], answer=answer, basis="Điều 1", reviewed=date(2026, 12, 1))


def _route(proc, answer: str) -> routing.Route:
    return routing.Route(routing.QUESTION, proc, question=_question(answer), cover=0.9)


def _item(**fields) -> Item:
    return Item(id="d1", text="t", kind="conditions", procedure=fields.pop("procedure", "1.014061"), **fields)


def test_an_answer_is_right_only_with_the_labelled_facts_and_yes_or_no(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    assert judge(_item(must=["14 tuổi"], yes_no="khong"), _route(proc, "Không. Trẻ dưới 14 tuổi không bắt buộc.")) \
        == "right"
    assert judge(_item(must=["14 tuổi"], yes_no="khong"), _route(proc, "Trẻ dưới 14 tuổi không bắt buộc.")) \
        == "partial"
    assert judge(_item(yes_no="khong"), _route(proc, "Có. Phải làm.")) == "wrong"
    assert judge(_item(must_not=["phải về quê"]), _route(proc, "Bạn phải về quê làm.")) == "wrong"
    assert judge(_item(procedure="1.001193"), _route(proc, "Không.")) == "wrong"  # another procedure


def test_a_wrong_answer_costs_more_than_a_right_one_earns(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    good = routing.Evidence(proc, True, proc, _question("Không. Dưới 14 tuổi."), 0.7, 1.0)
    bad = routing.Evidence(proc, True, proc, _question("Có. Phải làm."), 0.5, 1.0)
    items = [(_item(yes_no="khong"), good), (_item(yes_no="khong"), bad)]
    best_score, best, tally = sweep(items, wrong_cost=4)[0]
    assert best["question_cover"] > 0.5 and tally["right"] == 1 and tally["wrong"] == 0 and best_score == 1
