"""`make kb-check`: validate every knowledge file and report in plain Vietnamese.

Exit status 0 when every file can be used and every curated entry agrees with its
official record, 1 otherwise. A curated fee, time or channel that differs from the
record is an error unless the curated channel cites a newer ``source`` of its own;
warnings (an alias shared by two procedures, a cited document the record does not
list) are printed but do not fail the check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from knowledge.folk_names import FILE_NAME as FOLK_NAMES
from knowledge.folk_names import load_folk_names
from knowledge.loader import (
    KnowledgeFileError,
    Problem,
    field_line,
    load_procedure,
    load_service_desk,
    procedure_files,
)
from knowledge.national import NationalRecords, load_national
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.periods import lapsed_ends
from knowledge.quantities import bounds_in
from knowledge.questions import QUESTIONS_DIR, load_questions, question_files
from knowledge.reconcile import differences
from knowledge.schema import Procedure
from knowledge.synonyms import problems_of as synonym_problems
from knowledge.vntext import fold, name_key

PORTAL_HOST = "dichvucong.gov.vn"
_NOT_LETTERS = re.compile(r"[\W_]+")


def check_directory(root: Path) -> Tuple[List[Procedure], List[Problem], List[str]]:
    """Validate ``root``; return usable procedures, problems and warnings."""
    procedures: List[Procedure] = []
    problems: List[Problem] = []
    warnings: List[str] = []
    proc_dir = root / "procedures"
    files = procedure_files(proc_dir)
    if not files:
        problems.append(Problem(str(proc_dir), None, "chưa có tệp thủ tục nào (*.yml)"))
    for path in files:
        try:
            procedures.append(load_procedure(path, display=_shown(path, root)))
        except KnowledgeFileError as exc:
            problems.extend(exc.problems)
    desk = root / "service_desk.yml"
    try:
        load_service_desk(desk)
    except FileNotFoundError:
        problems.append(Problem(str(desk), None, "thiếu tệp thông tin liên hệ của bộ phận một cửa"))
    except KnowledgeFileError as exc:
        problems.extend(exc.problems)
    warnings.extend(_shared_aliases(procedures))
    national = load_national(root / "national")
    _check_records(root, procedures, national, problems, warnings)
    _check_questions(root, procedures, national, problems, warnings)
    synonyms = root / "synonyms.yml"
    found, cautions = synonym_problems(synonyms)
    problems.extend(Problem(str(synonyms), None, text) for text in found)
    warnings.extend(f"{synonyms.name}: {text}" for text in cautions)
    try:
        unknown = sorted(set(load_folk_names(root / FOLK_NAMES)) - set(national.by_code))
        problems.extend(Problem(str(root / FOLK_NAMES), None, f"mã {code} không có trong dữ liệu thủ tục quốc gia")
                        for code in unknown)
    except KnowledgeFileError as exc:
        problems.extend(exc.problems)
    return procedures, problems, warnings


def _check_records(root: Path, procedures: Sequence[Procedure], national: NationalRecords,
                   problems: List[Problem], warnings: List[str]) -> None:
    """Each curated entry against the official record its ``code`` names."""
    if not national.by_code:
        return
    for proc in procedures:
        if not proc.code:
            continue
        path = root / "procedures" / f"{proc.id}.yml"
        shown = _shown(path, root)
        for i, code in enumerate(proc.codes):
            if code not in national.by_code:
                problems.append(Problem(shown, field_line(path, ("codes", i)),
                                        f"mã thủ tục {code} không có trong dữ liệu thủ tục quốc gia đã nhập"))
        for n, records in enumerate(proc.audiences):
            for i, code in enumerate(records.codes):
                if code not in national.by_code:
                    problems.append(Problem(shown, field_line(path, ("audiences", n, "codes", i)),
                                            f"mã thủ tục {code} không có trong dữ liệu thủ tục quốc gia đã nhập"))
        record = national.by_code.get(proc.code)
        if record is None:
            problems.append(Problem(shown, field_line(path, ("code",)),
                                    f"mã thủ tục {proc.code} không có trong dữ liệu thủ tục quốc gia đã nhập"))
            continue
        for diff in differences(proc, record):
            where = Problem(shown, field_line(path, diff.location), "")
            text = (f"{diff.fact}: tệp ghi “{diff.curated}”, Cổng Dịch vụ công quốc gia ghi “{diff.record}” "
                    f"({record.source.url})")
            if diff.overridden:
                warnings.append(f"{where.path}: {diff.fact} giữ theo nguồn mới hơn của cán bộ; {text}")
            elif not diff.certain:
                warnings.append(f"{where.path}: {text}")
            else:
                problems.append(Problem(where.path, where.line, text))


def _plain(text: str) -> str:
    return _NOT_LETTERS.sub("", fold(text).lower())


def record_says(record: Procedure, quote: str) -> bool:
    """Every part of ``quote`` (parts cut at "...") is in the record's text, ignoring marks, case and punctuation."""
    text = _plain(json.dumps(record.dict(), ensure_ascii=False, default=str))
    parts = [p for p in re.split(r"\.\.\.|…|\[\.\.\.\]", quote) if len(_plain(p)) >= 8]
    return bool(parts) and all(_plain(p) in text for p in parts)


