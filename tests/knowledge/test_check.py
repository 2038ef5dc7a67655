from pathlib import Path

from knowledge.check import check_directory, main


def test_shipped_knowledge_base_passes(capsys):
    assert main([]) == 0
    assert "Đạt" in capsys.readouterr().out


def test_broken_file_fails_with_file_and_line(kb_dir: Path, capsys):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("online:\n  level: toan_trinh", "online:\n  level: full"))
    assert main([str(kb_dir)]) == 1
    out = capsys.readouterr().out
    assert "dang_ky_khai_sinh.yml, dòng" in out and "mức độ trực tuyến" in out


def test_alias_shared_by_two_procedures_is_a_warning(kb_dir: Path):
    source = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    twin = kb_dir / "procedures" / "ban_sao_khai_sinh.yml"
    twin.write_text(source.read_text(encoding="utf-8").replace("id: dang_ky_khai_sinh", "id: ban_sao_khai_sinh"))
    procedures, problems, warnings = check_directory(kb_dir)
    assert not problems
    assert any("khai sinh" in w and "nhiều thủ tục" in w for w in warnings)


def test_missing_service_desk_is_an_error(kb_dir: Path):
    (kb_dir / "service_desk.yml").unlink()
    _, problems, _ = check_directory(kb_dir)
    assert any("liên hệ" in p.message for p in problems)
