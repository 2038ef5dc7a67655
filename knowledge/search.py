"""Find which procedure a message is about, from names and aliases.

Matching happens on folded, shorthand-expanded syllables, so "lam cccd",
"làm căn cước công dân" and "lm cccd" meet the same alias. Each alias is
scored by how much of it (weighted by how specific each syllable is) the
message contains; a small typo in a longer syllable still counts. Aliases are
read from the knowledge files, so a new alias works as soon as the knowledge
base is reloaded: no retraining.
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Sequence, Set, Tuple

from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.vntext import CLAUSE_BREAKS, canonical, marked_syllables, split_sentences, syllables, toneless

# Words citizens put around any procedure name; they say nothing about which one.
_FILLER = frozenset("thu tuc lam xin cho toi minh em hoi ve can muon giup".split())
_TYPO_MIN_LEN = 5
_TYPO_RATIO = 0.85
_MAX_GAP = 2  # words allowed between two words of one alias ("đăng ký [cho con] khai sinh")
# Between the words of a further name of close procedures ("căn cước [công dân của em] hết hạn"), read only to tell
# them apart (``ProcedureIndex.said_further``).
FURTHER_GAP = 4
# How much of a further name the message must say (weighted, a typo counting in part).
FURTHER_COVER = 0.95
MAX_QUERY_WORDS = 80  # a procedure is named early; long pastes are not searched to the end
MAX_SCORED = 300  # phrases scored at most per message, best bound first

EXACT = 0.9  # an alias found word for word
PREFIX_SHARE = 0.6  # an official name's head found word for word, carrying this share of its weight
PREFIX_MIN_WORDS = 3
# What comes before "đối với …" or a comma in an official name is a head of its own only when it says this much
# (summed word weights): "khai thuế tạm tính" (10.6) names a tax return; "cấp giấy phép hoạt động" (8.5) or "đăng ký
# doanh nghiệp" (8.7) open too many names.
CORE_WEIGHT = 10.0
PARTIAL = 0.85  # ceiling for aliases found only in part, below any exact match
CONFIDENT = 0.75
CANDIDATE = 0.45
MARGIN = 0.12


@dataclass(frozen=True)
class Match:
    """A procedure with how well the message names it (0..1)."""

    procedure_id: str
    score: float
    phrase: str
    words: Tuple[str, ...] = ()
    exact: bool = False
    head: bool = False  # only the head of an official name was found (see ProcedureIndex._prefix)
    at: int = -1  # where in the message a name found word for word starts (-1: not found word for word)
    found_at: Tuple[int, ...] = ()  # the message's words a name found only in part was read from
    # Named as done ("bố mất, đã làm khai tử xong, còn phải xóa hộ khẩu không"): context, not the question.
    done: bool = False
    paper: bool = False  # a paper the message asks for or compares with ("có cần giấy khai sinh không")


@dataclass(frozen=True)
class _Phrase:
    procedure_id: str
    text: str
    words: Tuple[str, ...]
    weights: Tuple[float, ...] = ()
    official: bool = False  # the procedure's name (or its short form), not a folk alias
    marks: Tuple[str | None, ...] = ()  # each word as written, tone and all (``marked_syllables``); () when unmarked
    total: float = 0.0  # sum(weights), kept: every phrase scored needs it
    distinct: int = 0  # len(set(words)), kept likewise
    # Read only word for word, whole or by its head (``asked_name``): found in part, its "xin", a word of no weight,
    # would let any name's other words stand for it.
    whole_only: bool = False
    # How many words of an official name its qualifier "đối với …" or a comma leave as a head of their own
    # (``_heads``).
    heads: FrozenSet[int] = frozenset()


# Official names carry qualifiers citizens never type: "Thủ tục ...", "(thực hiện tại cấp xã)".
_QUALIFIER = re.compile(r"\s*\((?:thực hiện |được thực hiện )?(?:tại|ở)[^)]*\)\s*", re.IGNORECASE)
_LEADING = re.compile(r"^\s*thủ tục\s+", re.IGNORECASE)


def short_name(name: str) -> str:
    """'Thủ tục trình báo mất hộ chiếu (thực hiện tại cấp xã)' -> 'trình báo mất hộ chiếu'."""
    return _LEADING.sub("", _QUALIFIER.sub(" ", name)).strip(" .")


# A name that opens with the body's act of issuing ("Cấp giấy phép nhập khẩu vàng nguyên liệu …") is asked for with
# the citizen's: "xin giấy phép nhập khẩu vàng nguyên liệu".
_ISSUE = re.compile(r"^cấp\s+", re.IGNORECASE)


def asked_name(name: str) -> str | None:
    """The short form of an official name that opens with "cấp" as citizens ask for it, else None."""
    short = short_name(name)
    return _ISSUE.sub("xin ", short) if _ISSUE.match(short) else None


# "cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài": whom the paper is for, after "cho" (not "cho phép",
# "cho thuê" …, which are acts).
_FOR_WHOM = re.compile(
    r"^xin\s+(?P<paper>[^,;:()/]+?)\s+cho\s+(?!(?:phép|thuê|vay|mượn)\b)(?P<whom>\S+\s+\S+.*)$", re.IGNORECASE)
# A paper named with whose act it is, or given away ("tặng cho"), is not asked for by whom it is "cho".
_NOT_PAPER = re.compile(r"\b(?:do|đối với|tặng|phân cấp|giao)\b", re.IGNORECASE)
_WHERE = re.compile(r"\s+tại\s+", re.IGNORECASE)
_LIST = re.compile(r"[,;:]|^(?:các\s+)?hoạt động\b", re.IGNORECASE)
_LIST_AFTER_DOI_VOI = re.compile(r"[;:]|\bđối với\b", re.IGNORECASE)  # "cấp I, cấp II" is one class of works
_WHOM_MAX_WORDS = 10
_REISSUE = re.compile(r"^(?:lại|đổi)\s", re.IGNORECASE)
# "trung tâm sát hạch lái xe loại 1, loại 2" is one holder of two classes, not a list of holders
_CLASSES = re.compile(r",\s*(?:loại|hạng|cấp)\s+\w+", re.IGNORECASE)


def whom_first(name: str) -> str | None:
    """A name whose holder or subject comes after the act, as citizens put it, holder first: "nhà thầu nước ngoài
    xin giấy phép hoạt động xây dựng" for "Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài", "trường hợp
    được hưởng ưu đãi miễn trừ ngoại giao hoàn thuế GTGT" for "Hoàn thuế GTGT đối với trường hợp được hưởng ưu đãi
    miễn trừ ngoại giao". None for other names, and where the holder runs past ``_WHOM_MAX_WORDS`` ("Chuyên gia nước
    ngoài thực hiện các chương trình, dự án ODA")."""
    asked = asked_name(name)
    found = _FOR_WHOM.match(asked) if asked else None
    if found and not _NOT_PAPER.search(found["paper"]):
        # "Cấp lại giấy phép sát hạch cho trung tâm …": citizens ask "cấp lại", not "xin lại"
        paper = found["paper"]
        act = f"xin cấp {paper}" if _REISSUE.match(paper) else f"xin {paper}"
        whom, lists = _CLASSES.sub("", found["whom"]), _LIST
    else:
        act, _, whom = (asked or short_name(name)).partition(" đối với ")
        lists = _LIST_AFTER_DOI_VOI
        if not whom or len(act.split()) < 2:
            return None
    # Where it is done ("… cho người nước ngoài tại Việt Nam tại Công an cấp tỉnh") is not whom; a list of holders
    # or activities is no one a citizen names first.
    whom = _WHERE.split(whom, maxsplit=1)[0]
    if lists.search(whom) or len(whom.split()) > _WHOM_MAX_WORDS:
        return None
    return f"{whom} {act}"