def _check_questions(root: Path, procedures: Sequence[Procedure], national: NationalRecords,
                     problems: List[Problem], warnings: List[str]) -> None:
    """Situational questions: readable, about a known procedure, and quoting a record only with its words."""
    curated = {p.id for p in procedures}
    # A question may point to a neighbouring record ("không xác định được nơi thường trú" is 3.000330): its quote
    # is checked against the record its link names.
    by_url = {r.source.url: r for r in national.by_code.values() if r.source.url}
    for path in question_files(root / QUESTIONS_DIR):
        shown = _shown(path, root)
        try:
            questions = load_questions(path, display=shown)
        except KnowledgeFileError as exc:
            problems.extend(exc.problems)
            continue
        if questions.code and national.by_code and questions.code not in national.by_code:
            problems.append(Problem(shown, field_line(path, ("code",)),
                                    f"mã thủ tục {questions.code} không có trong dữ liệu thủ tục quốc gia đã nhập"))
            continue
        if not questions.code and questions.procedure not in curated:
            problems.append(Problem(shown, field_line(path, ("procedure",)),
                                    f"không có tệp thủ tục '{questions.procedure}'"))
            continue
        record = national.by_code.get(questions.code)
        for i, question in enumerate(questions.questions):
            unbounded = _yes_for_a_bound_no_phrasing_states(question)
            if unbounded:
                warnings.append(f"{shown}, dòng {field_line(path, ('questions', i, 'phrasings'))}: câu "
                                f"'{question.id}' trả lời «Có.» và nêu tuổi ({unbounded}) nhưng không câu hỏi mẫu "
                                "nào nêu giới hạn tuổi; nếu câu trả lời chỉ đúng trong giới hạn đó, thêm một câu "
                                "hỏi mẫu có giới hạn (vd. «trẻ dưới 14 tuổi ...») để nó không đến với người ngoài "
                                "giới hạn")
            lapsed = lapsed_ends(question.answer)
            if lapsed:
                warnings.append(f"{shown}, dòng {field_line(path, ('questions', i, 'answer'))}: câu '{question.id}' "
                                f"nêu thời hạn áp dụng đến hết ngày {lapsed[0]:%d/%m/%Y}, nay đã qua; trợ lý ghi "
                                "chú điều đó khi trả lời, cán bộ nên cập nhật câu trả lời theo quy định hiện hành")
            quoted = by_url.get(question.source_url, record)
            if quoted is not None and PORTAL_HOST in question.source_url and question.quote \
                    and not record_says(quoted, question.quote):
                warnings.append(f"{shown}, dòng {field_line(path, ('questions', i, 'quote'))}: câu '{question.id}' "
                                f"trích dẫn hồ sơ {quoted.code} nhưng không thấy nguyên văn trong hồ sơ đã nhập")


def _yes_for_a_bound_no_phrasing_states(question) -> str:
    """The ages a "Có." answer is bounded by ("trẻ từ đủ 06 tuổi đến dưới 14 tuổi phải ...") when no phrasing
    states a bound: the router compares a message's age only with the phrasings' bounds, so "con tôi 15 tuổi"
    would get the yes meant for 6 to 14. A "Không." answer's bound is usually the rule not met, and a duration in
    an answer is mostly a rule ("phải đóng từ đủ 12 tháng") rather than who asks."""
    if question.polarity != "co" or any(bounds_in(p) for p in question.phrasings):
        return ""
    return ", ".join(b for b in bounds_in(question.answer) if b.endswith("tuoi"))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _shared_aliases(procedures: Sequence[Procedure]) -> List[str]:
    """Aliases that lead to more than one procedure make the bot ask back."""
    owners: Dict[str, List[str]] = {}
    for proc in procedures:
        for name in {proc.name, *proc.aliases, *proc.search_aliases}:
            key = name_key(name)
            if proc.id not in owners.setdefault(key, []):
                owners[key].append(proc.id)
    return [
        f"tên gọi '{key}' dùng cho nhiều thủ tục ({', '.join(ids)}); trợ lý sẽ hỏi lại người dân"
        for key, ids in sorted(owners.items())
        if len(ids) > 1
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra cơ sở tri thức thủ tục hành chính")
    parser.add_argument("root", nargs="?", type=Path, default=KNOWLEDGE_DIR)
    args = parser.parse_args(argv)
    procedures, problems, warnings = check_directory(args.root)
    for warning in warnings:
        print(f"Lưu ý: {warning}")
    for problem in problems:
        print(f"Lỗi: {problem}")
    if problems:
        print(f"Có {len(problems)} lỗi cần sửa; tệp không đọc được sẽ không được trợ lý dùng, "
              "còn chỗ khác với Cổng thì trợ lý trả lời theo Cổng.")
        return 1
    print(f"Đạt: {len(procedures)} thủ tục hợp lệ.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
