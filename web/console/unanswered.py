"""Questions the bot could not answer, grouped by similar wording, most frequent first.

Staff review groups, not single messages: "lam so do o dau", "làm sổ đỏ ở
đâu?" and "sổ đỏ làm ở đâu ạ" are one group. Wording is compared on folded,
shorthand-expanded syllables without question filler, by Jaccard overlap.

The page groups in the request, so its cost is bounded whatever the table
holds: only the newest ``MAX_EVENTS`` open questions are grouped, each is
compared with a bounded number of groups, and groups are shown a page at a time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Sequence, Tuple

from knowledge.base import KnowledgeBase
from knowledge.shorthand import Shorthand
from knowledge.vntext import syllables
from records.events import BotEvent, EventLog

SIMILAR = 0.5
# Below this a search hit is a coincidence of common words, not a suggestion.
SUGGEST_SCORE = 0.6
# Words that make a question a question but say nothing about what was asked.
FILLER = frozenset(
    "a ah cho toi minh em anh chi ban ad oi voi nhe nha di duoc khong co la gi nao the thi sao nhu "
    "vay ve can muon hoi xin giup lam o dau bao nhieu lau het may".split()
)
# Only the newest open questions are grouped: a flood of junk cannot make the page slow, and what was asked
# lately is what staff need first (older ones come up once these are dealt with).
MAX_EVENTS = 3000
PAGE_SIZE = 50
# A word shared by more groups than this says little about which group a question belongs to: through it a
# question is compared with the newest groups only, and with at most MAX_CANDIDATES groups in all, so that junk
# sharing common words cannot make grouping quadratic. Real questions never reach these bounds.
MAX_POSTINGS = 32
MAX_CANDIDATES = 64
# What a question is about is said in its first words; reading whole 500-character messages would let long junk
# make grouping slow (folding costs about a microsecond a character).
GROUP_CHARS = 120


def signature(text: str, shorthand: Shorthand) -> FrozenSet[str]:
    """The content words of a question; the filler too when there is nothing else."""
    words = shorthand.expand_folded(syllables(text))
    content = frozenset(w for w in words if w not in FILLER)
    return content or frozenset(words)


def head(text: str, limit: int = GROUP_CHARS) -> str:
    """The start of a question that grouping reads: at most ``limit`` characters, cut between words."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    return cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]


def similarity(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)  # the union's size without building it: this runs for every candidate group
    return shared / (len(a) + len(b) - shared)


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


def _candidates(sig: FrozenSet[str], by_word: Dict[str, List[int]], threshold: float) -> List[int]:
    """The groups (by index, oldest first) that a question with words ``sig`` could reach ``threshold`` with.

    A group at Jaccard ``t`` or more holds at least ceil(t·n) of the question's n words, so it holds one of
    any n - ceil(t·n) + 1 of them: only that many words are looked up, the rarest first. Each word brings
    its MAX_POSTINGS newest groups, and the lookup stops past MAX_CANDIDATES groups.
    """
    needed = max(math.ceil(threshold * len(sig) - 1e-9), 0)  # 0.6 × 5 is 3.0000000000000004
    probe = sorted(sig, key=lambda w: (len(by_word.get(w, ())), w))[:len(sig) - needed + 1]
    found: set[int] = set()
    for word in probe:
        found.update(by_word.get(word, ())[-MAX_POSTINGS:])
        if len(found) >= MAX_CANDIDATES:
            break
    return sorted(found)


def _closest(sig: FrozenSet[str], candidates: List[QuestionGroup]) -> QuestionGroup | None:
    """The most similar group, the first made among equals."""
    best, best_score = None, -1.0
    for group in candidates:
        score = similarity(sig, group.key)
        if score > best_score:
            best, best_score = group, score
    return best


def group_questions(
    events: Iterable[BotEvent], shorthand: Shorthand, threshold: float = SIMILAR
) -> List[QuestionGroup]:
    """Greedy grouping, oldest first, against each group's first wording; biggest groups first.

    Only groups sharing enough words with the question can reach the threshold, so each question is compared
    with those (found through a word index), in the order the groups were made: the same groups as comparing
    with every group, without the quadratic cost of thousands of unrelated questions. Junk repeating common
    words is compared with a bounded number of groups (see ``_candidates``).
    """
    groups: List[QuestionGroup] = []
    by_word: Dict[str, List[int]] = {}
    wordless: List[int] = []  # groups of messages without words (emoji): only similar to each other
    for event in sorted(events, key=lambda e: e.at):
        sig = signature(head(event.text), shorthand)
        candidates = _candidates(sig, by_word, threshold) if sig else wordless
        best = _closest(sig, [groups[i] for i in candidates])
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
        matches = kb.search(head(group.wording), limit=1)
        good = matches and matches[0].score >= SUGGEST_SCORE
        group.suggested_procedure_id = matches[0].procedure_id if good else ""


def recent_questions(log: EventLog, limit: int = MAX_EVENTS) -> Tuple[List[BotEvent], bool]:
    """The newest ``limit`` open questions, oldest first, and whether older ones were left out."""
    events = log.unanswered(limit=max(limit, 1) + 1)
    return events[-max(limit, 1):], len(events) > limit


@dataclass
class GroupPage:
    """One page of groups, most asked first."""

    groups: List[QuestionGroup]
    total: int
    number: int
    pages: int
    size: int = PAGE_SIZE

    @property
    def first(self) -> int:
        """The 1-based rank of the page's first group (0 when there is none)."""
        return (self.number - 1) * self.size + 1 if self.groups else 0

    @property
    def last(self) -> int:
        return self.first + len(self.groups) - 1 if self.groups else 0


def page_number(raw: str | None) -> int:
    """``?page=N`` (1-based); anything else is the first page."""
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 1


def page_of(groups: Sequence[QuestionGroup], number: int, size: int = PAGE_SIZE) -> GroupPage:
    """Page ``number`` of ``groups``; a number past the end is the last page."""
    pages = max(1, math.ceil(len(groups) / size))
    number = min(max(number, 1), pages)
    start = (number - 1) * size
    return GroupPage(list(groups[start:start + size]), len(groups), number, pages, size)
