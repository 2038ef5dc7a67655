"""Chat shorthand (ko, dc, bn, lltp ...) expanded to the words it stands for.

The table lives in ``shorthand.yml`` so staff can extend it. Keys are compared
in folded lower case, so ``đk`` and ``dk`` are the same entry. For the
knowledge base's searches (``full``, ``expand_folded``) an age glued to its
unit is written out too: "24t" is "24 tuổi" ("t7" stays: Saturday or July).
The NLU's lemmas (``full_form``) keep it as typed, as the model was trained.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Sequence

from ruamel.yaml import YAML

from knowledge.paths import KNOWLEDGE_DIR
from knowledge.vntext import canonical, fold

DEFAULT_PATH = KNOWLEDGE_DIR / "shorthand.yml"

# "e 24t mới làm cccd": an age as citizens type it.
_AGE = re.compile(r"(\d{1,3})t")


def _numbered(word: str) -> str | None:
    """The full form of an age glued to its unit ("24t": "24 tuổi"), else None."""
    m = _AGE.fullmatch(word)
    return f"{m.group(1)} tuổi" if m else None


class Shorthand:
    """Lookup from a typed word to its full form."""

    def __init__(self, table: Mapping[str, str]):
        self._full: Dict[str, str] = {}
        for short, full in table.items():
            self._full[fold(canonical(str(short))).lower()] = canonical(str(full))

    @classmethod
    def from_file(cls, path: Path = DEFAULT_PATH) -> Shorthand:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        return cls({str(k): str(v) for k, v in data.items()})

    def full_form(self, word: str) -> str | None:
        """The accented full form of ``word`` if it is shorthand."""
        return self._full.get(fold(canonical(word)).lower())

    def expand_folded(self, words: Sequence[str]) -> List[str]:
        """Replace shorthand in folded lower-case words by folded full forms."""
        out: List[str] = []
        for word in words:
            full = self._full.get(word) or _numbered(word)
            out.extend(fold(full).lower().split() if full else [word])
        return out

    def full(self, word: str) -> str | None:
        """The accented full form of a folded lower-case short form ("ko": "không"), or None."""
        return self._full.get(word) or _numbered(word)

    def items(self) -> List[tuple]:
        """(folded short form, accented full form) pairs."""
        return sorted(self._full.items())


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Shorthand:
    return Shorthand.from_file(Path(path))


def load_shorthand(path: Path = DEFAULT_PATH) -> Shorthand:
    """The shorthand table, re-read when the file changes."""
    return _cached(str(path), path.stat().st_mtime)
