from datetime import date

from knowledge.periods import lapsed_ends, period_ends

LICENCE = ("Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần. - Trường hợp tổ chức, cá nhân nộp hồ sơ theo hình thức "
           "trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.")
ID_CARD = ("50.000 đồng/thẻ căn cước; Kể từ ngày 01/01/2025 đến hết ngày 31/12/2025, mức thu … bằng 50% mức thu lệ phí "
           "quy định. - Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí cấp đổi … bằng 50%")


def test_the_end_of_each_stated_period_is_read_in_order():
    assert period_ends(LICENCE) == [date(2025, 12, 31)]
    assert period_ends(ID_CARD) == [date(2025, 12, 31), date(2026, 12, 31)]
    assert period_ends("25.000đ/tem “AB” (áp dụng đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)") == [
        date(2026, 12, 31)]


def test_dates_in_words_and_without_diacritics_are_read():
    assert period_ends("có giá trị sử dụng đến hết ngày 31 tháng 12 năm 2024") == [date(2024, 12, 31)]
    assert period_ends("ap dung den het 30/6/2025") == [date(2025, 6, 30)]


def test_a_deadline_or_an_impossible_date_is_not_a_period():
    assert period_ends("mà đến ngày 01/01/2026 không đáp ứng quy định") == []
    assert period_ends("áp dụng đến hết ngày 31/02/2025") == []
    assert period_ends(None) == period_ends("") == []


def test_only_periods_ended_before_today_have_lapsed():
    assert lapsed_ends(ID_CARD, today=date(2026, 12, 3)) == [date(2025, 12, 31)]
    assert lapsed_ends(ID_CARD, today=date(2026, 12, 31)) == [date(2025, 12, 31)]  # the last day still counts
    assert lapsed_ends(ID_CARD, today=date(2027, 1, 1)) == [date(2025, 12, 31), date(2026, 12, 31)]
    assert lapsed_ends(LICENCE, today=date(2025, 6, 1)) == []
