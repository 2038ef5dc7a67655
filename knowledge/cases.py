"""Guess which case (trường hợp) of a procedure a message already describes.

"Nhập hộ khẩu cho vợ cần giấy tờ gì?" names its case ("về ở với vợ, chồng...")
in passing; asking "which case are you?" would be a needless round trip. A case
is picked only when the message shares a word (or a pair of words) with exactly
that case's name more than with any other, ignoring the words of the procedure's
own name, question words, and words every case name has.
"""

from __future__ import annotations

from typing import Dict, List, Set

from knowledge.quantities import bounds_in, consistent, quantities
from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.vntext import marked_syllables, syllables

# Question and glue words that say nothing about a citizen's situation.
_NEUTRAL = frozenset(
    """
    a ai ak bao can cho co cua da dang de den di duoc gi giay gom hay hoac ho hoi khi
    la lam len luc minh mot muon nao nay nhu nhung o phai ra roi sao so thi the theo thu to toi
    tu tuc va van vao ve voi vay xin
    """.split()
)


SHORT = 2


def _written(text: str) -> Dict[str, Set[str]]:
    """Each folded syllable of ``text`` with the ways it is written, tone aside (``marked_syllables``); an unmarked
    syllable is written no way."""
    out: Dict[str, Set[str]] = {}
    for word, mark in zip(syllables(text), marked_syllables(text), strict=True):
        if mark is not None:
            out.setdefault(word, set()).add(mark)
    return out


def _pairs(words: List[str], plain: Set[str]) -> Set[str]:
    """Adjacent word pairs, but for pairs of words that say nothing on their own (``plain``)."""
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if not (a in plain and b in plain)}


def guess_case(proc: Procedure, text: str, shorthand: Shorthand) -> str | None:
    """The id of the one case the message points to, or None when unsure."""
    if len(proc.cases) < 2:
        return None
    naming = set(syllables(proc.name))
    typed = shorthand.expand_folded(syllables(text))
    # Word pairs too: "một thành viên" tells the cases apart where "một" alone says nothing.
    plain = naming | _NEUTRAL
    words = (set(typed) - plain) | _pairs(typed, plain)
    case_words = {case.id: set(syllables(case.name)) | _pairs(syllables(case.name), plain) for case in proc.cases}
    holders: Dict[str, int] = {}
    for ws in case_words.values():
        for w in ws:
            holders[w] = holders.get(w, 0) + 1
    # A syllable of two letters written with other letters is another word: "bố" (father) is not the "bỏ" of "trẻ
    # bị bỏ rơi". Unmarked ("nhap ho khau cho vo") it may be either, and counts.
    written = _written(text)
    names = {case.id: _written(case.name) for case in proc.cases}

    def same(w: str, case_id: str) -> bool:
        typed_as, named_as = written.get(w), names[case_id].get(w)
        return len(w) > SHORT or not typed_as or not named_as or bool(typed_as & named_as)

    scores = {
        case_id: sum(1.0 / holders[w] for w in words & ws if holders[w] < len(proc.cases) and same(w, case_id))
        for case_id, ws in case_words.items()
    }
    # An age the message states rules out the cases whose bound it contradicts: "bé nhà tôi 5 tuổi" is not "Người
    # từ đủ 14 tuổi trở lên", whatever a word of it shares ("tư vấn" with "từ đủ").
    stated = quantities(text)
    ruled_out = {case.id for case in proc.cases if stated and not consistent(stated, case.name)}
    ranked = sorted(((c, v) for c, v in scores.items() if c not in ruled_out), key=lambda kv: -kv[1])
    if not ranked:
        return None
    best, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else (None, 0.0)
    if best[1] >= 1.0 and best[1] > runner_up[1]:
        return best[0]
    bounded = [case.id for case in proc.cases if case.id not in ruled_out and bounds_in(case.name)]
    if ruled_out and len(bounded) == 1:
        return bounded[0]
    return None
