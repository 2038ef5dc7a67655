"""Questions the bot could not answer, grouped by similar wording, most frequent first.

Staff review groups, not single messages: "lam so do o dau", "làm sổ đỏ ở
đâu?" and "sổ đỏ làm ở đâu ạ" are one group. Wording is compared on folded,
shorthand-expanded syllables without question filler, by Jaccard overlap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Sequence

from knowledge.base import KnowledgeBase
from knowledge.shorthand import Shorthand
from knowledge.vntext import syllables
from records.events import BotEvent

SIMILAR = 0.5
# Below this a search hit is a coincidence of common words, not a suggestion.
SUGGEST_SCORE = 0.6
# Words that make a question a question but say nothing about what was asked.
FILLER = frozenset(
    "a ah cho toi minh em anh chi ban ad oi voi nhe nha di duoc khong co la gi nao the thi sao nhu "
    "vay ve can muon hoi xin giup lam o dau bao nhieu lau het may".split()
)


def signature(text: str, shorthand: Shorthand) -> FrozenSet[str]:
    """The content words of a question; the filler too when there is nothing else."""
    words = shorthand.expand_folded(syllables(text))
    content = frozenset(w for w in words if w not in FILLER)
    return content or frozenset(words)


def similarity(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class QuestionGroup:
    """Similar questions and what staff need to decide on them."""

    key: FrozenSet[str]
    events: List[BotEvent] = field(default_factory=list)
    suggested_procedure_id: str = ""

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def ids(self) -> List[int]:
        return [e.id for e in self.events]

    @property
    def wording(self) -> str:
        """The most frequent wording (the latest among equals)."""
        counts = Counter(e.text for e in self.events)
        return max(reversed(self.events), key=lambda e: counts[e.text]).text

    @property
    def examples(self) -> List[str]:
        seen: Dict[str, None] = {}
        for event in reversed(self.events):
            seen.setdefault(event.text, None)
        return list(seen)[:5]

    @property
    def kinds(self) -> Dict[str, int]:
        return dict(Counter(e.kind for e in self.events))

    @property
    def channels(self) -> List[str]:
        return sorted({e.channel for e in self.events if e.channel})

    @property
    def last_at(self) -> float:
        return max(e.at for e in self.events)


def group_questions(
    events: Iterable[BotEvent], shorthand: Shorthand, threshold: float = SIMILAR
) -> List[QuestionGroup]:
    """Greedy grouping, oldest first, against each group's first wording; biggest groups first.

    Only groups sharing a word with the question can reach the threshold, so each question is compared with
    those (found through a word index), in the order the groups were made: the same groups as comparing
    with every group, without the quadratic cost of thousands of unrelated questions.
    """
    groups: List[QuestionGroup] = []
    by_word: Dict[str, List[int]] = {}
    wordless: List[int] = []  # groups of messages without words (emoji): only similar to each other
    for event in sorted(events, key=lambda e: e.at):
        sig = signature(event.text, shorthand)
        candidates = sorted({i for w in sig for i in by_word.get(w, ())}) if sig else wordless
        best = max((groups[i] for i in candidates), key=lambda g: similarity(sig, g.key), default=None)
        if best is not None and similarity(sig, best.key) >= threshold:
            best.events.append(event)
            continue
        groups.append(QuestionGroup(sig, [event]))
        for word in sig:
            by_word.setdefault(word, []).append(len(groups) - 1)
        if not sig:
            wordless.append(len(groups) - 1)
    return sorted(groups, key=lambda g: (-g.count, -g.last_at))


def suggest_procedures(groups: Sequence[QuestionGroup], kb: KnowledgeBase) -> None:
    """Preselect a procedure: the one a 👎 was about, else the closest name in the knowledge base."""
    for group in groups:
        rated = Counter(e.procedure_id for e in group.events if e.procedure_id and kb.get(e.procedure_id))
        if rated:
            group.suggested_procedure_id = rated.most_common(1)[0][0]
            continue
        matches = kb.search(group.wording, limit=1)
        good = matches and matches[0].score >= SUGGEST_SCORE
        group.suggested_procedure_id = matches[0].procedure_id if good else ""
