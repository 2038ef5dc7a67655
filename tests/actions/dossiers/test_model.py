from datetime import date

import pytest

from actions.dossiers.model import STATUS_LABELS, Dossier, Status, last4, parse_status


def dossier(status=Status.DANG_XU_LY, appointment=date(2026, 11, 10), result_date=None) -> Dossier:
    return Dossier("000.00.07.H29-261101-0042", "Đăng ký khai sinh", "N***", "5678", status,
                   date(2026, 11, 1), appointment, result_date)


def test_every_national_status_has_its_vietnamese_label():
    assert [STATUS_LABELS[Status(n)] for n in range(1, 11)] == [
        "Mới đăng ký", "Đã tiếp nhận", "Không được tiếp nhận", "Đang xử lý", "Yêu cầu bổ sung giấy tờ",
        "Yêu cầu thực hiện nghĩa vụ tài chính", "Công dân yêu cầu rút hồ sơ", "Dừng xử lý",
        "Đã xử lý xong", "Đã trả kết quả",
    ]


@pytest.mark.parametrize("value, expected", [(4, Status.DANG_XU_LY), ("10", Status.DA_TRA_KET_QUA), (" 1 ", 1)])
def test_parse_status(value, expected):
    assert parse_status(value) == expected


@pytest.mark.parametrize("value", [0, 11, "", "bốn", None, "4.5"])
def test_parse_status_rejects_anything_else(value):
    with pytest.raises(ValueError):
        parse_status(value)


def test_overdue_only_after_the_appointment_day():
    assert not dossier().is_overdue(date(2026, 11, 10))
    assert dossier().is_overdue(date(2026, 11, 11))


@pytest.mark.parametrize("status", [Status.MOI_DANG_KY, Status.DA_TIEP_NHAN, Status.DANG_XU_LY])
def test_overdue_while_the_agency_holds_the_dossier(status):
    assert dossier(status).is_overdue(date(2026, 12, 1))


@pytest.mark.parametrize(
    "status",
    [Status.KHONG_DUOC_TIEP_NHAN, Status.YEU_CAU_BO_SUNG, Status.YEU_CAU_NGHIA_VU_TAI_CHINH,
     Status.CONG_DAN_RUT_HO_SO, Status.DUNG_XU_LY, Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA],
)
def test_not_overdue_when_waiting_for_the_citizen_or_finished(status):
    assert not dossier(status).is_overdue(date(2026, 12, 1))


def test_not_overdue_with_a_result_or_without_an_appointment():
    assert not dossier(result_date=date(2026, 11, 9)).is_overdue(date(2026, 12, 1))
    assert not dossier(appointment=None).is_overdue(date(2026, 12, 1))


@pytest.mark.parametrize(
    "phone, expected",
    [("0912345678", "5678"), ("0912 345 678", "5678"), ("+84 912.345.678", "5678"), ("123", ""), ("", "")],
)
def test_last4(phone, expected):
    assert last4(phone) == expected
