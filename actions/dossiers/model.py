"""What the bot knows about one dossier, and what its status means to a citizen.

Only what the conversation needs is kept: the applicant's name already masked,
and what the proofs of link compare (see :mod:`actions.dossiers.proofs`): the
last four digits of the registered phone, the applicant's year of birth and a
digest of the lookup secret printed on the receipt. Full names, phone and ID
numbers never enter this object, so they cannot leak from it into a reply, a
log or the embedded database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum


class Status(IntEnum):
    """National one-stop status codes (trạng thái hồ sơ)."""

    MOI_DANG_KY = 1
    DA_TIEP_NHAN = 2
    KHONG_DUOC_TIEP_NHAN = 3
    DANG_XU_LY = 4
    YEU_CAU_BO_SUNG = 5
    YEU_CAU_NGHIA_VU_TAI_CHINH = 6
    CONG_DAN_RUT_HO_SO = 7
    DUNG_XU_LY = 8
    DA_XU_LY_XONG = 9
    DA_TRA_KET_QUA = 10


STATUS_LABELS = {
    Status.MOI_DANG_KY: "Mới đăng ký",
    Status.DA_TIEP_NHAN: "Đã tiếp nhận",
    Status.KHONG_DUOC_TIEP_NHAN: "Không được tiếp nhận",
    Status.DANG_XU_LY: "Đang xử lý",
    Status.YEU_CAU_BO_SUNG: "Yêu cầu bổ sung giấy tờ",
    Status.YEU_CAU_NGHIA_VU_TAI_CHINH: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.CONG_DAN_RUT_HO_SO: "Công dân yêu cầu rút hồ sơ",
    Status.DUNG_XU_LY: "Dừng xử lý",
    Status.DA_XU_LY_XONG: "Đã xử lý xong",
    Status.DA_TRA_KET_QUA: "Đã trả kết quả",
}

# Statuses in which the agency holds the dossier and the appointment date runs.
# While it waits for the citizen (5: papers, 6: fees) the clock is paused by
# law, and 3, 7, 8 end the dossier without a result.
AGENCY_TURN = frozenset({Status.MOI_DANG_KY, Status.DA_TIEP_NHAN, Status.DANG_XU_LY})


def parse_status(value: object) -> Status:
    """A status from 1..10 given as int or text; ``ValueError`` otherwise."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"trạng thái phải là số từ 1 đến 10, nhận được {value!r}") from None
    try:
        return Status(number)
    except ValueError:
        raise ValueError(f"trạng thái phải là số từ 1 đến 10, nhận được {number}") from None


@dataclass(frozen=True)
class Dossier:
    """One dossier as the conversation may use it."""

    code: str
    procedure_name: str
    masked_name: str
    phone_last4: str
    status: Status
    received: date | None = None
    appointment: date | None = None
    result_date: date | None = None
    note: str = ""
    birth_year: int | None = None
    secret_digest: str = ""  # see proofs.secret_digest; never the secret itself

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def is_overdue(self, today: date) -> bool:
        """Past the appointment date, no result, and the agency's turn to act."""
        return (
            self.appointment is not None
            and self.result_date is None
            and self.status in AGENCY_TURN
            and today > self.appointment
        )


def last4(phone: str) -> str:
    """The last four digits of a phone number as typed ('0912 345 678' -> '5678'); '' if fewer."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def birth_year(value: str, today: date | None = None) -> int | None:
    """A year of birth from '1990' or a date '1990-05-12' / '12/05/1990'; None when empty; ValueError when odd."""
    value = (value or "").strip()
    if not value:
        return None
    found = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", value)]
    this_year = (today or date.today()).year
    if len(found) != 1 or not 1900 <= found[0] <= this_year:
        raise ValueError(f"năm sinh '{value}' không hợp lệ (cần năm 1900–{this_year} hoặc ngày sinh)")
    return found[0]
