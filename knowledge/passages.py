"""Every answerable unit of the knowledge base, searchable with BM25.

A passage is one condition, step, paper (with its note), case, channel's time
and fee, legal basis, note or curated question of one procedure. Each knows its
procedure, its kind and where it comes from, so an answer built on it can quote
it and cite it. The index is rebuilt with the knowledge base: an officer's new
question is found on the next message, with no retraining.

Ranking is BM25 (the ``bm25s`` library) over folded, shorthand-expanded
syllables. BM25 scores do not compare across messages, so each hit also gets a
``cover`` in 0..1: how much of the message's distinguishing words the passage
explains and how much of the passage the message says, weighted by how rare
each word is. Thresholds are set on ``cover``.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Sequence, Set, Tuple

import bm25s
import numpy as np

from knowledge.places import PLACE, Places
from knowledge.quantities import BOUNDS
from knowledge.questions import Question
from knowledge.schema import CHANNEL_LABELS, Procedure
from knowledge.shorthand import Shorthand
from knowledge.synonyms import Rewriter

QUESTION = "question"
CONDITION = "condition"
PAPER = "paper"
CASE = "case"
STEP = "step"
CHANNEL = "channel"
LEGAL_BASIS = "legal_basis"
NOTE = "note"
RESULT = "result"

# Words that carry no topic: pronouns, question and modal words, particles (folded: what unmarked text shows), and
# how chat writers address the page ("... dc ko ad": "ad", written out "admin").
FUNCTION_WORDS = frozenset(
    """
    toi em minh anh chi ban chau con co khong ko k hok ko a ah nhe nha vay the thi la va voi cua cho
    hoi xin muon can duoc dc phai se da dang roi nua nao gi j sao bao nhieu lau khi neu ma o tai
    ve mot nhung cac nay do kia ai ay oi ha nhi hay hoac vi nen de thu tuc lam them moi bi
    ad admin
    """.split()
)
# The same function words as written with their marks. Folding merges them with words that carry the topic:
# "bạn" and "bán", "thế" and "thẻ", "nhé" and "nhà", "thì" and "thi", "tôi" and "tội", "cần" and "căn". In a
# message with marks, a syllable that folds to a function word but is not written as one keeps its topic
# (it is indexed as ``CONTENT_MARK`` after its folded form); unmarked text stays ambiguous, read as function.
MARKED_FUNCTION_WORDS = frozenset(
    """
    tôi em mình anh chị bạn cháu còn có không ko k hok à ạ ah nhé nha nhá vậy thế thì là và với của cho
    hỏi xin muốn cần được đc dc phải sẽ đã đang rồi nữa nào gì j sao bao nhiêu nhiều lâu khi nếu mà ở tại
    về một những nhưng các này nay đó do đấy kia ai ấy ơi hả nhỉ hay hoặc vì nên để thủ tục làm thêm chỉ mới bị
    ad admin
    """.split()
)
CONTENT_MARK = "_"
STATING_WORDS = 2  # see PassageIndex.stating
# What the aspects the bot answers from the record are asked with: they do not make a question situational.
# Single words only where they mean nothing else once folded; the rest as phrases ("hồ sơ", not "họ", "sổ").
# "ủy ban nhân dân" (and "ubnd", written out) says where a paper is filed, as "cơ quan" does: "ra UBND phường
# chứng thực chữ ký có được không" states no situation by it.
ASPECT_WORDS = frozenset(
    """
    phi tien lau nop luat online internet gom
    """.split()
) | frozenset(
    p.strip() for p in """
    giay to, ho so, chuan bi, bao gom, le phi, mien phi, mien le phi, bao nhieu, bao lau, may ngay, thoi gian,
    ngay lam viec, lam viec, o dau, noi nop, nop o dau, co quan, cac buoc, buoc nao, nhung buoc, trinh tu,
    cach thuc, cach lam, quy trinh, thu tuc, truc tuyen, qua mang, tren mang, dich vu cong, can cu, phap ly,
    van ban, quy dinh, mau don, to khai, bieu mau, mau to khai, nhan ket qua, ket qua, nhu the nao, the nao,
    ra sao, lam sao, thuc hien, truc tiep, buu chinh, buu dien, uy ban nhan dan
    """.split(",")
)
# Aspect phrases whose words mean something else on their own: "mất bao lâu" asks the time, "mất" alone is "lost".
ASPECT_PHRASES = re.compile(
    r"\b(?:mat|het|ton)\s+(?:(?:thoi gian\s+)?(?:bao lau|bao nhieu|may ngay|may thang|bn)|(?:le\s+)?phi|tien|chi phi)\b"
)


def without_aspect_phrases(text: str) -> str:
    """The text (marks kept) without "mất bao lâu", "hết bao nhiêu": what is left says the situation."""
    nfc = unicodedata.normalize("NFC", text)
    folded = _fold_word(nfc)
    if len(folded) != len(nfc):  # a character the folding does not map one to one: fold the whole text
        return ASPECT_PHRASES.sub(" ", " ".join(_folded_words(text)))
    out = nfc
    for m in reversed(list(ASPECT_PHRASES.finditer(folded))):
        out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end():]
    return out


NAME_WORDS_MAX = 4
COVER_BETA = 1.5
_MARKS = re.compile(r"[\u0300-\u036f]")
_WORD = re.compile(r"\w+")


def _fold_word(word: str) -> str:
    # The folded form needs no tone placement: strip every mark of the decomposed text.
    return _MARKS.sub("", unicodedata.normalize("NFD", word)).replace("đ", "d").replace("Đ", "D").lower()


@lru_cache(maxsize=262144)
def _folded_words(text: str) -> Tuple[str, ...]:
    # Interned: 56,000 passages share a few thousand distinct words (250 MB less than one string per use).
    return tuple(sys.intern(w) for w in _WORD.findall(_fold_word(text)))


@lru_cache(maxsize=262144)
def _syllables(text: str) -> Tuple[str, ...]:
    """Folded syllables; in text with marks, one that folds to a function word without being written as one
    ("bán", "thẻ", "nhà") carries ``CONTENT_MARK``, so it is neither merged with nor dropped as that word."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    folded = [_fold_word(w) for w in words]
    if folded == words:  # no marks: "ban" may be "bạn" or "bán", read as the function word
        return tuple(sys.intern(_EXAM if w == "thi" and _exam(folded, i) else w) for i, w in enumerate(folded))
    return tuple(sys.intern(f + CONTENT_MARK if f in FUNCTION_WORDS and w not in MARKED_FUNCTION_WORDS else f)
                 for w, f in zip(words, folded, strict=True))


