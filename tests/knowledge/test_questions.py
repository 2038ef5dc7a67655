"""Curated situational questions: loading, problems with their line, serving without retraining."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.loader import KnowledgeFileError
from knowledge.questions import load_questions

QUESTION = """\
code: ""
procedure: cap_the_can_cuoc_lan_dau
questions:
  - id: tre_duoi_14
    phrasings:
      - con tôi 4 tuổi có bắt buộc làm căn cước không
      - tre em duoi 14 tuoi co phai lam cccd ko
    answer: Không. Công dân dưới 14 tuổi được cấp thẻ căn cước theo nhu cầu.
    basis: khoản 2 Điều 19 Luật Căn cước 2023
    quote: Công dân Việt Nam dưới 14 tuổi được cấp thẻ căn cước theo nhu cầu.
    source_url: https://example.gov.vn/luat-can-cuoc
    reviewed: 2026-12-01
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / "questions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_question_file_loads_with_its_yes_or_no(tmp_path):
    questions = load_questions(write(tmp_path, "q.yml", QUESTION))
    [question] = questions.questions
    assert question.polarity == "khong"
    assert question.basis.startswith("khoản 2 Điều 19")
    assert len(question.phrasings) == 2


@pytest.mark.parametrize(
    "change, said",
    [
        (("    basis: khoản 2 Điều 19 Luật Căn cước 2023\n", ""), "điều, khoản căn cứ (basis)"),
        (("reviewed: 2026-12-01", "reviewed: hôm qua"), "ngày rà soát (reviewed)"),
        (("  - id: tre_duoi_14", "  - id: Trẻ dưới 14"), "mã tệp (id)"),
    ],
)
def test_a_question_without_its_article_or_date_is_refused_with_its_line(tmp_path, change, said):
    path = write(tmp_path, "q.yml", QUESTION.replace(*change))
    with pytest.raises(KnowledgeFileError) as error:
        load_questions(path)
    [problem] = error.value.problems
    assert said in problem.message and problem.line is not None


def test_two_questions_with_one_id_are_refused(tmp_path):
    body = QUESTION + QUESTION.split("questions:\n")[1]
    with pytest.raises(KnowledgeFileError, match="hai câu hỏi cùng mã 'tre_duoi_14'"):
        load_questions(write(tmp_path, "q.yml", body))


def test_questions_are_served_by_any_id_of_their_procedure_and_go_live_without_retraining(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    assert kb.questions("cap_the_can_cuoc_lan_dau") == []
    write(small_kb_dir, "q_can_cuoc.yml", QUESTION)
    [question] = kb.questions("cap_the_can_cuoc_lan_dau")
    assert kb.question("cap_the_can_cuoc_lan_dau", "tre_duoi_14") == question
    hits = kb.question_index.search("bé nhà tôi 4 tuổi có bắt buộc làm căn cước ko")
    assert hits[0].passage.key == "tre_duoi_14"


def test_a_broken_edit_keeps_the_last_good_questions(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    path = write(small_kb_dir, "q_can_cuoc.yml", QUESTION)
    assert kb.questions("cap_the_can_cuoc_lan_dau")
    path.write_text(QUESTION.replace("    basis: khoản 2 Điều 19 Luật Căn cước 2023\n", ""), encoding="utf-8")
    assert [q.id for q in kb.questions("cap_the_can_cuoc_lan_dau")] == ["tre_duoi_14"]


def test_every_shipped_question_names_its_basis_and_a_known_procedure(real_kb):
    from knowledge.paths import KNOWLEDGE_DIR
    from knowledge.questions import question_files

    files = question_files(KNOWLEDGE_DIR / "questions")
    assert len(files) >= 40
    served = sum(len(real_kb.questions(pid)) for pid in {p.id for p in real_kb.procedures.values()})
    loaded = sum(len(load_questions(f).questions) for f in files)
    assert served == loaded  # none is left out for naming an unknown procedure
    for path in files:
        for question in load_questions(path).questions:
            assert question.basis and question.reviewed and question.phrasings


def test_a_question_lead_must_be_a_yes_or_a_no():
    from pydantic import ValidationError

    from knowledge.questions import Leads

    leads = Leads(asks=["chứng thực"], close_kin="Không: người thân.", other_person="Có: người khác.")
    assert leads.close_kin.startswith("Không")
    with pytest.raises(ValidationError, match="lead_not_yes_or_no"):
        Leads(asks=["chứng thực"], close_kin="Tùy trường hợp.", other_person="Có.")
    with pytest.raises(ValidationError):
        Leads(asks=[], close_kin="Không.", other_person="Có.")  # whom, without what is asked of it
    place = Leads(here="Có, nếu đã triển khai.", home="Không bắt buộc, nếu đã triển khai.")
    assert place.here.startswith("Có") and not place.close_kin
    with pytest.raises(ValidationError, match="leads_incomplete"):
        Leads(here="Có.")  # a yes with no no
    with pytest.raises(ValidationError, match="leads_incomplete"):
        Leads(asks=["chứng thực"])  # no lead at all
    asked = Leads(asks=["đồng ý"], asked="Có, phải có ý kiến đồng ý của chủ hộ.")
    assert asked.asked.startswith("Có") and not asked.close_kin
    with pytest.raises(ValidationError, match="leads_incomplete"):
        Leads(asked="Có.")  # a yes with nothing it is the yes of
    with pytest.raises(ValidationError, match="lead_not_yes_or_no"):
        Leads(asks=["đồng ý"], asked="Tùy trường hợp.")
