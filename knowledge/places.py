"""Province and city names, read as one word: "a place".

A curated question's example place ("tôi thường trú ở Nghệ An nhưng đang làm việc ở Bình Dương") stands for any
place; as rare words, the names would otherwise outweigh the situation they illustrate, and a citizen writing
"hộ khẩu Hà Nội, đang làm ở Ninh Bình" would share none of them. The names live in ``place_names.yml`` (before
and after the 2025 merger); staff may add more.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Sequence, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from knowledge.paths import KNOWLEDGE_DIR
from knowledge.synonyms import Rewriter
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
        # The longest name first ("thừa thiên huế" before "huế"), whatever marks its syllables carry.
        self._rewriter = Rewriter({name: (PLACE,) for name in self._names}, plain=True)

    @classmethod
    def from_file(cls, path: Path = DEFAULT_PATH) -> Places:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
        return cls([str(n) for n in data or []])

    def __len__(self) -> int:
        return len(self._names)

    def fold_in(self, words: Sequence[str]) -> List[str]:
        """``words`` (folded syllables, maybe ending in the content mark "_") with each place name as ``PLACE``."""
        return self._rewriter.fold_in(words)


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