# "thi" (sit an exam) where "thì" (then) cannot stand: opening the text or after "phải", before what is sat for
# ("thi bang lai xe may mat bao nhieu tien", "co phai thi lai khong"); not "mang xe di thi can dieu kien j".
_EXAM = "thi" + CONTENT_MARK
_BEFORE_EXAM = frozenset({"phai"})
_EXAMINED = frozenset({"bang", "sat", "gplx", "ly", "thuc", "sa", "lai", "lay"})


def _exam(folded: Sequence[str], i: int) -> bool:
    return (i == 0 or folded[i - 1] in _BEFORE_EXAM) and i + 1 < len(folded) and folded[i + 1] in _EXAMINED


# The words of a bound before a number ("dưới 14", "chưa đủ 6", "từ đủ 15") say one thing: which side of the number.
# They become one comparison word, so "dưới 14 tuổi" and "đủ 14 tuổi" differ; a message that states its own
# quantity ("con tôi 4 tuổi") is compared with the bound by the router, and a passage's comparison word then
# counts for nothing (``PassageIndex.overlap``).
COMPARISON_PREFIX = "cmp_"
_COMPARISONS = {tuple(words.split()): COMPARISON_PREFIX + side for words, side in BOUNDS.items()}
DISTINCT_CACHE = 100_000  # entries of ``PassageIndex._distinct`` kept at most


def _base(word: str) -> str:
    return word[:-1] if word.endswith(CONTENT_MARK) else word


def _unmarked(words: Sequence[str]) -> Tuple[str, ...]:
    """The folded words without ``CONTENT_MARK``: phrases ("cơ quan", "tối đa") are matched on these."""
    return tuple(_base(w) for w in words)


