"""Facts a citizen asks that no record's aspect holds, read from the question's words.

How long a paper stays valid ("hộ chiếu có thời hạn bao lâu"), by when something must be done ("sinh con bao lâu
thì phải làm khai sinh"), how long a leave or a benefit lasts ("nghỉ thai sản được bao lâu"). None of them is the
processing time, which "bao lâu" reads as otherwise. A curated question's phrasings and a citizen's message are
read alike, and the fact each asks is indexed as a word of its own (``fact_words``): "được hưởng trợ cấp thất
nghiệp bao lâu" names the procedure and asks only the duration, and the question that answers the duration is the
one that says it. Plain Python, no Rasa.
"""

from __future__ import annotations

import re
from typing import FrozenSet, Iterable, Tuple

from knowledge.shorthand import Shorthand
from knowledge.vntext import fold

VALIDITY, DEADLINE, DURATION = "validity", "deadline", "duration"
_HOW_LONG = r"(?:bao lau|may thang|bao nhieu thang|may ngay|bao nhieu ngay|may nam|bao nhieu nam)"
FACT_CUES = (
    (VALIDITY, re.compile(
        # not "vô thời hạn", "còn hạn sử dụng", "hết thời hạn", "không xác định thời hạn": what is said of a paper;
        # nor "trong thời hạn bao nhiêu ngày ... phải": a time limit to act (``DEADLINE``)
        r"(?<!vo )(?<!khong )(?<!con )(?<!het )(?<!qua )(?<!dinh )(?:"
        r"(?<!trong )\bthoi han\b(?!\s+(?:giai quyet|cap|lam|xu ly|thanh toan|tra ket qua|co ket qua|duoc nhan|nhan|nop"
        r"|dang ky|khai))"
        r"|\b(?:co gia tri|gia tri su dung|han su dung|han dung)\b"
        # "giấy xác nhận độc thân có hiệu lực bao lâu"; not "luật có hiệu lực từ ngày" (since when)
        r"|\bhieu luc\s+(?:trong\s+|la\s+)?" + _HOW_LONG + r"\b"
        r"|\b(?:dung|xai|su dung)\s+(?:duoc\s+)?(?:bao lau|may nam|bao nhieu nam)\b"
        # "(giấy cấp ở Đức) trong bao lâu mới còn dùng được": how long it stays usable, not when it is issued
        r"|\b(?:bao lau|may thang|bao nhieu thang|may ngay|bao nhieu ngay)\s+(?:(?:thi|moi)\s+)?(?:con|van)\s+"
        r"(?:dung|xai|su dung|gia tri|hieu luc)\b"
        r"|\bhan\s+(?:bao lau|may nam)\b"
        # "sổ hộ khẩu giấy còn giá trị không", "bằng cũ còn hiệu lực nữa ko": whether it still holds, asked
        r"|\b(?:con|van con)\s+(?:gia tri|hieu luc)(?:\s+su dung)?\s+(?:nua\s+)?(?:khong|ko|k|hok)\b)")),
    (DEADLINE, re.compile(
        # not "quá hạn bao lâu thì phải thi lại": what follows an expiry is a situation, not a deadline
        r"\bthoi han\s+(?:nop|dang ky|khai)\b"
        r"|(?<!qua han )(?<!het han )\b(?:bao lau|bao nhieu ngay)\s+(?:\w+\s+){0,3}?phai\b"
        r"|\b(?:cham nhat|han chot)\b|\btruoc (?:bao nhieu|may) ngay\b"
        # "phải đi đăng ký khai tử trong thời hạn bao lâu", "xóa hộ khẩu cho bố, hạn trong bao lâu"
        r"|\bphai\b(?:\s+\w+){0,6}?\s+trong\s+(?:thoi han\s+|vong\s+)?(?:bao lau|bao nhieu ngay|may ngay)\b"
        r"|(?<!thoi )\bhan\s+trong\s+(?:bao lau|bao nhieu ngay|may ngay)\b"
        # "trong thời hạn bao nhiêu ngày kể từ ngày mua phải làm thủ tục sang tên"
        r"|\btrong\s+(?:thoi han|vong)\s+(?:bao lau|bao nhieu ngay|may ngay)\b(?:\s+\w+){0,6}?\s+phai\b")),
    (DURATION, re.compile(
        # How long a leave or a benefit lasts, or how long one pays in or waits to get it: "nghỉ thai sản được bao
        # lâu", "hưởng trợ cấp thất nghiệp mấy tháng", "đóng bảo hiểm bao lâu thì được rút", "thường trú bao lâu
        # thì được nhập quốc tịch" (not "đăng ký thường trú trong bao lâu", a deadline). Not how long the
        # office takes: "(giải quyết) hưởng thai sản mất bao lâu", "... bao lâu thì có tiền", "bao lâu thì nhận".
        r"(?<!giai quyet )(?<!dang ky )\b(?:nghi|huong|linh|lanh|dong|tham gia|thuong tru|cu tru)\b"
        r"(?:\s+\w+){0,5}?\s+(?:duoc\s+)?(?:trong\s+)?"
        r"(?<!mat )(?<!het )(?<!ton )(?<!mat thoi gian )" + _HOW_LONG + r"\b"
        r"(?!\s+(?:(?:thi|moi|se|toi|em|minh|chung toi)\s+){0,3}(?:co|nhan|lay|xong|duoc cap|duoc giai quyet|duoc tra"
        r"|duoc nhan|ve)\b)")),
)

