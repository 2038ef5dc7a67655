from knowledge.time_notes import STATEMENTS_MAX, added_limits

# Notes as the national portal publishes them (records 2.000693, 1.013067, 1.010041, 1.011433).
MATERNITY = ("Nhận hồ sơ từ đơn vị SDLĐ: Tối đa 06 ngày làm việc kể từ ngày cơ quan BHXH nhận đủ hồ sơ theo quy "
             "định. - Nhận hồ sơ từ NLĐ, người tham gia BHXH tự nguyện: Tối đa 03 ngày làm việc kể từ ngày cơ quan "
             "BHXH nhận đủ hồ sơ theo quy định.")
VEHICLE = ("+ Cấp mới biển số xe trúng đấu giá, đổi biển số xe, cấp biển số xe định danh: Không quá 07 ngày làm việc, "
           "kể từ ngày nhận đủ hồ sơ hợp lệ; Thời hạn giải quyết đăng ký xe được tính từ khi nhận đủ hồ sơ hợp lệ. "
           "1 giờ Thông tư số 60/2023/TT-BTC ngày 07/9/2023 của Bộ Tài chính quy định mức thu lệ phí. + Cấp mới biển "
           "số xe: Cấp ngay sau khi nhận đủ hồ sơ hợp lệ; 2 ngày làm việc Thông tư số 60/2023/TT-BTC ngày 07/9/2023. "
           "+ Cấp chứng nhận đăng ký xe: Không quá 02 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ.")
RESIDENCE = ("Thời gian tiếp nhận hồ sơ: Giờ hành chính các ngày làm việc từ thứ 2 đến thứ 6 và sáng thứ 7 hàng tuần. "
             "3 ngày làm việc Miễn phí Kể từ ngày nhận được hồ sơ hợp lệ, cơ quan đăng ký cư trú có trách nhiệm cấp "
             "xác nhận trong thời hạn 03 ngày làm việc với trường hợp cần xác minh;")
FEE_PERIOD = ("(Kể từ ngày 01 tháng 7 năm 2025 đến hết ngày 31 tháng 12 năm 2026, mức thu một số khoản phí, lệ phí "
              "được quy định như sau)")


def test_a_time_the_headline_does_not_state_is_quoted_in_the_record_words():
    assert added_limits("6 ngày làm việc", MATERNITY) == [
        "Nhận hồ sơ từ NLĐ, người tham gia BHXH tự nguyện: Tối đa 03 ngày làm việc kể từ ngày cơ quan BHXH nhận "
        "đủ hồ sơ theo quy định"]


def test_the_same_figure_as_the_headline_adds_nothing():
    assert added_limits("6 ngày làm việc", "Nhận hồ sơ từ đơn vị SDLĐ: Tối đa 06 ngày làm việc.") == []
    assert added_limits("6 ngày làm việc", "") == []


def test_cells_of_the_table_run_into_the_note_are_not_statements():
    found = added_limits("7 ngày làm việc", VEHICLE)
    assert found == ["Cấp mới biển số xe: Cấp ngay sau khi nhận đủ hồ sơ hợp lệ",
                     "Cấp chứng nhận đăng ký xe: Không quá 02 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ"]
    assert not any("Thông tư" in s for s in found)


def test_opening_hours_and_a_leading_cell_are_left_out():
    assert added_limits("1 ngày làm việc", RESIDENCE) == [
        "Kể từ ngày nhận được hồ sơ hợp lệ, cơ quan đăng ký cư trú có trách nhiệm cấp xác nhận trong thời hạn 03 "
        "ngày làm việc với trường hợp cần xác minh"]


def test_a_fee_period_dates_are_not_time_limits():
    assert added_limits("3 ngày làm việc", FEE_PERIOD) == []
    assert added_limits("5 ngày làm việc", "Cấp lại do bị mất, rách, hỏng: 5.000.000 đồng, trong 03 ngày") == []


def test_a_statement_whose_time_comes_first_is_not_cut():
    note = "16 ngày làm việc đối với công trình cấp I và 12 ngày làm việc đối với công trình còn lại"
    assert added_limits("16 ngày làm việc", note) == []  # not cut into "đối với công trình cấp I ..."


def test_at_most_a_few_statements():
    note = " ".join(f"- Bước {i}: {i + 10} ngày làm việc." for i in range(6))
    assert len(added_limits("30 ngày", note)) == STATEMENTS_MAX


def test_a_note_that_gives_the_figure_in_working_days_is_quoted():
    note = "Thời hạn thực hiện liên thông tối đa không quá 20 ngày làm việc, kể từ ngày nộp đủ hồ sơ theo quy định."
    assert added_limits("20 ngày", note) == [note.rstrip(".")]
    assert added_limits("20 ngày làm việc", note) == []
