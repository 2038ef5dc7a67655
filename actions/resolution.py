"""Which procedure a turn is about: a button pick, the NLU entity, the text, or the last one.

Kept apart from Rasa so the switching rules ("còn hộ chiếu thì sao?" switches,
"còn lệ phí thì sao?" stays) are tested as plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, FrozenSet, List, Sequence, Tuple

from knowledge.base import KnowledgeBase
from knowledge.facts import cue_text
from knowledge.forms import ASKS_FORM
from knowledge.passages import (
    ASPECT_WORDS,
    FUNCTION_WORDS,
    content_words,
    name_words,
    without_aspect_phrases,
    words_of,
)
from knowledge.quantities import quantities
from knowledge.schema import Procedure
from knowledge.search import MARGIN, Match, resolve, within_done
from knowledge.variants import (
    CANDIDATES_WIDE,
    LETTER_WIDE,
    SOFT,
    SWITCHING,
    copied_paper,
    explains,
    folded_words,
    lives_abroad,
    loss_clause,
    paper_said,
    reissued_papers,
    reissues,
    reports_loss,
    reports_the_loss,
    same_paper,
    set_apart,
)
from knowledge.vntext import asking_part, canonical, fold, question_part, split_sentences, without_residence

# With a procedure already under discussion, only a clear mention in free
# text moves the conversation elsewhere; weak hits are usually question words.
SWITCH_CANDIDATE_SCORE = 0.6
SUGGESTION_SCORE = 0.25


@dataclass
class Decision:
    """The procedure to answer about, or the candidates to ask about."""

    procedure: Procedure | None = None
    candidates: List[Procedure] = field(default_factory=list)
    suggestions: List[Procedure] = field(default_factory=list)
    # Some candidate is named word for word (or marked by the NLU); otherwise each was found only in part, and
    # "which one?" would offer procedures the citizen did not name.
    named: bool = True


def decide(
    kb: KnowledgeBase,
    text: str,
    entity_texts: Sequence[str] = (),
    picked_id: str | None = None,
    current_id: str | None = None,
) -> Decision:
    """Resolve the procedure for this turn; a procedure that does not explain the message's words
    ("một lần", "người nước ngoài", "lưu động"...) is offered as a suggestion, never answered."""
    if picked_id is None:
        # "em hộ khẩu tại Quận 8" says where the citizen lives; it does not ask for a residence registration.
        typed, text = fold(text).lower(), without_residence(text)
        kept = fold(text).lower()
        entity_texts = [e for e in entity_texts if fold(e).lower() not in typed or fold(e).lower() in kept]
    decision = _decide(kb, text, entity_texts, picked_id, current_id)
    if picked_id is not None:
        return decision
    if decision.procedure is not None and decision.procedure.id != current_id:
        fuller = _fuller_name(kb, text, decision.procedure)
        if fuller is not None:
            decision = Decision(procedure=fuller)
    asked = question_part(text)
    copy = _copy_of_paper(kb, asked, decision)
    if copy is not None:
        return Decision(procedure=copy)
    proc = decision.procedure
    apart = set_apart(asked, proc) | set_apart(text, proc, LETTER_WIDE) if proc is not None else frozenset()
    if proc is not None and proc.id != current_id and apart:
        explaining = _explaining(kb, text, proc, apart)
        if explaining is not None:
            return Decision(procedure=explaining)
        if not apart <= SOFT:
            # Found only in part ("báo mất hộ chiếu ... nay lại tìm thấy" reads the restoring of its value at 0.4):
            # offered first, never answered.
            weaker = _explaining(kb, text, proc, apart, floor=SUGGESTION_SCORE)
            return Decision(suggestions=[weaker, proc] if weaker is not None else [proc])
    # A paper reported lost and asked for anew: its issue, whether the report was found or is a candidate.
    report = next((p for p in ([proc] if proc is not None else decision.candidates) if reports_the_loss(p)), None)
    if report is not None and report.id != current_id:
        anew = _issued_anew(kb, text, report)
        if anew is not None and (proc is not None or anew in decision.candidates):
            return Decision(procedure=anew)
    lost = proc is not None and reports_loss(text) and not reissues(proc)
    # A paper lost in the letter's context is what the question's "xin cấp lại thì bao lâu" is about: "nhà bị cháy mất
    # giấy chứng nhận đăng ký hộ kinh doanh. Xin hỏi xin cấp lại thì bao lâu" is its reissue, though only the context
    # names it.
    if proc is not None and proc.id != current_id and (
            lives_abroad(text, proc) or not lost and _only_in_context(kb, text, proc)):
        return Decision(suggestions=[proc])
    if proc is not None and proc.id != current_id and (lost or _asks_reissue(text, proc)):
        return _lost_paper(kb, text, proc)
    if proc is not None and proc.id != current_id and not reissues(proc) \
            and _REDO.search(" ".join(folded_words(question_part(text)))):
        again = _lost_paper(kb, text, proc)
        if again.procedure is not None and same_paper(proc, again.procedure, whole=True):
            return again
    if proc is not None and proc.id != current_id:
        adult = _adult_birth(kb, text, proc)
        if adult is not None:
            return Decision(procedure=adult)
    if decision.candidates:
        # What sets each candidate apart: read from its question, and from the whole letter (``LETTER_WIDE``).
        in_question = {c.id: set_apart(asked, c) for c in decision.candidates}
        soft = frozenset().union(*in_question.values()) & SOFT
        if soft and not any(explains(c, soft) for c in decision.candidates):
            # "gia hạn" sets a candidate apart only beside one whose names say it
            in_question = {k: v - SOFT for k, v in in_question.items()}
        # What is wrong with a paper (``CANDIDATES_WIDE``) picks among candidates that correct it and others, not
        # beyond them: "sổ đỏ ghi sai ngày sinh" is none of the civil status correction, the land registrations or
        # the ID card. (``set_apart`` only filters by its keys: the narrower reasons are a subset of the wider.)
        wide = {c.id: set_apart(text, c, CANDIDATES_WIDE) for c in decision.candidates}
        for in_letter in (wide, {pid: keys & LETTER_WIDE for pid, keys in wide.items()}):
            kept = [c for c in decision.candidates if not in_question[c.id] and not in_letter[c.id]
                    and not _only_in_context(kb, text, c)]
            if kept:
                break
        if not kept:
            # "giấy khai sinh bị mất và ở xã cũng không còn sổ lưu" sets apart the birth's registration and its copy
            # alike: the procedure that says why, as for one procedure found. Only for what the letter states of the
            # situation (``LETTER_WIDE``): "vừa làm cải chính tên xong, giờ muốn đổi cccd" asks no correction.
            explaining = {found.id: found for found in (
                _explaining(kb, text, c, in_letter[c.id]) for c in decision.candidates if in_letter[c.id])
                if found is not None}
            if len(explaining) == 1:
                return Decision(procedure=next(iter(explaining.values())))
            return Decision(suggestions=decision.candidates)
        apart = frozenset().union(*(in_question[c.id] | in_letter[c.id] for c in decision.candidates))
        if len(kept) == 1 and explains(kept[0], apart & SWITCHING) and same_paper(decision.candidates[0], kept[0]):
            # "tên mẹ trên giấy khai sinh bị ghi sai, muốn cải chính": of the birth's registration and the
            # correction, the one whose names say what sets the other apart. On the paper the message is found by
            # first: "sổ đỏ ... ghi sai tên đệm" is not a birth certificate's correction. What sets the others apart
            # without switching (a foreign element) the one kept says already: "ông ngoại quốc tịch Pháp ... đăng ký
            # lại khai tử" is the foreign death's registration again.
            return Decision(procedure=kept[0])
        first = _first_issue_for_child(kb, text, kept) or _joining(kb, text, kept) or _said_further(kb, text, kept) \
            or _reissuing(kb, text, kept)
        if first is not None:
            return Decision(procedure=first)
        return Decision(candidates=kept, named=decision.named)
    return decision


# Words of an official name that say no more than that something is done: "cấp", "đăng ký", "thủ tục", and "đối
# với", whose "đối" folds like the "đổi" of an exchange.
_DOING_WORDS = frozenset({"cap", "dang", "ky", "thu", "tuc", "doi", "voi", "thuc", "hien", "tai", "trong", "truong",
                          "hop"})
FULLER_MIN = 2  # words a fuller name must add to the one found


@lru_cache(maxsize=8192)
def _official_words(name: str) -> FrozenSet[str]:
    """The words of an official name that say what it is about (its brackets aside)."""
    return frozenset(folded_words(re.sub(r"\(.*?\)", " ", name))) - FUNCTION_WORDS - _DOING_WORDS


def _fuller_name(kb: KnowledgeBase, text: str, proc: Procedure) -> Procedure | None:
    """The one procedure whose official name says every word of ``proc``'s and at least ``FULLER_MIN`` more, all
    written in the message: "giấy phép thành lập của tổ chức tài chính vi mô ... xin bản sao từ sổ gốc" is the
    microfinance licence's copy from the register, not the general one found word for word; "tạm trú ... hết hạn ...
    phải gia hạn trước bao nhiêu ngày" is the renewal ("Gia hạn tạm trú"), not the registration."""
    own = _official_words(proc.name)
    if not own:
        return None
    said = set(folded_words(text))
    need = len(own) + FULLER_MIN
    holding = kb.derived("official_names", _official_names)
    rarest = min(own, key=lambda w: len(holding.get(w, ())))
    named = [(p, words) for p, words in holding.get(rarest, ())
             if len(words) >= need and p.id != proc.id and own <= words <= said]
    most = max((len(words) for _, words in named), default=0)
    # As a search offers it: its family's variant for citizens, not a record for an audience the message leaves out.
    best = {pid for p, words in named if len(words) == most and (pid := kb.offered(p.id, text))}
    return kb.get(best.pop()) if len(best) == 1 and proc.id not in best else None