# How a record states a deadline the citizen must keep: a count of days or months ("Trong thời hạn 07 ngày", "chậm nhất
# 45 ngày", "trong vòng 30 ngày") from an event ("kể từ ngày ...", "trước khi ..."). Not the office's own time, which
# runs from receiving the file ("kể từ ngày nhận đủ hồ sơ hợp lệ, cơ quan ... thẩm định").
_STATED_DEADLINE = re.compile(
    r"\b(?:trong thời hạn|trong vòng|chậm nhất(?: là)?|không quá|thời hạn)\s+(?:là\s+)?\d+\s*(?:\([^)]{1,20}\)\s*)?"
    r"(?:ngày|tháng)\b(?:(?!\.\s).){0,80}?\b(?:kể từ|trước khi|trước ngày|sau khi)\b",
    re.IGNORECASE)
# The office's time: from a file, a letter or an application it receives, or ending in what it decides.
_OFFICE_TIME = re.compile(
    r"\b(?:nhận|nhận được|tiếp nhận|thụ lý)\s+(?:đủ\s+|đầy đủ\s+)?"
    r"(?:hồ sơ|văn bản|đơn|đề nghị|báo cáo|tờ khai|quyết định|tài liệu)\b"
    r"|\bhồ sơ hợp lệ\b|\bthẩm định\b|\btrả kết quả\b|\bgiải quyết\b|\bxem xét\b|\bchấp thuận\b"
    r"|\bkiểm tra\b|\bđánh giá\b|\blấy ý kiến\b|\bquyết định (?:cấp|công nhận|cho phép)\b", re.IGNORECASE)
# Whose duty it is: the citizen's deadline says it must be kept.
_DUTY = re.compile(r"\b(?:phải|có trách nhiệm|có nghĩa vụ)\b", re.IGNORECASE)


# An office named between the deadline and the duty is whose duty it is ("…, Sở Tư pháp có trách nhiệm …").
_OFFICE = re.compile(r"\b(?:sở|cục|bộ|cơ quan|ủy ban|ubnd|chi cục|ngân hàng nhà nước|công an|phòng|trung tâm|hội đồng"
                     r"|tòa án|đoàn|văn phòng|kho bạc|chủ đầu tư)\b", re.IGNORECASE)


def states_deadline(text: str) -> bool:
    """A record's passage states a deadline the citizen keeps (``_STATED_DEADLINE``, then a duty no office named
    before it holds), not the office's time."""
    found = _STATED_DEADLINE.search(text)
    if found is None or _OFFICE_TIME.search(text):
        return False
    duty = _DUTY.search(text, found.end())
    return duty is not None and not _OFFICE.search(text, found.start(), duty.start())


def deadline_event(text: str) -> str:
    """What a stated deadline runs from, to the clause's end: "ngày xe hết niên hạn sử dụng" of "Trong thời hạn 07
    ngày làm việc, kể từ ngày xe hết niên hạn sử dụng, xe hư hỏng …"; "" when none is stated."""
    found = _STATED_DEADLINE.search(text)
    if found is None:
        return ""
    return re.split(r"[,;.]|\bthì\b", text[found.end():], maxsplit=1)[0].strip()


# A fact asked, as the word it is indexed as: "fact_validity", "fact_deadline", "fact_duration".
FACT_WORD_PREFIX = "fact_"


def cue_text(shorthand: Shorthand, text: str) -> str:
    """The text as the cues read it: folded, shorthand written out, punctuation as spaces."""
    words = shorthand.expand_folded(fold(text).lower().split())
    return " ".join(" ".join(re.sub(r"[^\w\s]", " ", w) for w in words).split())


def facts_asked(shorthand: Shorthand, text: str) -> FrozenSet[str]:
    """The facts of ``FACT_CUES`` the text asks."""
    folded = cue_text(shorthand, text)
    return frozenset(fact for fact, cue in FACT_CUES if cue.search(folded))


def fact_words(facts: Iterable[str]) -> Tuple[str, ...]:
    """The words the facts are indexed as, in a fixed order."""
    return tuple(FACT_WORD_PREFIX + f for f in sorted(facts))


def facts_of(words: Iterable[str]) -> FrozenSet[str]:
    """The facts ``fact_words`` made these words of (other words left out)."""
    return frozenset(w[len(FACT_WORD_PREFIX):] for w in words if w.startswith(FACT_WORD_PREFIX))


