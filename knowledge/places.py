"""Province and city names, read as one word: "a place".

A curated question's example place ("tôi thường trú ở Nghệ An nhưng đang làm việc ở Bình Dương") stands for any
place; as rare words, the names would otherwise outweigh the situation they illustrate, and a citizen writing
"hộ khẩu Hà Nội, đang làm ở Ninh Bình" would share none of them. The names live in ``place_names.yml`` (before
and after the 2025 merger); staff may add more.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Sequence, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from knowledge.paths import KNOWLEDGE_DIR
from knowledge.vntext import canonical, fold

logger = logging.getLogger(__name__)
DEFAULT_PATH = KNOWLEDGE_DIR / "place_names.yml"
# The word a place is read as (marked like no syllable, so it never meets a written word).
PLACE = "place_"


class Places:
    """The place names, as sequences of folded syllables."""

    def __init__(self, names: Sequence[str]):
        self._names: FrozenSet[Tuple[str, ...]] = frozenset(
            tuple(fold(canonical(n)).lower().replace("-", " ").split()) for n in names if str(n).strip())
        self._longest = max((len(n) for n in self._names), default=0)
        self._first = frozenset(n[0] for n in self._names)
        # Any name, each syllable maybe marked as a content word: one scan of the joined text in C before the loop.
        self._any = re.compile(r"(?<!\S)(?:" + "|".join(
            r"_?\s".join(re.escape(w) for w in n) + "_?" for n in sorted(self._names, key=len, reverse=True)
        ) + r")(?!\S)") if self._names else None

    @classmethod
    def from_file(cls, path: Path = DEFAULT_PATH) -> Places:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
        return cls([str(n) for n in data or []])

    def __len__(self) -> int:
        return len(self._names)

    def fold_in(self, words: Sequence[str]) -> List[str]:
        """``words`` (folded syllables, maybe ending in the content mark "_") with each place name as ``PLACE``;
        the longest name first ("thừa thiên huế" before "huế")."""
        return list(self._fold_in(tuple(words)))

    @lru_cache(maxsize=262144)  # noqa: B019 - one table per knowledge directory, kept for the process
    def _fold_in(self, words: Tuple[str, ...]) -> Tuple[str, ...]:
        if self._any is None or not self._any.search(" ".join(words)):  # most texts name no place
            return words
        out: List[str] = []
        i = 0
        while i < len(words):
            if words[i].rstrip("_") in self._first:
                for size in range(min(self._longest, len(words) - i), 0, -1):
                    if tuple(w.rstrip("_") for w in words[i:i + size]) in self._names:
                        out.append(PLACE)
                        i += size
                        break
                else:
                    out.append(words[i])
                    i += 1
            else:
                out.append(words[i])
                i += 1
        return tuple(out)


@lru_cache(maxsize=8)
def _load(path: str, stamp: float) -> Places:
    try:
        return Places.from_file(Path(path))
    except (OSError, ValueError, YAMLError) as exc:  # a broken file names no place; the bot keeps answering
        logger.warning("knowledge: %s is unreadable, no place names used: %s", Path(path).name, exc)
        return Places([])


def load_places(path: Path = DEFAULT_PATH) -> Places:
    """The place names of ``path``, read again when the file changes."""
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _load(str(path), stamp)