def _official_names(procedures: Dict[str, Procedure]) -> Dict[str, List[Tuple[Procedure, FrozenSet[str]]]]:
    """For each word of an official name (``_official_words``), the procedures whose name says it, with its words."""
    holding: Dict[str, List[Tuple[Procedure, FrozenSet[str]]]] = {}
    for proc in procedures.values():
        words = _official_words(proc.name)
        for word in words:
            holding.setdefault(word, []).append((proc, words))
    return holding


JOINED_MIN = 2  # procedures a joint one must name besides itself


def _candidate_matches(kb: KnowledgeBase, text: str, candidates: Sequence[Procedure], limit: int) -> Dict[str, Match]:
    """How the finder named each candidate it finds among its first ``limit`` matches (the best match of each)."""
    ids = {c.id for c in candidates}
    found: Dict[str, Match] = {}
    for match in kb.search(text, limit=limit):
        if match.procedure_id in ids:
            found.setdefault(match.procedure_id, match)
    return found


def _joining(kb: KnowledgeBase, text: str, candidates: Sequence[Procedure]) -> Procedure | None:
    """The one candidate whose own name (or an alias) says what the message names each of the others by: "làm liên
    thông khai sinh, đăng ký thường trú và cấp thẻ bảo hiểm y tế cho con" asks the joint procedure, not which of
    the three it joins. It must be found clearly itself, and join at least ``JOINED_MIN`` papers named apart."""
    if len(candidates) <= JOINED_MIN:
        return None
    found = _candidate_matches(kb, text, candidates, limit=2 * len(candidates))
    if len(found) < len(candidates):
        return None
    said = {c.id: frozenset(folded_words(found[c.id].phrase)) for c in candidates}
    typed = set(folded_words(text))

    def joins(joint: Procedure) -> bool:
        # What the message names, each by words it writes: not a name found by words it lacks ("đổi thẻ bhyt" for
        # "cấp thẻ bảo hiểm y tế").
        others = {said[o.id] for o in candidates if o.id != joint.id and (found[o.id].exact or said[o.id] <= typed)}
        # Named by different papers ("khai sinh", "thường trú", "thẻ bảo hiểm y tế"), not all by one ("sổ đỏ").
        widest = [w for w in others if not any(w < v for v in others)]
        return found[joint.id].score >= SWITCH_CANDIDATE_SCORE and len(widest) >= JOINED_MIN and all(
            not a & b for i, a in enumerate(widest) for b in widest[i + 1:]) and all(
            any(w <= set(folded_words(n)) for n in (joint.name, *joint.aliases)) for w in others)

    joining = [c for c in candidates if joins(c)]
    return joining[0] if len(joining) == 1 else None


