"""One-stop dossier codes: ``{agency code}-{yymmdd}-{NNNN}``, e.g. ``000.00.07.H29-261101-0042``.

Citizens copy codes from receipts and SMS with stray spaces, lower case or a
different dash; :func:`find_code` accepts those and returns the canonical
form. The agency part is the unit code of the national list of agencies:
groups of letters and digits separated by dots.
"""

from __future__ import annotations

import re
from datetime import date

from knowledge.vntext import normalize

FORMAT_HINT = "{mã đơn vị}-{năm tháng ngày nhận, 6 số}-{số thứ tự, 4 số}"
EXAMPLE_CODE = "000.00.07.H29-261101-0042"

_DASH = r"\s*[-‐‑‒–—_]\s*"
CODE_PATTERN = re.compile(
    r"(?<![\w.])"
    r"(?P<agency>[0-9a-z]{1,6}(?:\s*\.\s*[0-9a-z]{1,6}){1,5})"
    + _DASH
    + r"(?P<day>\d{6})"
    + _DASH
    + r"(?P<seq>\d{4})"
    r"(?![\w])",
    re.IGNORECASE,
)
# Something the citizen probably meant as a code: letters and digits joined by
# at least two dots or dashes, holding at least six digits.
_ATTEMPT = re.compile(r"[0-9a-z]+(?:\s*[.\-‐‑‒–—_]\s*[0-9a-z]+){2,}", re.IGNORECASE)


def _valid_day(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


def find_code(text: str) -> str | None:
    """The first well-formed dossier code in ``text``, canonicalised; ``None`` if there is none."""
    text = normalize(text or "").text
    for match in CODE_PATTERN.finditer(text):
        if not _valid_day(match["day"]):
            continue
        agency = re.sub(r"\s+", "", match["agency"]).upper()
        if not any(ch.isdigit() for ch in agency):
            continue
        return f"{agency}-{match['day']}-{match['seq']}"
    return None


def looks_like_code_attempt(text: str) -> bool:
    """Whether ``text`` holds something code-like that did not parse (to explain the format)."""
    return any(sum(ch.isdigit() for ch in m.group(0)) >= 6 for m in _ATTEMPT.finditer(text or ""))


def mask_code(code: str) -> str:
    """Hide the sequence number, the part that singles out one citizen's dossier, for logs."""
    agency, _, rest = code.rpartition("-")
    return f"{agency}-****" if agency else "****"