_NAME_BREAKS = re.compile(r"[,;]")


class ProcedureIndex:
    """Search over the names and aliases of a set of procedures."""

    def __init__(self, procedures: Iterable[Procedure], shorthand: Shorthand):
        self._shorthand = shorthand
        raw: List[Tuple[str, str, Tuple[str, ...], bool, bool]] = []
        doc_freq: Dict[str, int] = {}
        count = 0
        for proc in procedures:
            count += 1
            seen: set = set()
            asked = asked_name(proc.name)
            names = (proc.name, short_name(proc.name), *([asked] if asked else []))
            official = set(names)
            whom = whom_first(proc.name)
            texts = dict.fromkeys((*names, *([whom] if whom else []), *proc.aliases, *proc.search_aliases))
            for text in texts:
                words = tuple(self.words(text))
                if words and (proc.id, words) not in seen:
                    raw.append((proc.id, text, words, text in official, text == asked))
                    seen.add((proc.id, words))
                    seen.update(words)
            for word in seen:
                if isinstance(word, str):
                    doc_freq[word] = doc_freq.get(word, 0) + 1
        self._idf = {w: math.log(1 + count / df) for w, df in doc_freq.items()}
        self._default_idf = math.log(1 + max(count, 1))
        self._phrases: List[_Phrase] = [
            _Phrase(pid, text, words, weights, official, self._marks(text, len(words)), sum(weights), len(set(words)),
                    whole, self._heads(text, words, weights) if official else frozenset())
            for pid, text, words, official, whole in raw
            for weights in [tuple(self._weight(w) for w in words)]
        ]
        # Which phrases contain each word, with the word's weight there and how many times it is said ("trung tâm
        # sát hạch … giấy phép sát hạch" scores "sát hạch" twice where the message says it twice, and a search's
        # bound must not fall below its score), and the words by first letter for typo look-ups.
        self._postings: Dict[str, List[Tuple[int, float, int]]] = {}
        for i, phrase in enumerate(self._phrases):
            for word in dict.fromkeys(phrase.words):
                self._postings.setdefault(word, []).append(
                    (i, phrase.weights[phrase.words.index(word)], phrase.words.count(word)))
        self._phrases = [replace(phrase, heads=self._own_heads(phrase)) if phrase.heads else phrase
                         for phrase in self._phrases]
        self._by_initial: Dict[str, List[str]] = {}
        for word in self._postings:
            if len(word) >= _TYPO_MIN_LEN:
                self._by_initial.setdefault(word[0], []).append(word)

    def words(self, text: str) -> List[str]:
        """Folded, shorthand-expanded syllables of ``text``."""
        return self._shorthand.expand_folded(syllables(text))

    def _ends(self, parts: Iterable[str]) -> FrozenSet[int]:
        """The positions in the words of the text ``parts`` split where each of them ends."""
        ends, at = set(), 0
        for part in parts:
            at += len(self.words(part))
            ends.add(at)
        return frozenset(ends)

    def _clause_starts(self, text: str) -> FrozenSet[int]:
        """The positions in ``words(text)`` where a sentence or clause begins."""
        return frozenset({0}) | self._ends(CLAUSE_BREAKS.split(text))

    def _sentence_starts(self, text: str) -> FrozenSet[int]:
        """The positions in ``words(text)`` where a sentence other than the first begins ("... sắp đóng cửa. Cty phải
        ...")."""
        return self._ends(split_sentences(text)[:-1])

    def _heads(self, text: str, words: Sequence[str], weights: Sequence[float]) -> FrozenSet[int]:
        """How many words of an official name come before each of its commas ("cấp giấy chứng nhận đăng ký đầu tư
        gián tiếp ra nước ngoài, đăng ký hoạt động nhận ủy thác …": two acts) and before its qualifier "đối với …"
        ("cấp giấy phép nhập khẩu vàng nguyên liệu đối với doanh nghiệp có vốn đầu tư nước ngoài …"), where they
        weigh ``CORE_WEIGHT``."""
        ends = self._ends(_NAME_BREAKS.split(text)) | {
            i for i in range(len(words) - 1) if words[i] == "doi" and words[i + 1] == "voi"}
        return frozenset(n for n in ends if PREFIX_MIN_WORDS < n < len(words) and sum(weights[:n]) >= CORE_WEIGHT)

    def _own_heads(self, phrase: _Phrase) -> FrozenSet[int]:
        """The heads of ``phrase``, less those at a comma that another procedure's official name opens with and goes
        on from: "khai thác thông tin" of "khai thác thông tin, dữ liệu địa chất, khoáng sản" (a list of what is
        mined, before what they share) also opens "khai thác thông tin công dân …". Where the other name stops at
        the same words, or they are a head of its own, both are read and neither for sure. A qualifier "đối với …"
        says whom the act is for, and what comes before it names the act itself."""
        kept = set()
        for n in phrase.heads:
            head = phrase.words[:n]
            rarest = min(dict.fromkeys(head), key=lambda w: len(self._postings[w]))
            if phrase.words[n:n + 2] == ("doi", "voi") or all(
                    len(other.words) == n or n in other.heads or sum(other.weights[:n]) >= PREFIX_SHARE * other.total
                    for i, _, _ in self._postings[rarest]
                    for other in [self._phrases[i]]
                    if other.official and other.procedure_id != phrase.procedure_id and other.words[:n] == head):
                kept.add(n)
        return frozenset(kept)

    def _marks(self, text: str, count: int) -> Tuple[str | None, ...]:
        """Each of ``words(text)`` as written, with its marks and tone; shorthand has its full form's. Empty when
        nothing is written with marks (or the two do not line up)."""
        out: List[str | None] = []
        for word, mark in zip(syllables(text), marked_syllables(text, tone=True), strict=True):
            full = self._shorthand.full(word)
            out.extend(marked_syllables(full, tone=True) if full else [mark])
        if len(out) != count or not any(out):
            return ()
        return tuple(out)

    def _weight(self, word: str) -> float:
        if word in _FILLER:
            return 0.1
        return self._idf.get(word, self._default_idf)

    def _phrase_score(
        self, query: Sequence[str], phrase: _Phrase, query_marks: Sequence[str | None] = (),
        places: Dict[str, List[Tuple[int, float]]] | None = None, gap: int = _MAX_GAP,
    ) -> Tuple[float, bool, Tuple[int, ...]]:
        """Weighted share of the phrase found in the query, in order and close together, and the positions of
        the query it was read from.

        Order matters in Vietnamese: "mất căn cước" (lost the card) is not
        "căn cước ... mất bao lâu" (how long does the card take). Where both are written with marks, a word
        is the same only with the same letters, tone aside: "[lao] động hay công ty" does not say "đóng công
        ty"; a tone typed wrong ("nghĩ việc") still counts, but only beside the word before it: "GCN đầu tư"
        does not say "giấy chứng [nhận đầu] tử" across a gap.

        ``places``: where each word stands in the query, with its credit (``_places_in``), shared between the
        phrases scored against one query. ``gap``: words allowed between two words of the phrase.
        """
        if places is None:
            places = {}
        weights = phrase.weights
        differs, retoned = _mark_clash(phrase.marks, query_marks)
        total = phrase.total
        # A lone syllable of a longer alias proves little ("đâu" is not "lần đầu").
        needed = min(2, len(phrase.words))
        # best[i][j]: (weight, words, positions) of the best in-order chain ending with phrase word i at query
        # position j.
        best: List[Dict[int, Tuple[float, int, Tuple[int, ...]]]] = []
        # loose[i]: the query positions where phrase word i was read with another tone; they join only next door.
        loose: List[Set[int]] = []
        top, where = 0.0, ()
        for i, word in enumerate(phrase.words):
            row: Dict[int, Tuple[float, int, Tuple[int, ...]]] = {}
            retoned_here: Set[int] = set()
            found = places.get(word)
            if found is None:
                found = places[word] = _places_in(query, word)
            for j, credit in found:
                if differs(i, j):
                    continue
                if retoned(i, j):
                    retoned_here.add(j)
                    before = max((best[k][j - 1] for k in range(i) if j - 1 in best[k]), default=(0.0, 0, ()))
                else:
                    before = max(
                        (best[k][p] for k in range(i) for p in range(max(0, j - 1 - gap), j) if p in best[k]
                         and (p == j - 1 or p not in loose[k])),
                        default=(0.0, 0, ()),
                    )
                row[j] = (before[0] + weights[i] * credit, before[1] + 1, (*before[2], j))
                if row[j][1] >= needed and row[j][0] > top:
                    top, where = row[j][0], row[j][2]
            best.append(row)
            loose.append(retoned_here)
        coverage = top / total if total else 0.0
        if any(not any(differs(i, at + i) for i in range(len(phrase.words)))
               for at in _positions(query, phrase.words)):
            # Named word for word: longer aliases are more specific.
            return min(1.0, EXACT + 0.02 * len(phrase.words)), True, ()
        return PARTIAL * coverage, False, where

    def _prefix(self, query: Sequence[str], phrase: _Phrase) -> int:
        """Words of the longest head of ``phrase`` named word for word that carries most of its weight.

        Citizens type the head of an official name and leave out its qualifiers:
        "trình báo mất hộ chiếu" for "Trình báo mất hộ chiếu phổ thông". What comes before "đối với …" or a comma
        (``_heads``) is such a head, whatever its share: "xin giấy phép nhập khẩu vàng nguyên liệu" of "cấp giấy
        phép nhập khẩu vàng nguyên liệu đối với doanh nghiệp có vốn đầu tư nước ngoài để sản xuất vàng trang sức, mỹ
        nghệ".
        """
        total, heads = phrase.total, phrase.heads
        for n in range(len(phrase.words) - 1, PREFIX_MIN_WORDS - 1, -1):
            if n not in heads and sum(phrase.weights[:n]) < PREFIX_SHARE * total:
                if any(h < n for h in heads):
                    continue
                break
            if any(_continues_as(query, at + n, phrase.words[n]) for at in _positions(query, phrase.words[:n])):
                return n
        return 0

    @staticmethod
    def _bound(phrase: _Phrase, hits: Set[str], present: int, weight: float) -> float:
        """The most ``phrase`` can score against a query containing ``hits``: named whole, by its head, or in part."""
        bound = PARTIAL * min(1.0, weight / phrase.total)
        if present == phrase.distinct:
            bound = max(bound, min(1.0, EXACT + 0.02 * len(phrase.words)))
        if phrase.official and len(phrase.words) > PREFIX_MIN_WORDS:
            lead = next((n for n, w in enumerate(phrase.words) if w not in hits), len(phrase.words))
            head = min(lead, len(phrase.words) - 1)
            if head >= PREFIX_MIN_WORDS:
                bound = max(bound, min(1.0, EXACT + 0.02 * head) - 0.005)
        return bound

    def _hits(self, query: Sequence[str]) -> Set[str]:
        """Indexed words the query contains, exactly or as a near miss."""
        hits = {q for q in query if q in self._postings}
        for q in set(query):
            if len(q) < _TYPO_MIN_LEN - 1:
                continue
            for word in self._by_initial.get(q[0], ()):
                if word not in hits and abs(len(word) - len(q)) <= 2 and _word_match(word, q):
                    hits.add(word)
        return hits

    def _query(self, text: str) -> Tuple[List[str], Tuple[str | None, ...], FrozenSet[int]]:
        """The message as names are read in it: its first ``MAX_QUERY_WORDS`` words, their letters as written
        (``_marks``) and where its clauses begin."""
        words = _unasked(self.words(_CONJUNCTIONS.sub(_CONJUNCTION_MARK, canonical(text))))
        return words[:MAX_QUERY_WORDS], self._marks(text, len(words))[:MAX_QUERY_WORDS], self._clause_starts(text)

    def said_further(self, text: str, procedure_ids: Iterable[str]) -> Dict[str, FrozenSet[str]]:
        """For close procedures ("căn cước công dân" names the first card, its renewal and its reissue alike): the
        words of each one's names that no other one's names hold, where the message says such a name whole, in
        order, a few words apart (``FURTHER_GAP``), and not as done. "cccd của em hết hạn, đi đổi" says the renewal's
        "căn cước hết hạn"; "đã đổi sang căn cước 12 số" is context. Words any procedure takes ("làm", "cho") do not
        count."""
        wanted = set(procedure_ids)
        own: Dict[str, Set[str]] = {pid: set() for pid in wanted}
        for phrase in self._phrases:
            if phrase.procedure_id in wanted:
                own[phrase.procedure_id].update(phrase.words)
        others = {pid: set().union(*(w for other, w in own.items() if other != pid)) for pid in wanted}
        query, query_marks, starts = self._query(text)
        places: Dict[str, List[Tuple[int, float]]] = {}
        further: Dict[str, FrozenSet[str]] = {}
        for phrase in self._phrases:
            if phrase.procedure_id not in wanted:
                continue
            extra = frozenset(w for w in phrase.words if w not in others[phrase.procedure_id] and w not in _FILLER)
            if not extra:
                continue
            score, exact, found_at = self._phrase_score(query, phrase, query_marks, places, gap=FURTHER_GAP)
            if exact:
                said = not _said_done(query, phrase.words, starts)
            else:
                said = len(found_at) == len(phrase.words) and score >= PARTIAL * FURTHER_COVER \
                    and not _done_in_part(query, phrase.words, found_at, starts)
            if said:
                further[phrase.procedure_id] = further.get(phrase.procedure_id, frozenset()) | extra
        return further

    def search(self, text: str, limit: int = 4, prune: bool = True) -> List[Match]:
        """Best matching procedures, best first, at most one entry each.

        Only phrases sharing words with the query are scored, most promising first
        (by the weight of their words the query contains); scoring stops once no
        remaining phrase can beat the ``limit``-th best procedure (``prune=False``
        scores them all, with the same result).
        """
        query, query_marks, starts = self._query(text)
        if not query:
            return []
        sentences = self._sentence_starts(text)
        places: Dict[str, List[Tuple[int, float]]] = {}
        hits = self._hits(query)
        found: Dict[int, float] = {}
        present: Dict[int, int] = {}  # how many of the phrase's distinct words the query has
        for word in hits:
            times = 0  # the message's words it is read from, the same word or a near miss; counted when needed
            for i, weight, count in self._postings[word]:
                if count > 1:
                    if not times:
                        times = len(places.setdefault(word, _places_in(query, word)))
                    weight *= min(count, times)
                found[i] = found.get(i, 0.0) + weight
                present[i] = present.get(i, 0) + 1
        bounds = []
        for i, weight in found.items():
            phrase = self._phrases[i]
            if present[i] < min(2, phrase.distinct):
                continue  # one syllable of a longer name proves nothing
            if phrase.whole_only and not _positions(query, phrase.words[:PREFIX_MIN_WORDS]):
                continue  # read only whole or by its head, which the message does not open
            bounds.append((-self._bound(phrase, hits, present[i], weight), i))
        bounds.sort()  # best bound first, then index order
        best: Dict[str, Match] = {}
        if prune:
            # A pasted wall of common words can bring thousands of phrases near the top bound;
            # a real question never has this many within reach of its best match.
            bounds = bounds[:MAX_SCORED]
        floor = None  # the limit-th best score so far, None when ``best`` changed since it was taken
        for negative, i in bounds:
            if prune and len(best) >= limit:
                if floor is None:
                    floor = heapq.nlargest(limit, (m.score for m in best.values()))[-1]
                if -negative < floor:
                    break
            phrase = self._phrases[i]
            score, exact, found_at = self._phrase_score(query, phrase, query_marks, places)
            words, head = phrase.words, False
            if not exact and phrase.official and len(words) > PREFIX_MIN_WORDS:
                n = self._prefix(query, phrase)
                if n:
                    # Slightly below the whole name found word for word.
                    score, exact, words, head = min(1.0, EXACT + 0.02 * n) - 0.005, True, words[:n], True
            if not exact and phrase.whole_only:
                continue
            if not exact and found_at:
                said = {query[p] for p in found_at}
                # Only the state of a paper was found ("tài khoản ... bao lâu thì hết hạn"), none of the paper's
                # own words: "căn cước hết hạn" is not named. Only the kind of body ("cty e năm nay ko thưởng tết",
                # "evisa do cty bảo lãnh"): who the writer works for or deals with, not what is done to it; "đóng
                # công ty" is not named, nor by "cửa" ("cua cty e", of the company, reads "[đóng] cửa công ty").
                # "hạn nộp hồ sơ khai thuế" (the deadline) does not say "gia hạn nộp hồ sơ khai thuế" (extending
                # it). Only a kind of paper ("giấy chứng nhận GMP" reads "giấy chứng [tử]"), or only what is done to
                # one ("gia hạn ... nộp" reads "gia hạn nộp [thuế]").
                if said <= _STATE_WORDS | _ACTS or said <= _BODY_OR_DOOR or said <= _PAPER_WORDS \
                        or _half_said(query, phrase.words, found_at) or _lost_another(query, phrase.words, found_at):
                    continue
            if _across(sentences, [(p, p + len(words)) for p in _positions(query, words)] if exact else
                       [(found_at[0], found_at[-1] + 1)] if found_at else []):
                # A name is read within one sentence: "phòng giao dịch sắp đóng cửa. Cty phải cho khách bao lâu" says
                # neither "đóng cửa công ty" nor "đóng công ty".
                continue
            current = best.get(phrase.procedure_id)
            if current is None or score > current.score:
                at = next(iter(_positions(query, words)), -1) if exact else -1
                floor = None
                best[phrase.procedure_id] = Match(phrase.procedure_id, round(score, 4), phrase.text, words, exact, head,
                                                  at=at, found_at=() if exact else found_at,
                                                  done=_said_done(query, words, starts) if at >= 0 else
                                                  _done_in_part(query, words, found_at, starts),
                                                  paper=at >= 0 and all(_paper(query, p)
                                                                        for p in _positions(query, words)))
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.procedure_id))
        return [m for m in ranked[:limit] if m.score > 0]


