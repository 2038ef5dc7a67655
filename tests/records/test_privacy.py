import logging

import pytest

from records.privacy import install_log_masking, mask_digits, mask_name, mask_text


def test_mask_name_keeps_initials_only():
    assert mask_name("Nguyễn Văn An") == "N***** V** A*"
    assert mask_name("  lê   thị  hoa ") == "L* T** H**"
    assert mask_name("") == ""


def test_mask_digits_can_keep_the_tail():
    assert mask_digits("0912 345 678", keep=3) == "**** *** 678"


@pytest.mark.parametrize(
    "secret",
    ["0912345678", "0912 345 678", "+84912345678", "079201001234", "012345678", "024.3825.1234",
     # Written the ways a review found unmasked (issue 18):
     "(028) 3823 4567", "(+84) 912-345-678", "912 345 678", "079 201 001 234", "0792 0100 1234", "012 345 678",
     "+84 (0) 912 345 678"],
)
def test_mask_text_hides_phone_and_id_numbers(secret):
    masked = mask_text(f"số của tôi là {secret} nhé")
    digits = "".join(ch for ch in secret if ch.isdigit())
    assert digits not in "".join(ch for ch in masked if ch.isdigit() or ch == " ")
    assert "số của tôi là" in masked


def test_phone_and_id_masking_keeps_dossier_codes_whole():
    from records.privacy import mask_phone_and_id

    text = "tra hồ sơ 000.00.07.H29-251120-0042, gọi 0912 345 678 hoặc (028) 3823 4567"
    masked = mask_phone_and_id(text)
    assert "000.00.07.H29-251120-0042" in masked and "0912" not in masked and "3823" not in masked


def test_mask_text_hides_the_dossier_sequence_but_keeps_agency_and_day():
    assert mask_text("hồ sơ 000.00.07.H29-261101-0042") == "hồ sơ 000.00.07.H29-261101-****"


def test_mask_text_leaves_ordinary_numbers():
    assert mask_text("lệ phí 50.000 đồng, 4 số cuối, năm 2026") == "lệ phí 50.000 đồng, 4 số cuối, năm 2026"
    kept = "vay 100.000.000 đồng từ 2020 đến 2024, lương 6.760.000đ, ngày 01/12/2026 lúc 7:30, 30 ngày"
    assert mask_text(kept) == kept


def test_installed_masking_reaches_every_logger_and_argument(caplog):
    install_log_masking()
    install_log_masking()  # idempotent
    logger = logging.getLogger("tests.privacy.child")
    with caplog.at_level(logging.INFO):
        logger.info("citizen %s sent %s", "0912345678", {"id": "079201001234"})
        logger.info("code 000.00.07.H29-261101-0042")
    text = caplog.text
    assert "0912345678" not in text and "079201001234" not in text and "-0042" not in text
    assert "citizen" in text and "000.00.07.H29-261101-****" in text


@pytest.mark.parametrize("note, hidden", [
    ("Đã gọi chị Trần Thị Bình lúc 9h, hẹn bổ sung", "Trần Thị Bình"),
    ("Ông Nguyễn Văn An ủy quyền cho bà Lê Thị Hoa nhận kết quả", "Lê Thị Hoa"),
    ("Chuyển cán bộ Hoa xử lý", "Hoa"),
    ("công dân Phạm Minh Tuấn chưa nộp lệ phí", "Phạm Minh Tuấn"),
])
def test_officers_notes_carry_no_names(note, hidden):
    masked = mask_text(note)
    assert hidden not in masked and "*" in masked


def test_the_applicants_own_name_is_masked_without_a_title():
    assert mask_text("Nguyễn Văn An đến nhận trực tiếp", names=["Nguyễn Văn An"]) == "N***** V** A* đến nhận trực tiếp"
    assert mask_text("NGUYỄN VĂN AN đến nhận", names=["Nguyễn Văn An"]).startswith("N***** V** A*")


def test_ordinary_words_after_a_title_stay():
    for text in ("anh chị cần mang theo bản gốc", "bà mẹ ký tên vào tờ khai", "em bé dưới 6 tuổi"):
        assert mask_text(text) == text


def test_offices_after_a_title_are_not_taken_for_names():
    for text in ("Bạn có thể liên hệ trực tiếp cán bộ Trung tâm Phục vụ hành chính công",
                 "ông Chủ tịch UBND xã ký", "cán bộ Công an phường hướng dẫn"):
        assert mask_text(text) == text
    assert "Hoa" not in mask_text("Chuyển cán bộ Hoa xử lý")