# Words of a name that say no paper: names sharing only these ("đăng ký kết hôn", "giấy khai sinh") are not found by
# the same words.
_PLAIN_NAME_WORDS = frozenset("dang ky lam xin thu tuc cho giay the so cap doi lai".split())


def _said_further(kb: KnowledgeBase, text: str, candidates: Sequence[Procedure]) -> Procedure | None:
    """The one candidate the message names further than by the words they were all found by: "cccd của em hết hạn,
    đi đổi thì mất bao nhiêu tiền" names the first card, its renewal and its reissue by "căn cước công dân", and
    the renewal alone by "căn cước [công dân của em] hết hạn"."""
    if len(candidates) < 2:
        return None
    found = _candidate_matches(kb, text, candidates, limit=2 * len(candidates) + 4)
    if len(found) < len(candidates):
        return None
    shared = set.intersection(*(set(found[c.id].words) for c in candidates)) - _PLAIN_NAME_WORDS
    if not shared:
        return None
    further = kb.said_further(text, [c.id for c in candidates])
    return kb.get(next(iter(further))) if len(further) == 1 else None


def _explaining(
    kb: KnowledgeBase, text: str, proc: Procedure, apart: FrozenSet[str], floor: float = SWITCH_CANDIDATE_SCORE,
) -> Procedure | None:
    """Another procedure the message names clearly whose names say what sets ``proc`` apart: "giấy khai sinh ghi sai
    năm sinh, muốn cải chính lại" is the correction's, though "giấy khai sinh" names the registration word for
    word."""
    asked = question_part(text)
    for match in kb.search(text):
        other = kb.get(match.procedure_id)
        if other is None or other.id == proc.id or match.score < floor:
            continue
        if explains(other, apart) and same_paper(proc, other) and not set_apart(asked, other) \
                and not set_apart(text, other, LETTER_WIDE):
            return other
    if floor < SWITCH_CANDIDATE_SCORE:
        return None
    # Not named in the message's words at all ("giấy khai sinh bị cháy mất, ra xã thì sổ gốc cũng ko còn" says
    # nothing of "đăng ký lại"; "đã dk hộ kinh doanh, giờ muốn tạm nghỉ 2 tháng" nothing of the notice's name): the
    # one procedure whose names say it, for the paper the message names or the whole paper of ``proc``, of the
    # variant asked.
    kin = {kb.member(other.id, text) for other in kb.procedures.values()
           if other.id != proc.id and explains(other, apart)
           and (paper_said(text, other) or same_paper(proc, other, whole=True))}
    kept = [p for p in map(kb.get, kin)
            if p is not None and not set_apart(asked, p) and not set_apart(text, p, LETTER_WIDE)]
    return kept[0] if len(kept) == 1 and kept[0].id != proc.id else None


