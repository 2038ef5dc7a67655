"""Folk names of imported procedures (``knowledge/folk_names.yml``): what citizens call them.

The national records carry only official names. Officers keep the names citizens
use ("rút bảo hiểm một lần", "tách thửa") in one file, a national code to a list,
and the search finds them as soon as the knowledge base reloads, with no
retraining. Curated entries keep their aliases in their own file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from knowledge.loader import KnowledgeFileError, Problem
from knowledge.schema import PROCEDURE_CODE

FILE_NAME = "folk_names.yml"


def load_folk_names(path: Path) -> Dict[str, List[str]]:
    """Code -> folk names; a missing file is an empty mapping, a malformed one a :class:`KnowledgeFileError`."""
    if not path.is_file():
        return {}
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError([Problem(str(path), None, f"sai cú pháp YAML ({exc})")]) from None
    if not isinstance(data, dict):
        raise KnowledgeFileError([Problem(str(path), None, "tệp phải gồm các dòng “mã thủ tục: danh sách tên gọi”")])
    names: Dict[str, List[str]] = {}
    problems = []
    for code, aliases in data.items():
        code = str(code)
        if not PROCEDURE_CODE.match(code):
            problems.append(Problem(str(path), None, f"“{code}” không phải mã thủ tục dạng 1.001193"))
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(Problem(str(path), None, f"tên gọi của mã {code} phải là danh sách các dòng có chữ"))
            continue
        names[code] = [" ".join(a.split()) for a in aliases]
    if problems:
        raise KnowledgeFileError(problems)
    return names
