"""`make kb-check`: validate every knowledge file and report in plain Vietnamese.

Exit status 0 when every file can be used, 1 otherwise; warnings (such as an
alias shared by two procedures) are printed but do not fail the check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from knowledge.loader import KnowledgeFileError, Problem, load_procedure, load_service_desk, procedure_files
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.schema import Procedure
from knowledge.vntext import name_key


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
    return procedures, problems, warnings


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _shared_aliases(procedures: Sequence[Procedure]) -> List[str]:
    """Aliases that lead to more than one procedure make the bot ask back."""
    owners: Dict[str, List[str]] = {}
    for proc in procedures:
        for name in {proc.name, *proc.aliases}:
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
        print(f"Có {len(problems)} lỗi cần sửa; các thủ tục lỗi sẽ không được trợ lý dùng.")
        return 1
    print(f"Đạt: {len(procedures)} thủ tục hợp lệ.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