# What a message says of a paper the child already has or had: renewing, replacing, correcting it.
_HELD = re.compile(r"\b(?:doi|lam lai|cap lai|het han|hong|bi sai|ghi sai|da co|da lam|da duoc cap|gia han"
                   r"|dieu chinh|lan hai|lan 2|lan nua)\b")
CHILD_AGE = 14  # the age from which an ID card must be made (khoản 2 Điều 19 Luật Căn cước 2023)


def _first_issue_for_child(kb: KnowledgeBase, text: str, candidates: Sequence[Procedure]) -> Procedure | None:
    """The first issue among a paper's first issue, renewal and reissue, for a child under 14 the message says
    nothing held of: "làm căn cước cho bé 5 tuổi cần giấy tờ gì" has no card to renew or replace."""
    age = quantities(text).get("tuoi")
    if not age or age[1] >= CHILD_AGE or len(candidates) < 2 or reports_loss(text):
        return None
    firsts = [c for c in candidates if "lan dau" in fold(c.name).lower()]
    if len(firsts) != 1 or _HELD.search(cue_text(kb.shorthand, text)):
        return None
    return firsts[0]


# The writer, or a grown-up of the family, was never registered at birth ("hồi nhỏ bố mẹ không đi khai sinh cho tôi",
# "ông tôi chưa có giấy khai sinh", "tôi chưa bao giờ được làm giấy khai sinh"): the registration of someone who already
# has personal papers, not a newborn's.
_ADULT_UNREGISTERED = re.compile(
    r"\b(?:khong|chua)\s+(?:\w+\s+){0,3}?khai sinh cho (?:toi|minh)\b"
    r"|(?<!con )(?<!chau )(?<!be )(?<!em )(?<!cua )(?<!hoc )"
    r"\b(?:toi|minh|ong|ba|bo|me|cha)(?: toi| minh)?\s+(?:van\s+)?chua\s+(?:bao gio\s+|tung\s+)?"
    r"(?:duoc\s+|co\s+|lam\s+|dang ky\s+|di\s+)*"
    r"(?:giay\s+)?khai sinh\b")
# The personal papers that registration's record (1.004772) needs the person to hold already: without them a grown-up's
# birth is registered late by the birth's own procedure.
_PERSONAL_PAPERS = re.compile(
    r"\b(?:can cuoc|cccd|cmnd|chung minh nhan dan|chung minh thu|hoc ba|bang tot nghiep|ho khau|ho chieu|bang lai"
    r"|giay phep lai xe|giay to tuy than|giay to ca nhan|ho so ca nhan|ly lich|the dang vien|so bao hiem)\b")
# How the finder names that registration.
ADULT_BIRTH_NAME = "khai sinh cho người lớn"


def _adult_birth(kb: KnowledgeBase, text: str, proc: Procedure) -> Procedure | None:
    """The registration of a grown-up's birth when the birth's registration was found and the message says the writer
    (or a grown-up relative) was never registered: "Tôi ... 41 tuổi ... hồi nhỏ bố mẹ tôi không đi khai sinh cho
    tôi, nhưng tôi vẫn có căn cước, học bạ ... Xin hỏi tôi đi làm khai sinh bây giờ thì cần nộp những gì?" is not a
    newborn's file. Only when the message names personal papers held, as that registration's record requires."""
    plain = " ".join(folded_words(text))
    if not _ADULT_UNREGISTERED.search(plain) or not _PERSONAL_PAPERS.search(plain):
        return None
    newborn = next((m for m in kb.search("đăng ký khai sinh", limit=1) if m.exact), None)
    adult = next((m for m in kb.search(ADULT_BIRTH_NAME, limit=1) if m.exact), None)
    if newborn is None or adult is None or newborn.procedure_id != proc.id:
        return None
    return kb.get(adult.procedure_id)