def _comparison(words: Sequence[str], i: int) -> Tuple[int, str]:
    """(length, comparison word) of a bound at ``i`` that a number follows ("chua du 6"), else (0, "")."""
    for size in (2, 1):
        word = _COMPARISONS.get(_unmarked(words[i:i + size]))
        if word and i + size < len(words) and words[i + size].isdigit():
            return size, word
    return 0, ""


def _content_free(words: Sequence[str], ignore: FrozenSet[str]) -> Iterator[str]:
    """``words`` without the words and phrases (entries with a space) of ``ignore``; bounds as comparison words."""
    phrases = _phrases(ignore)
    i = 0
    while i < len(words):
        size, comparison = _comparison(words, i)
        if size:
            yield comparison
            i += size
            continue
        for phrase in phrases.get(_unmarked(words[i:i + 1])[0], ()):
            if _unmarked(words[i:i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if words[i] not in ignore:
                yield words[i]
            i += 1


@lru_cache(maxsize=16)
def _phrases(ignore: FrozenSet[str]) -> Dict[str, List[Tuple[str, ...]]]:
    by_first: Dict[str, List[Tuple[str, ...]]] = {}
    for entry in ignore:
        parts = tuple(entry.split())
        if len(parts) > 1:
            by_first.setdefault(parts[0], []).append(parts)
    return {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}


@dataclass(frozen=True)
class Passage:
    """One answerable unit: ``text`` is what an answer quotes, ``words`` what is searched."""

    procedure_id: str
    kind: str
    text: str
    key: str = ""  # the question's or case's id
    words: Tuple[str, ...] = ()
    # A curated question's phrasing: each folded word with the syllables the question's phrasings write it as
    # (see ``marked_forms``); empty for the records' passages.
    marks: Tuple[Tuple[str, FrozenSet[str]], ...] = ()
    # Words the text implies without saying them as such: the fact a curated question asks ("fact_duration",
    # :mod:`knowledge.facts`), read from all its phrasings. Searched and weighed like the text's own words.
    tags: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # BM25
    cover: float  # 0..1, see the module's docstring
    # The weighted share of the passage's own distinguishing words the message says: below 1, the message leaves
    # out a qualifier the passage states ("anh chị em ruột" asked as "anh em họ").
    recall: float = 0.0


def procedure_passages(proc: Procedure) -> List[Passage]:
    """The record's own units: conditions, cases and papers, steps, channels, legal basis, notes."""
    pid = proc.id
    out: List[Passage] = [Passage(pid, CONDITION, c) for c in proc.conditions]
    for case in proc.cases:
        if len(proc.cases) > 1:
            out.append(Passage(pid, CASE, case.name, case.id))
        for paper in case.papers:
            text = f"{paper.name}. {paper.note}" if paper.note else paper.name
            out.append(Passage(pid, PAPER, text, case.id))
    out += [Passage(pid, STEP, s) for s in proc.steps]
    for channel in proc.channels:
        parts = [p for p in (channel.processing_time, channel.fee, channel.note) if p]
        if parts:
            out.append(Passage(pid, CHANNEL, f"{CHANNEL_LABELS[channel.kind]}: " + "; ".join(parts)))
    out += [Passage(pid, LEGAL_BASIS, b) for b in proc.legal_basis]
    out += [Passage(pid, NOTE, n) for n in proc.notes]
    if proc.result:
        out.append(Passage(pid, RESULT, proc.result))
    return out


def question_passages(
    procedure_id: str, questions: Iterable[Question], tags: Callable[[Question], Tuple[str, ...]] | None = None,
) -> List[Passage]:
    """One passage per phrasing; the answer is found again by ``key``. ``tags``: the words a question's
    phrasings all carry (see ``Passage.tags``)."""
    out: List[Passage] = []
    for q in questions:
        carried = tags(q) if tags is not None else ()
        out += [Passage(procedure_id, QUESTION, phrasing, q.id, tags=carried) for phrasing in q.phrasings]
    return out


class PassageIndex:
    """BM25 over passages, with per-procedure name words left out of ``cover``."""

    def __init__(
        self, passages: Sequence[Passage], shorthand: Shorthand, names: Dict[str, FrozenSet[str]],
        places: Places | None = None, synonyms: Rewriter | None = None,
    ):
        self._shorthand = shorthand
        self._places = places
        self._synonyms = synonyms
        self._names = names
        self.passages: List[Passage] = []
        vocab: Dict[str, int] = {}
        ids: List[List[int]] = []
        doc_freq: Dict[str, int] = {}
        # A curated question's phrasings share their words' senses: "bang xe may" is read as the "xe máy" its
        # other phrasings write, so a message's "không may" says neither.
        senses: Dict[Tuple[str, str], Dict[str, Set[str]]] = {}
        for passage in passages:
            if passage.kind == QUESTION:
                forms = senses.setdefault((passage.procedure_id, passage.key), {})
                for folded, written in self.marked_forms(passage.text).items():
                    forms.setdefault(folded, set()).update(written)
        marks_of = {key: tuple(sorted((k, frozenset(v)) for k, v in forms.items())) for key, forms in senses.items()}
        for passage in passages:
            words = tuple(self.words(passage.text)) + passage.tags
            if not words:
                continue
            marks = marks_of.get((passage.procedure_id, passage.key), ()) if passage.kind == QUESTION else ()
            self.passages.append(Passage(passage.procedure_id, passage.kind, passage.text, passage.key, words, marks,
                                         passage.tags))
            ids.append([vocab.setdefault(w, len(vocab)) for w in words])
            for word in set(words):
                doc_freq[word] = doc_freq.get(word, 0) + 1
        self._vocab = vocab
        count = max(len(self.passages), 1)
        self._idf = {w: math.log(1 + count / df) for w, df in doc_freq.items()}
        self._default_idf = math.log(1 + count)
        rows: Dict[str, List[int]] = {}
        self._by_key: Dict[Tuple[str, str], List[Passage]] = {}
        for i, passage in enumerate(self.passages):
            rows.setdefault(passage.procedure_id, []).append(i)
            if passage.kind == QUESTION:
                self._by_key.setdefault((passage.procedure_id, passage.key), []).append(passage)
        self._by_procedure: Dict[str, np.ndarray] = {k: np.asarray(v) for k, v in rows.items()}
        # ``distinguishing`` of each (words, procedure, ignore): a turn compares the same message with dozens of
        # passages, and the same passages come back turn after turn.
        self._distinct: Dict[Tuple[Tuple[str, ...], str, FrozenSet[str]], FrozenSet[str]] = {}
        self._bm25 = bm25s.BM25()
        if ids:
            self._bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)

    def __len__(self) -> int:
        return len(self.passages)

    def words(self, text: str) -> List[str]:
        """Folded, shorthand-expanded syllables, the unit both passages and messages are indexed on; a province's
        name as one word (:mod:`knowledge.places`), a synonym as its group's first phrase
        (:mod:`knowledge.synonyms`)."""
        words = _numbered(words_of(text, self._shorthand))
        if self._places:
            words = self._places.fold_in(words)
        return self._synonyms.fold_in(words) if self._synonyms else words

    def marked_forms(self, text: str) -> Dict[str, FrozenSet[str]]:
        """For text written with marks, each folded word with the syllables written for it ("may": {"máy"}),
        shorthand written out; {} for unmarked text, whose syllables may stand for any of their marked forms."""
        raw = _WORD.findall(unicodedata.normalize("NFC", text).lower())
        if all(_fold_word(w) == w for w in raw):
            return {}
        forms: Dict[str, Set[str]] = {}
        for word in raw:
            folded = _fold_word(word)
            full = self._shorthand.full(folded)
            for syllable in (_WORD.findall(full.lower()) if full else [word]):
                forms.setdefault(_fold_word(syllable), set()).add(syllable)
        return {k: frozenset(v) for k, v in forms.items()}

    def stating(self, procedure_id: str, key: str, ignore: FrozenSet[str] = frozenset()) -> List[Passage]:
        """The phrasings of a curated question that state a situation: at least ``STATING_WORDS`` distinguishing
        words. A keyword stub ("cấp lại giấy xác nhận tình trạng hôn nhân", "đổi căn cước sớm") names the case
        without stating it; when every phrasing is a stub, all of them."""
        phrasings = self._by_key.get((procedure_id, key), [])
        stated = [p for p in phrasings if len(self.distinguishing(p.words, procedure_id, ignore)) >= STATING_WORDS]
        return stated or phrasings

    def name_words(self, procedure_id: str) -> FrozenSet[str]:
        """The words of the procedure's name and short aliases, as indexed."""
        return self._names.get(procedure_id, frozenset())

    def weight(self, word: str) -> float:
        if word in FUNCTION_WORDS:
            return 0.05
        return self._idf.get(word, self._default_idf)

    def distinguishing(
        self, words: Iterable[str], procedure_id: str, ignore: FrozenSet[str] = frozenset(),
    ) -> FrozenSet[str]:
        """The words that are neither function words, nor the procedure's own name, nor ``ignore``."""
        key = (tuple(words), procedure_id, ignore)
        found = self._distinct.get(key)
        if found is None:
            names = self._names.get(procedure_id, frozenset())
            # Numbers say which case only with their unit and comparison ("dưới 14 tuổi"): the router reads those.
            found = frozenset(w for w in _content_free(key[0], ignore) if w not in FUNCTION_WORDS and w not in names
                              and not w.isdigit())
            if len(self._distinct) >= DISTINCT_CACHE:
                self._distinct.clear()
            self._distinct[key] = found
        return found

    def overlap(
        self, query: Sequence[str], passage: Passage, ignore: FrozenSet[str] = frozenset(),
        query_marks: Mapping[str, FrozenSet[str]] | None = None, context: FrozenSet[str] = frozenset(),
    ) -> Tuple[float, float]:
        """(precision, recall) of the weighted distinguishing words both share: how much of the message the
        passage explains, and how much of the passage the message says.

        ``query_marks``: the message's ``marked_forms``. When the message is written with marks and the curated
        question writes the word too, it is shared only if both write it the same way: "không may" does not say
        "xe máy"."""
        asked = self.distinguishing(query, passage.procedure_id, ignore)
        said = self.distinguishing(passage.words, passage.procedure_id, ignore)
        if PLACE in asked and PLACE not in said:
            # Where the citizen lives or works ("e 25t đang đi làm ở HN, muốn nhờ mẹ ở quê xin hộ lltp số 2") is
            # context a passage that names no place neither explains nor contradicts.
            asked = asked - {PLACE}
        if not any(w.startswith(COMPARISON_PREFIX) for w in asked):
            said = {w for w in said if not w.startswith(COMPARISON_PREFIX)}
        if not asked or not said:
            return 0.0, 0.0
        both = asked & said
        if query_marks and passage.marks:
            written = dict(passage.marks)
            both = {w for w in both if not (query_marks.get(_base(w)) and written.get(_base(w)))
                    or query_marks[_base(w)] & written[_base(w)]}
        shared = math.fsum(self.weight(w) for w in both)
        if not shared:
            return 0.0, 0.0
        # The letter's context may state what the passage's situation says ("đóng bảo hiểm xã hội tự nguyện ... Cho
        # tôi hỏi tôi có được hưởng tiền thai sản không"): it counts for how much of the passage is said, not for how
        # much of the question the passage explains.
        stated = both | (said & context) if context else both
        return (shared / math.fsum(self.weight(w) for w in asked),
                math.fsum(self.weight(w) for w in stated) / math.fsum(self.weight(w) for w in said))

    def cover(self, query: Sequence[str], passage: Passage, ignore: FrozenSet[str] = frozenset()) -> float:
        """F-measure (recall weighted ``COVER_BETA`` times) of :meth:`overlap`.

        Recall counts more than precision: citizens wrap the question in a letter whose other words no passage
        explains, while a passage whose own words are mostly missing from the message is not what was asked.
        A message or passage with no distinguishing word covers nothing: naming the procedure asks no situation.
        """
        return _f_beta(*self.overlap(query, passage, ignore))

    def search(
        self,
        text: str,
        procedure_ids: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        limit: int = 5,
        ignore: FrozenSet[str] = frozenset(),
        tags: Sequence[str] = (),
        context: str = "",
    ) -> List[Hit]:
        """Passages for ``text``, best BM25 first, optionally within procedures and kinds.

        ``ignore``: words that do not count towards ``cover`` (the words of the aspects, for a situation).
        ``tags``: words the message implies (``Passage.tags``), searched with its own.
        """
        query = self.words(text) + list(tags)
        stated = frozenset(self.words(context)) if context else frozenset()
        query_marks = self.marked_forms(text) if self._by_key else {}  # only curated phrasings carry marks
        # Ranked on the words ``cover`` weighs: "bao lâu", "được" and the like would rank "sinh đôi nghỉ thai sản
        # bao lâu" above "thời gian nghỉ thai sản khi sinh con" for "nghỉ thai sản được bao lâu".
        ranked_on = content_words(query, ignore) or query
        known = [self._vocab[w] for w in dict.fromkeys(ranked_on) if w in self._vocab]
        if not known or not self.passages:
            return []
        scores = self._bm25.get_scores(known)
        if procedure_ids is not None:
            allowed = [self._by_procedure[p] for p in dict.fromkeys(procedure_ids) if p in self._by_procedure]
            if not allowed:
                return []
            rows = np.concatenate(allowed)
        else:
            rows = np.flatnonzero(scores > 0)
        wanted = set(kinds) if kinds is not None else None
        ranked = rows[np.argsort(-scores[rows], kind="stable")]  # only the procedures' own passages are sorted
        hits: List[Hit] = []
        for i in ranked[: max(limit * 20, 50)]:
            if scores[i] <= 0:
                break
            passage = self.passages[int(i)]
            if wanted is not None and passage.kind not in wanted:
                continue
            precision, recall = self.overlap(query, passage, ignore, query_marks, stated)
            hits.append(Hit(passage, float(scores[i]), _f_beta(precision, recall), recall))
            if len(hits) >= limit:
                break
        return hits


def _f_beta(precision: float, recall: float) -> float:
    if not precision or not recall:
        return 0.0
    beta2 = COVER_BETA * COVER_BETA
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)


