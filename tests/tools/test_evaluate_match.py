"""Unseen wordings of curated questions: how each route is counted, and the set itself."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from actions import routing
from knowledge.passages import CONDITION, Passage
from knowledge.questions import Question
from tools.evaluate_match import Wording, load_wordings, offers_it, outcome, report
from tools.tune_qa import code_of


def _wording() -> Wording:
    return Wording(id="p", question="tre_duoi_14_co_bat_buoc", procedure="1.014061", style="chat", text="t")


def _question(key: str) -> Question:
    return Question(id=key, phrasings=["x"], answer="Không.", basis="Điều 1", reviewed=date(2026, 12, 1))


def test_a_route_is_counted_by_the_question_and_procedure_it_answers(real_kb):
    first_card, passport = real_kb.get("cap_the_can_cuoc_lan_dau"), real_kb.get("cap_ho_chieu_pho_thong")
    wording = _wording()
    assert outcome(wording, routing.Route(routing.QUESTION, first_card, question=_question(wording.question))) \
        == "right"
    assert outcome(wording, routing.Route(routing.QUESTION, first_card, question=_question("khac"))) \
        == "same procedure"
    assert outcome(wording, routing.Route(routing.QUESTION, passport, question=_question(wording.question))) \
        == "other procedure"
    passage = Passage(first_card.id, CONDITION, "Công dân Việt Nam từ đủ 14 tuổi ...")
    assert outcome(wording, routing.Route(routing.PASSAGE, first_card, passage=passage)) == "passage"
    assert outcome(wording, routing.Route(routing.PASSAGE, passport, passage=passage)) == "other procedure"
    assert outcome(wording, routing.Route(routing.UNKNOWN_SITUATION, first_card)) == "declined"
    assert outcome(wording, routing.Route(routing.ASPECT, first_card)) == "facts"
    assert outcome(wording, routing.Route(routing.ASPECT)) == "facts"


@pytest.mark.parametrize("which", ["dev", "heldout"])
def test_every_wording_names_a_curated_question_of_its_procedure(real_kb, which):
    wordings = load_wordings(which=which)
    assert len(wordings) >= 200 and len({w.id for w in wordings}) == len(wordings)
    assert {w.style for w in wordings} == {"letter", "chat"}
    for w in wordings:
        owners = [p for p in real_kb.procedures.values() if code_of(p) == w.procedure]
        assert any(real_kb.question(p.id, w.question) is not None for p in owners), w.id


def test_the_report_gives_each_outcome_as_a_share():
    text = report({"all": Counter({"right": 1, "declined": 3})})
    assert "| all | 4 | 25.0 % |" in text and "75.0 %" in text


def test_the_held_out_wordings_are_of_other_questions_than_the_development_ones():
    dev, heldout = load_wordings(which="dev"), load_wordings(which="heldout")
    assert not {w.question for w in dev} & {w.question for w in heldout}
    assert not {w.id for w in dev} & {w.id for w in heldout}


def test_a_decline_counts_as_offering_the_question_only_when_its_button_asks_it(real_kb):
    text = "tôi đăng ký tạm trú cho con mèo nhà tôi có bị phạt không"
    proc = real_kb.get("dang_ky_tam_tru")
    way = routing.route(real_kb, text, proc)
    assert way.kind == routing.UNKNOWN_SITUATION
    asked = Wording("x1", "khong_dang_ky_tam_tru_bi_phat", "1.004194", "chat", text)
    other = Wording("x2", "nguoi_chua_thanh_nien_dang_ky_tam_tru", "1.004194", "chat", text)
    assert offers_it(real_kb, asked, way) and not offers_it(real_kb, other, way)