# How much a benefit pays, a tax takes or a fine costs: "sinh con được hưởng bao nhiêu tiền thai sản", "hộ kinh
# doanh 1 năm phải đóng thuế bn tiền", "mức hưởng là bao nhiêu". None of them is the procedure's fee, and no record
# states it; not indexed as a fact word, so that it never raises a curated question's cover.
_AMOUNT = re.compile(
    r"\b(?:huong|linh|lanh|tro cap|thue|phat|boi thuong|chi tra|nhan duoc|duoc nhan)\b(?:\s+\w+){0,5}?\s+(?:duoc\s+)?"
    r"(?:bao nhieu|may trieu|may tram|may phan tram)\b(?!\s+(?:ngay|thang|nam|lau|tuoi)\b)"
    r"|\bmuc (?:huong|tro cap|phat|thue)\b|\bduoc bao nhieu tien\b"
    # "bhxh trả tiền thai sản đc bao nhiêu", "tính theo lương nào": what the insurer pays, not what the citizen does
    r"|\b(?:bao hiem xa hoi|bao hiem|co quan bao hiem)\s+(?:se\s+)?(?:tra|chi|thanh toan)\b(?:\s+\w+){0,5}?\s+"
    r"(?:duoc\s+)?(?:bao nhieu|may trieu)\b(?!\s+(?:ngay|thang|nam|lau|tuoi)\b)|\btinh theo (?:muc\s+)?luong\b")


# A price another party sets: a private clinic's health check, a service that does the papers for you ("thuê dịch
# vụ làm sổ đỏ trọn gói"), a lawyer's or a private school's charge, the postage of a result sent home ("ship hộ chiếu
# về nhà qua bưu điện tốn bao nhiêu"). The record states the state's fee only; quoting it for "khám sức khỏe để đổi
# bằng lái ở phòng khám tư thì giá bn" answers another price. "dịch vụ công" and "dịch vụ bưu chính" are the state's
# own channels, and a "doanh nghiệp tư nhân" is a kind of business whose registration has a fee. A shop's price too:
# "chụp ảnh thẻ 4x6 làm hộ chiếu ở tiệm giá bao nhiêu" is the photographer's, not the passport's fee.
_PRIVATE = re.compile(
    r"\b(?:phong kham tu|(?<!doanh nghiep )tu nhan|tron goi|kham dich vu|phi luat su|(?:o|tai|ngoai) tiem"
    r"|tiem (?:chup anh|anh|photo)|quan photo"
    r"|thue (?:nguoi|luat su|van phong|cong ty|cty|ben)|dich vu lam|ship|tien cuoc|cuoc phi|chuyen phat"
    r"|(?:thue|ben|qua|cong ty|cty|co so|goi)\s+dich vu(?!\s+(?:cong|buu chinh|chung thuc))|dich vu nao)\b")
_PRICE = re.compile(r"\b(?:bao nhieu|may trieu|may tram|gia (?:the nao|ra sao|khoang))\b"
                    r"(?!\s+(?:ngay|thang|nam|lau|tuoi|gio|tuan|lan)\b)")


# Which provider or office is best: "thi bằng lái B ở trung tâm nào ở HN dễ đậu nhất", "dịch vụ làm hộ chiếu bên
# nào uy tín", "làm cccd ở công an phường nào nhanh nhất, ít người nhất". No record ranks the places that do it, nor
# says what makes a test or a visa easy to pass; "nơi nào gần nhất" asks where, which a record states.
_RANKING = re.compile(
    r"\bnao\b(?:\s+\w+){0,8}?\s+(?:tot|re|nhanh|de|it nguoi)\s+nhat\b|\b(?:uy tin|de dau|ti le dau|ty le dau)\b")


def asks_ranking(shorthand: Shorthand, text: str) -> bool:
    """Whether the text asks which provider or office is best, or what makes a test easy to pass (no record says)."""
    return bool(_RANKING.search(cue_text(shorthand, text)))


# How long the queue at the office is: "làm hộ chiếu ở phòng xuất nhập cảnh thường phải xếp hàng bao lâu", "bốc số
# chờ bao lâu mới tới lượt". No record states it; the processing time runs from the file's receipt. Folded, "xếp
# hàng" is also "xếp hạng" (ranking a relic or a hotel, which records do): only with how long it takes.
_QUEUE = re.compile(r"\bxep hang\s+(?:cho\s+)?(?:bao lau|lau|may tieng|bao nhieu tieng)\b|\b(?:boc so|lay so thu tu)\b"
                    r"|\b(?:cho|doi)\s+(?:\w+\s+){0,3}?(?:den|toi)\s+luot\b")


def asks_queue(shorthand: Shorthand, text: str) -> bool:
    """Whether the text asks how long one queues or waits one's turn at the office (no record says)."""
    return bool(_QUEUE.search(cue_text(shorthand, text)))


def asks_amount(shorthand: Shorthand, text: str) -> bool:
    """Whether the text asks how much a benefit pays, a tax takes, a fine costs or another party charges (not the
    procedure's fee)."""
    folded = cue_text(shorthand, text)
    return bool(_AMOUNT.search(folded) or _PRIVATE.search(folded) and _PRICE.search(folded))
