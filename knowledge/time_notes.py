"""The time limits a record's channel note states beyond the channel's headline time.

The portal's table gives one figure per channel, and the note beside it often says which case the figure is for
and what the others take: thai sản "6 ngày làm việc", with "Nhận hồ sơ từ NLĐ, người tham gia BHXH tự nguyện:
Tối đa 03 ngày làm việc" in the note; a first vehicle registration "7 ngày làm việc", with "Cấp chứng nhận đăng ký
xe: Không quá 02 ngày làm việc" (the 7 days are for auctioned and changed plates). Quoting the figure alone tells
most citizens a time that is not theirs. Plain Python: the record's words are returned as they stand.
"""

from __future__ import annotations

import re
from typing import List

from knowledge.vntext import fold

# A note's statements: its bullets ("+ ...", "- ..."), sentences and clauses after a semicolon.
_PARTS = re.compile(r"(?:^|\s)[-+•]\s+|(?<=[.;])\s+|\n+")
# A time limit: a number of days, working days, hours or months ("03 ngày làm việc", "24 giờ"), in folded text.
_TIME = re.compile(r"\b(\d{1,3})\s*(ngay lam viec|ngay|gio|thang|phut)\b")
# ... or a limit without a number ("cấp ngay", "ngay sau khi").
_AT_ONCE = re.compile(r"\bcap ngay\b|\bngay sau khi\b")
# Not a time limit of the procedure: the office's opening hours; a date ("01 tháng 7 năm 2025", "ngày 07/9/2023",
# which a fee's period of validity states); a fee ("Cấp lại do bị mất, rách, hỏng: 5.000.000 đồng").
_NOT_LIMIT = re.compile(
    r"\bthoi gian tiep nhan\b|\bgio hanh chinh\b|\bthu [2-7]\b|\bsang thu\b"
    r"|\b\d{1,2}\s+thang\s+\d{1,2}\b|\bthang \d{1,2} nam\b|\b\d{1,2}/\d{1,2}/\d{4}\b"
    r"|\bdong\b|\bphi\b")
# The portal's table run into the note: a channel's time (and fee) cell before the statement ("3 ngày làm việc
# Miễn phí Kể từ ngày nhận được hồ sơ hợp lệ, ..."), left out.
_CELL = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:ngày|giờ|tháng)(?:\s+làm việc)?\s+(?:[Mm]iễn phí\s+)?")
# A statement this long is a paragraph of procedure, not a time limit.
STATEMENT_MAX = 260
# At most this many statements: the reply stays readable in a chat.
STATEMENTS_MAX = 3


def _without_cell(part: str) -> str:
    """``part`` without a leading cell of the table; only before a capital: "16 ngày làm việc đối với công trình
    cấp I ..." is a statement whose time comes first."""
    m = _CELL.match(part)
    return part[m.end():] if m and part[m.end():m.end() + 1].isupper() else part


def _limits(folded: str) -> set:
    """The limits a folded text states, as (number, unit): "20 ngày" and "20 ngày làm việc" are not the same."""
    return {(int(n), unit) for n, unit in _TIME.findall(folded)}


def added_limits(headline: str, note: str) -> List[str]:
    """The statements of ``note`` that state a time limit ``headline`` does not: their own words, in order."""
    if not note:
        return []
    known = _limits(fold(headline or "").lower())
    found: List[str] = []
    for part in _PARTS.split(note):
        part = _without_cell(" ".join(part.split())).strip(" ;,")
        folded = fold(part).lower()
        # "1 giờ Thông tư số 60/2023 ...": what is left of a cell of the table is not a statement.
        # A part cut inside brackets ("UBND cấp xã: 04 ngày)") has lost what it is about.
        if not part or len(part) > STATEMENT_MAX or part[0].isdigit() or _NOT_LIMIT.search(folded) \
                or part.count("(") != part.count(")"):
            continue
        numbers = _limits(folded)
        if not numbers and not _AT_ONCE.search(folded) or numbers and numbers <= known:
            continue
        if part not in found:
            found.append(part.rstrip("."))
    return found[:STATEMENTS_MAX]
