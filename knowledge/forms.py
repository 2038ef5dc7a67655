"""The forms (mẫu đơn, tờ khai) a procedure's papers name: "dùng tờ khai mẫu nào" is answered from them.

A paper names a form when its text gives the form's number ("mẫu TK01a dành cho người chưa đủ 14 tuổi", "Mẫu số 1
Phụ lục số II Nghị định số 175/2024/NĐ-CP", "mẫu ĐKX10/79") or the portal lists a form code for it. A paper that
only says "(theo mẫu)" names none. For a curated entry the official record's papers are read: they quote the
form as the decision publishes it, where the curated paper may shorten it. Plain Python.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from knowledge.cases import guess_case
from knowledge.national import OverlaidProcedure
from knowledge.schema import Paper, Procedure
from knowledge.shorthand import Shorthand

# "dùng tờ khai mẫu nào", "làm đơn theo mẫu nào", "phải nộp tờ khai gì", "mẫu khai báo ... quy định như thế nào":
# which form, in folded words with shorthand expanded (``knowledge.facts.cue_text``). Not "đơn vị nào" (which office)
# nor "đơn giản".
ASKS_FORM = re.compile(
    r"\b(?:mau|to khai|don(?!\s+(?:vi|gian|thuan|hang|le)\b))\b(?:\s+\w+){0,4}?\s+(?:nao|gi|j)\b"
    r"|\bmau\b(?:\s+\w+){0,6}?\s+(?:nhu the nao|ra sao)\b|\bmau (?:don|to khai)\b")
# "mẫu TK01a", "Mẫu số 1", "mẫu số 05/ĐK", "mẫu ĐKX10/79", "Mẫu CT01": a form named by its number or code.
_NAMED = re.compile(r"\bm[ẫa]u\s+(?:số\s+)?(?=[\w/.-]*\d)[\wĐđ/.-]+", re.IGNORECASE)
# A form code as the portal lists it: letters and digits ("TK01", "ĐKX10/79"), not a bare count ("1").
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-ZĐ])[A-ZĐ0-9][\w/.-]{1,15}$")
# "... khai và ký thay.Mau TK01a to khai tre em ...": the name of the form's file glued after the last sentence.
_ATTACHED = re.compile(r"\.(?=[A-ZĐ])\S.*$")
# "(Mẫu CT01 ...);1": the copies column of the portal's table run into the name.
_TRAILING_COUNT = re.compile(r";\s*\d+\s*$")
# A paper that is itself a form to fill in, named first: "Tờ khai thay đổi thông tin cư trú (mẫu CT01)" before a
# certificate whose long text mentions a form in passing.
_FILLED = re.compile(r"^(?:tờ khai|đơn|giấy khai|giấy đề nghị|đề nghị|văn bản ủy quyền|phiếu|bản khai|bản kê khai)\b",
                     re.IGNORECASE)
# A form line this long is cut at a word: the chat shows the form, not a paragraph of the decision.
LINE_MAX = 420
# At most this many forms.
FORMS_MAX = 4


def _line(paper: Paper) -> str | None:
    code = paper.form_code.strip()
    if _NAMED.search(paper.name):
        text = paper.name
    elif _CODE.match(code):
        text = f"{paper.name} (mẫu {code})"
    elif _NAMED.search(code):
        text = code  # "Tờ khai đăng ký khai sinh (mẫu ... số ...)": the portal's form name says more
    else:
        return None
    text = _ATTACHED.sub(".", " ".join(text.split()))
    text = _TRAILING_COUNT.sub("", text.lstrip("+-• ").rstrip(".")).rstrip(".")
    return text if len(text) <= LINE_MAX else text[:LINE_MAX].rsplit(" ", 1)[0] + " …"


def _forms(line: str) -> frozenset:
    """The forms a line names ("mẫu số 1", "mẫu ct01"), to tell one form's lines apart from another's."""
    return frozenset(" ".join(m.lower().replace("ẫ", "a").split()) for m in _NAMED.findall(line)) or frozenset({line})


def _source(proc: Procedure) -> Procedure:
    return proc.record if isinstance(proc, OverlaidProcedure) else proc


def form_case(proc: Procedure, text: str, shorthand: Shorthand) -> str | None:
    """The case of the record whose papers are read (``named_forms``) that the message describes, if one: "đăng ký
    người phụ thuộc ... tự nộp thẳng cho cơ quan thuế thì dùng tờ khai mẫu nào" is the dependant's registration
    made directly with the tax office, whose form is not the income payer's."""
    return guess_case(_source(proc), text, shorthand)


def named_forms(proc: Procedure, case_id: str | None = None) -> List[str]:
    """The lines of ``proc``'s papers that name a form, in order, without repeats; at most ``FORMS_MAX``. Only those
    of the record's case ``case_id`` (``form_case``) when it names one: the other cases' forms are not the citizen's."""
    found: List[Tuple[bool, str]] = []
    named: set = set()
    for case in _source(proc).cases:
        for paper in case.papers:
            line = _line(paper)
            # One line per form: a form several cases use ("Mẫu CT01" for each member's declaration) once.
            if line and _forms(line) not in named:
                named.add(_forms(line))
                found.append((case.id == case_id, line))
    if any(own for own, _ in found):
        found = [item for item in found if item[0]]
    found.sort(key=lambda item: not _FILLED.match(item[1]))  # stable: the record's order otherwise
    return [line for _, line in found[:FORMS_MAX]]
