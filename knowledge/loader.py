"""Read procedure YAML files and explain every problem with file and line.

The people who fix these files are one-stop-centre officers, so problems are
worded in plain Vietnamese and point at the line to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple, Type, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from knowledge.schema import Procedure, ServiceDesk

FIELD_LABELS: Dict[str, str] = {
    "id": "mã tệp (id)",
    "code": "mã thủ tục (code)",
    "codes": "các mã thủ tục khác cùng thủ tục (codes)",
    "audiences": "hồ sơ cùng việc dành riêng cho một đối tượng (audiences)",
    "audience": "đối tượng (audience)",
    "name": "tên",
    "aliases": "tên gọi khác (aliases)",
    "search_aliases": "tên gọi chỉ dùng để tìm (search_aliases)",
    "field": "lĩnh vực (field)",
    "agency": "cơ quan thực hiện (agency)",
    "levels": "cấp thực hiện (levels)",
    "where_to_submit": "nơi nộp hồ sơ (where_to_submit)",
    "channels": "cách thức nộp (channels)",
    "kind": "loại cách thức (kind)",
    "processing_time": "thời hạn giải quyết (processing_time)",
    "fee": "phí, lệ phí (fee)",
    "cases": "trường hợp (cases)",
    "papers": "thành phần hồ sơ (papers)",
    "form_code": "mẫu đơn, tờ khai (form_code)",
    "template_url": "đường dẫn mẫu (template_url)",
    "originals": "số bản chính (originals)",
    "copies": "số bản sao (copies)",
    "note": "ghi chú (note)",
    "steps": "trình tự thực hiện (steps)",
    "conditions": "yêu cầu, điều kiện (conditions)",
    "result": "kết quả (result)",
    "legal_basis": "căn cứ pháp lý (legal_basis)",
    "online": "dịch vụ công trực tuyến (online)",
    "level": "mức độ trực tuyến (level)",
    "url": "đường dẫn (url)",
    "notes": "lưu ý (notes)",
    "source": "nguồn (source)",
    "last_reviewed": "ngày rà soát (last_reviewed)",
    "questions": "câu hỏi tình huống (questions)",
    "phrasings": "các cách hỏi (phrasings)",
    "answer": "câu trả lời (answer)",
    "basis": "điều, khoản căn cứ (basis)",
    "quote": "trích dẫn văn bản (quote)",
    "source_url": "đường dẫn nguồn (source_url)",
    "reviewed": "ngày rà soát (reviewed)",
}

_MESSAGES: Dict[str, str] = {
    "value_error.missing": "thiếu mục {label}, cần bổ sung",
    "value_error.extra": "mục {label} không có trong mẫu, có thể gõ sai tên mục",
    "value_error.any_str.min_length": "mục {label} đang để trống, cần ghi nội dung",
    "value_error.list.min_items": "mục {label} cần có ít nhất một dòng",
    "value_error.date": "mục {label} phải là ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-23",
    "type_error.integer": "mục {label} phải là một số nguyên",
    "value_error.number.not_ge": "mục {label} không được là số âm",
    "type_error.str": "mục {label} phải là chữ (một dòng văn bản)",
    "type_error.list": "mục {label} phải là danh sách, mỗi dòng bắt đầu bằng dấu gạch ngang (-)",
    "type_error.dict": "mục {label} phải gồm các mục con (tên: giá trị)",
    "type_error.enum": "mục {label} chỉ nhận một trong các giá trị: {allowed}",
}

_CUSTOM: Dict[str, str] = {
    "not_slug": "mục {label} chỉ gồm chữ thường không dấu, số và dấu gạch dưới, ví dụ dang_ky_khai_sinh",
    "not_code": (
        "mục {label} phải có dạng như 1.001193 (theo Cơ sở dữ liệu quốc gia về TTHC), hoặc để trống nếu chưa rõ"
    ),
    "not_url": "mục {label} phải là địa chỉ web bắt đầu bằng http:// hoặc https://, hoặc để trống",
    "empty_item": "mục {label} có một dòng để trống",
    "duplicate_case": "có hai trường hợp cùng mã '{extra}'",
    "duplicate_channel": "một cách thức nộp được khai hai lần",
    "duplicate_question": "có hai câu hỏi cùng mã '{extra}'",
    "lead_not_yes_or_no": "mục {label} phải bắt đầu bằng \"Có\" hoặc \"Không\"",
    "leads_incomplete": (
        "mục {label} cần đủ một cặp: close_kin và other_person (kèm asks), hoặc here và home, "
        "hoặc asked (kèm asks)"
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge file, located for a human reader."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, dòng {self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class KnowledgeFileError(Exception):
    """A file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


