"""Words citizens and the records use for the same thing, read as one.

"Tham gia BHXH 8 tháng có được hưởng thai sản không" asks what the curated question "tôi đã đóng bảo hiểm xã hội
từ đủ 6 tháng ..." answers, but shares neither "tham gia" with "đóng" nor "có bầu" with "mang thai". Each group
of ``synonyms.yml`` lists phrases that mean one thing in a public-service question; every phrase of a group is
read as the group's first phrase, in the curated questions, the records' passages and the message alike. Staff
may add groups; no retraining is needed.

Only what means the same in every public-service sentence belongs here: "mất" (lost, or died) does not.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from knowledge.paths import KNOWLEDGE_DIR
from knowledge.vntext import fold

logger = logging.getLogger(__name__)
DEFAULT_PATH = KNOWLEDGE_DIR / "synonyms.yml"
CACHE_SIZE = 262144


def _plain(words: Sequence[str]) -> Tuple[str, ...]:
    return tuple(w.rstrip("_") for w in words)


class Synonyms:
    """The groups of ``synonyms.yml``, as written (each a list of phrases, the first the one they are read as)."""

    def __init__(self, groups: Sequence[Sequence[str]]):
        self.groups: Tuple[Tuple[str, ...], ...] = tuple(
            tuple(str(p).strip() for p in g if str(p).strip()) for g in groups if g)
        self.groups = tuple(g for g in self.groups if len(g) >= 2)

    @classmethod
    def from_file(cls, path: Path = DEFAULT_PATH) -> Synonyms:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
        if data is not None and not isinstance(data, list):
            raise ValueError("synonyms.yml must be a list of groups")
        return cls([[str(p) for p in g] if isinstance(g, list) else [] for g in data or []])

    def __len__(self) -> int:
        return len(self.groups)

    def reader(self, tokenize: Callable[[str], Sequence[str]]) -> Rewriter:
        """The groups as syllables, in the form ``tokenize`` gives both texts and phrases."""
        table: Dict[Tuple[str, ...], Tuple[str, ...]] = {}
        for group in self.groups:
            target = tuple(tokenize(group[0]))
            # The first phrase written without marks is read as written with them, as the others are: "thi lai" is
            # "thi lại" (a test taken again), where "thi" alone would be "thì".
            if len(target) > 1 and _plain(target) != target:
                table.setdefault(_plain(target), target)
            for phrase in group[1:]:
                words = tuple(tokenize(phrase))
                if not words or words == target:
                    continue
                table.setdefault(words, target)
                # Written without marks, a phrase of several syllables still says the same ("bia do" is "bìa đỏ");
                # one syllable alone does not ("de" is "để" more often than "đẻ").
                if len(words) > 1:
                    table.setdefault(_plain(words), target)
        return Rewriter(table)


class Rewriter:
    """Rewrites folded syllables: each phrase of the table, longest first, as its target.

    ``plain``: a phrase matches whatever marks its syllables carry (the content mark "_" ignored), as place names
    do; otherwise only as tokenized, plus the unmarked forms the table lists."""

    def __init__(self, table: Dict[Tuple[str, ...], Tuple[str, ...]], plain: bool = False):
        self._table = table
        self._plain = plain
        self._first = frozenset(k[0] for k in table)
        self._longest = max((len(k) for k in table), default=0)
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._rewrite)

    def __len__(self) -> int:
        return len(self._table)

    def fold_in(self, words: Sequence[str]) -> List[str]:
        return list(self._cached(tuple(words))) if self._table else list(words)

    def _rewrite(self, words: Tuple[str, ...]) -> Tuple[str, ...]:
        keys = _plain(words) if self._plain else words
        if self._first.isdisjoint(keys):
            return words
        out: List[str] = []
        i = 0
        while i < len(words):
            if keys[i] in self._first:
                for size in range(min(self._longest, len(words) - i), 0, -1):
                    target = self._table.get(keys[i:i + size])
                    if target is not None:
                        out.extend(target)
                        i += size
                        break
                else:
                    out.append(words[i])
                    i += 1
            else:
                out.append(words[i])
                i += 1
        return tuple(out)


def problems_of(path: Path = DEFAULT_PATH) -> Tuple[List[str], List[str]]:
    """(problems, warnings) of a synonyms file, in plain Vietnamese, for ``make kb-check``."""
    if not path.exists():
        return [], []
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError):
        return ["sai cú pháp YAML; mỗi nhóm là một dòng dạng - [cách nói chính, cách nói khác]"], []
    if data is None:
        return [], []
    if not isinstance(data, list):
        return ["tệp phải là một danh sách các nhóm, mỗi nhóm một dòng - [cách nói chính, cách nói khác]"], []
    problems: List[str] = []
    warnings: List[str] = []
    seen: Dict[str, int] = {}
    for number, group in enumerate(data, 1):
        phrases = [str(p).strip() for p in group if str(p).strip()] if isinstance(group, list) else []
        if len(phrases) < 2:
            problems.append(f"nhóm thứ {number} phải có ít nhất hai cách nói, viết trong ngoặc vuông")
            continue
        for phrase in phrases:
            key = " ".join(fold(phrase).lower().split())
            if seen.get(key, number) != number:
                warnings.append(f"“{phrase}” có trong cả nhóm thứ {seen[key]} và nhóm thứ {number}; "
                                "trợ lý dùng nhóm đứng trước")
            seen.setdefault(key, number)
    return problems, warnings


@lru_cache(maxsize=8)
def _load(path: str, stamp: float) -> Synonyms:
    try:
        return Synonyms.from_file(Path(path))
    except (OSError, ValueError, YAMLError) as exc:  # a broken file reads every word as written
        logger.warning("knowledge: %s is unreadable, no synonyms used: %s", Path(path).name, exc)
        return Synonyms([])


def load_synonyms(path: Path = DEFAULT_PATH) -> Synonyms:
    """The groups of ``path``, read again when the file changes."""
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _load(str(path), stamp)