# How the finder names the certification of a copy from its original ("sao y"): the procedure a copied paper goes to.
COPY_NAME = "sao y bản chính"


def _copy_of_paper(kb: KnowledgeBase, asked: str, decision: Decision) -> Procedure | None:
    """The certified copy's procedure, when the procedure found (or every candidate) is only the paper the message
    asks to copy: "sao y cccd" is not about the ID card."""
    papers = copied_paper(asked)
    found = [decision.procedure] if decision.procedure is not None else decision.candidates
    if not papers or not found:
        return None
    # The paper follows the verb at once ("sao y [cccd]", "chứng thực bản sao [giấy khai sinh]"), not "chứng thực
    # không, và [làm khai tử] ...".
    named = {m.procedure_id for paper in papers for m in kb.search(paper, limit=8) if m.exact and m.at == 0}
    copying = next((m for m in kb.search(COPY_NAME, limit=1) if m.exact), None)
    others = [p for p in found if copying is not None and p.id != copying.procedure_id]
    if others and all(p.id in named for p in others):
        return kb.get(copying.procedure_id)
    return None


def _lost_paper(kb: KnowledgeBase, text: str, proc: Procedure) -> Decision:
    """A lost paper is issued again, copied or reported lost: "mất giấy chứng nhận đăng ký hộ kinh doanh" is the
    reissue of that certificate, not founding the business, and "mất giấy khai sinh" is not a new registration.
    The procedure for it when the message names one clearly enough; else no answer, the procedure found offered.
    (Weaker reissues are not offered: "mất giấy chứng tử" half-names the reissue of a vehicle's inspection
    certificate as well as it names the copy of a death extract.)"""
    # One search: its first ``SEARCH_LIMIT`` matches are the finder's usual answer (the ranking does not depend on the
    # limit), the rest are read only for a reissue whose paper the message names in another order.
    matches = [(m, kb.get(m.procedure_id)) for m in kb.search(text, limit=REISSUE_LOOKUP)]
    reissuing = [(m, p) for m, p in matches if p is not None and p.id != proc.id and reissues(p)]
    # "bị mất hộ chiếu ..., đã làm đơn trình báo mất. Cho tôi hỏi làm lại hộ chiếu ở đâu": the paper asked for anew is
    # issued by ``proc``, whose papers hold the loss report, as when the report is the procedure found (``decide``).
    if any(reports_the_loss(p) and getattr(_issued_anew(kb, text, p), "id", None) == proc.id for _, p in reissuing):
        return Decision(procedure=proc)
    again = [(m, p) for m, p in reissuing if (m, p) in matches[:SEARCH_LIMIT]]
    # "Giấy chứng nhận đăng ký hộ kinh doanh bị mất thì xin cấp lại" names the paper before the reissue, which the
    # finder reads in the name's order ("Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh") only in part.
    typed = f" {' '.join(folded_words(text))} "
    named = [p for _, p in reissuing if any(f" {paper} " in typed for paper in reissued_papers(p.name))]
    # A paper named whole beats a reissue found in part: "tiệm sửa xe ... cháy mất giấy chứng nhận đăng ký hộ kinh
    # doanh" half-names the vehicle's registration too.
    if again and again[0][0].score >= SWITCH_CANDIDATE_SCORE and (
            again[0][0].exact or not named or again[0][1] in named):
        return Decision(procedure=again[0][1])
    if named:
        return Decision(procedure=named[0])
    return Decision(suggestions=[proc])


# The question asks for the paper anew: "làm lại", "cấp lại", "làm hộ chiếu mới", "làm cái mới".
_ASKS_ANEW = re.compile(r"\b(?:lam|cap|xin) lai\b|\b(?:lam|cap|xin)(?:\s+\w+){0,3}\s+moi\b")
_REPORTS = re.compile(r"\b(?:bao|trinh bao) mat\b")
# The words a loss report's name or the message uses for the loss ("trình báo mất", "bị thất lạc"), not the paper.
_LOSS_WORDS = frozenset({"mat", "bi", "trinh", "bao", "that", "lac"})


