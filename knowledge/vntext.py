"""Vietnamese text normalisation that keeps track of where every character came from.

Citizens type in NFC, NFD (some phone keyboards), old-style tone placement
(``hoà``) and without diacritics at all. Matching and NLU features need one
canonical form, but entities and highlights must still point into the text the
user typed. Every function here therefore either preserves length or returns an
explicit map back to the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Tuple

# Old-style placement puts the tone mark on the second vowel of an open
# "oa", "oe", "uy" syllable (hoà, khoẻ, thuỷ). The modern convention, which
# underthesea's models were trained on, puts it on the first (hòa, khỏe, thủy).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
# The syllable must end after the tone: no letter and no further mark ("hoặc" is o + ă, not an open "oa").
_OLD_STYLE = re.compile(
    r"(?<![qQ])([oO])([aAeE])([" + _TONES + r"])(?![\w\u0300-\u036f])"
    r"|(?<![qQ])([uU])([yY])([" + _TONES + r"])(?![\w\u0300-\u036f])"
)


@dataclass(frozen=True)
class NormalizedText:
    """Canonical text plus, for each of its characters, the span it came from."""

    text: str
    spans: Tuple[Tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> Tuple[int, int]:
        """Map a ``[start, end)`` range of :attr:`text` back to the typed text."""
        if end <= start:
            raise ValueError("empty range")
        return self.spans[start][0], self.spans[end - 1][1]


def _clusters(text: str) -> List[Tuple[int, int]]:
    """Split ``text`` into base characters with their combining marks."""
    bounds: List[Tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            bounds.append((start, i))
            start = i
    return bounds


def _modern_tones(decomposed: str) -> str:
    """Move old-style tone marks in NFD text to the modern vowel."""

    def move(match: re.Match) -> str:
        if match.group(1):
            return match.group(1) + match.group(3) + match.group(2)
        return match.group(4) + match.group(6) + match.group(5)

    return _OLD_STYLE.sub(move, decomposed)


def normalize(text: str) -> NormalizedText:
    """NFC with modern tone placement, keeping a map to the original offsets.

    Each output character maps to the original span of the base character and
    the combining marks that were composed into it. Tone moves between the two
    vowels of one syllable map both vowels to their own original positions.
    """
    out: List[str] = []
    spans: List[Tuple[int, int]] = []
    for start, end in _clusters(text):
        composed = unicodedata.normalize("NFC", text[start:end])
        for ch in composed:
            out.append(ch)
            spans.append((start, end))
    nfc = "".join(out)
    # Tone placement never changes the number of NFC characters, so the span
    # map stays valid character for character.
    fixed = unicodedata.normalize("NFC", _modern_tones(unicodedata.normalize("NFD", nfc)))
    if len(fixed) != len(nfc):  # pragma: no cover - defensive, should not happen
        fixed = nfc
    return NormalizedText(fixed, tuple(spans))


def canonical(text: str) -> str:
    """NFC text with modern tone placement (no offset map)."""
    return normalize(text).text


def fold_char(ch: str) -> str:
    """Strip the diacritics of one character (đ becomes d); keeps the length at 1."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    base = unicodedata.normalize("NFD", ch)[0]
    return base


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character: one C call per text instead of a Python
    call per character (folding is the finder's and the passage index's most frequent operation)."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(self) < _FOLD_TABLE_MAX:  # bounded whatever characters a message brings
            self[code] = folded
        return folded


_FOLD_TABLE_MAX = 65536
_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics; output has the same length as NFC input."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def has_diacritics(text: str) -> bool:
    """True when any letter carries a Vietnamese mark (or is đ)."""
    nfc = unicodedata.normalize("NFC", text)
    return fold(nfc) != nfc


_WORD = re.compile(r"\w+", re.UNICODE)


def syllables(text: str) -> List[str]:
    """Lower-cased, folded word pieces of ``text``: the unit search matches on."""
    return list(_syllables(text))