def _across(sentences: FrozenSet[int], spans: Sequence[Tuple[int, int]]) -> bool:
    """Every one of ``spans`` (start, end) of the message's words runs over a sentence's start; False for none."""
    return bool(spans) and all(any(start < s < end for s in sentences) for start, end in spans)


# "thì" (then), written with its tone, is never "thi" (to sit an exam): "làm bằng lái quốc tế thì bằng lái ..." does
# not name "thi bằng lái". Marks are compared tone aside (a tone typed wrong still counts), so this one is read
# apart: the finder sees a word no name holds.
_CONJUNCTIONS = re.compile(r"(?<!\w)thì(?!\w)", re.IGNORECASE)
_CONJUNCTION_MARK = "thiz"
# "bao" asking how long, how much or when ("bao lâu", "bn" read "bao nhiêu") is never the "báo" of "đăng ký báo tử" or
# "khai báo" (tones are compared aside): "xe mới đkí bao lâu có biển" named the death notice before the vehicle.
_ASKING_BAO = frozenset({"lau", "nhieu", "gio"})
_ASKING_BAO_MARK = "baoz"


def _unasked(words: List[str]) -> List[str]:
    """The query's words with the "bao" of a question word set apart (``_ASKING_BAO``)."""
    return [_ASKING_BAO_MARK if w == "bao" and words[i + 1:i + 2] and words[i + 1] in _ASKING_BAO else w
            for i, w in enumerate(words)]


