"""The live knowledge base: procedures, search index and contact details.

Staff publish by editing YAML files; the running action server must serve the
new content within seconds, without a restart. :meth:`KnowledgeBase.refresh`
re-reads only what changed (checked at most every ``min_interval`` seconds),
and a file that no longer validates keeps its last good version so one typo
never takes a procedure away from citizens.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

from knowledge.loader import KnowledgeFileError, load_procedure, load_service_desk, procedure_files
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.schema import Procedure, ServiceDesk
from knowledge.search import Match, ProcedureIndex
from knowledge.shorthand import Shorthand, load_shorthand

logger = logging.getLogger(__name__)

_Stamp = Tuple[float, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime, stat.st_size


class KnowledgeBase:
    """Procedures by id with a search index, reloaded when files change."""

    def __init__(self, root: Path = KNOWLEDGE_DIR, min_interval: float = 1.0):
        self.root = root
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._stamps: Dict[Path, _Stamp] = {}
        self._procedures: Dict[Path, Procedure] = {}
        self._by_id: Dict[str, Procedure] = {}
        self._desk: ServiceDesk | None = None
        self._index: ProcedureIndex | None = None
        self._checked_at = 0.0
        self.refresh(force=True)

    @property
    def procedures(self) -> Dict[str, Procedure]:
        """Current procedures keyed by id."""
        self.refresh()
        return dict(self._by_id)

    def get(self, procedure_id: str | None) -> Procedure | None:
        """The procedure with this id, if known."""
        if not procedure_id:
            return None
        self.refresh()
        return self._by_id.get(procedure_id)

    def search(self, text: str, limit: int = 4) -> List[Match]:
        """Procedures named in ``text``, best first."""
        self.refresh()
        assert self._index is not None
        return self._index.search(text, limit)

    @property
    def service_desk(self) -> ServiceDesk:
        """Hotline and opening hours of the deploying centre."""
        self.refresh()
        assert self._desk is not None
        return self._desk

    def refresh(self, force: bool = False) -> bool:
        """Reload changed files; returns True when anything changed."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.min_interval:
            return False
        with self._lock:
            self._checked_at = now
            changed = self._reload_procedures()
            changed |= self._reload_desk()
            changed |= self._reload_shorthand()
            if changed or self._index is None:
                self._by_id = {p.id: p for p in self._procedures.values()}
                self._index = ProcedureIndex(self._procedures.values(), self.shorthand)
        return changed

    @property
    def shorthand(self) -> Shorthand:
        """The shorthand table that goes with this knowledge directory."""
        return load_shorthand(self._shorthand_path)

    @property
    def _shorthand_path(self) -> Path:
        return self.root / "shorthand.yml"

    def _reload_shorthand(self) -> bool:
        stamp = _stamp(self._shorthand_path)
        if self._stamps.get(self._shorthand_path) == stamp:
            return False
        if stamp is not None:
            self._stamps[self._shorthand_path] = stamp
        return True

    def _reload_procedures(self) -> bool:
        changed = False
        files = procedure_files(self.root / "procedures")
        for gone in set(self._procedures) - set(files):
            logger.info("knowledge: procedure file removed: %s", gone.name)
            del self._procedures[gone]
            self._stamps.pop(gone, None)
            changed = True
        for path in files:
            stamp = _stamp(path)
            if stamp is None or self._stamps.get(path) == stamp:
                continue
            self._stamps[path] = stamp
            try:
                self._procedures[path] = load_procedure(path)
                changed = True
                logger.info("knowledge: loaded %s", path.name)
            except KnowledgeFileError as exc:
                logger.warning("knowledge: keeping last good version of %s: %s", path.name, exc)
        return changed

    def _reload_desk(self) -> bool:
        path = self.root / "service_desk.yml"
        stamp = _stamp(path)
        if stamp is None or self._stamps.get(path) == stamp:
            if self._desk is None:
                raise FileNotFoundError(path)
            return False
        self._stamps[path] = stamp
        try:
            self._desk = load_service_desk(path)
        except KnowledgeFileError as exc:
            if self._desk is None:
                raise
            logger.warning("knowledge: keeping last good service desk details: %s", exc)
        return True