@lru_cache(maxsize=32768)
def _syllables(text: str) -> Tuple[str, ...]:
    # Names and aliases are folded again at every reload of the knowledge base: remember them.
    return tuple(m.group(0) for m in _WORD.finditer(fold(canonical(text)).lower()))


# Tone marks (huyền, sắc, ngã, hỏi, nặng). The other marks (â ê ô ơ ư ă đ) make another letter.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def toneless(syllable: str) -> str:
    """``syllable`` without its tone mark, its letters kept: "động" -> "đông", "đóng" -> "đong"."""
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _TONE_MARKS))


def marked_syllables(text: str, tone: bool = False) -> List[str | None]:
    """For each of ``syllables(text)``: its letters as written without the tone ("đông" for "động"; with it when
    ``tone``), or ``None`` when it was written with no mark at all ("dong" may be any of đông, đóng, động)."""
    nfc = canonical(text)
    folded = fold(nfc).lower()
    written = nfc.lower()
    if len(written) != len(folded):
        return [None] * len(syllables(text))
    shape = (lambda s: s) if tone else toneless
    return [shape(written[m.start():m.end()]) if written[m.start():m.end()] != m.group(0) else None
            for m in _WORD.finditer(folded)]


def name_key(text: str) -> str:
    """The form under which two procedure names or aliases count as the same name."""
    return " ".join(syllables(text))


_READABLE = re.compile(r"[^\W_]")


def is_unreadable(text: str | None) -> bool:
    """True when the text holds no letter or digit at all (empty, emoji, punctuation)."""
    return not text or not _READABLE.search(text)


# Where a citizen's letter turns from its context to its question ("... cho tôi hỏi ...").
_QUESTION_TURN = re.compile(
    r"\b(?:cho|cho phep|xin cho)\s+(?:toi|em|minh|mk|chau|con|to|t|e|m|anh|chi)\s+hoi\b"
    r"|\bxin\s+hoi\b|\b(?:toi|em|minh|mk|chau|t|e|m)\s+(?:muon|can|xin)\s+hoi\b"
    # "Luật sư có thể cho tôi biết ...", "Đề nghị Tòa soạn cho biết ...": the writer asks to be told. Not "cán bộ
    # hộ tịch cho biết là không tìm thấy", someone else's words in the context.
    r"|\bcho\s+(?:toi|em|minh|chau)\s+biet\b|\b(?:de nghi|xin)\s+(?:\w+\s+){0,3}?cho\s+biet\b"
    # "Nhờ tư vấn giúp tôi phải làm gì ...", "nhờ luật sư tư vấn giúp em: ..."
    r"|\bnho\s+(?:\w+\s+){0,2}?tu van(?:\s+giup)?(?:\s+cho)?(?:\s+(?:toi|em|minh|chau|e|t))?\b"
    # A Q&A column's attribution: "Hà Thị Vân (tỉnh Quảng Bình) hỏi: ...", "Bạn Nguyễn Văn Trọng (Lương Sơn) hỏi:"
    r"|\bhoi\s*:"
)


# "hồi", "hơi", "hội", "hối", "hời", "hợi": not "hỏi" (to ask), though they fold alike.
_NOT_ASKING = re.compile(r"\bh(?:ồ|ơ|ộ|ố|ờ|ợ|ổ|ở|ỗ|ỡ|ô)i\b")