Model = TypeVar("Model", bound=BaseModel)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    return yaml


def _line_of(data: Any, loc: Tuple[Any, ...]) -> int | None:
    """1-based line of the deepest part of ``loc`` that exists in the file."""
    line: int | None = getattr(getattr(data, "lc", None), "line", None)
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0]
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0]
            node = node[part]
        else:
            break
    return None if line is None else line + 1


def explain(error: Dict[str, Any]) -> str:
    loc = error["loc"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    label = FIELD_LABELS.get(name, name)
    index = next((p for p in reversed(loc) if isinstance(p, int)), None)
    if index is not None:
        label = f"{label} (dòng thứ {index + 1} trong danh sách)" if loc[-1] == index else label
    msg = error.get("msg", "")
    code, _, extra = msg.partition(":")
    if code in _CUSTOM:
        return _CUSTOM[code].format(label=label, extra=extra)
    template = _MESSAGES.get(error["type"])
    if template:
        allowed = ", ".join(str(v.value) for v in error.get("ctx", {}).get("enum_values", []))
        return template.format(label=label, allowed=allowed)
    return f"mục {label} chưa hợp lệ ({msg})"


def parse_model(path: Path, model: Type[Model], display: str | None = None) -> Model:
    """Load ``path`` as ``model`` or raise :class:`KnowledgeFileError`.

    A good file is read with the C parser (15 times faster: the knowledge base loads at every start and every
    test's copy); a file with a problem is read again with line numbers, to say where the problem is."""
    try:
        # The C parser with ruamel's YAML 1.2 resolver: the same data as "rt", without the line numbers.
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return model.parse_obj(data)
    except (UnicodeDecodeError, YAMLError, ValidationError):
        pass
    return _parse_with_lines(path, model, display or str(path))


def _parse_with_lines(path: Path, model: Type[Model], shown: str) -> Model:
    try:
        data = _yaml().load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise KnowledgeFileError([Problem(shown, None, "tệp không ở dạng UTF-8, hãy lưu lại với mã UTF-8")]) from None
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise KnowledgeFileError(
            [Problem(shown, line, f"sai cú pháp YAML ({exc.problem}); kiểm tra thụt lề và dấu hai chấm")]
        ) from None
    if not isinstance(data, dict):
        raise KnowledgeFileError([Problem(shown, None, "tệp trống hoặc không gồm các mục (tên: giá trị)")])
    try:
        return model.parse_obj(data)
    except ValidationError as exc:
        problems = [Problem(shown, _line_of(data, tuple(e["loc"])), explain(e)) for e in exc.errors()]
        raise KnowledgeFileError(problems) from None


def load_procedure(path: Path, display: str | None = None) -> Procedure:
    """Load one procedure file; its ``id`` must match the file name."""
    procedure = parse_model(path, Procedure, display)
    if procedure.id != path.stem:
        data = _yaml().load(path.read_text(encoding="utf-8"))
        raise KnowledgeFileError(
            [
                Problem(
                    display or str(path),
                    _line_of(data, ("id",)),
                    f"mã tệp (id) là '{procedure.id}' nhưng tên tệp là '{path.name}'; hai tên phải giống nhau",
                )
            ]
        )
    return procedure


def field_line(path: Path, loc: Tuple[Any, ...]) -> int | None:
    """1-based line of a field (``("channels", 0, "fee")``) in a YAML file, for pointing a reader at it."""
    try:
        return _line_of(_round_trip(path.read_text(encoding="utf-8")), loc)
    except (OSError, MarkedYAMLError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=8)
def _round_trip(text: str) -> Any:
    """The file's text parsed with its line marks, once per text: a check points at many fields of one file, and
    each parse of a long questions file takes a tenth of a second. The result is only read."""
    return _yaml().load(text)


def load_service_desk(path: Path) -> ServiceDesk:
    """Load the one-stop centre's contact details."""
    return parse_model(path, ServiceDesk)


def procedure_files(directory: Path) -> List[Path]:
    """Procedure files in a stable order."""
    return sorted(p for p in directory.glob("*.yml") if not p.name.startswith("."))
