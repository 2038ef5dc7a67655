"""Ages and durations a message states, and the bounds of a rule that allow them."""

from __future__ import annotations

import math

import pytest

from knowledge.quantities import consistent, quantities


def test_ages_and_durations_pick_the_case_the_bound_allows():
    stated = quantities("con tôi 4 tuổi, bằng lái quá hạn 7 tháng")
    assert stated == {"tuoi": (4, 4), "thang": (7, 7)}
    assert consistent(stated, "trẻ em dưới 14 tuổi có bắt buộc làm căn cước không")
    assert not consistent(stated, "con đủ 14 tuổi rồi có bắt buộc làm thẻ không")
    assert not consistent(stated, "bằng lái quá hạn dưới 3 tháng có phải thi lại không")
    assert consistent(stated, "bằng lái quá hạn từ 3 tháng đến dưới 1 năm")


def test_a_year_is_twelve_months():
    assert not consistent(quantities("quá hạn 14 tháng"), "quá hạn dưới 1 năm")
    assert consistent(quantities("đóng được 2 năm"), "đóng từ đủ 12 tháng")
    assert not consistent(quantities("đóng được 2 năm"), "đóng chưa đủ 12 tháng")


def test_not_yet_so_many_months_is_below_them():
    assert consistent(quantities("đóng BH 5 tháng"), "đóng bảo hiểm chưa được 6 tháng mà đã đẻ")
    assert not consistent(quantities("đóng BH 7 tháng"), "đóng bảo hiểm chưa được 6 tháng mà đã đẻ")


@pytest.mark.parametrize("text, months", [
    ("tôi làm công ty hai năm", 24), ("đóng mười hai tháng", 12), ("hai mươi tư tháng", 24),
    ("mới được nửa năm", 6), ("đóng năm năm rồi", 60), ("tham gia BH tám tháng", 8), ("muoi hai thang", 12),
])
def test_numbers_written_in_words(text, months):
    assert quantities(text) == {"thang": (months, months)}


@pytest.mark.parametrize("text", ["sau tháng 5 tôi nghỉ việc", "từ tháng 3 năm nay", "hai ba tháng gì đó"])
def test_words_that_only_look_like_numbers_state_nothing(text):
    assert quantities(text) == {}


def test_a_bound_the_citizen_states_is_a_range():
    # "Hơn một năm nữa" is more than 12 months: "chưa đủ 12 tháng" cannot answer it, "từ đủ 12 tháng" can.
    stated = quantities("nếu tôi tiếp tục tham gia BHXH hơn một năm nữa rồi nghỉ việc thì có được lãnh không")
    assert stated["thang"][0] > 12 and math.isinf(stated["thang"][1])
    assert not consistent(stated, "đóng bhtn chưa đủ 1 năm nghỉ việc có dc lãnh tctn ko")
    assert consistent(stated, "đóng bảo hiểm thất nghiệp từ đủ 12 tháng có được hưởng trợ cấp không")
    under = quantities("trẻ dưới 14 tuổi có phải làm không")
    assert consistent(under, "trẻ em dưới 14 tuổi làm căn cước ở đâu")
    assert not consistent(under, "con tôi từ đủ 14 tuổi thì có bắt buộc không")


def test_the_window_a_rule_counts_in_is_not_the_months_the_citizen_paid():
    assert quantities("trong 12 tháng trước sinh em đóng 4 tháng") == {"thang": (4, 4)}


def test_values_that_disagree_settle_no_bound():
    assert quantities("đóng 4 tháng, nghỉ 2 tháng") == {"thang": None}
    assert not consistent({"thang": None}, "từ đủ 6 tháng")
    assert consistent({"thang": None}, "làm căn cước cho con")  # no bound: nothing to settle


def test_how_far_along_a_pregnancy_is_is_not_how_long_one_paid():
    # "mang thai được 4 tháng" says nothing of the months paid: "đóng BHXH từ đủ 6 tháng" still applies.
    stated = quantities("Tôi đã tham gia BHXH được 2 năm và đang mang thai được 4 tháng")
    assert stated == {"thang": (24, 24), "thai": (4, 4)}
    assert consistent(stated, "Tôi đã đóng bảo hiểm xã hội từ đủ 6 tháng trở lên rồi nghỉ việc khi đang mang thai")
    assert quantities("e bầu 7 tháng, đóng bh 5 tháng") == {"thai": (7, 7), "thang": (5, 5)}
    assert not consistent(quantities("e bầu 7 tháng, đóng bh 5 tháng"), "đóng từ đủ 6 tháng có được thai sản không")


def test_an_age_glued_to_its_unit_is_an_age_but_tonnes_are_not():
    assert quantities("con 6t có phải làm căn cước không") == {"tuoi": (6, 6)}
    assert quantities("e 24t mới làm cccd thì 25t có phải đổi ko") == {"tuoi": None}  # two ages: no bound settled
    assert quantities("xe tải 3.5t cần bằng gì") == {}
