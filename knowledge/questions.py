"""Curated situational questions: "con tôi 4 tuổi có bắt buộc làm căn cước không".

One file per procedure in ``knowledge/questions/`` (``q_<code>.yml``), naming the
procedure by its national code. They sit beside the procedure files rather than
inside them so that imported records with no curated entry get questions too,
and an officer editing a question does not rewrite the procedure. Every
question carries the article of law it rests on and the words of that article;
a question without them is refused by the loader, not answered.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Dict, List

from pydantic import Field, root_validator, validator

from knowledge.loader import KnowledgeFileError, Problem, parse_model
from knowledge.schema import _code_or_empty, _Entry, _slug, _unique_ids, _url_or_empty
from knowledge.vntext import canonical

QUESTIONS_DIR = "questions"
# "Có." / "Không." open an answer only when the quoted law says so; the loader checks the form.
_YES = re.compile(r"^có\b", re.IGNORECASE)
_NO = re.compile(r"^không\b", re.IGNORECASE)


class Leads(_Entry):
    """The yes or no that opens a question's answer when the message settles it, for an answer that states a rule
    with its condition:

    - whom the citizen asks to do it for them (``knowledge.proxies``): "nhờ em trai ruột ... giấy ủy quyền có phải
      chứng thực không" opens ``close_kin`` ("Không: ..."), "nhờ chú ruột ..." ``other_person`` ("Có: ..."); only
      when the message says one of ``asks`` (what the yes or no is about);
    - whether it asks to do it where the citizen is or whether they must go home (``knowledge.residence``): "làm ở
      chỗ trọ dc ko" opens ``here`` ("Có, ..."), "có phải về quê không" ``home`` ("Không bắt buộc, ...");
    - ``asked``: the one yes or no the rule gives when a sentence of the question asks a yes or no about one of
      ``asks`` ("tách hộ có cần bố tôi là chủ hộ đồng ý không" opens "Có, ..."), for an answer some of whose
      phrasings ask no yes or no ("tách hộ cần ai đồng ý")."""

    asks: List[str] = Field(default_factory=list)
    close_kin: str = ""
    other_person: str = ""
    here: str = ""
    home: str = ""
    asked: str = ""

    @validator("close_kin", "other_person", "here", "home", "asked")
    def _yes_or_no(cls, value: str) -> str:
        value = canonical(value)
        if value and not (_YES.match(value) or _NO.match(value)):
            raise ValueError("lead_not_yes_or_no")
        return value

    @root_validator(skip_on_failure=True)
    def _pairs(cls, values: dict) -> dict:
        kin = bool(values.get("close_kin")) + bool(values.get("other_person"))
        place = bool(values.get("here")) + bool(values.get("home"))
        asked = bool(values.get("asked"))
        if kin == 1 or place == 1 or kin + place + asked == 0 or (kin or asked) and not values.get("asks"):
            raise ValueError("leads_incomplete")
        return values


class Question(_Entry):
    """One situational question with its answer and the article it rests on."""

    id: str
    phrasings: List[str] = Field(..., min_items=1)
    answer: str = Field(..., min_length=1)
    basis: str = Field(..., min_length=1)
    quote: str = ""
    source_url: str = ""
    reviewed: date
    leads: Leads | None = None

    _url = validator("source_url", allow_reuse=True)(_url_or_empty)

    _id = validator("id", allow_reuse=True)(_slug)

    @validator("phrasings", each_item=True)
    def _non_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty_item")
        return canonical(value)

    @validator("answer", "quote", "basis")
    def _canonical(cls, value: str) -> str:
        return canonical(value)

    @property
    def polarity(self) -> str | None:
        """"co" or "khong" when the answer is a plain yes or no, else None."""
        if _NO.match(self.answer):
            return "khong"
        if _YES.match(self.answer):
            return "co"
        return None


class QuestionSet(_Entry):
    """The questions of one procedure, named by its national code."""

    code: str = ""
    procedure: str = ""  # a curated entry's id, for a procedure with no national record
    questions: List[Question] = Field(default_factory=list)

    _code = validator("code", allow_reuse=True)(_code_or_empty)
    _unique_question_ids = validator("questions", allow_reuse=True)(_unique_ids("duplicate_question"))


def question_files(directory: Path) -> List[Path]:
    """Question files in a stable order."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.yml") if not p.name.startswith("."))


def load_questions(path: Path, display: str | None = None) -> QuestionSet:
    """Load one question file, or raise :class:`KnowledgeFileError` pointing at the line."""
    questions = parse_model(path, QuestionSet, display)
    if not questions.code and not questions.procedure:
        raise KnowledgeFileError(
            [Problem(display or str(path), None, "cần ghi mã thủ tục (code) hoặc mã tệp thủ tục (procedure)")]
        )
    return questions


def by_file(directory: Path) -> Dict[Path, QuestionSet]:
    """Every readable question file of ``directory``; unreadable ones raise."""
    return {path: load_questions(path) for path in question_files(directory)}
