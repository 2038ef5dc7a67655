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


def test_a_curated_fee_that_disagrees_with_its_record_is_reported_with_both_values(kb_dir: Path, capsys):
    path = kb_dir / "procedures" / "cap_lai_the_can_cuoc.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    fee:", text.index("kind: truc_tiep"))
    end = text.index("\n  - kind:", start)
    path.write_text(text[:start] + "    fee: 50.000 đồng/thẻ." + text[end:], encoding="utf-8")
    assert main([str(kb_dir)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Lỗi:") and "cap_lai_the_can_cuoc.yml" in x)
    assert "dòng" in line and "lệ phí (nộp trực tiếp)" in line
    assert "“50.000 đồng/thẻ.”" in line and "70.000 đồng" in line
    assert "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" in line


def test_a_newer_fee_with_its_own_source_is_a_note_not_an_error(kb_dir: Path, capsys):
    assert main([str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "cap_ho_chieu_pho_thong.yml: lệ phí (nộp trực tiếp) giữ theo nguồn mới hơn" in out


def test_a_code_missing_from_the_records_and_folk_names_of_unknown_codes_are_errors(kb_dir: Path):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('code: "1.001193"', 'code: "9.999999"'), encoding="utf-8")
    (kb_dir / "folk_names.yml").write_text('"9.999998":\n  - không có thủ tục này\n', encoding="utf-8")
    _, problems, _ = check_directory(kb_dir)
    messages = [str(p) for p in problems]
    assert any("dang_ky_khai_sinh.yml, dòng 4" in m and "9.999999" in m for m in messages), messages
    assert any("folk_names.yml" in m and "9.999998" in m for m in messages), messages


def test_an_audience_unknown_or_a_code_missing_from_the_records_is_an_error(kb_dir: Path):
    path = kb_dir / "procedures" / "cap_lai_the_bhyt.yml"
    _replace_in(path, '"1.001327"', '"9.999997"')
    _, problems, _ = check_directory(kb_dir)
    assert any("cap_lai_the_bhyt.yml" in str(p) and "9.999997" in str(p) for p in problems), problems
    _replace_in(path, "audience: cong_an_nhan_dan", "audience: quan_doi")
    _, problems, _ = check_directory(kb_dir)
    assert any("cap_lai_the_bhyt.yml" in str(p) and "cong_an_nhan_dan" in str(p) for p in problems), problems


def _replace_in(path: Path, old: str, new: str) -> None:
    """Edit a copied knowledge file, failing if the text the test relies on is no longer there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_yes_for_an_age_range_that_no_phrasing_bounds_is_a_note(kb_dir: Path):
    # The router compares "con tôi 15 tuổi" only with the phrasings' bounds: without one, the yes meant for
    # children of 6 to 14 would reach a 15-year-old.
    _, _, warnings = check_directory(kb_dir)
    assert not any("'tre_6_den_14_tuoi_phai_den_cung_cha_me'" in w for w in warnings)
    bounded = "      - trẻ từ đủ 6 tuổi đến dưới 14 tuổi làm căn cước có phải cùng bố mẹ đến công an không\n"
    _replace_in(kb_dir / "questions" / "q_1_014061.yml", bounded, "")
    _, problems, warnings = check_directory(kb_dir)
    note = next(w for w in warnings if "'tre_6_den_14_tuoi_phai_den_cung_cha_me'" in w)
    assert not problems and "q_1_014061.yml, dòng" in note and "tu du 06 tuoi, duoi 14 tuoi" in note


def test_a_quote_of_a_neighbouring_record_is_checked_against_the_record_its_link_names(kb_dir: Path):
    # 3.000333's question "không xác định được nơi thường trú" quotes 3.000330, the procedure it points to.
    _, _, warnings = check_directory(kb_dir)
    assert not any("'khong_xac_dinh_noi_thuong_tru_tam_tru'" in w for w in warnings)
    _replace_in(kb_dir / "questions" / "q_3_000333.yml", "Cục hồ sơ nghiệp vụ ... Phiếu Lý lịch tư pháp số 1 (Cấp bộ)",
                "Cục hồ sơ nghiệp vụ ... Phiếu Lý lịch tư pháp số 9 (Cấp bộ)")
    _, problems, warnings = check_directory(kb_dir)
    note = next(w for w in warnings if "'khong_xac_dinh_noi_thuong_tru_tam_tru'" in w)
    assert not problems and "hồ sơ 3.000330" in note


def test_a_curated_answer_stating_a_period_that_has_ended_is_a_note(kb_dir: Path):
    # "từ ngày 01/7/2025 đến hết ngày 31/12/2026 chỉ thu bằng 50%" stops being true on 01/01/2027.
    questions = kb_dir / "questions" / "q_1_014063.yml"
    _replace_in(questions, "đến hết ngày 31/12/2026 chỉ thu", "đến hết ngày 31/12/2025 chỉ thu")
    _, problems, warnings = check_directory(kb_dir)
    note = next(w for w in warnings if "đến hết ngày 31/12/2025, nay đã qua" in w)
    assert "'le_phi_doi_the_can_cuoc'" in note
    assert not problems and "q_1_014063.yml, dòng" in note
