"""Vietnamese word segmentation with offsets into the text the user typed.

underthesea groups syllables into words ("căn cước", "hộ khẩu"), which carry
the meaning in Vietnamese. It works on canonical text (NFC, modern tone
placement), so segmentation runs on :func:`knowledge.vntext.normalize` output
and every piece is mapped back to the original characters.

Each piece also gets a *lemma*: the folded, lower-cased word with syllables
joined by ``_`` and chat shorthand expanded (``cccd`` -> ``can_cuoc_cong_dan``,
``ko`` -> ``khong``). Featurizers use the lemma, so text typed with and without
diacritics or in shorthand meet the same features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from underthesea import word_tokenize

from knowledge.dossier_codes import CODE_PATTERN
from knowledge.shorthand import Shorthand
from knowledge.vntext import fold, normalize

# Kept whole so that entity extraction sees one token: numbers with
# separators, e-mail and web addresses (dossier codes: see below).
_ATOMIC = re.compile(
    r"https?://\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\d+(?:[.,:/]\d+)+"
)
# A dossier code (000.00.07.H29-261101-0042, also typed with spaces, lower
# case or other dashes) is one token, and every code gets the same lemma, so
# an intent learnt from a few example codes recognises any code.
DOSSIER_CODE_LEMMA = "xxmahoso"
# A mistyped code (H29-2611-42) gets the same lemma: letters and digits in
# groups joined by dashes, dots or slashes. Whether the citizen typed it right
# is for the lookup to say ("chưa đúng định dạng"), not for the intent.
# Dates and amounts (23/11/2026, 1.500.000) have no letter and stay numbers.
_CODE_LIKE = re.compile(r"(?=[^\s]*\d)(?=[^\s]*[a-z])[0-9a-z]+(?:[-‐‑‒–—._/][0-9a-z]+)+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_HAS_WORD = re.compile(r"\w")
MAX_CHARS = 5000  # longer messages are segmented syllable by syllable past this point


@dataclass(frozen=True)
class Piece:
    """A word of the message: where it is in the typed text, and its lemma."""

    start: int
    end: int
    text: str
    lemma: str


class Segmenter:
    """Turns a message into :class:`Piece` objects."""

    def __init__(self, shorthand: Shorthand):
        self.shorthand = shorthand

    def lemma(self, word: str) -> str:
        """Folded lower-case lemma with shorthand expanded and syllables joined by '_'."""
        parts: List[str] = []
        for syllable in _WORD.findall(word):
            full = self.shorthand.full_form(syllable)
            parts.extend((fold(full) if full else fold(syllable)).lower().split())
        return "_".join(parts)

    def segment(self, text: str) -> List[Piece]:
        """Split ``text`` into words with offsets into ``text`` itself."""
        if not text or not _HAS_WORD.search(text):
            return []
        norm = normalize(text)
        spans = self._word_spans(norm.text)
        pieces = []
        for start, end in spans:
            o_start, o_end = norm.original_span(start, end)
            word = norm.text[start:end]
            code = CODE_PATTERN.fullmatch(word) or _CODE_LIKE.fullmatch(word)
            lemma = DOSSIER_CODE_LEMMA if code else self.lemma(word)
            if lemma:
                pieces.append(Piece(o_start, o_end, text[o_start:o_end], lemma))
        return pieces

    def _word_spans(self, canonical_text: str) -> List[Tuple[int, int]]:
        """Word spans in canonical text: atomic items, shorthand, then underthesea."""
        head, tail = canonical_text[:MAX_CHARS], canonical_text[MAX_CHARS:]
        fixed = [(m.start(), m.end()) for m in CODE_PATTERN.finditer(head)]
        fixed += [(m.start(), m.end()) for m in _ATOMIC.finditer(head) if not _overlaps(m.span(), fixed)]
        fixed += [
            (m.start(), m.end())
            for m in _WORD.finditer(head)
            if self.shorthand.full_form(m.group(0)) and not _inside(m.start(), fixed)
        ]
        fixed.sort()
        spans: List[Tuple[int, int]] = []
        cursor = 0
        for start, end in fixed + [(len(head), len(head))]:
            if start > cursor:
                spans.extend(_underthesea_spans(head, cursor, start))
            if end > start:
                spans.append((start, end))
            cursor = max(cursor, end)
        offset = len(head)
        spans.extend((offset + m.start(), offset + m.end()) for m in _WORD.finditer(tail))
        return _fill_gaps(head, spans) + [s for s in spans if s[0] >= len(head)]


def _overlaps(span: Tuple[int, int], spans: Sequence[Tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _inside(pos: int, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _underthesea_spans(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    """Locate underthesea's words inside ``text[start:end]``."""
    chunk = text[start:end]
    if not _HAS_WORD.search(chunk):
        return []
    spans: List[Tuple[int, int]] = []
    cursor = start
    for word in word_tokenize(chunk, use_token_normalize=False):
        if not _HAS_WORD.search(word):
            continue
        positions = []
        for syllable in word.split():
            found = text.find(syllable, cursor, end)
            if found < 0:
                positions = []
                break
            positions.append((found, found + len(syllable)))
            cursor = found + len(syllable)
        if positions:
            spans.append(_trim(text, positions[0][0], positions[-1][1]))
    return spans


def _trim(text: str, start: int, end: int) -> Tuple[int, int]:
    """Shrink a span to its first and last word character (drops stray markup)."""
    inner = [m.span() for m in _WORD.finditer(text, start, end)]
    return (inner[0][0], inner[-1][1]) if inner else (start, end)


def _fill_gaps(text: str, spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Add any run of word characters no span covers, so nothing typed is lost."""
    inside = [s for s in spans if s[1] <= len(text)]
    covered = bytearray(len(text))
    for start, end in inside:
        covered[start:end] = b"\x01" * (end - start)
    extra = [(m.start(), m.end()) for m in _WORD.finditer(text) if not any(covered[m.start() : m.end()])]
    return sorted(set(inside + extra))
