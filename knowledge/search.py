"""Find which procedure a message is about, from names and aliases.

Matching happens on folded, shorthand-expanded syllables, so "lam cccd",
"làm căn cước công dân" and "lm cccd" meet the same alias. Each alias is
scored by how much of it (weighted by how specific each syllable is) the
message contains; a small typo in a longer syllable still counts. Aliases are
read from the knowledge files, so a new alias works as soon as the knowledge
base is reloaded: no retraining.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Dict, Iterable, List, Sequence, Tuple

from knowledge.schema import Procedure
from knowledge.shorthand import Shorthand
from knowledge.vntext import syllables

# Words citizens put around any procedure name; they say nothing about which one.
_FILLER = frozenset("thu tuc lam xin cho toi minh em hoi ve can muon giup".split())
_TYPO_MIN_LEN = 5
_TYPO_RATIO = 0.85
_MAX_GAP = 2  # words allowed between two words of one alias ("đăng ký [cho con] khai sinh")
MAX_QUERY_WORDS = 80  # a procedure is named early; long pastes are not searched to the end

EXACT = 0.9  # an alias found word for word
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


@dataclass(frozen=True)
class _Phrase:
    procedure_id: str
    text: str
    words: Tuple[str, ...]


class ProcedureIndex:
    """Search over the names and aliases of a set of procedures."""

    def __init__(self, procedures: Iterable[Procedure], shorthand: Shorthand):
        self._shorthand = shorthand
        self._phrases: List[_Phrase] = []
        doc_freq: Dict[str, int] = {}
        count = 0
        for proc in procedures:
            count += 1
            seen: set = set()
            for text in (proc.name, *proc.aliases):
                words = tuple(self.words(text))
                if words:
                    self._phrases.append(_Phrase(proc.id, text, words))
                    seen.update(words)
            for word in seen:
                doc_freq[word] = doc_freq.get(word, 0) + 1
        self._idf = {w: math.log(1 + count / df) for w, df in doc_freq.items()}
        self._default_idf = math.log(1 + max(count, 1))

    def words(self, text: str) -> List[str]:
        """Folded, shorthand-expanded syllables of ``text``."""
        return self._shorthand.expand_folded(syllables(text))

    def _weight(self, word: str) -> float:
        if word in _FILLER:
            return 0.1
        return self._idf.get(word, self._default_idf)

    def _phrase_score(self, query: Sequence[str], phrase: _Phrase) -> Tuple[float, bool]:
        """Weighted share of the phrase found in the query, in order and close together.

        Order matters in Vietnamese: "mất căn cước" (lost the card) is not
        "căn cước ... mất bao lâu" (how long does the card take).
        """
        weights = [self._weight(w) for w in phrase.words]
        total = sum(weights)
        # A lone syllable of a longer alias proves little ("đâu" is not "lần đầu").
        needed = min(2, len(phrase.words))
        # best[i][j]: (weight, words) of the best in-order chain ending with phrase word i at query position j.
        best: List[Dict[int, Tuple[float, int]]] = []
        top = 0.0
        for i, word in enumerate(phrase.words):
            row: Dict[int, Tuple[float, int]] = {}
            for j, q in enumerate(query):
                credit = _word_match(word, q)
                if not credit:
                    continue
                before = max(
                    (best[k][p] for k in range(i) for p in range(max(0, j - 1 - _MAX_GAP), j) if p in best[k]),
                    default=(0.0, 0),
                )
                row[j] = (before[0] + weights[i] * credit, before[1] + 1)
                if row[j][1] >= needed:
                    top = max(top, row[j][0])
            best.append(row)
        coverage = top / total if total else 0.0
        if _contains(query, phrase.words):
            # Named word for word: longer aliases are more specific.
            return min(1.0, EXACT + 0.02 * len(phrase.words)), True
        return PARTIAL * coverage, False

    def search(self, text: str, limit: int = 4) -> List[Match]:
        """Best matching procedures, best first, at most one entry each."""
        query = self.words(text)[:MAX_QUERY_WORDS]
        if not query:
            return []
        best: Dict[str, Match] = {}
        for phrase in self._phrases:
            score, exact = self._phrase_score(query, phrase)
            current = best.get(phrase.procedure_id)
            if current is None or score > current.score:
                best[phrase.procedure_id] = Match(
                    phrase.procedure_id, round(score, 4), phrase.text, phrase.words, exact
                )
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.procedure_id))
        return [m for m in ranked[:limit] if m.score > 0]


def _word_match(word: str, typed: str) -> float:
    """1 for the same syllable; a little less for a near miss in a long one (typo)."""
    if word == typed:
        return 1.0
    if len(word) < _TYPO_MIN_LEN or len(typed) < _TYPO_MIN_LEN - 1 or word[0] != typed[0]:
        return 0.0
    ratio = SequenceMatcher(None, word, typed).ratio()
    return ratio if ratio >= _TYPO_RATIO else 0.0


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
    if not candidates:
        return Resolution(None, ())
    top = candidates[0]
    rivals = [m for m in candidates[1:] if top.score - m.score < MARGIN]
    if top.score >= CONFIDENT and all(_subsumed(m, top) for m in rivals):
        return Resolution(top, (top,))
    close = tuple(m for m in candidates if top.score - m.score < 2 * MARGIN)
    return Resolution(None, close[:limit])


def _subsumed(rival: Match, winner: Match) -> bool:
    """The rival's alias is a strict part of the winner's, both named word for word."""
    return (
        rival.exact
        and winner.exact
        and len(rival.words) < len(winner.words)
        and _contains(winner.words, rival.words)
    )
