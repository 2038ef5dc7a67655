"""Ages and durations a text states, as ranges, and whether a rule's bounds allow them.

"Con tôi 4 tuổi" states an age of 4; "đóng BHXH hơn một năm" a duration above 12 months; "trẻ dưới 14 tuổi" an
age below 14. A curated question bounded "chưa đủ 12 tháng" does not answer a citizen who paid more than a year,
and one bounded "từ đủ 14 tuổi" does not answer a child of 4. Years and months are one measure (a year is 12
months), so "dưới 1 năm" bounds "quá hạn 7 tháng". Numbers may be written in words ("hai năm", "mười hai tháng").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Dict, List, Tuple

from knowledge.vntext import fold

Range = Tuple[float, float]  # inclusive; whole numbers, so "dưới 14" is up to 13.5
Stated = Dict[str, Range | None]  # by measure; None: two values that do not agree, no bound can be read

_UNITS = "tuoi|thang|nam|ngay"
# Measure and factor of each unit: a year of age is not a year paid.
_MEASURE = {"tuoi": ("tuoi", 1), "thang": ("thang", 1), "nam": ("thang", 12), "ngay": ("ngay", 1)}
# A number after "tháng", "ngày" or "năm" is a date ("từ tháng 3 năm nay"), not a quantity.
_NOT_DATE = r"(?<!thang )(?<!ngay )(?<!nam )"
_QUANTITY = re.compile(rf"\b{_NOT_DATE}(\d{{1,3}})\s+({_UNITS})\b")
# The words of a bound before a number, folded, and which side of the number they keep: "lt" below ("dưới 14",
# "chưa đủ 6", "chưa được 6"), "le" at most, "gt" above, "ge" at least. The passage index reads the same table.
BOUNDS = {
    "duoi": "lt", "chua du": "lt", "chua duoc": "lt", "it hon": "lt",
    "khong qua": "le", "toi da": "le",
    "tren": "gt", "qua": "gt", "hon": "gt",
    "tu du": "ge", "tu": "ge", "du": "ge", "it nhat": "ge", "toi thieu": "ge",
}
_BOUND = re.compile(rf"\b({'|'.join(BOUNDS)})\s+(\d{{1,3}})\s+({_UNITS})\b")
# "trong 12 tháng trước khi sinh", "24 tháng trước khi nghỉ việc": the window a rule counts in, which citizens
# repeat, not what they paid or how old they are.
_WINDOW = re.compile(
    r"\b(?:trong|trong vong|trong thoi gian)\s+(\d{1,3})\s+(?:thang|nam)\s+(?:truoc|lien ke|gan nhat)\b"
    r"|\b(\d{1,3})\s+(?:thang|nam)\s+(?:truoc khi|lien ke truoc)\b")

# Numbers in words, as written with marks; unmarked only where the syllable means nothing else before a unit
# ("sau tháng 5" is "after May", "nam" may be "năm" the year).
_DIGITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7,
           "bẩy": 7, "tám": 8, "chín": 9, "mot": 1, "bon": 4, "bay": 7, "chin": 9}
_TEN = {"mười", "muoi", "mươi"}
_NUMBER_WORD = "|".join(sorted({*_DIGITS, *_TEN}, key=len, reverse=True))
_SPELLED = re.compile(rf"(?<!\w)((?:(?:{_NUMBER_WORD})\s+)+)(?=(?:tuổi|tháng|năm|ngày|tuoi|thang|nam|ngay)(?!\w))")
_HALF_YEAR = re.compile(r"(?<!\w)(?:nửa|nua)\s+(?:năm|nam)(?!\w)")


def _value(words) -> int | None:
    """The number a run of number words says ("hai mươi tư" 24, "mười hai" 12, "năm" 5), else None."""
    tens, units, seen_ten = 0, 0, False
    for w in words:
        if w in _TEN:
            if seen_ten:
                return None
            tens, seen_ten = (units or 1) * 10, True
            units = 0
        elif w in _DIGITS:
            if units and not seen_ten:
                return None  # "hai ba năm": two or three, not a number
            units = _DIGITS[w]
        else:
            return None
    return tens + units


def _spelled_out(text: str) -> str:
    """The text with numbers written in words before a unit written in digits: "hơn một năm" is "hơn 1 năm"."""
    text = _HALF_YEAR.sub("6 tháng", text)

    def digits(m: re.Match) -> str:
        value = _value(m.group(1).split())
        return f"{value} " if value else m.group(0)

    return _SPELLED.sub(digits, text)


# An age glued to its unit, as citizens type it: "e 24t", "con 6t"; not "3.5t" (tonnes).
_GLUED_AGE = re.compile(r"(?<![\w.,])(\d{1,3})t\b")


@lru_cache(maxsize=65536)  # a curated question's phrasings are read against every message that meets them
def _folded(text: str) -> str:
    folded = fold(_spelled_out(unicodedata.normalize("NFC", text).lower()))
    return " ".join(_GLUED_AGE.sub(r"\1 tuoi", folded).split())


# "đang mang thai được 4 tháng", "bầu 7 tháng": how far along a pregnancy is, not how long one paid; a measure of
# its own ("đã tham gia BHXH được 2 năm và đang mang thai được 4 tháng" states 24 months paid, nothing else).
_PREGNANT = re.compile(r"\b(?:mang thai|co thai|mang bau|co bau|bau|thai)(?:\s+(?:duoc|da|khoang|gan|hon|tam))?\s+$")
PREGNANCY = "thai"


def _in_measure(value: int, unit: str, before: str = "") -> Tuple[str, float]:
    """The measure and value of a quantity; ``before``: the text before it, which may say it is a pregnancy's."""
    measure, factor = _MEASURE[unit]
    if measure == "thang" and _PREGNANT.search(before[-40:]):
        return PREGNANCY, float(value)
    return measure, float(value * factor)