@lru_cache(maxsize=65536)
def _word_match(word: str, typed: str) -> float:
    """1 for the same syllable; a little less for a near miss in a long one (typo)."""
    if word == typed:
        return 1.0
    if len(word) < _TYPO_MIN_LEN or len(typed) < _TYPO_MIN_LEN - 1 or word[0] != typed[0]:
        return 0.0
    ratio = SequenceMatcher(None, word, typed).ratio()
    return ratio if ratio >= _TYPO_RATIO else 0.0


# What may follow the head of an official name without naming something else: "cấp lại giấy chứng nhận bị mất",
# "trình báo mất hộ chiếu ở nước ngoài". A word that carries a topic instead names another object: "cấp lại
# giấy chứng nhận quyền sử dụng đất" is not "Cấp lại giấy chứng nhận căn cước".
_AFTER_HEAD = _FILLER | frozenset(
    """
    a ah ai bao bi bn cac can cho chua co cua da dang de do duoc dc gi giay hay hoac j khi khong ko k la
    luc mat ma minh moi nao nay neu nha nhe nhu nhung o phai roi sao se tai thi the thu tuc va vay ve vi voi
    """.split()
)


def _mark_clash(phrase_marks: Sequence[str | None], query_marks: Sequence[str | None]):
    """``differs(i, j)``: phrase word ``i`` and query word ``j`` are both written with marks, with other letters;
    ``retoned(i, j)``: with the same letters and another tone ("tư" for "tử")."""
    if not phrase_marks or not query_marks:
        return _never, _never
    phrase_letters = [m and _letters(m) for m in phrase_marks]
    query_letters = [m and _letters(m) for m in query_marks]
    count = len(query_marks)

    def differs(i: int, j: int) -> bool:
        written = phrase_letters[i]
        typed = query_letters[j] if j < count else None
        return written is not None and typed is not None and written != typed

    def retoned(i: int, j: int) -> bool:
        written = phrase_marks[i]
        typed = query_marks[j] if j < count else None
        return written is not None and typed is not None and written != typed and phrase_letters[i] == query_letters[j]
    return differs, retoned


