"""Whether a procedure can be done away from where one lives, as its record says, and whether a question asks it.

Citizens who work far from home ask it more than anything else about where: "làm lại ở Bình Dương dc ko hay
phải về quê", "có phải quay về Hà Nội đổi căn cước không", "đến nơi tạm trú vẫn làm được không". The answer is in
the procedure's record when the record says where to submit: "Công an cấp xã ... trong cả nước, không phụ thuộc
vào nơi cư trú" (anywhere), "Cơ quan đăng ký kinh doanh cấp xã bất kỳ trong phạm vi tỉnh" (anywhere within the
province), or "nơi thường trú" (there only). Plain Python, no Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Tuple

from knowledge.facts import cue_text
from knowledge.places import PLACE, Places
from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.vntext import fold

HERE, HOME = "here", "home"

# Where a citizen lodges: "nơi tôi đang ở trọ", "chỗ đang ở trọ".
_LODGING = r"noi (?:\w+\s+)?(?:dang\s+)?o tro|cho (?:dang\s+)?o tro"
# Where a citizen says they would go instead of home: "ở đây", "nơi tạm trú", "tỉnh khác", "Bình Dương".
_THERE = (r"(?:(?:cong an|uy ban(?: nhan dan)?)\s+)?(?:(?:xa|phuong|huyen|tinh)\s+)?"
          r"(?:day|noi (?:tam tru|dang o|minh o|o hien tai|o|lam viec|hien tai)|" + _LODGING +
          r"|(?:tinh|thanh pho|xa|phuong|huyen|noi) khac|khac (?:tinh|huyen)"
          # "chỗ đang trọ", "chỗ e ở"
          r"|cho (?:(?:em|toi|minh|anh|chi|chau)\s+)?(?:dang\s+)?(?:tam tru|tro|o)|"
          + PLACE + r"|bat ky|bat ki|gan nha)")
# Home: "quê", "nơi thường trú", "địa phương", "hộ khẩu", a province named.
_HOME = r"(?:que|noi (?:thuong tru|cu tru|dang ky|cap|lam)|cho thuong tru|dia phuong|ho khau|cho cu|" + PLACE + r")"
_ASKS = (
    # "có phải về quê không", "bắt buộc phải quay về Hà Nội", "có cần về nơi thường trú làm không"
    # (with the yes or no around it, so that what else the question asks can be read: ``without_elsewhere``)
    (HOME, re.compile(r"(?:\bco\s+)?\b(?:phai|bat buoc|can|buoc phai)\s+(?:\w+\s+){0,2}?(?:quay\s+|tro\s+|di\s+)?"
                      r"(?:ve|lai)\s+(?:\w+\s+){0,1}?" + _HOME + r"\b(?:(?:\s+\w+){0,8}?\s+(?:khong|ko|k|hok)\b)?")),
    # "có bắt buộc nộp ở xã nơi đặt cửa hàng không", "phải làm tại nơi thường trú à"
    (HOME, re.compile(r"\b(?:bat buoc|phai|buoc phai)\s+(?:\w+\s+){0,2}?(?:o|tai)\s+(?:\w+\s+){0,1}?(?:noi|que|"
                      + PLACE + r")\b(?:\s+\w+){0,5}?\s+(?:khong|ko|k|hok|a|ha)\b")),
    # "về quê làm có được không": the same question, put the other way
    (HOME, re.compile(r"\bve\s+" + _HOME + r"\s+(?:\w+\s+){0,4}?(?:duoc|moi duoc)\s+(?:khong|ko|k|hok)\b")),
    # "làm lại ở đây được không", "nộp ở tỉnh khác được không", "ở Bình Dương làm được không"
    # "làm lại ngay tại đây hay phải về quê": here asked first, home as the alternative
    (HERE, re.compile(r"\b(?:o|tai|den|sang|qua)\s+" + _THERE + r"\b(?:\s+\w+){0,6}?\s+"
                      r"(?:duoc|dc|hay\s+(?:la\s+)?(?:phai|bat buoc|buoc phai|can))\b")),
    # "có thể xin cấp lại sổ ở BHXH Đồng Nai không", "có làm ở nơi tạm trú không", "có thể làm lại tại công an
    # phường ở Bắc Ninh hay bắt buộc phải về quê"
    (HERE, re.compile(r"\bco (?:the\s+)?(?:\w+\s+){0,8}?(?:o|tai|den)\s+(?:\w+\s+){0,4}?(?:" + PLACE
                      + r"|que|day|noi tam tru|noi dang o|" + _LODGING
                      + r")\s+(?:(?:duoc\s+)?(?:khong|ko|k|hok)|hay)\b")),
    # "xin cấp lại sổ ở bhxh quê dc ko": an office named at the place
    (HERE, re.compile(r"\b(?:o|tai)\s+(?:co quan\s+)?(?:bao hiem xa hoi|bhxh|cong an|uy ban nhan dan|ubnd|uy ban)\s+"
                      r"(?:\w+\s+){0,2}?(?:" + PLACE + r"|que)\s+(?:\w+\s+){0,3}?(?:duoc|dc)\s+(?:khong|ko|k|hok)\b")),
    # "làm thẻ mới ở công an phường nơi e ở trọ dc ko hay bắt buộc phải về quê": can it be done here, whatever the
    # place is called, asked before home
    (HERE, re.compile(r"\b(?:(?:duoc|dc)\s+)?(?:khong|ko|k|hok)\s+hay\s+(?:la\s+)?(?:bat buoc\s+|bat\s+|buoc\s+)?"
                      r"(?:phai\s+)?(?:quay\s+|tro\s+)?ve\s+(?:\w+\s+){0,1}?" + _HOME + r"\b")),
    # "làm căn cước khác tỉnh được không"
    (HERE, re.compile(r"\bkhac (?:tinh|huyen|xa|phuong)\s+(?:duoc|dc)\s+(?:khong|ko|k|hok)\b")),
    # "đến nơi tạm trú vẫn làm được", "ở đâu cũng được", "làm ở bất kỳ tỉnh nào"
    (HERE, re.compile(r"\bnoi tam tru\b(?:\s+\w+){0,4}?\s+(?:van\s+)?(?:lam|nop|xin|doi|cap)\b"
                      r"|\bo dau cung (?:duoc|dc|lam duoc)\b|\bbat (?:ky|ki) (?:tinh|noi|dau|tinh thanh)\b")),
)


# A question about where that is about something else first: someone else doing it ("ủy quyền cho em gái ở quê
# đi xin giúp có được không"), or doing it once more ("thành lập thêm một hộ kinh doanh nữa ở Bắc Ninh").
_OTHER = re.compile(r"\buy quyen\b|\bnho (?:nguoi|ban|em|anh|chi|co|chu|bac|ong|ba|me|bo)\b"
                    r"|\b(?:lam|xin|nop|di) (?:giup|thay)\b|\bthem (?:\w+\s+){0,4}?nua\b")


def _read(shorthand: Shorthand, places: Places, text: str) -> str:
    """The text as the cues read it (``cue_text``), each place name as one word."""
    return " ".join(places.fold_in(cue_text(shorthand, text).split()))


def asks_elsewhere(shorthand: Shorthand, places: Places, text: str) -> str | None:
    """``HOME`` when the question asks whether one must go back home to do it, ``HERE`` when it asks whether it can
    be done where one is; the first asked when it asks both ("làm lại ở đây dc ko hay phải về quê"); else None."""
    read = _read(shorthand, places, text)
    if _OTHER.search(read):
        return None
    found = [(m.start(), kind) for kind, cue in _ASKS for m in [cue.search(read)] if m]
    return min(found)[1] if found else None


def without_elsewhere(shorthand: Shorthand, places: Places, text: str) -> str:
    """The question as the cues read it (folded, places as one word) without its asking whether it can be done away
    from home: what else it asks."""
    read = _read(shorthand, places, text)
    for _, cue in _ASKS:
        read = cue.sub(" ", read)
    return " ".join(read.split())


# What a record says that lets one submit away from home.
_ANYWHERE = re.compile(
    r"khong phu thuoc (?:vao )?noi cu tru|trong ca nuoc|tren ca nuoc"
    r"|noi thuan loi|bat ky (?:tinh|uy ban nhan dan|cong an)|o bat ky|cap xa bat ky"
    r"|bat ky (?:co quan|bo phan|phong|so|noi|dia diem)[^.;]{0,40}? nao")
_PROVINCE_ONLY = re.compile(r"trong pham vi (?:cap )?(?:tinh|thanh pho)")
STATEMENT_MAX = 320


@dataclass(frozen=True)
class Statement:
    """A statement of the record about where one submits: that one may submit away from home (``anywhere``), or
    to which office (``submitted_at``)."""

    text: str
    where: str  # the part of the record it is read from ("Nơi nộp hồ sơ", "Cách thức thực hiện", "Bước 1")
    province_only: bool = False  # "bất kỳ trong phạm vi tỉnh": anywhere within the province, not the country


def _fields(proc: Procedure) -> Iterator[Tuple[str, str]]:
    yield "Nơi nộp hồ sơ", proc.where_to_submit
    for channel in proc.channels:
        yield "Cách thức thực hiện", channel.note
    for n, step in enumerate(proc.steps, 1):
        yield f"Trình tự thực hiện (bước {n})", step


def anywhere(proc: Procedure) -> Statement | None:
    """The first sentence of the record (where to submit, the channels, the steps) that lets one submit away from
    home, or None when it says no such thing. A long sentence is cut to the words around the statement."""
    for where, text in _fields(proc):
        if not text:
            continue
        folded = fold(text).lower()  # same length as the text: offsets carry over
        m = _ANYWHERE.search(folded)
        if not m:
            continue
        piece, sentence = _around(text, folded, m)
        return Statement(piece, where, bool(_PROVINCE_ONLY.search(sentence)))
    return None


# A step that says to whom the dossier goes: "Chủ đầu tư nộp bộ hồ sơ ... cho Trung tâm phục vụ hành chính công cấp
# xã", "nộp trực tiếp hoặc gửi qua đường bưu chính đến Cục Cảnh sát ...". 2,274 of the 2,674 records leave "Địa
# chỉ tiếp nhận" empty; in 1,482 of them a step names the office.
_OFFICE = (r"trung tam|bo phan|uy ban|ubnd|cong an|so|phong|co quan|chi cuc|cuc|bo|kho bac|bao hiem xa hoi"
           r"|van phong|toa an|ngan hang|hai quan|chi nhanh|dai su quan|tong cuc|vien")
_SUBMITTED = re.compile(r"\b(?:nop|gui)\b[^.;\n]{0,120}?\b(?:tai|cho|den|toi|ve)\s+(?:" + _OFFICE + r")\b")


def submitted_at(proc: Procedure) -> Statement | None:
    """The first step of the record that says where the dossier is submitted, cut to the words around it, or
    None."""
    for n, step in enumerate(proc.steps, 1):
        folded = fold(step).lower()
        m = _SUBMITTED.search(folded)
        if m:
            return Statement(_around(step, folded, m)[0], f"Trình tự thực hiện (bước {n})")
    return None


# Where a sentence or clause ends; not the point of a numbered division ("tại mục 9.3 (Thành phần hồ sơ) và nộp cho
# cơ quan BHXH" is one clause).
_SENTENCE_END = re.compile(r"[;\n]|\.(?!\d)")


def _around(text: str, folded: str, m: re.Match) -> Tuple[str, str]:
    """The statement ``m`` found, cut to ``STATEMENT_MAX`` characters around it within its sentence, and the
    whole sentence (folded)."""
    cuts = [b.start() for b in _SENTENCE_END.finditer(folded)]
    start = max((i for i in cuts if i < m.start()), default=-1) + 1
    end = min((i for i in cuts if i >= m.end()), default=len(text))
    lo, hi = max(start, m.start() - STATEMENT_MAX // 2), min(end, m.end() + STATEMENT_MAX // 2)
    piece = text[lo:hi]
    if lo > start:
        piece = "… " + piece.split(" ", 1)[-1]
    if hi < end:
        piece = piece.rsplit(" ", 1)[0] + " …"
    return " ".join(piece.split()).strip("-+,: "), folded[start:end]