# The courtesies of a letter ("Xin chân thành cảm ơn Luật sư", "Rất mong Ban biên tập giải đáp", "Chào luật sư"):
# no situation is in them, and read as one "cảm ơn luật sư" made "mất sổ đỏ có làm lại được không" a question
# nothing answers.
_COURTESY = re.compile(
    r"\b(?:(?:toi|em|minh|chau|con|e|t)\s+)?(?:xin\s+)?(?:chan thanh\s+)?cam on\b"
    r"(?:\s+(?:luat su|ban bien tap|quy co quan|quy cong ty|anh chi|anh|chi|ban|moi nguoi|mn|ad|admin|nhieu"
    r"|rat nhieu|truoc|a))*"
    # "... cảm ơn luật sư rất nhiều vì đã trả lời câu hỏi của tôi": the thanks go on with what they are for.
    r"(?:\s+(?:vi\s+)?(?:da\s+)?(?:doc\s+va\s+)?(?:tra loi|giai dap|tu van|quan tam|danh thoi gian)"
    r"(?:\s+(?:cau hoi|thac mac|giup))?(?:\s+(?:cua|cho)\s+(?:toi|em|minh))?)?"
    r"|\b(?:rat\s+)?mong\s+(?:duoc\s+)?(?:(?:luat su|ban bien tap|quy co quan|quy cong ty|anh chi|moi nguoi|ad)\s+)?"
    r"(?:som\s+)?(?:giai dap|tu van|tra loi|huong dan|giup do|phan hoi)(?:\s+(?:giup|cho|som)(?:\s+(?:toi|em|minh))?)?"
    r"|\btran trong\b|\b(?:xin\s+)?chao\s+(?:luat su|ban bien tap|quy co quan|anh chi|moi nguoi|ad|admin)\b"
)


def without_courtesy(text: str) -> str:
    """The text without a letter's courtesies (thanks, greetings, "rất mong được giải đáp"); the text itself when
    nothing else is left (a citizen who only says thank you)."""
    nfc = canonical(text) if text else ""
    folded = fold(nfc).lower()
    if len(folded) != len(nfc):
        return text
    spans = [m.span() for m in _COURTESY.finditer(folded)]
    if not spans:
        return text
    out = nfc
    for start, end in reversed(spans):
        out = out[:start] + " " + out[end:]
    out = " ".join(out.split()).strip(" ,.:;!-")
    return out if _READABLE.search(out) else text


# A letter's last turn followed by no word but particles ("xin hỏi ạ", "cho em hỏi với") closes it.
CLOSING_TURN_WORDS = 1
_READABLE_WORD = re.compile(r"[^\W_]+")
_PARTICLES = frozenset({"a", "voi", "nhe", "nha", "ne", "ad", "admin", "ak", "chut", "ti", "thoi", "ah", "nhi"})


def _asked_words(text: str) -> int:
    """The words of ``text`` other than a letter's courtesies and closing particles ("với ạ", "nhé")."""
    return sum(1 for w in _READABLE_WORD.findall(fold(without_courtesy(text)).lower()) if w not in _PARTICLES)


def question_part(text: str) -> str:
    """What follows the last "cho tôi hỏi" (or "xin hỏi", "em muốn hỏi") of a letter, without its courtesies
    (``without_courtesy``); the whole text without one.

    Citizens write the context first ("Năm ngoái tôi làm căn cước... Nay chuyển về quê...")
    and ask last; the procedures named in the context are not the question.
    """
    nfc = canonical(text) if text else ""
    folded = fold(nfc).lower()  # same length as the NFC text: offsets carry over
    # "e xin hồi tháng 1" (asked for it back in January) folds like "xin hỏi": a turn written with marks says "hỏi".
    turns = [m for m in _QUESTION_TURN.finditer(folded) if not _NOT_ASKING.search(nfc[m.start():m.end()].lower())]
    # A turn that closes the letter ("... có được không, xin hỏi ạ?") asks what comes before it: the question is
    # what follows the turn before it, or the whole letter.
    end = len(nfc)
    while turns and _asked_words(nfc[turns[-1].end():end]) < CLOSING_TURN_WORDS:
        end = turns.pop().start()
    if not turns:
        return without_courtesy(nfc[:end].strip(" ,.:;?!-") or text) if end < len(nfc) else without_courtesy(text)
    rest = nfc[turns[-1].end():end].strip(" ,.:;?!-")
    return without_courtesy(rest) if rest else text


_SENTENCE_END = re.compile(r"(?<=[?!.;])\s+|\n+")
# Where a clause ends: the finder reads a name, and the variants a loss, within one.
CLAUSE_BREAKS = re.compile(r"[.?!,;:\n]+")


def split_sentences(text: str) -> List[str]:
    """The sentences of ``text``, stripped, empty ones left out."""
    return [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]