def _issued_anew(kb: KnowledgeBase, text: str, report: Procedure) -> Procedure | None:
    """A paper reported lost, and the question asks for it anew: "mất hộ chiếu, hộ chiếu vẫn còn hạn 3 năm. giờ làm
    lại thì cần thêm giấy tờ j và hết bn tiền" is the passport's issue (whose papers hold the loss report), not the
    report. The procedure whose name the message writes with the report's paper ("hộ chiếu" of "mất hộ chiếu")."""
    asked = " ".join(folded_words(question_part(text)))
    # "Tôi định đi làm hộ chiếu mới nhưng người quen bảo trước hết phải báo mất. Vậy thì tôi phải báo mất hộ chiếu
    # trong thời hạn bao lâu?" asks the report.
    if not _ASKS_ANEW.search(asked) or _REPORTS.search(asked):
        return None
    matches = kb.search(text)
    own = next((m for m in matches if m.procedure_id == report.id and m.exact), None)
    if own is None:
        return None
    paper = set(own.words) - _LOSS_WORDS
    for m in matches:
        issuing = kb.get(m.procedure_id)
        # Not another report or reissue: ``reissues`` reads "trình báo mất" too.
        if m.exact and m is not own and paper and paper <= set(m.words) and issuing is not None \
                and not reissues(issuing):
            return issuing
    return None


# Asked to issue a paper again, whatever became of it ("bị rách nát", "hư hỏng"): its reissue, as for a lost one.
# Asked for, not what something else is for ("làm căn cứ cấp lại sổ").
_ASKS_REISSUE = re.compile(r"\b(?:xin|muon|thu tuc|lam) cap lai\b")
# "giấy phép HKD bị cháy, làm lại mấy ngày": "làm lại" asks the reissue too, when the paper has one; else it is the
# procedure found done again ("hộ chiếu bị ngâm nước ... làm lại cuốn mới", "làm lại tạm trú ở chỗ mới"). Not "đi làm
# lại", back at work.
_REDO = re.compile(r"(?<!\bdi )\blam lai\b")
_EXPIRED = re.compile(r"\b(?:het|qua|sap het) (?:thoi )?han\b|\bden tuoi\b|\bdu \d+ tuoi\b")


def _asks_reissue(text: str, proc: Procedure) -> bool:
    """The question asks to have the paper of ``proc`` (not itself a reissue) issued again: "giấy phép xây dựng nhà
    em bị ngập nước rách nát hết, giờ xin cấp lại thì cần nộp những gì" is the reissue's when one exists for the paper
    named, else no answer (``_lost_paper``). Not a paper that expired, which citizens ask to have "cấp lại" too: it is
    renewed or exchanged."""
    return not reissues(proc) and bool(_ASKS_REISSUE.search(" ".join(folded_words(question_part(text))))) \
        and not _EXPIRED.search(" ".join(folded_words(text)))


# The finder's usual number of matches, and how many are read for a reissue whose paper the message names in another
# order.
SEARCH_LIMIT = 4
REISSUE_LOOKUP = 12


# A message that asks something: a question mark, or the words a question is written with (folded, whole words).
_ASKS = re.compile(r"\?|\b(?:bao nhieu|bn|the nao|ntn|sao|gi|j|khong|ko|hok|chua|o dau|khi nao|bao lau|bao gio)\b")


def named_only_as_done(kb: KnowledgeBase, text: str, proc: Procedure) -> bool:
    """The message names the procedure only as done or held, and asks a question: "Con tôi ở ký túc xá và đã được
    nhà trường đăng ký tạm trú, vậy tiền ở ký túc xá mỗi tháng là bao nhiêu?" asks nothing about the registration,
    and an overview of it would answer what was not asked."""
    if not _ASKS.search(fold(text).lower()):
        return False
    matches = kb.search(text, limit=8)
    own = [m for m in matches if m.procedure_id == proc.id and m.exact]
    return bool(own) and all(m.done or within_done(m, matches) for m in own)


# A letter's question needs this many words of its own before it can rule out what its context names.
QUESTION_OWN_WORDS = 2


# A question that points back at the application the letter named ("Trưởng thôn bảo tôi làm đơn xin rà soát hộ cận
# nghèo. Xin hỏi đơn đó làm theo mẫu nào"): "đơn", "tờ khai", "hồ sơ", "thủ tục" or the way ("làm theo cách này"),
# then "đó", "này" or "ấy". Not any thing: "khoản tiền đó", "giấy ủy quyền đó", "mảnh đất này" are not what the
# context's procedure is. Or the papers beside its form ("ngoài tờ khai thì phải mang theo giấy tờ gì", "ngoài giấy
# đề nghị thì có cần giấy tờ gì của hai em tôi không"), or when it is done ("khi làm có phải xuất trình giấy khai
# sinh không"), or what replaces a paper the context says is missing ("không có giấy chứng sinh ... cần giấy tờ gì để
# thay thế"). Written with marks only: without them "do" is also "because" and "nay" "now".
_POINTS_BACK = re.compile(r"\b(?:đơn|tờ khai|hồ sơ|thủ tục|cách)(?: \w+)? (?:đó|này|ấy)\b"
                          r"|\bngoài (?:tờ khai|đơn|giấy đề nghị|phiếu)\b"
                          r"|\bgiấy(?: tờ)? gì (?:để )?thay\b"
                          r"|^(?:khi|lúc) (?:đi )?(?:làm|nộp)(?: hồ sơ)? (?:thì|có|cần|phải)\b")