def _never(i: int, j: int) -> bool:
    return False


# The letters of a written syllable, tone aside; the same few thousand syllables come back for every phrase scored.
_letters = lru_cache(maxsize=65536)(toneless)


def _places_in(query: Sequence[str], word: str) -> List[Tuple[int, float]]:
    """(position, credit) of each query word that is ``word`` or a near miss of it."""
    credits = {q: _word_match(word, q) for q in set(query)}
    return [(j, credits[q]) for j, q in enumerate(query) if credits[q]]


def _positions(haystack: Sequence[str], needle: Sequence[str]) -> List[int]:
    if not needle:
        return list(range(len(haystack) + 1))
    n, first, whole = len(needle), needle[0], tuple(needle)
    return [i for i in range(len(haystack) - n + 1) if haystack[i] == first and tuple(haystack[i:i + n]) == whole]


def _continues_as(query: Sequence[str], at: int, expected: str) -> bool:
    """The query ends at ``at``, or goes on with the name's own next word or with a word that names nothing."""
    return at >= len(query) or query[at] == expected or query[at] in _AFTER_HEAD


_DONE_BEFORE = frozenset({"da", "vua", "moi"})
_DONE_AFTER = frozenset({"xong", "roi", "r"})
_APPOINTED = frozenset({("duoc", "cu"), ("duoc", "giao"), ("duoc", "chi", "dinh"), ("duoc", "bau")})
_DONE_VERBS = frozenset({"lam", "xin", "nop", "duoc"})
_NEW_ISSUE = frozenset({"lam", "cap", "xin", "doi"})  # "làm mới", "cấp mới": a new issue, not "just"
_UNDER_WAY = frozenset({"nhung", "ma", "chua"})  # "... rồi mà chưa nhận được", "... nhưng cán bộ yêu cầu"
_PAPERS = frozenset({"giay", "so", "the", "ban", "bang", "phieu", "can", "cccd", "cmnd", "ho"})
# "muon": "[cho] mượn sổ đỏ" (borrow); "nop", "trinh": a paper handed in or shown ("nộp giấy khai sinh của bé cho
# cty làm chế độ thai sản", "xuất trình sổ hộ khẩu"), not the procedure that issues it
_NEEDS = frozenset({"can", "mang", "kem", "theo", "muon", "nop", "trinh"})
PURPOSE_REACH = 6  # words before "để" where the paper wanted is named
_WANTED = _PAPERS | {"xac"}  # the papers, and "xác nhận ..." (a certificate), a purpose follows
DONE_REACH = 2  # words between "đã"/"vừa" and the name, and between the name and the "có rồi" that holds it


