from pathlib import Path

import pytest

from knowledge.loader import KnowledgeFileError, load_procedure, procedure_files
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.schema import Procedure

PROCEDURE_FILES = procedure_files(KNOWLEDGE_DIR / "procedures")


@pytest.mark.parametrize("path", PROCEDURE_FILES, ids=[p.stem for p in PROCEDURE_FILES])
def test_every_shipped_procedure_validates(path: Path):
    proc = load_procedure(path)
    assert proc.id == path.stem
    assert proc.source.name and proc.last_reviewed
    assert proc.legal_basis


def test_error_names_line_and_field_in_vietnamese(kb_dir: Path):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    fee_line = next(i for i, line in enumerate(lines) if line.strip().startswith("fee:"))
    lines[fee_line] = lines[fee_line].replace("fee:", "fees:")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        load_procedure(path)
    problem = err.value.problems[0]
    assert problem.line == fee_line + 1
    assert "fees" in problem.message and "không có trong mẫu" in problem.message


def test_missing_field_and_bad_date_reported_together(kb_dir: Path):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("last_reviewed: ", "last_reviewed: ngày ").replace("\nresult:", "\nresult_x:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        load_procedure(path)
    messages = " | ".join(p.message for p in err.value.problems)
    assert "ngày rà soát" in messages and "NĂM-THÁNG-NGÀY" in messages
    assert "thiếu mục kết quả" in messages


def test_yaml_syntax_error_has_line(tmp_path: Path):
    path = tmp_path / "x.yml"
    path.write_text("id: x\nname: [oops\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        load_procedure(path)
    assert err.value.problems[0].line is not None
    assert "cú pháp" in err.value.problems[0].message


def test_id_must_match_file_name(kb_dir: Path):
    source = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    target = kb_dir / "procedures" / "khai_sinh.yml"
    source.rename(target)
    with pytest.raises(KnowledgeFileError) as err:
        load_procedure(target)
    assert "tên tệp" in err.value.problems[0].message


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("code", "'12345'", "1.001193"),
        ("levels", "[huyen]", "chỉ nhận một trong các giá trị"),
        ("id", "Khai Sinh", "chữ thường không dấu"),
    ],
)
def test_field_rules(kb_dir: Path, field: str, value: str, fragment: str):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    lines = [
        f"{field}: {value}" if line.startswith(f"{field}:") else line
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        load_procedure(path)
    assert any(fragment in p.message for p in err.value.problems)


def test_duplicate_case_ids_rejected():
    data = load_procedure(PROCEDURE_FILES[0]).dict()
    data["cases"] = [data["cases"][0], data["cases"][0]]
    with pytest.raises(ValueError):
        Procedure.parse_obj(data)