def _only_in_context(kb: KnowledgeBase, text: str, proc: Procedure) -> bool:
    """A letter whose context names the procedure ("tôi làm ở một doanh nghiệp may") while its question asks
    about something else in words the procedure's names do not share ("khi sảy thai được hưởng chế độ gì"), and
    does not point back at what the context names (``_POINTS_BACK``)."""
    asked = question_part(text)
    if asked == text or _POINTS_BACK.search(asked.lower()):
        return False
    if ASKS_FORM.search(cue_text(kb.shorthand, asked)) and _named_last(kb, text, asked, proc):
        # Which form to fill in, right after the sentence that names what the letter wants done: "… nên cần làm hộ
        # chiếu. Cho tôi hỏi tờ khai của cháu dùng mẫu nào". Not a procedure of the letter's background ("chồng tôi
        # bị tai nạn lao động … Tôi muốn đề nghị xã xét hộ cận nghèo. Xin hỏi giấy đề nghị theo mẫu nào").
        return False
    index = kb.question_index
    own = set(content_words(index.words(without_aspect_phrases(asked)), ASPECT_WORDS))
    return len(own) >= QUESTION_OWN_WORDS and not own & name_words(proc, kb.shorthand)


# Words a sentence of the context needs to be read as one: "Cho tôi hỏi" before the question is not.
_SENTENCE_WORDS = 4


def _named_last(kb: KnowledgeBase, text: str, asked: str, proc: Procedure) -> bool:
    """The context's last sentence before the question ``asked`` names ``proc`` word for word."""
    nfc = canonical(text)
    at = fold(nfc).lower().rfind(fold(asked).lower()[:40])
    before = [s for s in split_sentences(nfc[:at]) if len(s.split()) >= _SENTENCE_WORDS] if at > 0 else []
    return bool(before) and any(m.procedure_id == proc.id and m.exact for m in kb.search(before[-1]))