# "thứ hai", "thứ 2": an ordinal, written in figures or words ("thứ" folds to the "thu" of "thủ tục").
_ORDINALS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7"}


# Alone, in words that each mean nothing ("một", "mình"), written with a figure as often ("đi đăng ký 1 mình").
ALONE = "motminh"


def _numbered(words: List[str]) -> List[str]:
    """"số 2" as one word ("so2"): the number names the thing ("phiếu lý lịch tư pháp số 2", "mẫu số 18"), and a
    bare number is no distinguishing word. An ordinal likewise ("thu2"): "sinh con thứ hai" is not "sinh con". And
    "một mình" (alone) as ``ALONE``."""
    if "so" not in words and "thu" not in words and "thu" + CONTENT_MARK not in words and "minh" not in words:
        return words
    out: List[str] = []
    i = 0
    while i < len(words):
        head, number = _base(words[i]), _base(words[i + 1]) if i + 1 < len(words) else ""
        if words[i] in ("mot", "1") and number == "minh":  # not "mốt" (the day after tomorrow): "ngày mốt mình đi"
            out.append(ALONE)
            i += 2
        elif head == "so" and number.isdigit():
            out.append(sys.intern("so" + number))
            i += 2
        elif head == "thu" and (number.isdigit() or number in _ORDINALS):
            out.append(sys.intern("thu" + _ORDINALS.get(number, number)))
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def words_of(text: str, shorthand: Shorthand) -> List[str]:
    """Folded syllables (see ``_syllables``), shorthand written out: "cccd" is "căn cước công dân"."""
    out: List[str] = []
    for word in _syllables(text):
        full = shorthand.full(word)
        out.extend(_syllables(full) if full else (word,))
    return out


def content_words(words: Sequence[str], ignore: FrozenSet[str] = frozenset()) -> List[str]:
    """The words that carry a topic: neither function words, nor numbers, nor the words and phrases of
    ``ignore``."""
    return [w for w in _content_free(list(words), ignore) if w not in FUNCTION_WORDS and not w.isdigit()]


def name_words(proc: Procedure, shorthand: Shorthand, synonyms: Rewriter | None = None) -> FrozenSet[str]:
    """Words of a procedure's name and aliases: they say which procedure, not which situation."""
    words: Set[str] = set()
    for text in (proc.name, *proc.aliases):
        found = words_of(text, shorthand)
        if synonyms is not None:
            found = synonyms.fold_in(found)
        # Long aliases describe situations ("làm căn cước cho trẻ dưới 14 tuổi"): their words are not the name.
        if text == proc.name or len(found) <= NAME_WORDS_MAX:
            words.update(found)
    return frozenset(words)
