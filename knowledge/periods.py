"""The end dates of periods a published text states, and which of them have passed.

Fees on the national portal carry time-limited rates: "Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng
mức thu lệ phí là 115.000 đồng/lần cấp" (a driving licence applied for online), "25.000đ/tem (áp dụng đến hết
ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)". A record is not rewritten the day such a period ends, so
quoting it afterwards tells the citizen a rate that no longer applies. Only "đến hết (ngày) <date>" is read:
it always closes a period, while a bare "đến ngày" also states deadlines and cut-off dates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import List

from knowledge.vntext import fold

_END = re.compile(
    r"\bden het(?: ngay)?\s+(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)\s*(\d{1,2})\s*(?:/|-|\.|\s+nam\s+)\s*(\d{4})\b"
)


def period_ends(text: str | None) -> List[date]:
    """Every "đến hết (ngày) dd/mm/yyyy" (or "dd tháng mm năm yyyy") in ``text``, in order, without repeats."""
    ends: List[date] = []
    for day, month, year in _END.findall(fold(text or "").lower()):
        try:
            end = date(int(year), int(month), int(day))
        except ValueError:  # "đến hết ngày 31/02/2025": not a date, not read
            continue
        if end not in ends:
            ends.append(end)
    return ends


def lapsed_ends(text: str | None, today: date | None = None) -> List[date]:
    """The period ends of ``text`` that are already past ``today`` (a period "đến hết" a day includes that day)."""
    today = today or date.today()
    return [end for end in period_ends(text) if end < today]