_ASKS = frozenset({"khong", "ko", "k", "chua", "hok", "hem", "kg", "khg"})
# Words after which "có" asks rather than holds: "cho em hỏi có ...", "thì có ...", "vậy có ...", "xem có ..."
_ASKING_BEFORE = frozenset({"hoi", _CONJUNCTION_MARK, "vay", "xem"})


def _said_done(query: Sequence[str], words: Sequence[str], starts: FrozenSet[int] = frozenset()) -> bool:
    """Every time the message writes the name it says it done, held or a paper (``_done``): "đã đăng ký khai sinh
    cho con ... vậy khai sinh có cần căn cước của bố không" asks about the birth registration after all."""
    places = _positions(query, words)
    return bool(places) and all(_done(query, at, at + len(words), starts) for at in places)


def _done_in_part(query: Sequence[str], words: Sequence[str], found_at: Sequence[int], starts: FrozenSet[int]) -> bool:
    """A name found only in part is said done (``_done``) when it is read from its first word: "nay tôi đã đổi [sang]
    căn cước 12 số"; not "để có lại giấy khai sinh", where "[làm] lại giấy khai sinh" starts after "có"."""
    return bool(found_at) and query[found_at[0]] == words[0] and _done(query, found_at[0], found_at[-1] + 1, starts)


def _done(query: Sequence[str], start: int, end: int, starts: FrozenSet[int] = frozenset()) -> bool:
    """The name at ``query[start:end]`` is said to be done or held: "đã [làm] khai tử xong", "đã có giấy phép xây
    dựng", "có thẻ tạm trú 2 năm"."""
    clause_end = min((s for s in starts if s > start), default=len(query))
    # "đã có giấy phép xây dựng", "chồng tôi có thẻ tạm trú"; not the "có" that opens a question ("Có trích lục
    # khai sinh trực tuyến được không?")
    held = (start > 0 and start not in starts and query[start - 1] == "co"
            and (start < 2 or query[start - 2] not in _ASKING_BEFORE))
    if held and start - 1 in starts:
        # A clause that opens with "có" holds ("Chồng tôi người Hàn Quốc, có thẻ tạm trú 2 năm") unless it asks.
        held = not _ASKS.intersection(query[start:clause_end])
    # "đã được cấp giấy phép xây nhà ... nhưng chưa khởi công": the paper is issued and held, whatever is still to do
    held = held or tuple(query[max(0, start - 3):start]) == ("da", "duoc", "cap")
    # "Tôi được cử làm người giám hộ cho cháu": appointed, and holding it
    held = held or any(tuple(query[max(0, start - n):start]) in _APPOINTED for n in (2, 3))
    # "tôi đã đăng ký kết hôn ở Đà Lạt", "đã làm khai tử xong": past. Not a procedure under way, which the letter is
    # about: "đã làm căn cước 2 tuần rồi mà chưa nhận được", "đã đăng ký khai sinh nhưng cán bộ yêu cầu ...".
    # "đã làm xong sang tên sổ đỏ": "đã" before the verb and its "xong"
    # "đã hưởng thai sản xong": a benefit received is done as a paper made is.
    verbs = start
    while verbs > 0 and start - verbs < DONE_REACH and query[verbs - 1] in _DONE_VERBS | {"xong", "huong"}:
        verbs -= 1
    past = verbs > 0 and query[verbs - 1] == "da" or _done_for(query, start, starts)
    rest = query[end:clause_end]
    # "vừa đổi bằng lái ô tô sang thẻ pet rồi", "mới đổi cccd gắn chip xong"; and without "đã": "giấy khai sinh
    # thì em cải chính xong rồi", "giấy khai sinh của bé có rồi"
    finished = (_just(query, start) and bool(_DONE_AFTER & set(rest))
                or _followed(rest, "xong", _DONE_AFTER - {"xong"})
                or _followed(rest[:DONE_REACH + 2], "co", _DONE_AFTER - {"xong"})
                # "giờ đổi từ cmnd sang cccd rồi, muốn cập nhật thông tin bên bhxh": the clause ends with its "rồi"
                or list(rest) in (["roi"], ["r"]))
    if (past or finished) and _UNDER_WAY.intersection(query[end:clause_end]):
        past = finished = False
    return held or past or finished or _paper(query, start) or _purpose(query, start, starts)


PASSIVE_REACH = 3  # words between "đã được" and the name: who did it ("đã được nhà trường đăng ký tạm trú")


def _done_for(query: Sequence[str], start: int, starts: FrozenSet[int] = frozenset()) -> bool:
    """"đã được" a few words before the name, in its clause: done for the writer by someone else ("con tôi đã được
    nhà trường đăng ký tạm trú", "đã được công ty đăng ký BHXH")."""
    for at in range(max(0, start - PASSIVE_REACH - 2), start - 1):
        between = query[at + 2:start]
        if query[at] == "da" and query[at + 1] == "duoc" and not any(at < s <= start for s in starts) \
                and not any(w.isdigit() or w in _DURATION for w in between):
            return True
    return False


# "con tôi đã được 5 tuổi", "đã được hai năm": an age or a time, not something done
_DURATION = frozenset({"tuoi", "thang", "nam", "ngay", "tuan", "mot", "hai", "ba", "bon", "sau", "bay", "tam", "chin",
                       "muoi"})


def _just(query: Sequence[str], start: int) -> bool:
    """"đã", "vừa" or "mới" within ``DONE_REACH`` words before the name; not the "mới" of "làm mới", "cấp mới" (a new
    issue): "mới đổi cccd xong" is just done, "muốn làm mới hộ chiếu rồi đi du lịch" is not."""
    for at in range(max(0, start - DONE_REACH), start):
        word = query[at]
        if word in _DONE_BEFORE and not (word == "moi" and at > 0 and query[at - 1] in _NEW_ISSUE):
            return True
    return False


