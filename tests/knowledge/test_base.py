"""The live knowledge base picks up edits without a restart and survives bad edits."""

import os
import time

from ruamel.yaml import YAML

from knowledge.base import KnowledgeBase
from tests.conftest import write_procedure


def _touch_later(path):
    """Make sure the file's stamp changes even on coarse file-system clocks."""
    stat = path.stat()
    os.utime(path, (stat.st_atime + 2, stat.st_mtime + 2))


def add_alias(path, alias):
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["aliases"].append(alias)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    _touch_later(path)


def test_new_alias_is_found_after_reload(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    assert kb.search("làm bìa hộ chiếu mới")[0].procedure_id == "cap_ho_chieu_pho_thong"
    assert not any(m.procedure_id == "dang_ky_tam_tru" and m.exact for m in kb.search("khai báo lưu trú"))
    path = small_kb_dir / "procedures" / "dang_ky_tam_tru.yml"
    add_alias(path, "khai báo lưu trú")
    top = kb.search("khai báo lưu trú ở đâu")[0]
    assert top.procedure_id == "dang_ky_tam_tru" and top.exact


def test_what_is_derived_from_the_procedures_is_built_once_per_load(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    builds = []

    def names(procedures):
        builds.append(1)
        return sorted(p.name for p in procedures.values())

    assert kb.derived("names", names) == kb.derived("names", names) and len(builds) == 1
    path = small_kb_dir / "procedures" / "dang_ky_tam_tru.yml"
    add_alias(path, "khai báo lưu trú")
    kb.search("khai báo lưu trú")  # reloads
    kb.derived("names", names)
    assert len(builds) == 2


def test_broken_edit_keeps_last_good_version(small_kb_dir, caplog):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    path = small_kb_dir / "procedures" / "dang_ky_tam_tru.yml"
    path.write_text("id: dang_ky_tam_tru\nname: [", encoding="utf-8")
    _touch_later(path)
    assert kb.get("dang_ky_tam_tru").name == "Đăng ký tạm trú"
    assert "keeping last good version" in caplog.text


def test_added_and_removed_files(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    write_procedure(small_kb_dir, "tach_ho", "Tách hộ", ["tách khẩu"])
    assert kb.get("tach_ho") is not None
    (small_kb_dir / "procedures" / "tach_ho.yml").unlink()
    assert kb.get("tach_ho") is None


def test_reload_is_rate_limited(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=3600)
    write_procedure(small_kb_dir, "tach_ho", "Tách hộ", ["tách khẩu"])
    assert kb.get("tach_ho") is None  # not re-read yet
    assert kb.refresh(force=True)
    assert kb.get("tach_ho") is not None


def test_unchanged_files_are_not_reparsed(small_kb_dir, monkeypatch):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    calls = []
    import knowledge.base as base

    monkeypatch.setattr(base, "load_procedure", lambda p: calls.append(p))
    time.sleep(0.01)
    assert kb.refresh() is False
    assert calls == []


def test_new_office_hours_are_read_without_rebuilding_the_indexes(small_kb_dir):
    kb = KnowledgeBase(small_kb_dir, min_interval=0)
    questions = kb.question_index
    path = small_kb_dir / "service_desk.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("1800 1096", "1800 9999", 1), encoding="utf-8")
    _touch_later(path)
    assert kb.refresh()
    assert kb.service_desk.hotline == "1800 9999"
    assert kb.question_index is questions
