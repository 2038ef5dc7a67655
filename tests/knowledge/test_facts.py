"""The facts a question asks that no record's aspect holds (knowledge/facts.py)."""

import pytest

from knowledge.facts import (
    DEADLINE,
    DURATION,
    VALIDITY,
    asks_amount,
    asks_queue,
    asks_ranking,
    deadline_event,
    fact_words,
    facts_asked,
    facts_of,
    states_deadline,
)


@pytest.mark.parametrize("text, expected", [
    ("Hộ chiếu có thời hạn bao lâu?", {VALIDITY}),
    ("giấy xác nhận độc thân có hiệu lực bao lâu", {VALIDITY}),
    ("thoi han nop ho so thai san", {DEADLINE}),
    ("còn phải xóa hộ khẩu cho bố không, hạn trong bao lâu", {DEADLINE}),
    ("sinh con xong phai lam khai sinh trong may ngay", {DEADLINE}),
    ("muon bao tam ngung kinh doanh thi phai nop truoc may ngay", {DEADLINE}),
    ("giấy này có thời hạn trong bao lâu", {VALIDITY}),
    ("nghỉ đẻ dc mấy tháng", {DURATION}),
    ("tctn được lãnh mấy tháng", {DURATION}),
    ("đóng bh bao lâu thì được rút một lần", {DURATION}),
    ("Nhập quốc tịch Việt Nam cần thường trú bao lâu?", {DURATION}),
    ("chuyển đến chỗ ở mới thì phải đăng ký thường trú trong bao lâu", {DEADLINE}),
    # how long a paper stays usable, asked after the "how long"
    ("giấy lý lịch tư pháp bên Đức cấp thì trong bao lâu mới còn dùng đc", {VALIDITY}),
    # whether a paper still holds, asked; not said of one ("thẻ còn giá trị sử dụng mà tôi muốn đổi")
    ("sổ hộ khẩu giấy còn giá trị không?", {VALIDITY}),
    ("bang lai cu con hieu luc nua ko", {VALIDITY}),
    ("thẻ còn giá trị sử dụng mà tôi muốn đổi", set()),
    ("bao lâu thì dùng được", set()),
    ("làm hộ chiếu mất bao lâu", set()),
    ("hồ sơ hưởng thai sản bao lâu thì có tiền", set()),
])
def test_facts_are_read_from_marked_plain_and_shorthand_text(real_kb, text, expected):
    assert facts_asked(real_kb.shorthand, text) == expected


def test_a_deadline_is_read_from_must_within_how_long(real_kb):
    assert DEADLINE in facts_asked(real_kb.shorthand, "bố mất thì gia đình phải đi khai tử trong thời hạn bao lâu")
    # "trong thời hạn …" is a time limit to act, not how long a paper holds, whichever comes first
    within = "trong thời hạn bao nhiêu ngày kể từ ngày mua phải làm thủ tục sang tên không"
    assert facts_asked(real_kb.shorthand, within) == {DEADLINE}
    assert DEADLINE not in facts_asked(real_kb.shorthand, "giải quyết hưởng chế độ thai sản trong bao lâu")
    # who must, between: "bao lâu thì nhà em phải"
    assert DEADLINE in facts_asked(real_kb.shorthand, "bo e moi mat, bao lau thi nha e phai di cat khau cho bo")


def test_facts_are_indexed_as_words_in_a_fixed_order():
    assert fact_words({DURATION, VALIDITY}) == ("fact_duration", "fact_validity")
    assert fact_words(()) == ()
    assert facts_of(("nghi", "fact_duration", "fact_validity")) == {DURATION, VALIDITY}


@pytest.mark.parametrize("text, expected", [
    ("Sinh con thì người mẹ được hưởng bao nhiêu tiền thai sản mỗi tháng?", True),
    ("ho kinh doanh doanh thu 300tr/nam thi 1 nam phai dong thue bn tien", True),
    ("không đăng ký tạm trú bị phạt bao nhiêu", True),
    ("mức hưởng trợ cấp thất nghiệp tính thế nào", True),
    ("sinh con thì bhxh trả tiền thai sản đc bao nhiêu, tính theo lương nào vậy ad", True),
    ("bhyt chi trả bao nhiêu", True),
    # what a private party charges: no record states it
    ("kham suc khoe de doi bang lai o phong kham tu thi gia bn z mn", True),
    ("thue dich vu lam so do tron goi thuong het bao nhieu tien a", True),
    ("Thuê luật sư làm thủ tục ly hôn thì chi phí khoảng bao nhiêu?", True),
    ("Ship hộ chiếu về nhà qua bưu điện tốn bao nhiêu?", True),
    ("Chụp ảnh thẻ 4x6 làm hộ chiếu ở tiệm giá bao nhiêu?", True),
    # a fee, a duration, a processing time: not an amount paid out or owed
    ("làm hộ chiếu hết bao nhiêu tiền", False),
    ("lệ phí cấp lại căn cước là bao nhiêu", False),
    ("nghỉ thai sản được hưởng bao nhiêu tháng", False),
    ("hồ sơ hưởng thai sản bao lâu thì có tiền", False),
    ("làm hộ chiếu phải trả bao nhiêu tiền", False),
    ("bảo hiểm trả bao nhiêu ngày", False),
    # the state's own channels, and a private party's time
    ("nộp qua dịch vụ bưu chính thì lệ phí bao nhiêu", False),
    ("làm trên dịch vụ công thì mất bao nhiêu tiền", False),
    ("thuê dịch vụ làm hộ chiếu thì bao nhiêu ngày có", False),
    ("thành lập doanh nghiệp tư nhân lệ phí bao nhiêu", False),
])
def test_an_amount_of_a_benefit_tax_or_fine_is_told_from_a_fee(real_kb, text, expected):
    assert asks_amount(real_kb.shorthand, text) is expected


