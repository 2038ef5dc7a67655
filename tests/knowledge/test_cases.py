"""Picking the case a message already describes, and only then."""

import pytest

from knowledge.cases import guess_case


@pytest.mark.parametrize(
    "proc_id, text, expected",
    [
        ("dang_ky_thuong_tru", "Nhập hộ khẩu cho vợ cần giấy tờ gì?", "ve_o_voi_nguoi_than"),
        ("dang_ky_thuong_tru", "nhap khau vao nha thue can gi", "nha_thue_muon_o_nho"),
        ("dang_ky_khai_sinh", "con tôi không có giấy chứng sinh thì làm khai sinh thế nào", "khong_co_giay_chung_sinh"),
        ("dang_ky_tam_tru", "gia hạn tạm trú cần gì", "gia_han"),
        ("cap_ho_chieu_pho_thong", "làm hộ chiếu cho trẻ em cần gì", "duoi_14_tuoi"),
        # the age stated picks the case its bound fits, whatever a word shares ("tư vấn" with "từ đủ")
        ("cap_ho_chieu_pho_thong", "bé nhà tôi 5 tuổi. Nhờ tư vấn giúp làm hộ chiếu cho bé cần gì", "duoi_14_tuoi"),
        ("cap_ho_chieu_pho_thong", "làm hộ chiếu cho con 10 tuổi", "duoi_14_tuoi"),
        ("cap_ho_chieu_pho_thong", "làm hộ chiếu cho con 15 tuổi", "tu_14_tuoi_tro_len"),
        ("cap_doi_the_can_cuoc", "đổi căn cước vì sai thông tin cần gì", "thay_doi_thong_tin"),
        ("dang_ky_thanh_lap_doanh_nghiep", "thành lập công ty TNHH một thành viên cần giấy tờ gì",
         "cong_ty_tnhh_mot_thanh_vien"),
    ],
)
def test_case_named_in_passing_is_picked(real_kb, proc_id, text, expected):
    assert guess_case(real_kb.get(proc_id), text, real_kb.shorthand) == expected


@pytest.mark.parametrize(
    "proc_id, text",
    [
        ("dang_ky_thuong_tru", "đăng ký thường trú cần giấy tờ gì"),
        ("dang_ky_thuong_tru", "nhập khẩu cần gì"),
        ("dang_ky_khai_sinh", "làm khai sinh cho con cần gì"),
        ("cap_phieu_ly_lich_tu_phap", "lltp cần gì"),
        ("dang_ky_thanh_lap_doanh_nghiep", "cho tôi hỏi một chút về thành lập công ty"),
    ],
)
def test_no_guess_without_a_distinctive_word(real_kb, proc_id, text):
    assert guess_case(real_kb.get(proc_id), text, real_kb.shorthand) is None


def test_single_case_procedure_needs_no_guess(real_kb):
    assert guess_case(real_kb.get("chung_thuc_chu_ky"), "chứng thực chữ ký", real_kb.shorthand) is None


def test_a_short_syllable_written_with_other_letters_is_another_word(real_kb):
    proc = real_kb.get("dang_ky_khai_sinh")
    assert guess_case(proc, "làm khai sinh có tên bố cần gì", real_kb.shorthand) is None  # "bố" is not "bỏ rơi"
    assert guess_case(proc, "khai sinh cho trẻ bị bỏ rơi", real_kb.shorthand) == "tre_bi_bo_roi"