def _followed(words: Sequence[str], word: str, then: Iterable[str]) -> bool:
    """``word`` is written in ``words`` right before one of ``then`` ("xong rồi", "có rồi")."""
    return any(a == word and b in then for a, b in zip(words, words[1:], strict=False))


def _purpose(query: Sequence[str], start: int, starts: FrozenSet[int] = frozenset()) -> bool:
    """The name at ``query[start]`` is what a paper named just before is wanted for: "cần giấy mới để đăng ký kết
    hôn", "bản sao giấy khai sinh để làm hộ chiếu", "xác nhận tình trạng hôn nhân để đăng ký kết hôn". Not the goal
    a question opens with: "Vậy thì để sang tên sổ đỏ cho tôi, tôi cần nộp những giấy tờ gì". Context only while
    the message writes another name (see ``resolve``)."""
    if start > 0 and query[start - 1] == "de":
        at = start - 1
    elif start > 1 and query[start - 2] == "de" and query[start - 1] in _DONE_VERBS | {"di", "dk", "dky"}:
        at = start - 2  # "để làm hộ chiếu", "cần để đky kết hôn" (the name found is "kết hôn")
    elif start > 2 and query[start - 3] == "de" and tuple(query[start - 2:start]) == ("dang", "ky"):
        at = start - 3  # "để đăng ký kết hôn", when the name found is "kết hôn"
    else:
        return False
    clause = max((s for s in starts if s <= at), default=0)
    return bool(_WANTED.intersection(query[max(clause, at - PURPOSE_REACH):at]))


def _paper(query: Sequence[str], start: int) -> bool:
    """The name at ``query[start]`` is a paper asked for or compared with, not the procedure that issues it: "nhập
    khẩu cho con có cần giấy khai sinh không", "ngày sinh trên VNeID bị sai so với giấy khai sinh"."""
    return start > 0 and query[start] in _PAPERS and (
        query[start - 1] in _NEEDS or start > 1 and list(query[start - 2:start]) == ["so", "voi"])


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class Resolution:
    """What a message says about the procedure: one, a few, or none."""

    confident: Match | None
    candidates: Tuple[Match, ...]


def resolve(matches: Sequence[Match], limit: int = 4) -> Resolution:
    """Decide whether the best match is clear enough to answer without asking.

    The best match wins outright when it is confident and no rival is close,
    or when every close rival only matched a shorter alias contained in the
    winner's ("mất căn cước" beats "căn cước"). Otherwise the close ones are
    candidates to ask about.
    """
    candidates = [m for m in matches if m.score >= CANDIDATE]
    done = [m for m in candidates if m.done or within_done(m, candidates)]
    if done and any(m.exact and not m.paper and m not in done for m in candidates):
        # What the message says is done is its context; the question is about the other name it writes.
        candidates = [m for m in candidates if m not in done]
    elif candidates and all(m.paper for m in candidates if m.exact) and any(m.exact for m in candidates):
        # It names only a paper it compares with or needs: no procedure is named for sure.
        return Resolution(None, tuple(candidates[:limit]))
    elif any(m.exact and not m.paper and not any(_overlap(m, p) for p in candidates if p.paper) for m in candidates) \
            and any(m.paper for m in candidates):
        # A paper needed or borrowed for the procedure named apart from it: "chủ trọ ko cho mượn sổ đỏ, đăng ký tạm
        # trú thì ..." is about the registration, not the land certificate; "cần [bản sao giấy khai sinh]" still
        # names the copy it wants.
        candidates = [m for m in candidates if not m.paper]
    if not candidates:
        return Resolution(None, ())
    top = candidates[0]
    rivals = [m for m in candidates[1:] if top.score - m.score < MARGIN]
    first = min((m for m in (top, *rivals) if m.at >= 0), key=lambda m: m.at, default=top)
    if first is not top and all(_governed(m, first) for m in (top, *rivals) if m is not first):
        top, rivals = first, [m for m in (top, *rivals) if m is not first]
    # Scores are capped at 1: "mua thẻ bhyt" and its part "thẻ bảo hiểm y tế" tie, and the longer name governs.
    longest = next((m for m in rivals if all(_subsumed(o, m) for o in (top, *rivals) if o is not m)), None)
    if longest is not None:
        top, rivals = longest, [m for m in (top, *rivals) if m is not longest]
    # A longer name found whole, a word or two apart, going on from the name written word for word: "giấy khai sinh
    # [của tôi] bị [ghi] sai" says "giấy khai sinh bị sai" (its correction), not only "giấy khai sinh".
    extending = next((m for m in rivals if _extends(m, top)), None)
    if extending is not None:
        top, rivals = extending, [m for m in (top, *rivals) if m is not extending]
    # Found only in part and said done ("nay tôi đã đổi sang căn cước 12 số"): context, never the answer for sure.
    # Nor only the head of an official name, said done: "bãi cát đã kê khai, nộp thuế tài nguyên rồi. muốn xin miễn
    # giảm" has filed its return; "kê khai, nộp thuế đối với cá nhân không cư trú …" is not asked.
    if top.score >= CONFIDENT and not (top.done and (not top.exact or top.head)) and all(
            _subsumed(m, top) or _governed(m, top) or _borrows(m, top) or _verb_of(m, top) or _extends(top, m)
            for m in rivals):
        return Resolution(top, (top,))
    close = tuple(m for m in candidates if top.score - m.score < 2 * MARGIN)
    return Resolution(None, close[:limit])


def _overlap(one: Match, other: Match) -> bool:
    """Both names found word for word, sharing words of the message."""
    return one.at >= 0 and other.at >= 0 and one.at < other.at + len(other.words) and other.at < one.at + len(one.words)


def within_done(match: Match, matches: Sequence[Match]) -> bool:
    """The name is written inside a longer one said done: "sổ đỏ" of "đã làm xong sang tên sổ đỏ"."""
    if not match.exact or match.at < 0:
        return False
    end = match.at + len(match.words)
    return any(m.done and m.at >= 0 and m.at <= match.at and end <= m.at + len(m.words) and m is not match
               for m in matches)


