"""What to do with a message once its procedure is known (or not): the routing of issue 17.

For each message one of:

- a curated situational question matches: answer it (yes or no first, with its article);
- it asks about a situation the record speaks to: quote that passage;
- it asks about a situation nothing we hold settles: say so, and where to ask;
- otherwise answer the aspect the NLU found (papers, fee, ...), or, with no
  procedure, ask which one or decline with a pointer (the caller does that).

A situation is a question whose distinguishing words (neither the procedure's
name, nor function words, nor the words of an aspect) remain once those are set
aside: "bằng lái quá hạn 7 tháng có phải thi lại không" keeps "quá hạn 7 tháng
thi lại" and is not answered with the papers of a reissue. Plain Python, tested
without Rasa; the thresholds are chosen on the development questions
(``tools/tune_qa.py``), never on the test set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence

from knowledge.base import KnowledgeBase
from knowledge.passages import CASE, CONDITION, NOTE, PAPER, Hit, Passage
from knowledge.questions import Question
from knowledge.schema import Procedure
from knowledge.vntext import fold, question_part

QUESTION = "question"
PASSAGE = "passage"
UNKNOWN_SITUATION = "unknown_situation"
ASPECT = "aspect"

# Chosen on the 107 development questions (python -m tools.tune_qa): 0.5 is the best scoped floor; no
# development question was answered by an unscoped question or a record passage at any floor, so those two
# are set at the strictest value tied for best short of switching them off.
QUESTION_COVER = 0.5  # a curated question of the procedure being discussed (or of the candidates)
QUESTION_COVER_UNSCOPED = 0.8  # a curated question when no procedure was named
PASSAGE_COVER = 0.8

# The words of the aspects the bot answers from the record: they do not make a question situational.
ASPECT_WORDS = frozenset(
    """
    giay to ho so chuan bi gom nhung phi le tien bao nhieu mien thoi gian lau ngay lam viec
    dau noi nop co quan buoc trinh tu cach quy thu tuc nao online truc tuyen mang qua internet dich vu cong
    can cu phap ly luat van ban quy dinh mau to khai don nhan ket qua o tai
    """.split()
)
# What makes a message a question about a situation rather than about a fact of the record.
_SITUATIONAL = re.compile(
    r"\b(?:co|ko|khong|k)\s+(?:bat buoc|phai|can|duoc|bi|sao|lam duoc)\b"
    r"|\b(?:duoc|dc|phai|bi)\s+(?:khong|ko|k|hok|ko a)\b"
    r"|\bneu\b|\btruong hop\b|\bthi sao\b|\bqua han\b|\bhet han\b|\bbi phat\b|\bphat\b"
    r"|\buy quyen\b|\bnho nguoi\b|\blam thay\b|\bdieu kien\b|\bbat buoc\b|\bthi lai\b"
)


@dataclass(frozen=True)
class Route:
    kind: str
    procedure: Procedure | None = None
    question: Question | None = None
    passage: Passage | None = None
    cover: float = 0.0


def situational(text: str) -> bool:
    """The message asks about a situation (may I, must I, what if, penalties, expiry)."""
    return bool(_SITUATIONAL.search(" ".join(fold(text).lower().split())))


def _best(hits: Sequence[Hit]) -> Hit | None:
    return max(hits, key=lambda h: (h.cover, h.score), default=None)


_UNITS = {"tuoi": "tuoi", "thang": "thang", "nam": "nam", "ngay": "ngay"}
_QUANTITY = re.compile(r"\b(\d{1,3})\s+(tuoi|thang|nam|ngay)\b")
_BOUND = re.compile(
    r"\b(duoi|chua du|it hon|khong qua|toi da|tren|qua|hon|tu du|tu|du|it nhat|toi thieu)\s+(\d{1,3})\s+"
    r"(tuoi|thang|nam|ngay)\b"
)
_BELOW = {"duoi", "chua du", "it hon", "khong qua", "toi da"}
_STRICTLY_ABOVE = {"tren", "qua", "hon"}


def quantities(text: str) -> dict:
    """Ages and durations the message states ("con tôi 4 tuổi", "quá hạn 7 tháng"), by unit."""
    folded = " ".join(fold(text).lower().split())
    bounded = {m.start(2) for m in _BOUND.finditer(folded)}
    found: dict = {}
    for m in _QUANTITY.finditer(folded):
        found.setdefault(m.group(2), int(m.group(1)))
        if m.start(1) in bounded:  # "dưới 14 tuổi" in the message is a bound, not the citizen's own age
            found.pop(m.group(2), None)
    return found


def consistent(stated: dict, passage_text: str) -> bool:
    """No bound of the passage ("dưới 14 tuổi", "quá 12 tháng") contradicts what the message states."""
    folded = " ".join(fold(passage_text).lower().split())
    for m in _BOUND.finditer(folded):
        word, value, unit = m.group(1), int(m.group(2)), m.group(3)
        if unit not in stated:
            continue
        have = stated[unit]
        if word in _BELOW and not (have < value or (word in {"khong qua", "toi da"} and have == value)):
            return False
        if word in _STRICTLY_ABOVE and not have > value:
            return False
        if word in {"tu du", "tu", "du", "it nhat", "toi thieu"} and not have >= value:
            return False
    return True


def unexplained(kb: KnowledgeBase, text: str, proc: Procedure) -> List[str]:
    """The message's words that neither name the procedure nor ask for an aspect of it."""
    index = kb.question_index
    words = index.words(text)
    return sorted(index.distinguishing(words, proc.id) - ASPECT_WORDS)