@pytest.mark.parametrize("text, expected", [
    ("thi bang lai B o trung tam nao o HN de dau nhat vay mn", True),
    ("Có dịch vụ làm sổ đỏ nhanh nào uy tín ở Hà Nội không?", True),
    ("lam cccd o cong an phuong nao o tphcm nhanh nhat, it nguoi nhat vay mn", True),
    ("cần sổ tiết kiệm bao nhiêu tiền thì dễ đậu visa", True),
    # where and how fast, which a record states
    ("thi bằng lái B ở đâu", False),
    ("làm căn cước ở đâu nhanh", False),
    ("nộp hồ sơ ở nơi nào gần nhất", False),
    ("ở đâu để làm hộ chiếu", False),
    ("em muốn làm lại thẻ bhyt nhanh nhất thì làm ở đâu", False),
])
def test_which_office_or_provider_is_best_is_told_from_where(real_kb, text, expected):
    assert asks_ranking(real_kb.shorthand, text) is expected


@pytest.mark.parametrize("text, stated", [
    # the citizen's deadline, from an event of theirs, with a duty
    ("Trong thời hạn 07 ngày kể từ ngày hộ gia đình có người thuộc diện xóa đăng ký thường trú thì người thuộc diện "
     "xóa đăng ký thường trú hoặc đại diện hộ gia đình có trách nhiệm nộp hồ sơ", True),
    ("Trong thời hạn 60 ngày kể từ ngày sinh con, cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con", True),
    ("Trong thời hạn 15 ngày trước ngày kết thúc thời hạn tạm trú đã đăng ký, công dân phải làm thủ tục gia hạn", True),
    # the office's time: from the file it receives, or an office's duty
    ("Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, cơ quan đăng ký cư trú phải thẩm định", False),
    ("Trong thời hạn 05 ngày làm việc, kể từ ngày nhận được kết quả xác minh, Sở Tư pháp có trách nhiệm hoàn tất hồ "
     "sơ trình Chủ tịch Ủy ban nhân dân cấp tỉnh.", False),
    # no duty: a time, not a deadline to keep
    ("Thời hạn giải quyết: 07 ngày làm việc kể từ ngày nhận đủ hồ sơ", False),
])
def test_a_record_states_a_deadline_the_citizen_keeps(text, stated):
    assert states_deadline(text) is stated


def test_what_a_stated_deadline_runs_from_is_read_to_its_clause_s_end():
    text = ("Trong thời hạn 07 ngày làm việc, kể từ ngày xe hết niên hạn sử dụng, xe hư hỏng không sử dụng được, "
            "chủ xe phải khai báo")
    assert deadline_event(text) == "ngày xe hết niên hạn sử dụng"
    assert deadline_event("Trong thời hạn 60 ngày kể từ ngày sinh con, cha hoặc mẹ có trách nhiệm") == "ngày sinh con"
    assert deadline_event("Thời hạn giải quyết: 07 ngày làm việc") == ""


@pytest.mark.parametrize("text, expected", [
    ("Làm hộ chiếu ở Phòng xuất nhập cảnh Hà Nội thường phải xếp hàng bao lâu?", True),
    ("sang thu 2 o trung tam hanh chinh cong phuong phai xep hang cho bao lau", True),
    ("làm cccd có phải bốc số chờ tới lượt không", True),
    # how long the office takes, which a record states; a ranking, which "xếp hàng" folds like
    ("làm hộ chiếu mất bao lâu", False),
    ("hồ sơ đề nghị xếp hạng di tích cấp tỉnh gồm những gì", False),
    ("bhxh công ty có đóng không", False),
    ("nộp hồ sơ rồi chờ bao lâu thì có kết quả", False),
])
def test_how_long_the_queue_is_is_told_from_how_long_it_takes(real_kb, text, expected):
    assert asks_queue(real_kb.shorthand, text) is expected