def _governed(rival: Match, winner: Match) -> bool:
    """Both names are found word for word and the rival's starts inside the winner's and runs past it: the
    winner, written first, governs the words they share ("trích lục [khai sinh cho con]", "mất [bằng lái xe
    máy]"); Vietnamese puts the head first."""
    if not (rival.exact and winner.exact and rival.at >= 0 and winner.at >= 0):
        return False
    end = winner.at + len(winner.words)
    if winner.at < rival.at and set(winner.words[:rival.at - winner.at]) <= _GENERIC_VERBS | _PAPER_KINDS:
        # Only a verb any procedure takes leads the winner, or the kind of paper: "[đăng ký] khai sinh cho người
        # lớn" is the adult's registration, named in full by the rival; "[xin phiếu] lý lịch tư pháp của bị can" the
        # suspect's extract.
        return False
    return winner.at < rival.at < end < rival.at + len(rival.words)


def _verb_of(rival: Match, winner: Match) -> bool:
    """The rival is only a verb any procedure takes before the start of the winner's name, both found word for word:
    "đăng ký [khai sinh] cho người lớn" names the adult's registration, not the newborn's."""
    if not (rival.exact and winner.exact and rival.at >= 0 and winner.at >= 0) or not rival.at < winner.at:
        return False
    end = rival.at + len(rival.words)
    return winner.at < end <= winner.at + len(winner.words) \
        and set(rival.words[:winner.at - rival.at]) <= _GENERIC_VERBS


# Words that say only that something is done, for any procedure: they head no name of their own.
_GENERIC_VERBS = frozenset({"dang", "ky", "lam", "xin", "thu", "tuc"})
# Words that say only the kind of paper before what it is of ("phiếu [lý lịch tư pháp]", "giấy [khai sinh]").
_PAPER_KINDS = frozenset({"phieu", "giay", "the", "so", "ban"})
# Words that say what became of a paper, for any paper ("hết hạn", "quá hạn", "sắp hết hạn"): found alone, they name
# none ("giấy chứng nhận GMP sắp hết hạn" is not "tạm trú sắp hết hạn").
_STATE_WORDS = frozenset({"het", "qua", "han", "sap"})
# Words that say what is done to a paper, for any paper: with the state words, found alone they name none ("phương án
# sắp hết hạn, muốn gia hạn thì phải nộp đề nghị" is not "gia hạn nộp thuế").
_ACTS = _GENERIC_VERBS | {"gia", "nop", "cap", "doi", "lai", "moi"}
# Two words that mean something else apart: a name saying them is not named by the second alone, unless it follows
# one of the words given ("tạm trú hết hạn, muốn ở tiếp" asks the renewal; "hạn nộp", "hạn chót" are deadlines).
_WHOLE_PAIRS = {("gia", "han"): frozenset({"het", "qua"})}


def _half_said(query: Sequence[str], words: Sequence[str], found_at: Sequence[int]) -> bool:
    """The name says one of ``_WHOLE_PAIRS`` and the message only its second word, not after the words that let it
    stand for the pair."""
    for (first, second), after in _WHOLE_PAIRS.items():
        if _contains(words, (first, second)) and not _contains(query, (first, second)):
            alone = [p for p in found_at if query[p] == second]
            if alone and not any(p > 0 and query[p - 1] in after for p in alone):
                return True
    return False


# Words that say a paper of some kind ("giấy chứng [nhận GMP]", "giấy tờ", "giấy phép"): found alone, without what
# the paper is for, they name none ("giấy chứng nhận GMP" is not "giấy chứng tử").
_PAPER_WORDS = frozenset({"giay", "chung", "nhan", "to", "phep"})
# Words that name a kind of body, an employer or a party as often as the subject of a procedure: found alone,
# without the act ("lập", "đóng", "đổi tên"), they name none of the procedures done to it.
_BODY_WORDS = frozenset({"cong", "ty", "doanh", "nghiep"})
_BODY_OR_DOOR = _BODY_WORDS | {"cua"}  # "cua cty e" (của) is no "cửa công ty"
# What the message says is lost, right after "mất": "sân sát hạch lái xe máy bị mất văn bản chấp thuận" lost a
# document, not the vehicle of "xe bị mất cắp" (read in part as "xe ... bị mất").
_LOST_PAPERS = frozenset({"van", "giay", "so", "the", "bang", "ho", "ban", "bien"})


def _lost_another(query: Sequence[str], words: Sequence[str], found_at: Sequence[int]) -> bool:
    """The name is found in part up to "mất", and the message names the paper lost right after it, which the name
    does not say."""
    last = found_at[-1]
    return query[last] == "mat" and last + 1 < len(query) and query[last + 1] in _LOST_PAPERS \
        and query[last + 1] not in words


def _borrows(rival: Match, winner: Match) -> bool:
    """The rival was found only in part, across words of the winner's name found word for word: "ĐK [tách hộ
    khẩu]" reads "đăng ký ... hộ khẩu" only by skipping "tách"; "làm lại căn cước cho con" is "làm lại căn cước",
    not "làm căn cước cho con". The words belong to the name they were written as."""
    if rival.exact or not winner.exact or winner.at < 0 or not rival.found_at:
        return False
    return any(winner.at <= p < winner.at + len(winner.words) for p in rival.found_at)


def _extends(longer: Match, name: Match) -> bool:
    """``longer`` was found in part but whole, every word of it, and begins with the words of ``name``, read where
    ``name`` was written word for word: it is ``name`` with more said of it ("giấy khai sinh [của tôi] bị [ghi] sai").
    Not a verb found before the name across a gap: "thay đổi [trên] sổ đỏ" does not say "đổi sổ đỏ"."""
    if longer.exact or not name.exact or name.at < 0 or longer.done or len(longer.found_at) != len(longer.words):
        return False
    n = len(name.words)
    return longer.words[:n] == name.words and longer.found_at[:n] == tuple(range(name.at, name.at + n))


def _subsumed(rival: Match, winner: Match) -> bool:
    """The rival's alias is a strict part of the winner's, both named word for word; or the rival
    only found the head of its official name, and the winner names those same words in full."""
    if not (rival.exact and winner.exact and _contains(winner.words, rival.words)):
        return False
    return len(rival.words) < len(winner.words) or (rival.head and not winner.head)