@dataclass(frozen=True)
class Evidence:
    """What the knowledge base offers for a message, before any threshold is applied."""

    proc: Procedure | None
    scoped: bool  # the question search was limited to the procedure or the candidates
    question_owner: Procedure | None = None
    question: Question | None = None
    question_cover: float = 0.0
    situation: bool = False  # a situational question with words no aspect explains
    passage: Passage | None = None
    passage_cover: float = 0.0


def gather(kb: KnowledgeBase, text: str, proc: Procedure | None, candidates: Sequence[Procedure] = ()) -> Evidence:
    """The best curated question (within ``proc`` or the candidates, else across all) and record passage."""
    asked = question_part(text)
    scope = [proc.id] if proc is not None else [c.id for c in candidates] or None
    stated = quantities(text)
    index = kb.question_index
    hits = index.search(asked, scope, limit=8, ignore=ASPECT_WORDS)
    best = _best([h for h in hits if consistent(stated, h.passage.text)])
    owner = question = None
    cover = 0.0
    named_only = best is not None and not situational(asked) and not index.distinguishing(
        index.words(asked), best.passage.procedure_id, ASPECT_WORDS)  # "làm hộ chiếu cần giấy tờ gì"
    if best is not None and not named_only:
        owner = proc or kb.get(best.passage.procedure_id)
        question = kb.question(best.passage.procedure_id, best.passage.key)
        cover = best.cover
    situation = proc is not None and situational(asked) and bool(unexplained(kb, asked, proc))
    passage, passage_cover = None, 0.0
    if situation:
        kinds = (CONDITION, NOTE, CASE, PAPER)
        hit = _best(kb.passage_index.search(asked, [proc.id], kinds=kinds, limit=5, ignore=ASPECT_WORDS))
        if hit is not None:
            passage, passage_cover = hit.passage, hit.cover
    return Evidence(proc, bool(scope), owner, question, cover, situation, passage, passage_cover)


def choose(
    evidence: Evidence,
    question_cover: float | None = None,
    question_cover_unscoped: float | None = None,
    passage_cover: float | None = None,
) -> Route:
    """The route the evidence allows under the thresholds (by default the module's)."""
    floor = (question_cover if question_cover is not None else QUESTION_COVER) if evidence.scoped else (
        question_cover_unscoped if question_cover_unscoped is not None else QUESTION_COVER_UNSCOPED)
    if evidence.question is not None and evidence.question_owner is not None and evidence.question_cover >= floor:
        return Route(QUESTION, evidence.question_owner, question=evidence.question, cover=evidence.question_cover)
    if evidence.proc is None:
        return Route(ASPECT)
    if not evidence.situation:
        return Route(ASPECT, evidence.proc)
    passage_floor = passage_cover if passage_cover is not None else PASSAGE_COVER
    if evidence.passage is not None and evidence.passage_cover >= passage_floor:
        return Route(PASSAGE, evidence.proc, passage=evidence.passage, cover=evidence.passage_cover)
    return Route(UNKNOWN_SITUATION, evidence.proc)


def route(kb: KnowledgeBase, text: str, proc: Procedure | None, candidates: Sequence[Procedure] = ()) -> Route:
    """The route for a message about ``proc`` (``None``: no procedure was resolved, maybe a few candidates)."""
    return choose(gather(kb, text, proc, candidates))
