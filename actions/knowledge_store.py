"""The action server's one knowledge base, loaded when the server starts (actions.actions) and kept fresh."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from knowledge.base import KnowledgeBase
from knowledge.paths import KNOWLEDGE_DIR


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """Shared instance; it re-reads changed files at most once per ``KB_RELOAD_SECONDS``."""
    return KnowledgeBase(Path(KNOWLEDGE_DIR), min_interval=float(os.environ.get("KB_RELOAD_SECONDS", "1")))
