"""Masking of personal data, for what the bot shows and for what it logs.

Citizens paste phone numbers, ID numbers and dossier codes into chat, and
officers' notes name people; none of them may reach a log file, a stored
record or another citizen's screen in clear. :func:`mask_record` (installed by
:func:`install_log_masking`) rewrites every log record of the action server
before any handler sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable

from knowledge.dossier_codes import CODE_PATTERN

# Vietnamese mobile and landline numbers: 0xxxxxxxxx, +84xxxxxxxxx, with optional separators.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# ID card (12 digits) and old identity card (9 digits) numbers, and any other long digit run.
_ID = re.compile(r"(?<!\d)\d{9,12}(?!\d)")
# Any run of digits broken by spaces, dots, dashes or brackets: "(028) 3823 4567", "(+84) 912-345-678",
# "912 345 678", "079 201 001 234". Nine digits or more of it is a phone or ID number.
_GROUPED = re.compile(r"(?<![\w])[(+]*\d[\d\s.\-()+]*\d\)?(?![\w])")
_MONEY = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")  # "100.000.000": an amount, not a number to hide


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'N***** V** A*': the initials only, enough for a citizen to recognise."""
    words = [w for w in (name or "").split() if w]
    return " ".join(w[0].upper() + "*" * (len(w) - 1) for w in words)


def mask_digits(value: str, keep: int = 0) -> str:
    """Replace every digit but the last ``keep`` with '*'."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    hidden = set(digits[: max(0, len(digits) - keep)])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _grouped(match: re.Match) -> str:
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if digits < 9 or _MONEY.match(found.strip()):
        return found
    return mask_digits(found)


def mask_phone_and_id(text: str) -> str:
    """Mask phone and ID numbers but keep dossier codes (a stored conversation still needs them)."""
    out, last = [], 0
    for code in CODE_PATTERN.finditer(text):  # "000.00.07.H29-251120-0042" is a code, not a phone number
        out += [_mask_numbers(text[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join([*out, _mask_numbers(text[last:])])


def _mask_numbers(text: str) -> str:
    text = _PHONE.sub(lambda m: mask_digits(m.group(0)), text)
    text = _ID.sub(lambda m: "*" * len(m.group(0)), text)
    return _GROUPED.sub(_grouped, text)


# A form of address or a role, then the person's name: "ông Nguyễn Văn An", "chị Bình", "công dân Lê Văn C".
_TITLED_NAME = re.compile(
    r"(?i:\b(?:ông|bà|anh|chị|cô|chú|bác|cháu|em|công dân|người nộp|người nhận|chủ hồ sơ|cán bộ|ong|ba|chi))"
    r"(?P<gap>\s+)(?P<name>(?:[^\W\d_]+[ \t]*){1,4})"
)


# Capitalised words that start the name of an office, not of a person: "cán bộ Trung tâm …", "ông Chủ tịch".
_INSTITUTION_WORDS = frozenset({
    "Trung", "Bộ", "Sở", "Phòng", "Ủy", "Uỷ", "UBND", "Công", "Cục", "Chi", "Văn", "Tòa", "Toà", "Viện", "Ban",
    "Hội", "Đội", "Trường", "Bệnh", "Kho", "Ngân", "Chủ", "Phó", "Giám", "Trưởng", "Tổng", "Cổng", "Bưu",
})


def _titled(match: re.Match) -> str:
    words = match["name"].split()
    if words and words[0] in _INSTITUTION_WORDS:
        return match.group(0)
    taken = []
    for word in words:
        if not word[0].isupper():
            break
        taken.append(word)
    if not taken:
        return match.group(0)
    rest = match["name"][len(" ".join(taken)):] if match["name"].startswith(" ".join(taken)) else ""
    head = match.group(0)[: match.start("name") - match.start(0)]
    return f"{head}{mask_name(' '.join(taken))}{rest}"


def mask_person_names(text: str, names: Iterable[str] = ()) -> str:
    """Mask the ``names`` given (the applicant's, from the export) and any capitalised name after a
    form of address ("ông", "chị", "công dân" …): "gọi chị Trần Thị Bình" -> "gọi chị T*** T** B***"."""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), mask_name(name), text, flags=re.IGNORECASE)
    return _TITLED_NAME.sub(_titled, text)


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """Mask dossier sequence numbers, phone and ID numbers and people's names inside free text."""
    text = mask_phone_and_id(CODE_PATTERN.sub(lambda m: f"{m['agency']}-{m['day']}-****", text))
    return mask_person_names(text, names)


def _mask_arg(arg: Any) -> Any:
    if isinstance(arg, str):
        return mask_text(arg)
    if isinstance(arg, (int, float)) and not isinstance(arg, bool):
        return mask_text(str(arg)) if abs(arg) >= 10**8 else arg
    if isinstance(arg, (dict, list, tuple)):
        return mask_text(repr(arg))
    return arg


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record's message and arguments in place (before any formatting)."""
    if isinstance(record.msg, str):
        record.msg = mask_text(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_mask_arg(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _mask_arg(v) for k, v in record.args.items()}
    return record


_installed = False


def install_log_masking() -> None:
    """Mask every log record the process creates, whichever logger or handler it goes to.

    A record factory rather than a handler filter: libraries add handlers of
    their own after start-up, and filters on a parent logger miss records of
    child loggers.
    """
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(make_record(*args, **kwargs))

    logging.setLogRecordFactory(masked_record)
    _installed = True
