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
_TYPO_MIN_LEN = 4
_TYPO_RATIO = 0.8

CONFIDENT = 0.75
CANDIDATE = 0.45
MARGIN = 0.12


@dataclass(frozen=True)
class Match:
    """A procedure with how well the message names it (0..1)."""

    procedure_id: str
    score: float
    phrase: str


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

    def _phrase_score(self, query: Sequence[str], query_set: frozenset, phrase: _Phrase) -> float:
        total = matched = 0.0
        for word in phrase.words:
            weight = self._weight(word)
            total += weight
            if word in query_set:
                matched += weight
            elif len(word) >= _TYPO_MIN_LEN:
                best = max((_similar(word, q) for q in query if len(q) >= _TYPO_MIN_LEN - 1), default=0.0)
                if best >= _TYPO_RATIO:
                    matched += weight * best
        coverage = matched / total if total else 0.0
        if _contains(query, phrase.words):
            return min(1.0, coverage + 0.02 * len(phrase.words))
        return 0.9 * coverage

    def search(self, text: str, limit: int = 4) -> List[Match]:
        """Best matching procedures, best first, at most one entry each."""
        query = self.words(text)
        if not query:
            return []
        query_set = frozenset(query)
        best: Dict[str, Match] = {}
        for phrase in self._phrases:
            score = self._phrase_score(query, query_set, phrase)
            current = best.get(phrase.procedure_id)
            if current is None or score > current.score:
                best[phrase.procedure_id] = Match(phrase.procedure_id, round(score, 4), phrase.text)
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.procedure_id))
        return [m for m in ranked[:limit] if m.score > 0]


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class Resolution:
    """What a message says about the procedure: one, a few, or none."""

    confident: Match | None
    candidates: Tuple[Match, ...]


def resolve(matches: Sequence[Match], limit: int = 4) -> Resolution:
    """Decide whether the best match is clear enough to answer without asking."""
    candidates = tuple(m for m in matches if m.score >= CANDIDATE)
    if candidates:
        top = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        if top.score >= CONFIDENT and top.score - runner_up >= MARGIN:
            return Resolution(top, (top,))
        close = tuple(m for m in candidates if top.score - m.score < MARGIN * 2)
        return Resolution(None, close[:limit])
    return Resolution(None, ())
