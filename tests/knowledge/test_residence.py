"""Whether a question asks if it can be done away from home, and what a record says of it."""

from __future__ import annotations

import pytest

from knowledge.residence import HERE, HOME, anywhere, asks_elsewhere, submitted_at


def asks(kb, text):
    return asks_elsewhere(kb.shorthand, kb.places, text)


@pytest.mark.parametrize("text, expected", [
    ("có phải về quê làm lại căn cước không", HOME),
    ("tôi có bắt buộc phải quay về Hà Nội để đổi thẻ không", HOME),
    ("e đang ở trọ Bình Dương, làm lại ở đây dc ko", HERE),
    # here asked first, in any words, with home as the alternative
    ("e lam the moi o cong an phuong noi e o tro dc ko hay bat buoc phai ve que a", HERE),
    ("làm căn cước khác tỉnh được không", HERE),
    ("có làm lại ở chỗ đang tạm trú được không", HERE),
    ("mất cccd ở xa có phải về chỗ thường trú làm lại ko", HOME),
    ("Cho tôi hỏi tôi có thể làm ở công an phường nơi đang ở trọ không hay bắt buộc phải về quê?", HERE),
    ("tôi có thể làm thủ tục cấp đổi thẻ căn cước ngay tại công an phường nơi tôi đang ở trọ được không", HERE),
    ("nộp hồ sơ ở tỉnh khác được không", HERE),
    ("xin cấp lại sổ ở bhxh quê được không", HERE),
    ("nghe nói đến nơi tạm trú vẫn làm được, đúng không", HERE),
    ("làm ở đây dc ko hay phải về quê", HERE),  # the first asked
    ("có phải về quê không hay làm ở đây cũng được", HOME),
    # "có thể ... ở X hay bắt buộc về quê": here asked first, without "được không"
    ("Xin hỏi tôi có thể làm lại thẻ ngay tại công an phường ở Bắc Ninh hay bắt buộc phải về quê?", HERE),
    ("lam lai ngay tai day hay phai ve que a", HERE),
    ("lm căn cước cho cháu ở công an phường chỗ e ở đc k ad", HERE),
    # the office named before the place
    ("nộp hồ sơ hộ kinh doanh ở ủy ban phường khác trong thành phố cho tiện được không", HERE),
    ("làm căn cước cần giấy tờ gì", None),
    ("bố tôi có bắt buộc phải về hưu không", None),
    # About something else first: someone doing it for the writer, or doing it once more.
    ("tôi ủy quyền cho em gái ở quê đi xin giúp có được không", None),
    ("đã có một hộ kinh doanh, mở thêm một hộ nữa ở Bắc Ninh có đăng ký được không", None),
])
def test_a_question_asking_whether_it_can_be_done_away_from_home(real_kb, text, expected):
    assert asks(real_kb, text) == expected


def test_a_record_that_lets_one_submit_anywhere_in_the_country(real_kb):
    stated = anywhere(real_kb.get("cap_lai_the_can_cuoc"))
    assert stated is not None and not stated.province_only
    assert "không phụ thuộc vào nơi cư trú" in stated.text and stated.where == "Nơi nộp hồ sơ"


def test_a_record_that_lets_one_submit_anywhere_within_the_province(real_kb):
    # The curated place to submit says it (taken from the record's steps): it is read first.
    stated = anywhere(real_kb.get("dang_ky_ho_kinh_doanh"))
    assert stated is not None and stated.province_only
    assert "bất kỳ trong phạm vi tỉnh" in stated.text and stated.where == "Nơi nộp hồ sơ"
    # The record's own steps say it as well.
    record = anywhere(real_kb.get("dang_ky_ho_kinh_doanh").record)
    assert record is not None and record.province_only and record.where.startswith("Trình tự thực hiện")
    assert "bất kỳ trong phạm vi tỉnh" in record.text
    assert len(record.text) < 400  # a long step is cut to the words around the statement


@pytest.mark.parametrize("code", [
    "1.000656",  # no word on it
    "2.001263",  # adoption: children are announced "trên phạm vi toàn quốc", nothing is submitted anywhere
    "1.014407",  # tax: "bất kỳ đơn vị hợp thành nào" of a group, not an office
])
def test_records_that_say_nothing_of_submitting_away_from_home(real_kb, code):
    proc = next(p for p in real_kb.procedures.values() if p.code == code)
    assert anywhere(proc) is None


def test_a_record_whose_province_wide_rule_precedes_the_words_anywhere(real_kb):
    proc = next(p for p in real_kb.procedures.values() if p.code == "1.014065")
    assert anywhere(proc).province_only  # "trong phạm vi cấp tỉnh không phụ thuộc nơi cư trú"


def test_the_step_that_names_where_the_dossier_goes(real_kb):
    repair = next(p for p in real_kb.procedures.values() if p.code == "1.013229")
    assert not repair.where_to_submit  # the portal's "Địa chỉ tiếp nhận" is empty
    step = submitted_at(repair)
    assert step.where == "Trình tự thực hiện (bước 1)"
    assert step.text.endswith("cho Trung tâm phục vụ hành chính công cấp xã")
    # "mục 13.3 (Thành phần hồ sơ)" is inside the sentence, not its end
    pension = next(p for p in real_kb.procedures.values() if p.code == "1.001742")
    assert submitted_at(pension).text.startswith("Người đang hưởng lương hưu, trợ cấp BHXH hàng tháng: lập hồ sơ")
    # A step that submits nothing to anyone ("Trong thời hạn 07 ngày làm việc ...") is not read as one.
    assert all(submitted_at(p) is None for p in real_kb.procedures.values()
               if p.steps and all("nộp" not in s.lower() and "gửi" not in s.lower() for s in p.steps))
