from datetime import date, datetime, timezone

import pytest

from knowledge.office_hours import is_open, next_working_day, vietnamese_day
from knowledge.schema import Centre

CENTRE = Centre(id="mot-cua", name="Trung tâm", hours={d: ["07:30-11:30", "13:30-17:00"] for d in
                                                      ("mon", "tue", "wed", "thu", "fri")},
                holidays=[date(2027, 1, 1)])


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("at, open_", [
    (utc(2026, 12, 1, 0, 30), True),    # Tuesday 07:30 in Viet Nam
    (utc(2026, 12, 1, 0, 29), False),
    (utc(2026, 12, 1, 5, 0), False),    # 12:00, lunch
    (utc(2026, 12, 1, 9, 59), True),    # 16:59
    (utc(2026, 12, 1, 10, 0), False),   # 17:00
    (utc(2026, 12, 5, 2, 0), False),    # Saturday
    (utc(2027, 1, 1, 2, 0), False),     # a holiday on a Friday
])
def test_office_hours_in_viet_nam_time(at, open_):
    assert is_open(CENTRE, at) is open_


def test_the_next_working_day_skips_weekends_and_holidays():
    assert next_working_day(CENTRE, utc(2026, 12, 4, 12)) == date(2026, 12, 7)  # Friday evening -> Monday
    assert next_working_day(CENTRE, utc(2026, 12, 31, 12)) == date(2027, 1, 4)  # 1/1 is a holiday
    assert vietnamese_day(date(2026, 12, 7)) == "thứ Hai 07/12/2026"


def test_bad_hours_are_refused():
    with pytest.raises(ValueError):
        Centre(id="x", name="x", hours={"monday": ["07:30-11:30"]})
    with pytest.raises(ValueError):
        Centre(id="x", name="x", hours={"mon": ["11:30-07:30"]})
