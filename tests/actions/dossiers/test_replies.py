from datetime import date

import pytest

from actions.dossiers.model import Dossier, Status
from actions.dossiers.replies import backend_down, locked, malformed_code, not_matched, status_reply
from knowledge.dossier_codes import EXAMPLE_CODE

TODAY = date(2026, 11, 23)


def dossier(status, result=None, note=""):
    return Dossier(EXAMPLE_CODE, "Đăng ký khai sinh", "", "5678", status, date(2026, 11, 1), date(2026, 11, 30),
                   result, note)


def test_dates_are_shown_day_month_year(real_kb):
    text = "\n".join(status_reply(dossier(Status.DA_TRA_KET_QUA, date(2026, 11, 5)), TODAY,
                                  real_kb.service_desk, None).texts)
    assert "Ngày tiếp nhận: 01/11/2026" in text and "Ngày có kết quả: 05/11/2026" in text
    assert "Người nộp" not in text  # nothing to show when the source gave no name


@pytest.mark.parametrize(
    "status, advice",
    [(Status.YEU_CAU_NGHIA_VU_TAI_CHINH, "nộp các khoản phí"), (Status.DA_XU_LY_XONG, "Kết quả đã sẵn sàng")],
)
def test_next_step_advice(real_kb, status, advice):
    assert advice in "\n".join(status_reply(dossier(status), TODAY, real_kb.service_desk, None).texts)


def test_failure_messages_are_polite_and_point_somewhere(real_kb):
    desk = real_kb.service_desk
    assert desk.hotline in not_matched(desk).texts[0]
    assert "tạm gián đoạn" in backend_down(desk).texts[0]
    assert "1 phút" in locked(5, desk).texts[0] and "15 phút" in locked(899.5, desk).texts[0]
    assert EXAMPLE_CODE in malformed_code()