def _decide(
    kb: KnowledgeBase,
    text: str,
    entity_texts: Sequence[str] = (),
    picked_id: str | None = None,
    current_id: str | None = None,
) -> Decision:
    picked = kb.get(picked_id)
    if picked:
        return Decision(procedure=picked)
    question = question_part(text)
    if question != text:
        # A letter: the procedure its question names wins over those its context mentions.
        asked = resolve(kb.search(question, context=text))
        # Not a paper the question asks whether to submit ("có phải nộp bản sao giấy khai sinh không") for what the
        # context names ("cần làm hộ chiếu"): the letter as a whole decides.
        if asked.confident and not asked.confident.paper:
            return Decision(procedure=kb.get(asked.confident.procedure_id))
    matches = kb.search(text)
    found = resolve(matches)
    last = asking_part(text) if not found.confident and len(found.candidates) > 1 else text
    if last not in (text, question):
        # A letter without "cho tôi hỏi": of the procedures it names, the one its last question names ("Em họ tôi
        # ... đã đăng ký khai sinh nhưng chưa đăng ký hộ khẩu ... Nay em tôi muốn nhập hộ khẩu thì phải làm thủ
        # tục gì?"). Only among them: a last question may name a procedure in passing that the letter is not
        # about ("thửa đất ... có đủ điều kiện để được chuyển mục đích hay không" is not a parcel's division).
        asked = resolve(kb.search(last, context=text))
        if asked.confident and asked.confident.procedure_id in {m.procedure_id for m in found.candidates}:
            return Decision(procedure=kb.get(asked.confident.procedure_id))
    entity_candidates: List[Procedure] = []
    done = {m.procedure_id for m in matches if m.done or within_done(m, matches)}
    for query in entity_texts:
        # The entity is a span of the message: the variant its words ask for is read from the whole message.
        named = resolve(kb.search(query, context=text))
        if named.confident and named.confident.head and not any(
                m.procedure_id == named.confident.procedure_id and m.exact for m in matches):
            # The span is the head of an official name ("Cấp lại giấy chứng nhận" of "... căn cước") that the
            # message goes on to name another object with ("... trại giống thủy sản"): the whole message decides.
            continue
        if named.confident and named.confident.procedure_id in done:
            # The span names what the message says is done or held ("đã có giấy phép xây dựng, giờ muốn cơi nới"),
            # or a paper it compares with ("bị sai so với giấy khai sinh"): the name the rest of it writes, if any,
            # is the question.
            if found.confident:
                return Decision(procedure=kb.get(found.confident.procedure_id))
            continue
        if named.confident:
            # The whole message may name a more specific procedure than the span the NLU marked:
            # "xóa đăng ký thường trú" beyond "đăng ký thường trú", "trình báo mất hộ chiếu" beyond "hộ chiếu".
            # So does a name the message writes word for word over one the span reaches only by skipping words
            # ("ĐK tách hộ khẩu" written, "hộ khẩu" marked and read in context as "làm ... hộ khẩu").
            if found.confident and (len(found.confident.words) > len(named.confident.words)
                                    or found.confident.exact and not named.confident.exact
                                    and len(found.confident.words) == len(named.confident.words)):
                return Decision(procedure=kb.get(found.confident.procedure_id))
            if _rivalled(found, named.confident.procedure_id):
                # The rest of the message names a close rival the span does not ("thai sản" marked, "nghỉ
                # dưỡng sức sau sinh" written): the span alone does not settle which.
                entity_candidates.extend(_procedures(kb, [m.procedure_id for m in found.candidates]))
                continue
            return Decision(procedure=kb.get(named.confident.procedure_id))
        if named.candidates and named.candidates[0].procedure_id in done:
            # Read in part, the span names first what the message says is held: "đã có giấy phép xây 3 tầng ... xin
            # điều chỉnh giấy phép" marks "giấy phép xây". The whole message's other candidates are the question.
            entity_candidates.extend(_procedures(kb, [m.procedure_id for m in found.candidates
                                                      if m.procedure_id not in done]))
            continue
        entity_candidates.extend(_procedures(kb, [m.procedure_id for m in named.candidates]))
    if found.confident:
        return Decision(procedure=kb.get(found.confident.procedure_id))
    if entity_candidates:
        # The NLU marks only the procedures it was trained on: a name the message writes word for word stays a
        # candidate ("làm định danh mức 2 ... mẹ có cccd gắn chip rồi" is not only about the ID card).
        written = _procedures(kb, [m.procedure_id for m in found.candidates if m.exact])
        return Decision(candidates=_unique([*entity_candidates, *written])[:4])
    current = kb.get(current_id)
    strong = [m for m in found.candidates if m.score >= SWITCH_CANDIDATE_SCORE]
    if current and not strong:
        return Decision(procedure=current)
    if found.candidates:
        return Decision(candidates=_procedures(kb, [m.procedure_id for m in found.candidates]),
                        named=any(m.exact for m in found.candidates))
    suggestions = _procedures(kb, [m.procedure_id for m in matches[:3] if m.score >= SUGGESTION_SCORE])
    return Decision(suggestions=suggestions)


# The words a reissue's name does it with, beside the paper's: "làm lại", "cấp lại", "bị mất".
_REISSUE_WORDS = _LOSS_WORDS | {"lam", "lai", "cap", "xin", "doi", "thu", "tuc"}


def _reissuing(kb: KnowledgeBase, text: str, candidates: Sequence[Procedure]) -> Procedure | None:
    """A paper lost, and of the candidates found for it one alone issues it again: "bằng lái ô tô còn hạn nhưng không
    may rơi mất thì xin cấp lại được không" finds the licence's exchange, its test and its reissue by "bằng lái". Only
    when the clause telling the loss names it: "bị mất chứng minh nhân dân ... để được cấp căn cước" lost no ID card."""
    clause = loss_clause(text)
    again = [c for c in candidates if reissues(c)] if clause else []
    if len(again) != 1:
        return None
    said = set(words_of(clause, kb.shorthand))
    found = _candidate_matches(kb, text, again, limit=REISSUE_LOOKUP).get(again[0].id)
    return again[0] if found is not None and found.score >= SWITCH_CANDIDATE_SCORE \
        and set(found.words) - _REISSUE_WORDS <= said else None


def _rivalled(found, procedure_id: str) -> bool:
    """The whole message leaves the procedure in a tie: among its close candidates with another that scores as
    high, or higher, within the margin of the tie."""
    scores = {m.procedure_id: m.score for m in found.candidates}
    if found.confident is not None or procedure_id not in scores or len(scores) < 2:
        return False
    return any(pid != procedure_id and scores[procedure_id] - score < MARGIN for pid, score in scores.items())


def _procedures(kb: KnowledgeBase, ids: Sequence[str]) -> List[Procedure]:
    return [p for p in (kb.get(i) for i in ids) if p is not None]


def _unique(procedures: Sequence[Procedure]) -> List[Procedure]:
    seen = set()
    out = []
    for proc in procedures:
        if proc.id not in seen:
            seen.add(proc.id)
            out.append(proc)
    return out