def asking_part(text: str) -> str:
    """The question of a letter: its question part ("cho tôi hỏi ..."); in a letter with none, its last sentence
    ending in "?" rather than its opening context; the text itself when it is one sentence."""
    part = question_part(text)
    if part in (text, without_courtesy(text)):
        asking = [s for s in split_sentences(part) if s.endswith("?")]
        part = asking[-1] if asking else part
    return part


def search_words(text: str, limit: int = 80) -> str:
    """The words of a message to search the portal for: its question (``asking_part``), cut at a word within
    ``limit``."""
    part = " ".join(asking_part(text).split()).strip(" ?.!,;:")
    if len(part) <= limit:
        return part
    return part[:limit].rsplit(" ", 1)[0]


# Where a citizen says they live ("em hộ khẩu tại Quận 8", "tôi thường trú ở Nghệ An", "hộ khẩu cả nhà ở Nghệ An",
# "hộ khẩu gốc ở Thanh Hóa", "e hộ khẩu thường trú ở Thái Bình"): an address, not the registration procedure the same
# words name ("đăng ký thường trú", "nhập hộ khẩu").
_RESIDENCE = re.compile(r"\b(?:ho khau(?:\s+thuong tru)?|hktt|thuong tru|tam tru)"
                        r"(?:\s+(?:goc|ca nha|ca gia dinh|gia dinh"
                        r"|cua (?:toi|em|minh|nha toi|nha em|nha minh|ca nha)))?"
                        r"\s+(?:tai|o)\b")
# Words just before that make it the procedure after all: "đăng ký tạm trú ở đâu", "chuyển hộ khẩu tại ...",
# "sổ hộ khẩu ở nhà".
_RESIDENCE_ACTS = re.compile(
    r"\b(?:dang ky|dk|dky|nhap|chuyen|tach|xoa|cat|lam|khai bao|gia han|so|xac nhan|giay|xin|muon|can|thu tuc)\s*$"
)
# The address ends at punctuation (not "-" or "/", "Quận 8 - TP.HCM"), at a word that turns the sentence, or
# after a few words.
_RESIDENCE_END = re.compile(r"[,.;:?!\n()]|\b(?:nhung|thi|va|muon|co|can|de|gio|hien|nay|dang|ma|nen|vay)\b")
RESIDENCE_WORDS = 6


# "làm căn cước ở nơi tạm trú được không", "về nơi thường trú", "khác nơi đăng ký hộ khẩu": a place where something is
# done, not the registration; only the words themselves are blanked (no address follows).
_RESIDENCE_PLACE = re.compile(r"\b(?:noi|cho)\s+(?:dang\s+)?(?:o\s+)?(?:thuong tru|tam tru)\b"
                             r"|\bnoi\s+(?:dang ky|dk|co)\s+ho khau\b")


def residence_spans(text: str) -> List[Tuple[int, int]]:
    """Where ``text`` (NFC) states the writer's residence, or names it as a place, as (start, end) offsets."""
    folded = fold(text).lower()
    def acted(at: int) -> bool:
        return bool(_RESIDENCE_ACTS.search(folded[max(0, at - 20):at]))

    spans = [m.span() for m in _RESIDENCE_PLACE.finditer(folded) if not acted(m.start())]
    for m in _RESIDENCE.finditer(folded):
        if acted(m.start()):
            continue
        rest = folded[m.end():]
        stop = _RESIDENCE_END.search(rest)
        tail = rest[:stop.start()] if stop else rest
        words = list(re.finditer(r"\S+", tail))[:RESIDENCE_WORDS]
        spans.append((m.start(), m.end() + (words[-1].end() if words else 0)))
    return spans


def without_residence(text: str) -> str:
    """``text`` with the statements of where the writer lives blanked out (same length)."""
    nfc = canonical(text) if text else ""
    spans = residence_spans(nfc)
    if not spans:
        return text
    out = list(nfc)
    for start, end in spans:
        out[start:end] = " " * (end - start)
    return "".join(out)
