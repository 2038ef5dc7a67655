"""What the bot knows about one dossier, and what its status means to a citizen.

Only what the conversation needs is kept: the applicant's name already masked
and the last four digits of the registered phone (the proof of link). Full
names, phone and ID numbers never enter this object, so they cannot leak from
it into a reply, a log or the embedded database.
"""

from __future__ import annotations

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
