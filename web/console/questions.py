"""Officers add and edit situational questions from the console; they go live without retraining.

A question is written to the procedure's file in ``knowledge/questions/`` (created
when it has none), comments and layout kept, and only after it validates: no
answer goes out without its basis (article of law or section of the record) and
a review date. The caller audits the diff.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, List

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from knowledge.files import write_atomically
from knowledge.loader import explain
from knowledge.questions import QUESTIONS_DIR, Question
from knowledge.schema import Procedure
from knowledge.vntext import canonical, fold, is_unreadable

MAX_PHRASINGS = 12


class QuestionRefused(ValueError):
    """The question cannot be saved; the message says why, in Vietnamese."""


@dataclass
class QuestionSaved:
    path: Path
    question: Question
    diff: str


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    return yaml


def record_code(proc: Procedure) -> str:
    """The national code a procedure's questions are filed under ('' for a curated entry without one)."""
    record = getattr(proc, "record", None)
    return getattr(record, "code", "") or proc.code


def question_path(kb_dir: Path, proc: Procedure) -> Path:
    code = record_code(proc)
    stem = f"q_{code.replace('.', '_')}" if code else f"q_{proc.id}"
    return kb_dir / QUESTIONS_DIR / f"{stem}.yml"


def slug(text: str, taken: List[str]) -> str:
    """An id from the first phrasing: ascii words joined by underscores, unique in the file."""
    words = re.findall(r"[a-z0-9]+", fold(text).lower().replace("đ", "d"))
    base = "_".join(words)[:48].strip("_") or "cau_hoi"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def phrasings_from(text: str) -> List[str]:
    """One phrasing per line, cleaned, duplicates and empty lines dropped."""
    out: List[str] = []
    for line in str(text or "").splitlines():
        phrasing = " ".join(canonical(line).split()).strip()
        if phrasing and not is_unreadable(phrasing) and phrasing not in out:
            out.append(phrasing[:300])
    return out[:MAX_PHRASINGS]


def save_question(
    kb_dir: Path, proc: Procedure, *, phrasings: List[str], answer: str, basis: str, quote: str = "",
    source_url: str = "", question_id: str = "", today: date | None = None,
    write: Callable[[Path, str], None] = write_atomically,
) -> QuestionSaved:
    """Add a question to ``proc`` (or replace the one with ``question_id``) and publish the file with ``write``."""
    if not phrasings:
        raise QuestionRefused("Cần ít nhất một cách hỏi của người dân.")
    path = question_path(kb_dir, proc)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    yaml = _yaml()
    data = yaml.load(old) if old.strip() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
        code = record_code(proc)
        data["code"] = DoubleQuotedScalarString(code)
        if not code:
            data["procedure"] = proc.id
        data.yaml_set_start_comment(f"Câu hỏi tình huống: {proc.name}")
    items = data.get("questions")
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq()
        data["questions"] = items
    taken = [str(q.get("id")) for q in items]
    fields = {
        "id": question_id or slug(phrasings[0], taken),
        "phrasings": list(phrasings),
        "answer": " ".join(canonical(answer or "").split()),
        "basis": " ".join(canonical(basis or "").split()),
        "quote": " ".join(canonical(quote or "").split()),
        "source_url": (source_url or "").strip(),
        "reviewed": today or date.today(),
    }
    try:
        question = Question.parse_obj(fields)
    except ValidationError as exc:
        raise QuestionRefused("; ".join(explain(e) for e in exc.errors())) from None
    entry = CommentedMap()
    entry["id"] = question.id
    entry["phrasings"] = CommentedSeq(question.phrasings)
    entry["answer"] = FoldedScalarString(question.answer)
    entry["basis"] = question.basis
    if question.quote:
        entry["quote"] = FoldedScalarString(question.quote)
    if question.source_url:
        entry["source_url"] = question.source_url
    entry["reviewed"] = question.reviewed
    index = taken.index(question_id) if question_id in taken else None
    if question_id and index is None:
        raise QuestionRefused("Không có câu hỏi này trong tệp; có thể người khác vừa xóa nó.")
    if index is not None and "leads" in items[index]:
        # The console does not edit a question's leads (the yes or no by whom the citizen asks): they are kept.
        entry["leads"] = items[index]["leads"]
    if index is None:
        items.append(entry)
    else:
        items[index] = entry
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    new = buffer.getvalue()
    write(path, new)
    shown = f"{QUESTIONS_DIR}/{path.name}"
    diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{shown}", f"b/{shown}"))
    return QuestionSaved(path, question, diff)
