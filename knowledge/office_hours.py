"""When a centre's officers are at work: opening spans per weekday, holidays, the next working day.

Plain functions over :class:`knowledge.schema.Centre`, in the centre's local
time (``ServiceDesk.utc_offset_hours``, UTC+7 for Viet Nam, a fixed offset, so
no time-zone database is needed).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import List, Tuple

from knowledge.schema import WEEKDAYS, Centre


def local(at: datetime, utc_offset_hours: int = 7) -> datetime:
    """``at`` (aware, or naive UTC) in the centre's local time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone(timedelta(hours=utc_offset_hours)))


def spans(centre: Centre, day: date) -> List[Tuple[time, time]]:
    """The opening spans of ``day``: none on a holiday or a day without hours."""
    if day in centre.holidays:
        return []
    opening = centre.hours.get(WEEKDAYS[day.weekday()], [])
    return [(time.fromisoformat(span[:5]), time.fromisoformat(span[6:])) for span in opening]


def is_open(centre: Centre, at: datetime, utc_offset_hours: int = 7) -> bool:
    """Whether ``at`` falls inside one of the centre's opening spans."""
    now = local(at, utc_offset_hours)
    return any(start <= now.time() < end for start, end in spans(centre, now.date()))


def next_working_day(centre: Centre, at: datetime, utc_offset_hours: int = 7) -> date | None:
    """The first day after ``at``'s local date on which the centre opens (None if it never does)."""
    day = local(at, utc_offset_hours).date()
    for _ in range(60):  # Tết and a weekend fit many times over
        day += timedelta(days=1)
        if spans(centre, day):
            return day
    return None


def vietnamese_day(day: date) -> str:
    """'thứ Hai 07/12/2026', 'Chủ nhật 13/12/2026'."""
    names = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
    return f"{names[day.weekday()]} {day.strftime('%d/%m/%Y')}"
