"""Officers add and edit situational questions, turn an unanswered question into one, and label answers."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest

from knowledge.base import KnowledgeBase
from knowledge.questions import load_questions
from records.events import EventLog
from records.reviews import CORRECT, WRONG, ReviewLog, share
from tests.web.console.test_web import console, csrf_of, log_in  # noqa: F401 - the console fixture
from web.console.questions import QuestionRefused, phrasings_from, save_question

ANSWER = dict(answer="Không. Người dưới 14 tuổi được cấp thẻ theo nhu cầu.", basis="khoản 3 Điều 19 Luật Căn cước 2023",
              quote="Công dân Việt Nam dưới 14 tuổi được cấp thẻ căn cước theo nhu cầu.",
              source_url="https://example.gov.vn/luat")


def test_a_question_is_added_to_the_procedures_file_and_served_at_once(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    proc = kb.get("cap_the_can_cuoc_lan_dau")
    before = len(kb.questions(proc.id))
    saved = save_question(kb_dir, proc, phrasings=["bé 3 tuổi làm căn cước được không"], today=date(2026, 12, 1),
                          **ANSWER)
    assert saved.path.name == "q_1_014061.yml" and "+  - id: be_3_tuoi_lam_can_cuoc_duoc_khong" in saved.diff
    assert len(load_questions(saved.path).questions) == before + 1
    assert kb.question(proc.id, saved.question.id).polarity == "khong"


def test_editing_a_question_replaces_it_and_keeps_the_others(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    proc = kb.get("cap_the_can_cuoc_lan_dau")
    first = kb.questions(proc.id)[0]
    save_question(kb_dir, proc, phrasings=[*first.phrasings, "hỏi thêm một cách"], question_id=first.id, **ANSWER)
    again = kb.question(proc.id, first.id)
    assert again.phrasings[-1] == "hỏi thêm một cách" and again.answer == ANSWER["answer"]
    assert len(kb.questions(proc.id)) == len({q.id for q in kb.questions(proc.id)})


def test_a_question_without_its_basis_is_refused_and_nothing_is_written(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    proc = kb.get("dang_ky_tam_tru")
    path = kb_dir / "questions" / "q_1_004194.yml"
    old = path.read_text(encoding="utf-8")
    with pytest.raises(QuestionRefused, match="căn cứ"):
        save_question(kb_dir, proc, phrasings=["x có được không"], **{**ANSWER, "basis": ""})
    with pytest.raises(QuestionRefused, match="cách hỏi"):
        save_question(kb_dir, proc, phrasings=phrasings_from("\n  \n😀"), **ANSWER)
    assert path.read_text(encoding="utf-8") == old


async def test_an_unanswered_question_becomes_a_situational_question_in_the_console(console):  # noqa: F811
    log = EventLog(console.accounts.engine)
    log.record("unresolved", "zalo", "con tôi 3 tuổi làm căn cước được không")
    await log_in(console)
    page = await (await console.get("/console/unanswered")).text()
    [group] = await (await console.get("/console/api/unanswered")).json()
    response = await console.get("/console/unanswered/question", params={
        "procedure_id": "cap_the_can_cuoc_lan_dau", "alias": group["wording"], "ids": str(group["ids"][0])})
    html = await response.text()
    assert response.url.path == "/console/questions/cap_the_can_cuoc_lan_dau"
    assert "con tôi 3 tuổi làm căn cước được không" in html_lib.unescape(html)
    ids = re.search(r'name="ids" value="([^"]*)"', html).group(1)
    response = await console.post("/console/questions/cap_the_can_cuoc_lan_dau", data={
        "csrf": csrf_of(page), "ids": ids, "question_id": "",
        "phrasings": "con tôi 3 tuổi làm căn cước được không\ncon 3 tuoi lam cccd dc ko", **ANSWER})
    assert response.status == 200 and "Đã xuất bản câu hỏi" in await response.text()
    assert await (await console.get("/console/api/unanswered")).json() == []
    [entry] = console.accounts.history()
    assert entry.action == "question" and "con 3 tuoi lam cccd dc ko" in entry.diff


async def test_a_refused_question_keeps_what_the_officer_typed(console):  # noqa: F811
    await log_in(console)
    page = await (await console.get("/console/questions/dang_ky_tam_tru")).text()
    response = await console.post("/console/questions/dang_ky_tam_tru", data={
        "csrf": csrf_of(page), "phrasings": "ở nhờ nhà bạn có phải đăng ký tạm trú không", "question_id": "",
        **{**ANSWER, "basis": ""}})
    html = html_lib.unescape(await response.text())
    assert response.status == 422 and "ở nhờ nhà bạn" in html and ANSWER["answer"] in html


def test_the_review_queue_samples_unlabelled_answers_once(tmp_path):
    from records.database import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    log, reviews = EventLog(engine), ReviewLog(engine)
    log.record("answer", "rest", "hộ chiếu cần gì, gọi 0912 345 678", procedure_id="cap_ho_chieu_pho_thong",
               aspect="papers", reply="Hồ sơ gồm tờ khai. Liên hệ 0912 345 678", at=1_764_547_200)
    log.record("fallback", "rest", "ừm")
    sample = reviews.sample()
    assert sample.event.kind == "answer" and "0912" not in sample.reply and "tờ khai" in sample.reply
    assert reviews.label(sample.event.id, CORRECT, "lan")
    assert not reviews.label(sample.event.id, WRONG, "binh")  # once per answer
    assert reviews.sample() is None
    shares = reviews.shares()
    assert [(s.labelled, s.correct) for s in shares["all"]] == [(1, 1)]
    assert shares["week"][0].key == "2025-W49" and shares["procedure"][0].key == "cap_ho_chieu_pho_thong"


def test_the_share_correct_has_a_wilson_interval():
    s = share("x", 40, 50)
    assert s.share == 0.8 and 0.66 < s.low < 0.7 and 0.88 < s.high < 0.9


async def test_the_review_page_labels_a_sample(console):  # noqa: F811
    EventLog(console.accounts.engine).record("answer", "zalo", "lệ phí hộ chiếu", procedure_id="cap_ho_chieu_pho_thong",
                                             aspect="fee", reply="Lệ phí 200.000 đồng.")
    await log_in(console)
    html = await (await console.get("/console/review")).text()
    assert "Lệ phí 200.000 đồng." in html and "Lẽ ra phải từ chối" in html
    event_id = re.search(r'action="/console/review/(\d+)"', html).group(1)
    response = await console.post(f"/console/review/{event_id}", data={"csrf": csrf_of(html), "label": "wrong"})
    assert "Đã ghi nhận: Sai" in await response.text()
    figures = await (await console.get("/console/api/review")).json()
    assert figures["all"][0]["labelled"] == 1 and figures["all"][0]["correct"] == 0


async def test_the_figures_page_shows_the_share_answered_correctly(console):  # noqa: F811
    log = EventLog(console.accounts.engine)
    for _ in range(2):
        log.record("answer", "rest", "lệ phí hộ chiếu", procedure_id="cap_ho_chieu_pho_thong", reply="200.000 đồng")
    reviews = ReviewLog(console.accounts.engine)
    reviews.label(reviews.sample().event.id, CORRECT, "lan")
    reviews.label(reviews.sample().event.id, WRONG, "lan")
    await log_in(console)
    html = await (await console.get("/console/stats")).text()
    assert 'id="answered-correctly">50 %' in html and "(1/2, khoảng tin cậy 95 %" in html


async def test_a_flood_of_one_off_questions_shows_the_most_asked_groups_first(console):  # noqa: F811
    log = EventLog(console.accounts.engine)
    for i in range(260):
        log.record("fallback", "rest", f"câu linh tinh số {i} kiểu{i} chữ{i}")
    for _ in range(3):
        log.record("unresolved", "rest", "làm pát xpo ở đâu")
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    assert "(261 nhóm)" in html and "Đang hiện nhóm 1–50 trong 261 nhóm" in html
    response = await console.get("/console/api/unanswered")
    groups = await response.json()
    assert len(groups) == 50 and response.headers["X-Total-Groups"] == "261" and groups[0]["count"] == 3
    assert response.headers["X-Pages"] == "6"


def test_editing_a_question_keeps_its_leads(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    proc = kb.get("dang_ky_khai_tu")
    led = next(q for q in kb.questions(proc.id) if q.leads is not None)
    save_question(kb_dir, proc, phrasings=[*led.phrasings, "nhờ cháu đi khai tử có cần chứng thực giấy ủy quyền ko"],
                  question_id=led.id, answer=led.answer, basis=led.basis, quote=led.quote,
                  source_url=led.source_url)
    again = kb.question(proc.id, led.id)
    assert again.phrasings[-1].startswith("nhờ cháu") and again.leads == led.leads
