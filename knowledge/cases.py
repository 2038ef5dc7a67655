"""Guess which case (trường hợp) of a procedure a message already describes.

"Nhập hộ khẩu cho vợ cần giấy tờ gì?" names its case ("về ở với vợ, chồng...")
in passing; asking "which case are you?" would be a needless round trip. A case
is picked only when the message shares a word (or a pair of words) with exactly
that case's name more than with any other, ignoring the words of the procedure's
own name, question words, and words every case name has.
"""

from __future__ import annotations

from typing import Dict, List, Set

from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.vntext import syllables

# Question and glue words that say nothing about a citizen's situation.
_NEUTRAL = frozenset(
    """
    a ai ak bao can cho co cua da dang de den di duoc gi giay gom hay hoac ho hoi khi
    la lam len luc minh mot muon nao nay nhu nhung o phai ra roi sao so thi the theo thu to toi
    tu tuc va van vao ve voi vay xin
    """.split()
)


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
    scores = {
        case_id: sum(1.0 / holders[w] for w in words & ws if holders[w] < len(proc.cases))
        for case_id, ws in case_words.items()
    }
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, runner_up = ranked[0], ranked[1]
    if best[1] >= 1.0 and best[1] > runner_up[1]:
        return best[0]
    return None
