"""What to do with a message once its procedure is known (or not): the routing of issue 17.

For each message one of:

- a curated situational question matches: answer it (yes or no first, with its article);
- it asks whether it can be done where the citizen is rather than at home, or online: answer where to submit
  (with what the record says of submitting anywhere) or how it is done online (``ELSEWHERE``, ``ONLINE``);
- it asks which form to fill in: the forms the record's papers name (``FORM``);
- it asks what the conditions are ("cần điều kiện gì để được tách hộ"): the record's conditions (``CONDITIONS``);
- it asks about a situation the record speaks to: quote that passage;
- it asks about a situation nothing we hold settles: say so, and where to ask;
- otherwise answer the aspect the NLU found (papers, fee, ...), or, with no
  procedure, ask which one or decline with a pointer (the caller does that).

A situation is a question whose distinguishing words (neither the procedure's
name, nor function words, nor the words of an aspect) remain once those are set
aside: "bằng lái quá hạn 7 tháng có phải thi lại không" keeps "quá hạn 7 tháng
thi lại" and is not answered with the papers of a reissue. Plain Python, tested
without Rasa; the thresholds are chosen on the development questions
(``tools/tune_qa.py``), never on the test set.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Dict, FrozenSet, List, Sequence, Set, Tuple

from knowledge.base import KnowledgeBase
from knowledge.facts import (
    DEADLINE,
    VALIDITY,
    asks_amount,
    asks_queue,
    asks_ranking,
    cue_text,
    deadline_event,
    fact_words,
    facts_asked,
    facts_of,
    states_deadline,
)
from knowledge.forms import ASKS_FORM, form_case, named_forms
from knowledge.passages import (
    ASPECT_WORDS,
    CASE,
    CONDITION,
    FUNCTION_WORDS,
    NOTE,
    PAPER,
    STEP,
    Hit,
    Passage,
    content_words,
    procedure_passages,
    without_aspect_phrases,
)
from knowledge.proxies import CLOSE_KIN, proxy_kin
from knowledge.quantities import consistent, quantities
from knowledge.questions import Question
from knowledge.residence import HERE, anywhere, asks_elsewhere, without_elsewhere
from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.variants import asked_variants, folded_words, name_variants, reissues, reports_loss, set_apart
from knowledge.vntext import (
    CLAUSE_BREAKS,
    canonical,
    fold,
    has_diacritics,
    question_part,
    split_sentences,
    without_courtesy,
)

QUESTION = "question"
PASSAGE = "passage"
UNKNOWN_SITUATION = "unknown_situation"
ASPECT = "aspect"
# "làm lại ở đây dc ko hay phải về quê": where to submit, with the record's word on submitting away from home.
ELSEWHERE = "elsewhere"
# "xin xác nhận cư trú trên vneid dc ko hay bắt buộc ra công an xã": whether and how it is done online.
ONLINE = "online"
# "làm hộ chiếu cho con 8 tuổi thì dùng tờ khai mẫu nào": the forms the record's papers name.
FORM = "form"
# "cần đáp ứng những điều kiện gì để được tách hộ": the conditions the record lists.
CONDITIONS = "conditions"
# The routes that answer about one procedure (the others decline, or leave the aspect to the NLU).
ANSWERING = (QUESTION, PASSAGE, ELSEWHERE, ONLINE, FORM, CONDITIONS)

# Chosen on the 105 development questions (python -m tools.tune_qa, a wrong answer costing four right ones):
# - 0.65 for a curated question of the procedure named (or of its candidates): 9 right, 0 wrong there;
#   0.5 gave 18 right but 4 wrong.
# - Every floor below 1 for a question of a procedure the message does not name added wrong answers
#   on the development set, so that never happens (1.01).
# - No development question reached a record passage at any floor from 0.4; 0.8 keeps quotes rare.
# On 2026-12-02 (203 development questions, 95 more curated questions) 0.6 scored better there (6 right,
# 12 partial, 3 wrong against 4, 9, 3), but it answered "đăng ký tạm trú cho con mèo có bị phạt không" with the
# penalty for not registering oneself (cover 0.601, tests/test_e2e_rest.py): 0.65 stays.
QUESTION_COVER = 0.65
QUESTION_COVER_UNSCOPED = 1.01
# A clause of a one-sentence question answers from ``QUESTION_COVER`` read alone only when the whole message covers
# the same question from this floor (``_polar_clause``). On the 2,294 development questions the clause reading
# without it answered 10 more (7 right or partly) and 5 wrong; the wrong ones were covered 0.40 to 0.62 whole, the
# right ones 0.54 to 0.87: 0.6 keeps 8 of those and 1 wrong.
CLAUSE_WHOLE_COVER = 0.6
# ... and no other question covers the whole message within this of it (the one wrong answer left above tied, 0.622
# and 0.622; the right ones led by 0.1 or more).
CLAUSE_RIVAL_MARGIN = 0.05
# A chat message asks two or three things in one sentence; a paste of dozens of comma-separated clauses is no such
# question, and reading each alone cost over a second.
CLAUSES_MAX = 4
PASSAGE_COVER = 0.8
# A curated answer that opens with "Có."/"Không." holds only for the situation its phrasing states, every
# qualifier of it: "anh chị em ruột" are exempt, "anh em họ" are not. Such an answer needs the message to say
# this share (weighted) of the phrasing's distinguishing words. On the development questions every value from
# 0.7 to 1.0 scored the same and 0 answered "anh em họ" with the exemption of "anh chị em ruột" (recall 0.66);
# 0.8 lets a phrasing keep one small word the citizen leaves out ("con tôi mới 10 tuổi", recall 0.83).
POLAR_RECALL = 0.8

# What makes a message a question about a situation rather than about a fact of the record.
_SITUATIONAL = re.compile(
    r"\b(?:co|ko|khong|k)\s+(?:bat buoc|phai|can|duoc|bi|sao|lam duoc)\b"
    r"|\b(?:duoc|dc|phai|bi)\s+(?:khong|ko|k|hok|ko a)\b"
    r"|\bneu\b|\btruong hop\b|\bthi sao\b|\bqua han\b|\bhet han\b|\bbi phat\b|\bphat\b"
    r"|\buy quyen\b|\bnho nguoi\b|\blam thay\b|\bdieu kien\b|\bbat buoc\b|\bthi lai\b"
    # "chưa được giải quyết tiền thai sản, khiếu nại ở đâu": a complaint about the procedure is not filing it
    r"|\bkhieu nai\b|\bto cao\b|\bkhoi kien\b|\bkien nghi\b"
    # "hàng xóm ... làm nứt tường nhà tôi mà không chịu bồi thường thì phải làm gì": a dispute, not the permit's steps
    r"|\bboi thuong\b|\btranh chap\b"
    # "lãi suất vay mua nhà ở xã hội là bao nhiêu": a bank's rate, not the procedure's facts
    r"|\blai suat\b"
    # "có ảnh hưởng gì không", "có giới hạn thời gian không": a yes or no about something; the router still
    # answers the aspect when every word of it is an aspect's ("có mất phí không").
    r"|\bco\s+(?:\w+\s+){1,6}?(?:khong|ko|hok|chua)\b"
    # "pháp luật có buộc phải lấy ý kiến vợ anh ấy hay không": a yes or no, however far from its "có"
    r"|\bhay\s+(?:khong|ko|hok|chua)\b"
    # "sổ hộ khẩu giấy còn giá trị không", "bằng cũ còn dùng được ko": whether a paper still holds
    r"|\bcon\s+(?:gia tri|hieu luc|han|dung duoc|dung dc|su dung duoc|xai duoc)\b"
    r"(?:\s+\w+){0,3}?\s+(?:khong|ko|k|hok)\b"
    # "thi lý thuyết được sai tối đa mấy câu", "bao nhiêu tuổi thì được": a count or an age the rules set, which no
    # processing time or fee of the record answers
    r"|\b(?:may|bao nhieu)\s+(?:cau|diem|tuoi|lan|nguoi|lao dong)\b"
)


@dataclass(frozen=True)
class Route:
    kind: str
    procedure: Procedure | None = None
    question: Question | None = None
    passage: Passage | None = None
    cover: float = 0.0
    # UNKNOWN_SITUATION with no procedure: the close procedures the message may be about, offered, not answered.
    candidates: Tuple[Procedure, ...] = ()
    # ASPECT from ``further``: the facts of the record a further question of a letter asks ("lệ phí bao nhiêu").
    aspects: Tuple[str, ...] = ()
    # UNKNOWN_SITUATION from ``further``: the questions of the letter nothing we hold settles, in its words.
    unsettled: Tuple[str, ...] = ()
    # ELSEWHERE: whether the citizen asks if it can be done where they are ("here") or must be done at home ("home").
    elsewhere: str = ""
    # QUESTION: the yes or no its answer opens with, from whom the message says the citizen asks (``led``).
    lead: str = ""
    # QUESTION: the message asks it the other way round ("hợp đồng ko công chứng thì có dùng được không" of "có phải
    # công chứng không"): its answer is given without the yes or no it opens with (``reversed_ask``).
    bare: bool = False
    # FORM: the record's case whose forms alone are given (``knowledge.forms.named_forms``).
    case_id: str | None = None
    # UNKNOWN_SITUATION: the closest curated questions (procedure id, question), to offer, not to answer.
    nearby: Tuple[Tuple[str, Question], ...] = ()
    # ONLINE: the citizen asks whether it is done wholly online ("online hết được ko hay vẫn phải lên công an").
    wholly: bool = False


# How a question asks for a fact of the record, in folded words with shorthand expanded. Only explicit forms:
# "nghỉ bao lâu" (a leave) or "thanh toán chi phí khám bệnh" (a refund) ask for no fact of the record.
_ASPECT_CUES = (
    ("time", re.compile(
        r"\b(?:mat|het|ton)\s+(?:thoi gian\s+)?(?:bao lau|may ngay|bao nhieu ngay)\b"
        r"|\bbao lau\s+(?:(?:thi|moi|se|toi|em|minh|chung toi)\s+){0,3}(?:co|nhan|lay|xong|duoc cap|duoc giai quyet)\b"
        r"|\bsau bao lau\b|\bbao nhieu ngay (?:thi|moi|se) (?:co|xong|nhan)\b"
        # "mấy ngày có giấy chứng nhận", "bn ngày xong", "mấy ngày lấy dc"; not "bao nhiêu ngày có lương" (a leave)
        r"|\b(?:may|bao nhieu) ngay\s+(?:(?:thi|moi|se|la)\s+)?(?:co|nhan|lay|xong)\b"
        r"(?!\s+(?:luong|huong|phai|can|bi|duoc huong|nen)\b)"
        # "sổ bhxh bị mất làm lại bao lâu", "cấp đổi hết mấy ngày"; not "được nghỉ làm bao lâu" (a leave)
        # "đổi" not right before "bao lâu": "xếp hàng đợi bao lâu" waits in a queue
        r"|(?<!nghi )(?<!di )\b(?:lam|cap|xin|doi(?!\s+(?:bao lau|may ngay|bao nhieu ngay)\b))"
        r"\s+(?:lai|doi|moi)?\s*(?:thi\s+|la\s+)?(?:mat\s+|het\s+)?"
        r"(?:bao lau|may ngay|bao nhieu ngay)\b"
        r"|\b(?:thoi gian|thoi han)\s+(?:giai quyet|cap|lam|xu ly|thanh toan|tra ket qua|co ket qua)\b"
        # "bao lâu thì bhxh giải quyết xong", "mấy ngày bảo hiểm duyệt xong"; not "trong bao lâu" (a deadline)
        r"|(?<!trong )(?<!han )\b(?:bao lau|may ngay|bao nhieu ngay)\s+(?:\w+\s+){0,6}?(?:giai quyet|duyet|xu ly)\b"
        r"|\b(?:giai quyet|duyet|xu ly)\s+(?:xong\s+)?(?:trong\s+|mat\s+|het\s+)?(?:bao lau|may ngay|bao nhieu ngay)\b"
        # "mở cty tnhh 1 thành viên bao lâu?", "con 14 tuổi làm căn cước bao lâu?": a short message doing something,
        # for whom first, then "bao lâu"; not "tạm trú được bao lâu", "hạn bao lâu", "nghỉ bao lâu", "ở bao lâu" (a
        # validity, a deadline, a leave, a stay)
        r"|^(?:(?:con|be|chau|em|toi|minh)(?:\s+(?:toi|em|minh))?(?:\s+(?:vua\s+)?(?:du\s+)?\d+\s*t(?:uoi)?)?\s+)?"
        r"(?:lam|mo|xin|dang ky|thanh lap|cap|doi)\b(?:\s+(?!(?:duoc|han|nghi|o|gia|hieu|trong)\b)\w+){1,8}"
        r"\s+bao lau(?:\s+(?:vay|a|ad|nhi|the|ah))?$")),
    ("fee", re.compile(
        # "bảo hiểm chi trả bao nhiêu phần trăm", "được trả bao nhiêu": what a benefit pays, not a fee
        r"\ble phi\b|\b(?:mat|het|ton|nop|(?<!chi )(?<!duoc )tra)\s+(?:bao nhieu|la bao nhieu)(?!\s+phan tram)"
        r"\s*(?:tien|phi)?\b|\b(?:mat|ton)\s+phi\b"
        r"|\bphi\s+(?:bao nhieu|la bao nhieu|the nao|ra sao)\b|\b(?:nop|dong)\s+phi\b"
        r"|\bchi phi\s+(?:bao nhieu|la bao nhieu|het bao nhieu|nhu the nao|the nao|ra sao)\b")),
    ("papers", re.compile(
        r"\bgiay to\s+(?:gi|nao)\b|\bho so\s+(?:gi|nao|gom|bao gom|nhung gi|can nhung gi)\b"
        # "cần chuẩn bị những giấy tờ gì", "cần mang theo gì", "phải mang những gì"
        r"|\b(?:can|phai)\s+(?:chuan bi\s+|mang theo\s+|mang\s+)?(?:nhung\s+|cac\s+)?(?:giay to|gi)\b"
        # "sang tên mất bao lâu, nộp những gì?", "đăng ký lại khai tử cần nộp gì"
        r"|\bnop\s+(?:nhung\s+|cac\s+)?gi\b"
        r"|\bchuan bi\s+(?:nhung\s+|cac\s+)?(?:giay to|ho so|gi)\b|\bthanh phan ho so\b"
        r"|\bho so\b(?:\s+\w+){0,4}?\s+(?:nhu the nao|the nao|ra sao)\b"
        # "hồ sơ đăng ký hộ kinh doanh gồm những gì": the procedure named between
        r"|\b(?:ho so|giay to)\b(?:\s+\w+){0,6}?\s+(?:gom|bao gom)\s+(?:nhung\s+)?(?:gi|giay to gi)\b")),
    ("where", re.compile(r"\b(?:o|tai|den) (?:dau|cho nao)\b|\bco quan nao\b|\bnoi nao\b")),
    ("steps", re.compile(
        r"\bthu tuc\b(?:\s+\w+){0,8}?\s+(?:nhu the nao|the nao|ra sao|nhu nao)\b|\btrinh tu\b"
        r"|\b(?:phai|can|nen)\s+lam\s+(?:gi|the nao|sao|nhu the nao|nhung gi|thu tuc gi)\b"
        r"|\b(?:lam|thuc hien)\s+(?:nhung\s+|cac\s+)?thu tuc gi\b|\blam (?:the nao|cach nao|sao) de\b"
        r"|\bcac buoc\b|\bthuc hien\s+(?:nhu\s+)?(?:the nao|ra sao)\b")),
)


# A curated question asking the fact a message asks (its validity, its deadline) answers it from this cover on,
# lower than ``QUESTION_COVER``: the fact's own words are shared, the rest of both is mostly filler. Chosen on the
# 228 development questions (tools/tune_qa.py): 0.2 and 0.3 scored the same (6 right, 12 partial), 0.4 lost a
# partial answer, 0.65 a right one; no value changed the wrong answers.
FACT_COVER = 0.3
# How long a leave or a benefit lasts depends on which one, and a duration shares its few words with others: at
# ``FACT_COVER`` "đóng bảo hiểm bao lâu thì được rút bhxh một lần" got how much each year paid is worth (cover 0.61).
# A question asking the duration is preferred, but answers from ``QUESTION_COVER`` like any other. (On the 261
# development questions the low floor answered one more right, the husband's leave.)
FACTS_FROM_FACT_COVER = frozenset({VALIDITY, DEADLINE})
# A question asking a validity whose phrasings read as asking another fact of the record ("có giá trị bao lâu" holds
# "bao lâu", a processing time) answers a message asking the validity from this cover on. On the development
# messages the five it answered right covered them from 0.54 to 0.93; the two it answered wrong, 0.32 and 0.33 ("tạm
# giữ thời hạn bao lâu" is no temporary vehicle registration).
VALIDITY_READ_COVER = 0.5
# Phrasings read per query, best BM25 first. A question has up to eight phrasings: a few more than one
# question's worth, or the phrasings of one question crowd out the others ("con tôi 15 tuổi ..." lost
# "đủ 14 tuổi có phải làm căn cước không" behind the seven phrasings of the under-14 question).
QUESTION_HITS = 24
# Beside an honest "not known", the closest curated questions are offered as buttons the citizen may pick ("Có
# phải bạn hỏi: ..."), never answered: at most this many, from this cover on (chosen on the development wordings of
# ``make eval-match``, tools/evaluate_match.py).
NEARBY_MAX = 3
NEARBY_COVER = 0.3


def asked_facts(kb: KnowledgeBase, text: str) -> FrozenSet[str]:
    """Whether the question asks how long a paper stays valid, by when something must be done, or how long a
    leave or benefit lasts (or must be paid for): facts that are not the processing time."""
    return facts_asked(kb.shorthand, text)


def asked_aspects(kb: KnowledgeBase, text: str) -> Tuple[str, ...]:
    """The facts of a record the question part asks for in so many words, in the order it asks them."""
    return _cued(kb, question_part(text))


def _cued(kb: KnowledgeBase, text: str) -> Tuple[str, ...]:
    return _cued_with(kb.shorthand, text)


@lru_cache(maxsize=16384)
def _cued_with(shorthand: Shorthand, text: str) -> Tuple[str, ...]:
    """``_cued``, remembered: the same phrasings and passages are read for cues turn after turn. A changed
    shorthand table is a new ``Shorthand`` object, so its texts are read again."""
    folded = cue_text(shorthand, text)
    found = []
    for aspect, cue in _ASPECT_CUES:
        m = cue.search(folded)
        if m:
            found.append((m.start(), aspect))
    return tuple(a for _, a in sorted(found))


@lru_cache(maxsize=4096)
def _asked_by_most(shorthand: Shorthand, phrasings: Tuple[str, ...]) -> FrozenSet[str]:
    """The facts of the record most of a question's phrasings ask, remembered per question: not a yes or no that a
    phrasing or two follow with "cần nộp gì"."""
    cues = Counter(a for p in phrasings for a in _cued_with(shorthand, p))
    return frozenset(a for a, n in cues.items() if 2 * n > len(phrasings))


def situational(text: str) -> bool:
    """The message asks about a situation (may I, must I, what if, penalties, expiry)."""
    return bool(_SITUATIONAL.search(" ".join(fold(text).lower().split())))


# "có mất phí không", "làm khai sinh có tốn tiền ko", "có phải nộp lệ phí không": whether it costs anything;
# "có được miễn phí không": whether it is free.
# "có phải nộp lệ phí đăng ký nhận cha, con không", "có được miễn lệ phí cải chính hộ tịch không": the procedure
# may be named between
_COSTS = re.compile(r"\bco\s+(?:\w+\s+){0,2}?(?:mat|ton|phai nop|phai dong|phai tra|phai mat|nop|dong|thu)\s+"
                    r"(?:le\s+)?(?:phi|tien)\b(?:\s+\w+){0,6}?\s+(?:khong|ko|k|hok)\b")
_FREE = re.compile(r"\bmien\s+(?:le\s+)?phi\b(?:\s+\w+){0,5}?\s+(?:khong|ko|k|hok)\b")
_YES_NO_END = re.compile(r"\b(?:khong|ko|k|hok|chua)\b")
# A clause's yes or no is among its last words, before a few particles ("... không ạ", "... ko vậy ad").
_YES_NO_TAIL = 3


def fee_yes_no(kb: KnowledgeBase, text: str) -> str | None:
    """"costs" when the question asks whether the procedure costs anything, "free" when it asks whether it is
    free, None when it asks neither (or both)."""
    folded = cue_text(kb.shorthand, question_part(text))
    costs, free = _COSTS.search(folded), _FREE.search(folded)
    if bool(costs) == bool(free):
        return None
    # Only as the first yes or no asked: after "có xin được bản sao không, có mất tiền không" a leading "Không mất
    # phí." would read as the answer to the first question.
    if _YES_NO_END.search(folded[:(costs or free).start()]):
        return None
    return "costs" if costs else "free"


_ONLINE_WORDS = (r"(?:online|onl|truc tuyen|qua mang|tren mang|qua internet|(?:tren|qua) (?:ung dung |app )?vneid"
                 r"|(?:tren|qua) (?:app|ung dung)|(?:tren|qua) (?:cong )?dich vu cong|(?:tren|qua) vssid)")
_ASKS_ONLINE = re.compile(
    # "làm trên vneid dc ko", "nộp online được không ạ", "sửa online trên vneid dc ko hay phải ra xã"
    r"(?:\b" + _ONLINE_WORDS + r"\b(?:\s+\w+){0,4}?\s+(?:duoc|dc)\s+(?:khong|ko|k|hok|chu)\b"
    # "có thể xin xác nhận cư trú trực tuyến qua VNeID không", "có khai online được ko"
    r"|\bco (?:the\s+)?(?:\w+\s+){0,9}?" + _ONLINE_WORDS + r"(?:\s+\w+){0,3}?\s+(?:duoc\s+)?(?:khong|ko|k|hok)\b)"
    # (either with its alternative: "…, hay bắt buộc ra công an xã")
    r"(?:(?:\s+\w+){0,2}?\s+hay\s+(?:bat buoc|phai|can)(?:\s+\w+){0,6})?"
    # "qua mạng mà không cần lên Trung tâm", "online hay bắt buộc ra công an xã"
    r"|\b" + _ONLINE_WORDS + r"\b(?:\s+\w+){0,3}?\s+(?:ma\s+)?(?:khong can|hay (?:bat buoc|phai))\b"
)


# "online hết được ko hay vẫn phải chạy xe lên công an", "làm hoàn toàn trên mạng", "không cần ra xã": whether it is
# done wholly online, which a service level "một phần" answers "Không". Not "trên vneid dc ko hay phải bế bé ra công
# an": the ID card of a child under 6 is done on VNeID though the card's service level is "một phần".
_WHOLLY = re.compile(
    r"\b" + _ONLINE_WORDS + r"\s+(?:het|toan bo|hoan toan|tu a den z)\b"
    r"|\b(?:hoan toan|toan bo|toan trinh)\s+(?:\w+\s+){0,3}?" + _ONLINE_WORDS + r"\b"
    r"|\b(?:khong can|khoi(?: phai)?|khong phai)\s+(?:\w+\s+){0,2}?(?:len|ra|den|toi|di|mang|chay)\b")


def asks_wholly_online(kb: KnowledgeBase, text: str) -> bool:
    """The question asks whether it is done wholly online, without going anywhere (``_WHOLLY``)."""
    return bool(_WHOLLY.search(cue_text(kb.shorthand, question_part(text))))


# Any word of doing it online, asked or not: "... một mình được không" reads to the NLU like "làm online được không".
_SAYS_ONLINE = re.compile(r"\b(?:" + _ONLINE_WORDS + r"|vneid|internet|dien tu)\b")


def says_online(kb: KnowledgeBase, text: str) -> bool:
    """The message says a word of doing it online."""
    return bool(_SAYS_ONLINE.search(cue_text(kb.shorthand, text)))


def asks_online(kb: KnowledgeBase, text: str) -> bool:
    """The question asks whether it can be done online (not what it costs or takes online: "nộp online thì lệ phí
    bao nhiêu" asks the fee)."""
    return bool(_ASKS_ONLINE.search(cue_text(kb.shorthand, question_part(text))))


def asks_form(kb: KnowledgeBase, text: str) -> bool:
    """The question asks which form (mẫu đơn, tờ khai) the procedure uses."""
    return bool(ASKS_FORM.search(cue_text(kb.shorthand, question_part(text))))


def _answerable_form(kb: KnowledgeBase, typed: str, proc: Procedure | None) -> bool:
    """Which form is answered from the record when it names one and the rest of the question asks nothing the
    procedure leaves unexplained: "có phải đăng ký biến động không, làm đơn theo mẫu nào" asks first whether the
    procedure applies at all."""
    if proc is None or not asks_form(kb, typed) or not named_forms(proc):
        return False
    return asks_nothing_else(kb, ASKS_FORM.sub(" ", cue_text(kb.shorthand, typed)), [proc])


# "cần điều kiện gì thì mới được tách hộ", "điều kiện để nhập quốc tịch Việt Nam là gì", "phải đáp ứng những điều
# kiện nào": what the conditions are. Not "có đủ điều kiện không", which asks whether one's own situation meets them.
_ASKS_CONDITIONS = re.compile(
    r"(?:\b(?:dap ung|co du|du|co)\s+)?(?:\b(?:nhung|cac)\s+)?"
    r"\bdieu kien(?:\s+(?:gi|j|nao|la gi|nhu the nao|the nao|ra sao|ntn)\b"
    r"|(?:\s+\w+){1,8}?\s+(?:la gi|la nhung gi|gom nhung gi|gom gi|bao gom nhung gi|nhu the nao|the nao|ra sao"
    r"|ntn)\b)")
# Where the clause asking the conditions ends: "cần điều kiện gì, làm online mất bao nhiêu tiền", "nghề phải có từ bao
# nhiêu năm và cần đáp ứng những điều kiện gì".
_CONDITION_CLAUSES = re.compile(r"[,;]|\s(?=(?:và|va)\s)", re.IGNORECASE)


def asks_conditions(kb: KnowledgeBase, text: str) -> bool:
    """The question asks what the conditions of the procedure are."""
    return bool(_ASKS_CONDITIONS.search(cue_text(kb.shorthand, question_part(text))))


def _answerable_conditions(kb: KnowledgeBase, typed: str, proc: Procedure | None) -> bool:
    """The conditions are answered from the record when it lists some, the clause asking them asks them of the
    procedure (every other word of it names the procedure or is a function word: not "cần điều kiện gì để được
    hưởng trợ cấp xã hội" of the permanent residence its context found), and the rest of the question asks nothing
    the procedure leaves unexplained: "điều kiện để nhập quốc tịch là gì? … có được giữ quốc tịch Mỹ không" asks a
    situation too, which the list does not settle."""
    if proc is None or not proc.conditions:
        return False
    asking = [folded for sentence in split_sentences(typed) for clause in _CONDITION_CLAUSES.split(sentence)
              if _ASKS_CONDITIONS.search(folded := cue_text(kb.shorthand, clause))]
    if not asking or any(unexplained(kb, _ASKS_CONDITIONS.sub(" ", c), proc) for c in asking):
        return False
    return asks_nothing_else(kb, _ASKS_CONDITIONS.sub(" ", cue_text(kb.shorthand, typed)), [proc])


# "…, không biết có đúng không": a writer checking what they heard asks nothing more.
_CONFIRM = re.compile(r"\b(?:khong biet\s+)?(?:co\s+)?(?:dung|phai|that)\s+(?:khong|ko|k|hok)\b")


def asks_nothing_else(kb: KnowledgeBase, rest: str, procs: Sequence[Procedure]) -> bool:
    """``rest`` (a question without its asking whether it is done online or away from home) asks no situation of
    ``procs`` that their names leave unexplained: "có cần đổi sang bằng lái Việt Nam không … có thể làm online không"
    is about converting a licence first, and a wrongly found procedure would answer it with confidence."""
    rest = _CONFIRM.sub(" ", rest)
    return not (situational(rest) and all(unexplained(kb, rest, p) for p in procs))


def _answerable_where_or_online(
    kb: KnowledgeBase, typed: str, procs: Sequence[Procedure], elsewhere: str | None,
) -> Tuple[str | None, bool]:
    """What ``ELSEWHERE`` and ``ONLINE`` may answer: whether the question asks it away from home (``elsewhere``, from
    ``asks_elsewhere``) and whether it asks it online, each only when the rest of the question asks nothing else and
    the procedures found are not a first issue for a paper the message says is lost."""
    if not procs or reports_loss(typed) and not all(reissues(p) for p in procs):
        return None, False
    if elsewhere and not asks_nothing_else(kb, without_elsewhere(kb.shorthand, kb.places, typed), procs):
        elsewhere = None
    online = asks_online(kb, typed) and asks_nothing_else(
        kb, _ASKS_ONLINE.sub(" ", cue_text(kb.shorthand, typed)), procs) and _online_clause_named(kb, typed, procs)
    return elsewhere, online


def _online_clause_named(kb: KnowledgeBase, typed: str, procs: Sequence[Procedure]) -> bool:
    """The clause that asks whether it is done online names no other procedure first: "cavet thì xin cấp lại online
    toàn trình dc ko" is the vehicle registration's reissue, not the first registration the letter found; "đổi
    gplx ô tô qua dịch vụ công dc ko" is the licence exchange found."""
    for clause in CLAUSE_BREAKS.split(typed):
        folded = cue_text(kb.shorthand, clause)
        if _ASKS_ONLINE.search(folded):
            rest = _ASKS_ONLINE.sub(" ", folded)
            found = kb.search(rest, limit=8)
            if not found:
                return True
            # Any of the names tied first: "thẻ căn cước" names the first issue as much as its renewal.
            return any(m.score >= found[0].score and m.procedure_id in {p.id for p in procs} for m in found)
    return True  # the ask spans clauses: the rest of the question was read whole


# How much less a question without a yes or no may cover the message than the best one, whose yes or no does not
# hold, to be answered instead (``_holding``).
HOLDING_MARGIN = 0.1


def _best(hits: Sequence[Hit]) -> Hit | None:
    return max(hits, key=lambda h: (h.cover, h.score), default=None)


def _without_fee_question(kb: KnowledgeBase, text: str) -> str:
    """The question without its asking whether it costs anything ("có phải nộp lệ phí không"), which is a fact of
    the record (``fee_yes_no``), not a situation."""
    if fee_yes_no(kb, text) is None:
        return text
    return " ".join(_FREE.sub(" ", _COSTS.sub(" ", cue_text(kb.shorthand, text))).split())


# Words that set no situation apart whatever the procedure: going and coming ("đi đổi", "lên công an phường"), when
# ("năm nay", "tháng này", "bây giờ"), the office or app it is done at or through ("qua vneid"), and a count's
# classifier ("2 đứa"), and whom a chat writer addresses ("... vậy mn": "mọi người"). "cccd hết hạn năm nay rồi, đi
# đổi thì mất bao nhiêu tiền" asks the exchange's fee.
_IDLE_WORDS = frozenset("""
    di sang len ra den xong nam thang tuan gio luc bay hien nay hom mai sap vua
    cong an phuong ubnd tren app vneid dua qua mn
    """.split())


def unexplained(kb: KnowledgeBase, text: str, proc: Procedure) -> List[str]:
    """The message's words that neither name the procedure nor ask for an aspect of it (nor are ``_IDLE_WORDS``)."""
    index = kb.question_index
    words = index.words(text)
    return sorted(index.distinguishing(words, proc.id, ASPECT_WORDS | _IDLE_WORDS))


@dataclass(frozen=True)
class Evidence:
    """What the knowledge base offers for a message, before any threshold is applied."""

    proc: Procedure | None
    scoped: bool  # the question search was limited to the procedure or the candidates
    question_owner: Procedure | None = None
    question: Question | None = None
    question_cover: float = 0.0
    question_recall: float = 0.0
    situation: bool = False  # a situational question with words no aspect explains
    passage: Passage | None = None
    passage_cover: float = 0.0
    # The best curated question of any procedure: a letter may name one procedure in passing and ask about another.
    other_owner: Procedure | None = None
    other_question: Question | None = None
    other_cover: float = 0.0
    other_recall: float = 0.0
    # No procedure resolved, a few candidates: their names leave the situation's words unexplained.
    candidates: Tuple[Procedure, ...] = ()
    # The message asks a validity or a deadline (``asked_facts``) and ``question`` asks the same: ``FACT_COVER``.
    fact: bool = False
    # The message asks whether it can be done away from home (``knowledge.residence.asks_elsewhere``).
    elsewhere: str | None = None
    # The message asks whether it can be done online (``asks_online``), and whether wholly (``asks_wholly_online``).
    online: bool = False
    wholly: bool = False
    # The message asks which form the procedure uses, and its record names one (``asks_form``).
    form: bool = False
    # FORM: the record's case the message describes (``knowledge.forms.form_case``).
    form_case: str | None = None
    # The message asks what the conditions are, and the record lists some (``asks_conditions``).
    conditions: bool = False
    # The curated questions of the procedure (or the candidates) closest to the message, best first, from
    # ``NEARBY_COVER``: offered beside an honest "not known", never answered.
    nearby: Tuple[Tuple[str, Question], ...] = ()
    # The message asks by when something must be done, and the record states the deadline (``deadline_passage``).
    deadline: Passage | None = None


# A sentence that goes on from the one before ("Nếu có thì tôi nhận lại CMND khi nào?", "Nếu được thì ...") asks
# nothing on its own: read alone, "nhận lại CMND khi nào" met the stub "mất chứng minh nhân dân" in full.
_CONTINUES = re.compile(r"^(?:neu|trong truong hop|truong hop)\s+(?:co|duoc|vay|the|khong|ko|dung|dc|khong duoc)\b")


def sentences(text: str) -> List[str]:
    """The question part whole, then each of its sentences of three words or more (a letter asks several) that
    does not go on from the one before."""
    parts = [p for p in split_sentences(text) if len(p.split()) >= 3]
    parts = [p for p in parts if not _CONTINUES.match(" ".join(fold(p).lower().split()))]
    return [text, *[p for p in parts if p != text]]


@lru_cache(maxsize=8192)
def _about_lost(phrasings: Tuple[str, ...]) -> bool:
    """Every phrasing that asks about a situation (not a keyword stub such as "xin lại giấy xác nhận độc thân") says
    the paper was lost: such a question does not answer a message that does not ("giấy tthn hết hạn, xin cấp lại có
    phải nộp lại tờ cũ không" is not answered with what to do when the old one cannot be handed back)."""
    stated = [p for p in phrasings if situational(p)]
    return bool(stated) and all(reports_loss(p) for p in stated)


# Words of a letter's context that say when something happened or that it still holds, not what the situation is:
# "năm nay vừa tròn 60 tuổi" does not state the "vừa đổi thẻ" of "23 tuổi vừa đổi thẻ căn cước"; nor "tờ" of "giấy
# tờ".
_WHEN_WORDS = frozenset("van vua nam hien gio luc tuan thang ngay to".split())
# The words of a phrasing's situation the question itself must say before the letter's context counts for the rest:
# "Luật sư cho tôi hỏi nếu quá hạn đăng ký tạm vắng thì có làm sao không?" says one ("quá") of "khai báo tạm vắng
# qua Cổng dịch vụ công mà không cần lên công an xã", and the "công an" of the context is a cousin's job.
QUESTION_SAYS = 2


def _said(index, words: Sequence[str], marks, passage: Passage, stated: FrozenSet[str]) -> float:
    """How much of the situation a phrasing states the message says (recall): its question's words, and the words
    the letter's context ``stated`` once the question says ``QUESTION_SAYS`` of them."""
    if stated:
        pid = passage.procedure_id
        own = index.distinguishing(words, pid, ASPECT_WORDS) & index.distinguishing(passage.words, pid, ASPECT_WORDS)
        if len(own) >= QUESTION_SAYS:
            return index.overlap(words, passage, ASPECT_WORDS, marks, stated)[1]
    return index.overlap(words, passage, ASPECT_WORDS, marks)[1]


def _best_question(
    kb: KnowledgeBase, queries: Sequence[str], scope, stated: dict, cued=frozenset(), facts=frozenset(),
    among: bool = False, context: str = "", apart: Sequence[Procedure] = (),
) -> Tuple[Hit | None, bool, List[Hit]]:
    """The best question, whether it asks the fact the message asks that answers from ``FACT_COVER`` (a
    validity or a deadline), and every question that may answer the message, best first (``nearby``). ``cued``: the
    facts of the record the message asks in so many words
    (``asked_aspects``); ``facts``: the facts it asks that no record holds (``asked_facts``). ``context``: the whole
    letter, which may say what a phrasing states ("đóng bảo hiểm xã hội tự nguyện được 2 năm. Cho tôi hỏi sinh con
    xong phải nộp hồ sơ trong bao lâu"), never what the question asks. ``apart``: the procedure found, when the
    search is among its siblings (``siblings``), or the candidates: a phrasing that says a word of its procedure's
    names that the others' names lack ("đổi", "mất", "lại") is about that procedure, and the message must say one."""
    index = kb.question_index
    hits, asking = [], []
    # What the whole message says (each query is one of its sentences, so its words are in here too): "... trợ cấp
    # thai sản không? Nếu đủ điều kiện thì trong thời hạn bao lâu phải làm hồ sơ?" names the maternity benefit for
    # its last sentence too.
    said_anywhere = {w for t in (context, *queries) if t for w in index.words(t)} if apart else set()
    # What the letter's context states of the situation, for a yes or no (below).
    stated_words = frozenset(index.words(context)) - _WHEN_WORDS if context else frozenset()
    for query in queries:
        # The fact the query asks is a word of it, as it is of the curated questions asking it (``Passage.tags``).
        tags = fact_words(asked_facts(kb, query))
        words, marks, polar = index.words(query) + list(tags), index.marked_forms(query), situational(query)
        lost = reports_loss(f"{context} {query}")
        for hit in index.search(query, scope, limit=QUESTION_HITS, ignore=ASPECT_WORDS, tags=tags, context=context):
            question = kb.question(hit.passage.procedure_id, hit.passage.key)
            phrasings = " ; ".join(question.phrasings) if question is not None else ""
            # A bound in any phrasing of the question ("dưới 14 tuổi") speaks for all of them.
            if question is None or not consistent(stated, phrasings) or _held_apart(query, phrasings, context):
                continue
            if not lost and _about_lost(tuple(question.phrasings)):
                continue
            # A question about a fact of the record ("bao lâu thì giải quyết xong") answers only a message that
            # asks that fact: "có được hưởng không" is not answered with the processing time.
            asks = set(_cued(kb, hit.passage.text))
            if not asks:
                # A phrasing may put it without the cue ("mất thì ra ubnd xã dc ko", "r bao lâu bhxh giải quyết"):
                # its question still asks where, or how long, and answers only a message asking that.
                asks = set(_asked_by_most(kb.shorthand, tuple(question.phrasings)))
            shared = facts & facts_of(hit.passage.tags)
            if asks and not asks & cued and DEADLINE not in shared and not (
                    VALIDITY in shared and hit.cover >= VALIDITY_READ_COVER):
                # (Unless both ask a deadline: "người nhà mất bao nhiêu ngày thì phải đi khai tử" reads as "mất bao
                # nhiêu ngày", a processing time, and is the deadline "trong thời hạn bao lâu" asks. Or both ask a
                # validity and the question covers the message well: "chứng nhận đăng ký xe tạm thời có giá trị bao
                # lâu, có gia hạn được không" reads "bao lâu có" as a processing time.)
                continue
            if cued and facts_of(hit.passage.tags) & FACTS_FROM_FACT_COVER and not shared:
                # A question asking how long a paper holds or by when to act does not answer a message asking a fact
                # of the record instead: "bằng B2 hết hạn từ năm 2022, xin cấp lại thì lệ phí bao nhiêu" asks the
                # fee, not the old licence's validity.
                continue
            if cued and not asks and not polar and len(index.distinguishing(words, hit.passage.procedure_id,
                                                                             ASPECT_WORDS)) <= 1:
                # "rút bhxh 1 lần cần giấy tờ gì" names the procedure ("rút" aside) and asks its papers: a question
                # that asks no fact of the record (who may withdraw after 20 years) does not answer it.
                continue
            others = [p for p in apart if p.id != hit.passage.procedure_id]
            if others and _sibling_unsaid(index, said_anywhere, hit.passage, others):
                # "làm căn cước cho con 10 tuổi cần giấy tờ gì" is not "con tôi 10 tuổi đã có thẻ, nay đi làm thủ tục
                # đổi thẻ cho cháu": the renewal's phrasing says "đổi", which the first card's names do not.
                continue
            if among and _names_unsaid(index, words, hit.passage) > AMONG_UNSAID:
                # A candidate's phrasing that names its procedure ("khi giải thể công ty ... nợ bảo hiểm") is
                # about that procedure, not about the message ("công ty nợ BHXH thì có được chốt sổ không").
                continue
            if not polar and not index.distinguishing(words, hit.passage.procedure_id, ASPECT_WORDS):
                continue  # the procedure named and an aspect asked: "làm hộ chiếu cần giấy tờ gì"
            if question.polarity:
                # A yes or no answers a question put as one ("có được ... không", "thì sao"), not "cần những giấy
                # tờ gì, thủ tục ra sao" (the aspects answer that), and is not read across "miễn phí" and "mất phí".
                if not polar or _flipped(index, words, question):
                    continue
                # It holds for a situation a phrasing states, not for the one word of a keyword stub: "cấp lại
                # giấy xác nhận tình trạng hôn nhân" says nothing of the expired paper its answer is about. A
                # letter's context states it too ("Tôi là bà nội ... Xin hỏi tôi có cần giấy ủy quyền của bố mẹ cháu
                # không"), once the question says part of it (``_said``).
                said = [_said(index, words, marks, p, stated_words)
                        for p in index.stating(hit.passage.procedure_id, hit.passage.key, ASPECT_WORDS)]
                hit = replace(hit, recall=max(said, default=0.0))
            hits.append(hit)
            # "Bằng lái B2 có thời hạn bao lâu": a question asking the validity is preferred to one about what B2
            # becomes when reissued, and answers from the lower floor ``FACT_COVER``.
            # The facts the question asks were read from all its phrasings when it was indexed (``Passage.tags``):
            # ``shared`` above.
            if shared:
                asking.append((hit, bool(shared & FACTS_FROM_FACT_COVER)))
    ranked = sorted(hits, key=lambda h: (h.cover, h.score), reverse=True)
    if asking:
        best = _best(_holding(kb, [hit for hit, _ in asking]))
        return best, next(low for hit, low in asking if hit is best), ranked
    if facts & FACTS_FROM_FACT_COVER:
        # A validity or a deadline asked, and no question asks it: none answers ("mua lại xe cũ ... ai phải đi làm
        # thu hồi đăng ký, trong mấy ngày" is not answered by the first registration's question on who files; its
        # sibling, the registration's withdrawal, holds the 30 days).
        return None, False, ranked
    return _best(_holding(kb, hits)), False, ranked


def _holding(kb: KnowledgeBase, hits: Sequence[Hit]) -> Sequence[Hit]:
    """The hits, without a best one whose yes or no does not hold for what the question states (``POLAR_RECALL``)
    when a question without a yes or no covers the message nearly as well (``HOLDING_MARGIN``): "bằng lái ô tô hạng
    B2 ... Cho tôi hỏi ... có phải đi khám sức khỏe không" states no car in its question, so the car's "Có." does
    not hold, and the answer for any class ("tùy hạng bằng") is given instead of none."""
    best = _best(hits)
    if best is None or _holds(kb.question(best.passage.procedure_id, best.passage.key), best.recall, POLAR_RECALL):
        return hits
    plain = [h for h in hits if h.cover >= best.cover - HOLDING_MARGIN
             and kb.question(h.passage.procedure_id, h.passage.key).polarity is None]
    return plain or hits


# "đã có sổ đỏ" is not the situation of a question every phrasing of which says "chưa có sổ" (or "chưa được cấp"),
# nor the reverse: "mảnh đất đã có sổ đỏ ... sang tên thừa kế" got the answer for inheriting land without one.
_HAS = re.compile(r"\bda (?:co|duoc cap|lam)\b")
_HAS_NOT = re.compile(r"\b(?:chua|khong) (?:co|duoc cap|lam)\b")


def _says(text: str, yes: re.Pattern, no: re.Pattern) -> bool | None:
    """True when ``text`` says ``yes``, False when it says ``no``, None when it says neither or both."""
    folded = " ".join(fold(text).lower().split())
    said_yes, said_no = bool(yes.search(folded)), bool(no.search(folded))
    return said_yes if said_yes != said_no else None


@lru_cache(maxsize=8192)
def _possession(text: str) -> bool | None:
    """Whether ``text`` says it has the thing ("đã có") or has not ("chưa có"), as ``_says``. Phrasings come back for
    every message: remembered."""
    return _says(text, _HAS, _HAS_NOT)


# "bằng lái B2 còn hạn" is not the situation of a question every phrasing of which says "quá hạn" or "hết hạn" (a
# licence held in Japan got the re-test of an expired one), nor the reverse.
_VALID = re.compile(r"\bcon (?:thoi )?han\b|\bcon hieu luc\b|\bchua (?:het|qua) (?:thoi )?han\b")
_EXPIRED = re.compile(r"(?<!chua )\b(?:qua|het) (?:thoi )?han\b")


@lru_cache(maxsize=8192)
def _validity(text: str) -> bool | None:
    """Whether ``text`` says the paper is still valid or expired, as ``_says``."""
    return _says(text, _VALID, _EXPIRED)


# "nhờ em gái làm lltp số 2 giúp" is not the question of extract no. 1 that its phrasings name, nor the reverse: who may
# ask for either differs (no one may ask for no. 2 on another's behalf).
_EXTRACT_2 = re.compile(r"\b(?:lltp|ltp|ly lich tu phap|phieu)\s+(?:so\s+)?(?:2|hai)\b")
_EXTRACT_1 = re.compile(r"\b(?:lltp|ltp|ly lich tu phap|phieu)\s+(?:so\s+)?(?:1|mot)\b")


@lru_cache(maxsize=8192)
def _extract_no_2(text: str) -> bool | None:
    """Whether ``text`` names criminal record extract no. 2 (True) or no. 1 (False), as ``_says``."""
    return _says(text, _EXTRACT_2, _EXTRACT_1)


def _held_apart(query: str, phrasings: str, context: str = "") -> bool:
    """The message says it has the thing and every phrasing says it has not, or the reverse; so too, read in the
    whole letter, for a paper still valid and one expired, and for the one extract of the two the phrasings that
    name one name. A letter's context counts for the thing every phrasing names: "Bé đã có mã định danh nhưng chưa có
    hộ chiếu ... làm hộ chiếu cho bé cần giấy tờ gì" is not the question of a child with no personal number."""
    each = phrasings.split(" ; ")
    for state, read in ((_possession, query), (_validity, context or query)):
        said = state(read)
        if said is not None and all(state(p) is (not said) for p in each):
            return True
    said = _extract_no_2(context or query)
    named = [n for n in map(_extract_no_2, each) if n is not None]
    if said is not None and named and all(n is (not said) for n in named):
        return True
    return _has_what_every_phrasing_lacks(context or query, phrasings)


_HAS_OBJECT = re.compile(r"\b(?:da co|da duoc cap)((?:\s+\w+){1,3})")
_LACKS_OBJECT = re.compile(r"\b(?:chua co|chua duoc cap)((?:\s+\w+){1,3})")
OBJECT_SHARED = 2  # words two objects share to be the same thing ("mã định danh", "số định danh")


def _has_what_every_phrasing_lacks(text: str, phrasings: str) -> bool:
    """The text says it has ("đã có", "đã được cấp") a thing every phrasing says it lacks, named in the same words."""
    held = _objects(text, _HAS_OBJECT)
    return bool(held) and all(any(len(h & x) >= OBJECT_SHARED for h in held for x in _objects(p, _LACKS_OBJECT))
                              for p in phrasings.split(" ; "))


@lru_cache(maxsize=8192)
def _objects(text: str, pattern: re.Pattern) -> Tuple[FrozenSet[str], ...]:
    """The words of each thing ``pattern`` finds said held or lacked. The letter and the phrasings come back for
    every hit of every query: remembered, as ``_possession``."""
    return tuple(frozenset(m.group(1).split()) for m in pattern.finditer(" ".join(fold(text).lower().split())))


# With no procedure resolved, a candidate's phrasing is about its own procedure when the words naming it weigh
# more than this share of it and the message does not say them: "khi giải thể công ty tôi có phải trả hết
# tiền bảo hiểm xã hội còn nợ" does not answer "công ty nợ BHXH thì người lao động có được chốt sổ không". Chosen
# on the 261 development questions: 0.1 and 0.15 took out 2 wrong answers and kept every right one, 0.05 lost 2
# right ones, 0.2 and above changed nothing.
AMONG_UNSAID = 0.15


def _names_unsaid(index, words: Sequence[str], passage: Passage) -> float:
    """The weighted share of a phrasing's words that name its procedure and that the message does not say."""
    content = set(content_words(passage.words, ASPECT_WORDS))
    unsaid = content & index.name_words(passage.procedure_id) - set(words)
    total = sum(index.weight(w) for w in content)
    return sum(index.weight(w) for w in unsaid) / total if total else 0.0


def _sibling_unsaid(index, said: set, passage: Passage, apart: Sequence[Procedure]) -> bool:
    """The phrasing says words of its procedure's own names (none of ``apart``'s, not function words) and the
    message says none of them ("tạm trú ... hết hạn" says one of "gia hạn" and is the renewal's)."""
    own = index.name_words(passage.procedure_id) - FUNCTION_WORDS
    for other in apart:
        own = own - index.name_words(other.id)
    return bool(own & set(passage.words)) and not own & said


# Words that turn a yes into a no: "có được miễn phí không" asks the opposite of "có mất phí không", and the
# words of the fee are aspect words, left out of the cover; a yes or no is not read across them.
_FLIPS = frozenset({"mien"})


def _flipped(index, words: Sequence[str], question: Question) -> bool:
    said = set(words) & _FLIPS
    written = {w for phrasing in question.phrasings for w in index.words(phrasing)} & _FLIPS
    return said != written


_FOLLOW_UP = re.compile(r"^(?:còn|vậy|thế|nếu)\b|\bthì sao\b|\bthì thế nào\b|\bthì ntn\b")
# Without marks "còn" (and) is "con" (child): "con toi 4 tuoi ..." is a new question, "con neu ..." a follow-up.
_FOLLOW_UP_PLAIN = re.compile(r"^(?:con (?:neu|thi|truong hop)|vay|the|neu)\b|\bthi sao\b|\bthi the nao\b|\bthi ntn\b")
FOLLOW_UP_WORDS = 14


def follows_up(text: str) -> bool:
    """A short message that leans on the previous one: "còn nếu cháu dưới 14 tuổi thì sao?"."""
    words = " ".join(canonical(text).lower().split())
    if len(words.split()) > FOLLOW_UP_WORDS:
        return False
    if has_diacritics(words):
        return bool(_FOLLOW_UP.search(words))
    return bool(_FOLLOW_UP_PLAIN.search(words))


def gather(
    kb: KnowledgeBase, text: str, proc: Procedure | None, candidates: Sequence[Procedure] = (), previous: str = "",
    stated: dict | None = None,
) -> Evidence:
    """The best curated question (within ``proc`` or the candidates, and across all) and record passage.

    ``previous``: the citizen's message before this one; a follow-up is read together with it. ``stated``: the
    quantities the citizen states (``quantities``), when ``text`` is one question of a longer letter.
    """
    typed = question_part(text)
    asked = without_aspect_phrases(typed)
    queries = [without_aspect_phrases(q) for q in sentences(typed)]
    if previous and follows_up(typed):
        queries = [without_aspect_phrases(f"{question_part(previous)} {typed}"), *queries]
    scope = [proc.id] if proc is not None else [c.id for c in candidates] or None
    stated = quantities(text) if stated is None else stated
    read = f"{question_part(previous)} {typed}" if previous and follows_up(typed) else typed
    cued, facts = frozenset(_cued(kb, read)), asked_facts(kb, read)
    # A letter's context, or the other sentences of a message without "cho tôi hỏi": "nhà e 3 anh em góp vốn ...,
    # đăng ký hkd để anh cả đứng tên chủ hộ. 2 đứa còn lại ký giấy ủy quyền cho anh cả thì giấy đó có cần công chứng
    # ko" asks of the members' authorisation of the head, which only its first sentence says.
    context = without_courtesy(text) if typed != text or len(queries) > 1 else ""
    among = proc is None and bool(candidates)
    best, fact, ranked = _best_question(kb, queries, scope, stated, cued, facts, among=among, context=context,
                                        apart=list(candidates) if among else ())
    if scope and not fact and (best is None or best.cover < QUESTION_COVER):
        kin = _kin_rule(kb, text, ranked)
        if kin is not None:
            best, fact = kin, True
    if proc is not None and (best is None or best.cover < QUESTION_COVER):
        # The procedure found by a short name ("hộ kinh doanh") may not be the one whose curated question settles
        # the situation ("chủ hộ kinh doanh qua đời"): its siblings found for the message are searched too.
        kin = siblings(kb, typed, proc)
        if kin:
            # As among candidates, a sibling's phrasing that names it in words the message does not say is about
            # the sibling: "làm lại căn cước cho con" does not answer "làm căn cước cho con cần giấy tờ gì".
            other_best, other_fact, _ = _best_question(kb, queries, kin, stated, cued, facts, among=True,
                                                       context=without_courtesy(text), apart=[proc])
            # A sibling's question asking the validity or deadline asked answers from the same lower floor as the
            # procedure's own: "tạm trú tới 30/8 là hết hạn ... phải làm thủ tục trước bao nhiêu ngày" is the
            # renewal's deadline, not the registration's "ở bao lâu mới phải đăng ký".
            floor = FACT_COVER if other_fact else QUESTION_COVER
            if other_best is not None and other_best.cover >= floor and (
                    best is None or other_best.cover > best.cover):
                best, fact = other_best, other_fact
                proc = kb.get(other_best.passage.procedure_id)
    if scope and not fact and (best is None or best.cover < QUESTION_COVER):
        best = _polar_clause(kb, typed, scope, stated, cued, facts, context, ranked) or best
    amount = asks_amount(kb.shorthand, read)
    # Only an amount is asked when every sentence asks one: a letter's other questions may be the curated one's
    # ("sinh đôi thì được nghỉ mấy tháng? ... được hưởng bao nhiêu tiền?").
    only_amount = amount and all(asks_amount(kb.shorthand, q) for q in sentences(typed))
    if best is not None and only_amount and not any(
            asks_amount(kb.shorthand, p) for p in kb.question(best.passage.procedure_id, best.passage.key).phrasings):
        # How much is asked, and the question asks no amount: "đủ 25t mà chưa đổi căn cước thì bị phạt bao nhiêu"
        # is not answered by "có phải đổi căn cước khi đủ 25 tuổi không".
        best = None
    away = asks_elsewhere(kb.shorthand, kb.places, typed)
    if best is not None and away and not fact:
        polar = kb.question(best.passage.procedure_id, best.passage.key)
        if polar.polarity and not any(asks_elsewhere(kb.shorthand, kb.places, p) for p in polar.phrasings):
            # The yes or no asked is whether it can be done here or must be done at home ("cháu đủ 14 tuổi làm căn
            # cước lần đầu có bắt buộc phải về quê làm không"): a curated yes or no about anything else ("từ đủ 14
            # tuổi phải làm thẻ": "Có.") would read as the answer to it.
            best = None
    owner = question = None
    cover = recall = 0.0
    if best is not None:
        owner = proc or kb.get(best.passage.procedure_id)
        question = kb.question(best.passage.procedure_id, best.passage.key)
        cover, recall = best.cover, best.recall
    if not scope:
        other = best
    elif QUESTION_COVER_UNSCOPED <= 1:
        other, _, _ = _best_question(kb, queries, None, stated, cued, facts)
    else:
        other = None  # a question of a procedure the message does not name is never answered: skip the search
    other_owner = other_question = None
    if other is not None:
        other_owner = kb.get(other.passage.procedure_id)
        other_question = kb.question(other.passage.procedure_id, other.passage.key)
    # A validity or a deadline is never answered with the processing time, nor a benefit's amount with the fee.
    # Nor which office or provider is best, nor how long its queue is: no record ranks them or times the queue.
    fact_asked = bool(facts) or amount or asks_ranking(kb.shorthand, read) or asks_queue(kb.shorthand, read)
    unpriced = _without_fee_question(kb, asked)
    if proc is not None:
        situation = fact_asked or situational(unpriced) and bool(unexplained(kb, unpriced, proc))
    else:
        # Asking which procedure is of no use when none of them would settle the situation once picked.
        situation = bool(candidates) and (fact_asked or situational(unpriced)
                                          and all(unexplained(kb, unpriced, c) for c in candidates))
    passage, passage_cover = None, 0.0
    # A record's conditions, notes and papers state no benefit's amount, tax or fine: no passage answers one.
    if situation and proc is not None and not only_amount:
        kinds = (CONDITION, NOTE, CASE, PAPER)
        hit = _best(kb.passage_index.search(asked, [proc.id], kinds=kinds, limit=5, ignore=ASPECT_WORDS))
        if hit is not None:
            passage, passage_cover = hit.passage, hit.cover
    elsewhere, online = _answerable_where_or_online(
        kb, typed, [proc] if proc is not None else list(candidates) if same_anywhere(candidates) else [], away)
    nearby = _nearby(kb, ranked) if scope else ()
    form = _answerable_form(kb, typed, proc)
    if away and question is not None and not fact and recall >= POLAR_RECALL and any(
            asks_elsewhere(kb.shorthand, kb.places, p) == away for p in question.phrasings):
        # Whether it can be done where one lives now is a fact the question asks as the message does, the rest of
        # a letter filler around it: "thường trú ở huyện Đức Thọ nhưng đang đi làm ở Hà Nội, lần đầu làm hộ chiếu
        # ... nộp hồ sơ ở Hà Nội đc ko" from ``FACT_COVER``, once it states all the phrasing's situation.
        fact = True
    deadline = deadline_passage(kb, asked, proc) if DEADLINE in facts and proc is not None else None
    return Evidence(proc, bool(scope), owner, question, cover, recall, situation, passage, passage_cover,
                    other_owner, other_question, other.cover if other is not None else 0.0,
                    other.recall if other is not None else 0.0, tuple(candidates) if proc is None else (),
                    fact=fact, elsewhere=elsewhere, online=proc is not None and online,
                    wholly=proc is not None and online and asks_wholly_online(kb, typed),
                    form=form, form_case=form_case(proc, typed, kb.shorthand) if form else None, nearby=nearby,
                    conditions=_answerable_conditions(kb, typed, proc), deadline=deadline)


# Words that say since when, not what happened: "kể từ ngày …", "từ khi …".
_SINCE_WORDS = frozenset({"ngay", "khi", "tu", "luc"})


def _runs_from_what_is_asked(passage: str, proc: Procedure, message: str) -> bool:
    """The deadline runs from the procedure's own act (its name's first words: "kể từ ngày hộ gia đình có người thuộc
    diện xóa đăng ký thường trú"), from nothing more than a date ("kể từ ngày sinh con"), or from what the message
    says happened: "kể từ ngày xe hết niên hạn sử dụng" is no deadline for a vehicle sold. Compared with marks when
    the message has them ("đứng tên" is not "sử dụng")."""
    event = deadline_event(passage)
    name = folded_words(proc.name)
    head = name[2:5] if name[:2] == ["thu", "tuc"] else name[:3]
    folded = f" {' '.join(folded_words(event))} "
    if any(f" {a} {b} " in folded for a, b in zip(head, head[1:], strict=False)):
        return True
    own = set(name) | FUNCTION_WORDS | _SINCE_WORDS
    marked = canonical(message) != fold(message)
    said = set(re.findall(r"\w+", (canonical(message) if marked else fold(message)).lower()))
    happened = {w for w in re.findall(r"\w+", canonical(event).lower()) if fold(w) not in own and not w.isdigit()}
    return not happened or bool({w if marked else fold(w) for w in happened} & said)


# Where a record states a deadline the citizen keeps: its conditions, notes and steps.
_DEADLINE_KINDS = (CONDITION, NOTE, STEP)


def deadline_passage(kb: KnowledgeBase, asked: str, proc: Procedure) -> Passage | None:
    """The passage of ``proc``'s record that states the deadline a citizen keeps (``states_deadline``): "Trong thời
    hạn 07 ngày kể từ ngày hộ gia đình có người thuộc diện xóa đăng ký thường trú thì người … có trách nhiệm nộp hồ
    sơ" answers "bố mất tuần trước, bao lâu thì phải đi cắt khẩu". When the record states several, the one the
    question's words rank first; none when it states none."""
    stated = [p for p in procedure_passages(proc) if p.kind in _DEADLINE_KINDS and states_deadline(p.text)
              and _runs_from_what_is_asked(p.text, proc, asked)]
    if len(stated) < 2:
        return stated[0] if stated else None
    texts = {p.text for p in stated}  # several: the one the question's words rank first
    ranked = kb.passage_index.search(asked, [proc.id], kinds=_DEADLINE_KINDS, limit=20, ignore=ASPECT_WORDS)
    return next((h.passage for h in ranked if h.passage.text in texts), None)


def _nearby(kb: KnowledgeBase, ranked: Sequence[Hit]) -> Tuple[Tuple[str, Question], ...]:
    """Up to ``NEARBY_MAX`` distinct curated questions from the ranked hits, from ``NEARBY_COVER`` on."""
    found: Dict[Tuple[str, str], Tuple[str, Question]] = {}
    for hit in ranked:
        if hit.cover < NEARBY_COVER or len(found) >= NEARBY_MAX:
            break
        key = (hit.passage.procedure_id, hit.passage.key)
        question = kb.question(*key)
        if question is not None and key not in found:
            found[key] = (hit.passage.procedure_id, question)
    return tuple(found.values())


def same_anywhere(candidates: Sequence[Procedure]) -> bool:
    """A few close procedures whose records all let one submit anywhere in the country, in the same words (first
    issue, renewal and reissue of the ID card): whether one can do it away from home has one answer for all."""
    stated = {anywhere(c) for c in candidates}
    return len(candidates) > 1 and len(stated) == 1 and None not in stated and not next(iter(stated)).province_only


def siblings(kb: KnowledgeBase, text: str, proc: Procedure) -> List[str]:
    """Procedures with curated questions whose names say every word of ``proc``'s name the message says (at least
    two): "chủ hộ kinh doanh qua đời" names the household business, and its change has the answer. Or every word of
    its official name the message says, when the message names the sibling in words of its own: "tạm trú ... hết
    hạn" is the renewal's ("làm tạm trú", "đăng ký ở trọ" would ask it to say "làm" and "ở" as well), while "làm
    căn cước cho con" names nothing of the reissue that the first card does not."""
    index = kb.question_index
    words = set(index.words(text))
    names = index.name_words(proc.id)
    said = words & names
    official = said & set(index.words(proc.name))
    if len(official) < 2:
        return []
    named = [pid for pid in kb.with_questions() if pid != proc.id and official <= index.name_words(pid)]
    if not named:
        return []
    found = {m.procedure_id: m for m in kb.search(text, limit=8)}
    own = {pid for pid, m in found.items() if set(index.words(m.phrase)) - names}
    # Not one the message's words set apart: "chế độ tai nạn lao động" is not sickness benefit's accident on the way.
    # Nor a variant the message does not ask for ("bố ủy quyền cho chú đi làm khai tử" is not the death's
    # registration again, though every word of it is in "đăng ký lại khai tử").
    asked = asked_variants(text)
    return [pid for pid in named if pid in found and (said <= index.name_words(pid) or pid in own)
            and not set_apart(text, kb.get(pid)) and name_variants(kb.get(pid).name) <= asked]


def _kin_rule(kb: KnowledgeBase, text: str, ranked: Sequence[Hit]) -> Hit | None:
    """The best curated question whose yes or no turns on whom the citizen asks (``Leads.close_kin``), when the letter
    says whom and asks that yes or no (``_kin_asked``: "nhờ mẹ ở quê đi làm thủ tục sửa giúp thì giấy ủy quyền có cần
    chứng thực ko"): it answers from ``FACT_COVER``, for the relation decides it and the words of a relation ("mẹ ở
    quê", "anh em ruột") are not the phrasing's ("người khác")."""
    if proxy_kin(text) is None:
        return None
    for hit in ranked:
        if hit.cover < FACT_COVER:
            break
        question = kb.question(hit.passage.procedure_id, hit.passage.key)
        if question is not None and question.leads is not None and _kin_asked(question.leads, text):
            return hit
    return None


def _kin_asked(leads, text: str) -> str | None:
    """``CLOSE_KIN`` or ``OTHER_PERSON`` when ``leads`` turn on the relation, the letter asks a yes or no about one of
    their ``asks`` and says whom the citizen asks (``proxy_kin``); else None."""
    if not leads.close_kin:
        return None
    folded = " ".join(fold(text).lower().split())
    if not _YES_NO_END.search(folded) or not any(fold(a).lower() in folded for a in leads.asks):
        return None
    return proxy_kin(text)


def _holds(question: Question, recall: float, polar_recall: float) -> bool:
    """A yes or no is given only for the situation the question states in full."""
    return question.polarity is None or recall >= polar_recall


def choose(
    evidence: Evidence,
    question_cover: float | None = None,
    question_cover_unscoped: float | None = None,
    passage_cover: float | None = None,
    polar_recall: float | None = None,
    fact_cover: float | None = None,
) -> Route:
    """The route the evidence allows under the thresholds (by default the module's)."""
    floor = (question_cover if question_cover is not None else QUESTION_COVER) if evidence.scoped else (
        question_cover_unscoped if question_cover_unscoped is not None else QUESTION_COVER_UNSCOPED)
    if evidence.fact and evidence.scoped:
        floor = min(floor, fact_cover if fact_cover is not None else FACT_COVER)
    polar = polar_recall if polar_recall is not None else POLAR_RECALL
    if evidence.question is not None and evidence.question_owner is not None and evidence.question_cover >= floor \
            and _holds(evidence.question, evidence.question_recall, polar):
        return Route(QUESTION, evidence.question_owner, question=evidence.question, cover=evidence.question_cover)
    unscoped = question_cover_unscoped if question_cover_unscoped is not None else QUESTION_COVER_UNSCOPED
    if evidence.other_question is not None and evidence.other_owner is not None and evidence.other_cover >= unscoped \
            and _holds(evidence.other_question, evidence.other_recall, polar):
        return Route(QUESTION, evidence.other_owner, question=evidence.other_question, cover=evidence.other_cover)
    if evidence.proc is None:
        if evidence.elsewhere and evidence.candidates:
            return Route(ELSEWHERE, candidates=evidence.candidates, elsewhere=evidence.elsewhere)
        if evidence.situation and evidence.candidates:
            return Route(UNKNOWN_SITUATION, candidates=evidence.candidates, nearby=evidence.nearby)
        return Route(ASPECT)
    if evidence.online:
        # Whether it is done online is a fact of every record (its channels, and the service level when curated).
        return Route(ONLINE, evidence.proc, wholly=evidence.wholly)
    if evidence.form:
        # Which form: the record's papers name it ("mẫu TK01a dành cho người chưa đủ 14 tuổi").
        return Route(FORM, evidence.proc, case_id=evidence.form_case)
    if evidence.conditions:
        # What the conditions are: the record lists them ("Yêu cầu, điều kiện thực hiện").
        return Route(CONDITIONS, evidence.proc)
    if evidence.elsewhere:
        # Where to submit is in every record; what it says of submitting away from home answers the question.
        return Route(ELSEWHERE, evidence.proc, elsewhere=evidence.elsewhere)
    if not evidence.situation:
        return Route(ASPECT, evidence.proc)
    if evidence.deadline is not None:
        # By when it must be done: the record's own words on it, quoted.
        return Route(PASSAGE, evidence.proc, passage=evidence.deadline)
    passage_floor = passage_cover if passage_cover is not None else PASSAGE_COVER
    if evidence.passage is not None and evidence.passage_cover >= passage_floor:
        return Route(PASSAGE, evidence.proc, passage=evidence.passage, cover=evidence.passage_cover)
    return Route(UNKNOWN_SITUATION, evidence.proc, nearby=evidence.nearby)


def route(
    kb: KnowledgeBase, text: str, proc: Procedure | None, candidates: Sequence[Procedure] = (), previous: str = "",
) -> Route:
    """The route for a message about ``proc`` (``None``: no procedure was resolved, maybe a few candidates)."""
    return choose(gather(kb, text, proc, candidates, previous))


# A letter asks two or three things ("tôi là con dâu, có đăng ký khai tử cho bố chồng được không? Ngoài ra, lệ phí
# là bao nhiêu?"). Once the message has its answer about a procedure, each of its other questions is read alone,
# about that procedure: a curated question it meets, or the facts of the record it asks in so many words. At most
# this many further answers, so that the reply stays readable in a chat.
FURTHER_MAX = 2
_CLAUSE_END = re.compile(r"[,;]\s+")


def _asking(kb: KnowledgeBase, part: str, proc: Procedure | None = None) -> Tuple[str, ...]:
    """The facts of the record a sentence asks, from its clauses that are not about a situation: "có phải chịu thuế
    không, thủ tục tách thửa như thế nào" asks the steps; "nếu làm cho con thì hồ sơ gồm gì" asks nothing plain. A
    yes or no put in the aspect's own words ("làm khai tử có mất lệ phí không") asks the aspect of ``proc``."""
    def plain(clause: str) -> bool:
        return not situational(clause) or proc is not None and not unexplained(kb, without_aspect_phrases(clause), proc)
    clauses = [part] if plain(part) else [c for c in _CLAUSE_END.split(part) if plain(c)]
    return tuple(dict.fromkeys(a for c in clauses for a in _cued(kb, c)))


# A clause of a one-sentence question needs this many words to be read as a question of its own.
CLAUSE_WORDS = 3


# A clause that leans on the one before it ("…, vậy tôi được nghỉ thai sản bao lâu", "…, anh này có đủ điều kiện
# không") means nothing read alone: the surrogate mother's leave is not the mother's. Beside what refers back to
# the situation (``_REFERS_BACK``: "trường hợp này", "khi đó").
_LEANS_BACK = re.compile(r"^(?:vay|the|thi|nen|vi vay|nhu vay|nhu the|neu vay|neu the)\b"
                         r"|\b(?:anh|chi|em|ong|ba|nguoi|co|chu|chau)\s+(?:nay|do|ay)\b")


# Where a sentence's clauses part: at its commas and semicolons, and before "và" / "hay" after a yes or no ("có phải đi
# khám sức khỏe không và bao lâu thì có bằng mới").
_CLAUSE_PARTS = re.compile(
    r"[,;]|(?:(?<=\bkhông)|(?<=\bkhong)|(?<=\bko)|(?<=\bchưa)|(?<=\bchua))\s+(?=(?:và|va|hay)\s)", re.IGNORECASE)


def _clauses(sentence: str) -> List[str]:
    """The clauses of a sentence, split at ``_CLAUSE_PARTS``, when at least two of them have ``CLAUSE_WORDS`` words;
    otherwise none."""
    clauses = [c.strip() for c in _CLAUSE_PARTS.split(sentence) if len(c.split()) >= CLAUSE_WORDS]
    return clauses if len(clauses) > 1 else []


# What makes a clause a question: a yes or no, or a question word. "Lao động nam đóng BHXH từ tháng 3/2020, …"
# states; it asks nothing.
_ASKS = re.compile(r"\?|\b(?:khong|ko|k|hok|chua|bao nhieu|bao lau|bn|gi|j|o dau|nao|the nao|ntn|ra sao|lam sao"
                   r"|may ngay|may thang)\b")


def _standalone(clause: str) -> bool:
    """A clause that asks something and means it read alone."""
    folded = " ".join(fold(clause).lower().split())
    return bool(_ASKS.search(folded)) and not _LEANS_BACK.search(folded) and not _REFERS_BACK.search(folded)


def _polar_clause(
    kb: KnowledgeBase, typed: str, scope, stated: dict, cued, facts, context: str, ranked: Sequence[Hit],
) -> Hit | None:
    """A curated yes or no that a clause of a one-sentence question asks as its phrasings put it, when the whole
    message meets none: "e thue phong tro o HN 2 nam roi, gio muon nhap khau vao luon cho tro thi can giay to j, hop
    dong thue nha co phai cong chung ko ad". A clause read alone loses what the others say ("chong e can lltp so 2
    …, e la vo di xin thay cho a dc ko a?" is not the proxy of extract no. 1), so only a yes or no asked as one,
    which holds for what the clause states (``POLAR_RECALL``), and which the whole message nearly meets
    (``CLAUSE_WHOLE_COVER``, of ``ranked``)."""
    clauses = [c for c in asking_clauses(typed) if situational(c)]
    if not clauses or len(clauses) > CLAUSES_MAX:
        return None
    best, _, _ = _best_question(kb, [without_aspect_phrases(c) for c in clauses], scope, stated, cued, facts,
                                context=context)
    if best is None or best.cover < QUESTION_COVER:
        return None
    question = kb.question(best.passage.procedure_id, best.passage.key)
    key = (best.passage.procedure_id, best.passage.key)
    whole = max((h.cover for h in ranked if (h.passage.procedure_id, h.passage.key) == key), default=0.0)
    # Nor when another question meets the whole message as well: "cccd cua e het han thang truoc r, gio ra xa chung
    # thuc chu ky giay uy quyen dc ko ad" meets the expired card's question as well as the proxy letter's.
    rival = max((h.cover for h in ranked if (h.passage.procedure_id, h.passage.key) != key), default=0.0)
    if not question.polarity or not _holds(question, best.recall, POLAR_RECALL) or whole < CLAUSE_WHOLE_COVER \
            or rival > whole - CLAUSE_RIVAL_MARGIN:
        return None
    return best


def asking_clauses(typed: str) -> List[str]:
    """The clauses of a question put in one sentence that ask something read alone (``_standalone``): "e thue phong
    tro o HN 2 nam roi, gio muon nhap khau vao luon cho tro thi can giay to j, hop dong thue nha co phai cong chung ko
    ad" asks its last clause as a curated question puts it. A letter's sentences are read one by one already
    (``sentences``)."""
    if len(split_sentences(typed)) > 1:
        return []
    return [c for c in _clauses(typed) if _standalone(c)]


def further(kb: KnowledgeBase, text: str, main: Route) -> List[Route]:
    """The other questions of a letter about ``main``'s procedure: ``QUESTION`` routes (other curated questions of
    it), at most one ``ASPECT`` route with the facts of the record asked, and an ``UNKNOWN_SITUATION`` route that
    names the questions (sentences ending in "?") nothing settles, so that the reply says so rather than nothing.

    Read only after an answer about one procedure, never about another procedure, and never for a sentence whose
    own words make it a situation nothing settles. After an honest "not known" nothing more is said: the
    situation may change the procedure ("muốn sang Úc làm thủ tục kết hôn … thủ tục ra sao?" is not answered with
    the steps of marrying here, which the sentence read alone asks)."""
    proc = main.procedure
    if proc is None or main.kind not in ANSWERING:
        return []
    typed = question_part(text)
    parts = sentences(typed)[1:]
    clauses: List[str] = []
    of: Dict[str, List[str]] = {}  # a question sentence's clauses
    if not parts:
        # One sentence that asks two things: "làm lại có cần khám sức khỏe ko, hết bn tiền vậy". Its clauses that
        # ask are read one by one, so the fee asked after the comma is answered beside the curated answer; not one
        # that states ("bằng lái ô tô hạng B của e tháng 2 năm sau hết hạn, …").
        split = _clauses(typed)
        parts = [c for c in split if _ASKS.search(" ".join(fold(c).lower().split()))] if split else \
            [typed] if "," in typed or ";" in typed else []
    else:
        # A letter's question sentence that asks two things ("… Giấy ủy quyền cho chú có phải chứng thực không, và
        # phải khai tử trong bao nhiêu ngày?"): read whole, then clause by clause. Only a sentence that ends as a
        # question: the context's clauses ("tôi là con cả nhưng đang làm ở Sài Gòn, muốn nhờ chú …") ask nothing.
        # Such a clause adds an answer, never a "not known": "e nhờ mẹ đi xin lltp số 2 giùm đc k, hay bắt buộc e
        # phải tự về?" is settled by the answer to its first clause.
        of = {p: [c for c in _clauses(p) if _standalone(c)] for p in parts if p.rstrip().endswith("?")}
        clauses = [c for p in parts for c in of.get(p, ())]
        parts += clauses
    if not parts:
        return []
    given = {main.question.id} if main.question is not None else set()
    quoted = {main.question.quote} if main.question is not None and main.question.quote else set()
    # What the curated answer settles: the facts most of its phrasings ask, as for choosing it (``_asked_by_most``).
    # "ai ký tờ khai … và cần giấy tờ gì chứng minh là bố mẹ", one phrasing of six, leaves the papers to be asked.
    answered = set(_asked_by_most(kb.shorthand, tuple(main.question.phrasings))) if main.question is not None \
        else set()
    if main.kind in (ELSEWHERE, ONLINE):
        answered.add("where" if main.kind == ELSEWHERE else "online")
    if main.kind == FORM:
        answered.add("papers")  # the forms are among the papers: "dùng tờ khai nào" is not asked again
    found: List[Route] = []
    aspects: List[str] = []
    unsettled: List[str] = []
    stated = quantities(text)  # an age or a duration the letter states holds for each of its questions
    settled: Set[str] = set()  # the clauses that get an answer
    for part in parts:
        way = choose(gather(kb, part, proc, stated=stated))
        if way.kind == QUESTION and way.procedure is not None and way.procedure.id == proc.id:
            if way.question.id in given or way.question.quote and way.question.quote in quoted:
                # the sentence the main answer settles, or another question that quotes the same words ("đổi bằng
                # có phải khám sức khỏe không" beside "… ô tô hạng B"): not asked again
                answered.update(_cued(kb, part))
                settled.add(part)
            elif len(found) < FURTHER_MAX and not _held_apart(part, " ; ".join(way.question.phrasings), text):
                # (Not a question the letter's own words rule out, read alone in a clause that does not say them:
                # "… lltp số 2 giúp e dc ko, có cần giấy ủy quyền công chứng ko" is not asked of extract no. 1.)
                given.add(way.question.id)
                quoted.add(way.question.quote)
                found.append(way)
                settled.add(part)
        elif way.kind == CONDITIONS and way.procedure is not None and way.procedure.id == proc.id:
            # "… làm online mất bao nhiêu tiền, cần điều kiện gì": the record's conditions, once
            if CONDITIONS not in {w.kind for w in found} | {main.kind} and len(found) < FURTHER_MAX:
                found.append(way)
            settled.add(part)
        elif way.kind in (ASPECT, ELSEWHERE, ONLINE, FORM):
            # ("xin cấp lại ở bhxh quê dc ko, bao lâu thì có sổ": the time asked beside where, which is answered)
            asked = _asking(kb, part, proc)
            aspects.extend(asked)
            if asked:
                settled.add(part)
        elif way.kind == UNKNOWN_SITUATION and part.rstrip().endswith("?") and part not in clauses:
            unsettled.append(part.strip())
    wanted = tuple(a for a in dict.fromkeys(aspects) if a not in answered)
    if wanted and len(found) < FURTHER_MAX:
        found.append(Route(ASPECT, proc, aspects=wanted))
    # A sentence that is settled clause by clause is no question left open: "đk tạm trú thì hợp đồng này có bắt buộc
    # công chứng ko a, nộp online thì mất bn tiền?"
    unsettled = [p for p in unsettled if not settled.intersection(of.get(p, ()))]
    if unsettled:
        found.append(Route(UNKNOWN_SITUATION, proc, unsettled=tuple(unsettled[:FURTHER_MAX])))
    return found



def in_asked_order(kb: KnowledgeBase, text: str, ways: Sequence[Route]) -> List[Route]:
    """A letter's curated answers (the main one, then ``further``'s) with those asked before the main one first:
    "làm cccd cho bé thì đăng ký online trên vneid dc ko …? làm xong bn ngày" opens with its yes or no, not with
    the time the whole message meets best.

    Where a curated answer is asked: the first sentence of the question part whose clause (or, failing its clauses,
    the sentence read whole) asks something (``_ASKS``) and, read alone, gets the same curated question. One asked
    in an earlier sentence, or in an earlier clause of the same sentence, comes first; one the sentence asks only
    read whole is asked nowhere in particular in it. The record's facts stay where they are: their cue words
    ("giấy", "ở đâu") are said in passing too."""
    if ways[0].kind != QUESTION or ways[0].procedure is None or not any(w.kind == QUESTION for w in ways[1:]):
        return list(ways)
    stated = quantities(text)

    def asked(unit: str) -> str | None:
        if not _ASKS.search(" ".join(fold(unit).lower().split())):
            return None
        found = choose(gather(kb, unit, ways[0].procedure, stated=stated)).question
        return found.id if found is not None else None

    # (sentence, clause or None for the sentence whole, curated question it asks)
    units = [(n, c, asked(unit)) for n, sentence in enumerate(split_sentences(question_part(text)))
             for c, unit in [*enumerate(_clauses(sentence)), (None, sentence)]]

    def asked_at(way: Route) -> Tuple[int, int | None] | None:
        if way.kind != QUESTION:
            return None
        return next(((n, c) for n, c, question in units if question == way.question.id), None)

    def earlier(one: Tuple[int, int | None], other: Tuple[int, int | None]) -> bool:
        return one[0] < other[0] or one[0] == other[0] and None not in (one[1], other[1]) and one[1] < other[1]

    main = asked_at(ways[0])
    if main is None:
        return list(ways)
    before = sorted((at, n) for n, way in enumerate(ways[1:], 1)
                    if (at := asked_at(way)) is not None and earlier(at, main))
    moved = {n for _, n in before}
    return [*(ways[n] for _, n in before), *(way for n, way in enumerate(ways) if n not in moved)]


# "Lệ phí đi khai tử trong trường hợp này là bao nhiêu?": the fact asked of the situation just described, which
# nothing settles, not the record's plain fact.
_REFERS_BACK = re.compile(r"\b(?:truong hop|th)\s+(?:nay|do|tren|nhu vay|nhu the)\b|\bnhu vay thi\b"
                          r"|\b(?:khi|luc|luc ay|khi ay)\s+do\b|\bkhi ay\b|\bluc ay\b")


def plain_beside(kb: KnowledgeBase, text: str, proc: Procedure) -> Tuple[str, ...]:
    """The facts of ``proc``'s record a letter asks in a clause of its own beside a situation nothing settles:
    "… có phải chịu thuế không, thủ tục tách thửa như thế nào, hồ sơ gồm những giấy tờ gì?" asks the steps and the
    papers of the division of a plot, whatever the tax.

    A clause counts when it names the procedure in words of its names, or follows one that does in the same
    sentence, and says nothing else the procedure leaves unexplained, so that the situation cannot have changed the
    procedure it asks about: "… tôi muốn sang Úc làm bằng mới. Thủ tục ra sao?" names nothing of the licence found;
    "thủ tục cấp lại bằng lái ô tô thế nào" names the car, which the reissue's names do not. Nor one that refers
    back to the situation ("lệ phí trong trường hợp này là bao nhiêu")."""
    index = kb.question_index
    names = index.name_words(proc.id) - FUNCTION_WORDS
    found: List[str] = []
    for sentence in split_sentences(question_part(text)):
        named = False
        for clause in _CLAUSE_END.split(sentence):
            plain = without_aspect_phrases(clause)
            if _REFERS_BACK.search(cue_text(kb.shorthand, clause)) or unexplained(kb, plain, proc):
                named = False
                continue
            named = named or bool(names & set(content_words(index.words(plain), ASPECT_WORDS)))
            if named:
                found.extend(_cued(kb, clause))
    return tuple(dict.fromkeys(found))


def _asks_yes_no_about(kb: KnowledgeBase, sentence: str, asks: Sequence[str]) -> bool:
    """Whether a clause of ``sentence`` ends asking a yes or no ("... không ạ", "... chưa") after naming one of
    ``asks``, whole words: "bố mẹ có phải ký đồng ý không" about "ký"; not "bố không ký thì làm sao"."""
    words = [w for a in asks if (w := cue_text(kb.shorthand, a))]
    for clause in _CLAUSE_END.split(sentence):
        said = cue_text(kb.shorthand, clause)
        ends = _yes_no_ends(said)
        if ends and any(re.search(rf"\b{re.escape(w)}\b", said[:ends[-1].start()]) for w in words):
            return True
    return False


def _yes_no_ends(clause: str) -> List[re.Match]:
    """Where the (folded) clause asks its yes or no, among its last words: "... có bắt buộc công chứng ko a"."""
    return [m for m in _YES_NO_END.finditer(clause) if len(clause[m.end():].split()) <= _YES_NO_TAIL]


# A word pair negated ("ko công chứng", "không cần chứng thực", "chưa có sổ"), a verb of need or ability between.
_NEGATED = re.compile(r"\b(?:khong|chua)\s+(?:(?:can|phai|duoc|co)\s+)?(\w+)\s+(\w+)")


def _negated(folded: str) -> Set[str]:
    """The word pairs ``folded`` negates, function words aside: "hop dong ko cong chung" negates "cong chung"."""
    return {f"{one} {two}" for one, two in _NEGATED.findall(folded)
            if one not in FUNCTION_WORDS and two not in FUNCTION_WORDS}


def reversed_ask(kb: KnowledgeBase, text: str, question: Question) -> bool:
    """The message negates words the curated question's phrasings say only unnegated: "hợp đồng thuê viết tay ko
    công chứng thì có dùng để đăng ký thường trú dc ko" asks whether it may be left undone, which "Có." of "có phải
    công chứng không" would answer backwards."""
    clauses = [cue_text(kb.shorthand, clause) for clause in CLAUSE_BREAKS.split(question_part(text))]
    negated = [_negated(clause) for clause in clauses]
    asked = set().union(*negated)
    if not asked:
        return False
    phrasings = [cue_text(kb.shorthand, p) for p in question.phrasings]
    said = {pair for pair in asked if any(f" {pair} " in f" {p} " for p in phrasings)}
    # A clause that asks the yes or no of the same words unnegated asks it the curated way round: "chủ nhà chỉ viết
    # hợp đồng tay ko công chứng gì hết. đk tạm trú thì hợp đồng này có bắt buộc công chứng ko"
    said = {pair for pair in said if not any(f" {pair} " in f" {clause} " and pair not in pairs
                                             for clause, pairs in zip(clauses, negated, strict=True)
                                             if _yes_no_ends(clause))}
    return bool(said) and not said & set().union(*(_negated(p) for p in phrasings))


# "… trên VNeID được không, hay bắt buộc phải bế cháu lên công an …?": a question that offers two ways asks its yes or
# no of the first.
_OR_ELSE = re.compile(r"\b(khong|ko|k|hok|chua)\s*,?\s+hay\s+(?!khong\b|ko\b|chua\b)\w")


def _asked_first(kb: KnowledgeBase, way: Route, text: str) -> bool:
    """Whether ``way``'s curated yes or no answers the first of two ways the question offers ("tự làm cho cháu trên
    VNeID được không, hay bắt buộc phải bế cháu lên công an"), or the question offers none: the question the first
    way alone comes closest to. One the second way met ("có phải đưa trẻ lên công an không" → "Không.") would read
    as refusing the first, and goes without its yes or no (``bare``)."""
    typed = question_part(text)
    folded = fold(typed).lower()
    m = _OR_ELSE.search(folded) if way.question.polarity and len(folded) == len(typed) else None
    if m is None:
        return True
    # The letter up to the end of the first way: its context says the situation ("Tôi làm mất bằng lái …").
    start = max(text.find(typed), 0)
    first = gather(kb, text[:start + m.end(1)], way.procedure, stated=quantities(text)).question
    return first is not None and first.id == way.question.id


def led(kb: KnowledgeBase, way: Route, text: str) -> Route:
    """``way`` with the yes or no its curated question's ``leads`` give for what the letter says: whom it asks to
    do it ("nhờ em trai ruột đi làm khai tử ... giấy ủy quyền có phải chứng thực không" opens "Không, ..."; read
    from the whole letter, only when it asks a yes or no about one of ``leads.asks``), or whether it asks to do it
    where the citizen is or must go home ("làm ở chỗ trọ dc ko" opens "Có, ..."), or a yes or no asked about one of
    ``leads.asks`` (``leads.asked``: "tách hộ có cần chủ hộ đồng ý không" opens "Có, ..."); otherwise ``way`` as it
    is."""
    question = way.question
    if way.kind != QUESTION or question is None:
        return way
    if reversed_ask(kb, text, question):
        return replace(way, bare=True)
    if question.leads is None:
        return replace(way, bare=True) if not _asked_first(kb, way, text) else way
    leads = question.leads
    if leads.here and leads.home:
        asked = asks_elsewhere(kb.shorthand, kb.places, question_part(text))
        if asked is not None:
            return replace(way, lead=leads.here if asked == HERE else leads.home)
    if leads.asked and any(_asks_yes_no_about(kb, sentence, leads.asks)
                           for sentence in split_sentences(question_part(text))):
        return replace(way, lead=leads.asked)
    kin = _kin_asked(leads, text)
    if kin is None:
        return way
    return replace(way, lead=leads.close_kin if kin == CLOSE_KIN else leads.other_person)