def _bound(word: str, value: float) -> Range:
    side = BOUNDS[word]
    if side == "lt":
        return float("-inf"), value - 0.5
    if side == "le":
        return float("-inf"), value
    if side == "gt":
        return value + 0.5, float("inf")
    return value, float("inf")


def _meet(a: Range, b: Range) -> Range | None:
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low <= high else None


def quantities(text: str) -> Stated:
    """Ages and durations the message states, as ranges by measure ("tuoi", "thang", "ngay"): "con tôi 4 tuổi"
    (4, 4), "quá hạn 7 tháng" (7, 7), "đóng hơn một năm" (12.5, inf), "trẻ dưới 14 tuổi" (-inf, 13.5). A measure
    stated with values that do not agree ("đóng 4 tháng, nghỉ 2 tháng") is ``None``."""
    folded = _folded(text)
    windows = {m.start(1) if m.group(1) else m.start(2) for m in _WINDOW.finditer(folded)}
    ranges: Dict[str, list] = {}
    bounded = set()
    for m in _BOUND.finditer(folded):
        bounded.add(m.start(2))
        if m.start(2) in windows:
            continue
        measure, value = _in_measure(int(m.group(2)), m.group(3), folded[:m.start()])
        ranges.setdefault(measure, []).append(_bound(m.group(1), value))
    for m in _QUANTITY.finditer(folded):
        if m.start(1) in bounded or m.start(1) in windows:
            continue
        measure, value = _in_measure(int(m.group(1)), m.group(2), folded[:m.start()])
        ranges.setdefault(measure, []).append((value, value))
    found: Stated = {}
    for measure, found_ranges in ranges.items():
        exact = {r for r in found_ranges if r[0] == r[1]}
        if len(exact) > 1:
            found[measure] = None
            continue
        joint: Range | None = (float("-inf"), float("inf"))
        for r in found_ranges:
            joint = _meet(joint, r) if joint is not None else None
        found[measure] = joint
    return found


def bounds_in(text: str) -> List[str]:
    """The bounds a text states ("tu du 6 tuoi", "duoi 14 tuoi"), folded."""
    return [m.group(0) for m in _BOUND.finditer(_folded(text))]


def consistent(stated: Stated, rule_text: str) -> bool:
    """No bound of ``rule_text`` ("dưới 14 tuổi", "chưa đủ 12 tháng") excludes what the message states."""
    folded = _folded(rule_text)
    for m in _BOUND.finditer(folded):
        measure, value = _in_measure(int(m.group(2)), m.group(3), folded[:m.start()])
        if measure not in stated:
            continue
        have = stated[measure]
        if have is None or _meet(have, _bound(m.group(1), value)) is None:
            return False
    return True
