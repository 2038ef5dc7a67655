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
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Sequence, Tuple

from knowledge.facts import fact_words, facts_asked
from knowledge.folk_names import FILE_NAME as FOLK_NAMES
from knowledge.folk_names import load_folk_names
from knowledge.loader import KnowledgeFileError, load_procedure, load_service_desk, procedure_files
from knowledge.national import INDEX, NationalRecords, load_national, overlay, procedure_id
from knowledge.passages import PassageIndex, name_words, procedure_passages, question_passages, words_of
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.places import Places, load_places
from knowledge.questions import QUESTIONS_DIR, Question, QuestionSet, load_questions, question_files
from knowledge.schema import Procedure, ServiceDesk
from knowledge.search import Match, ProcedureIndex
from knowledge.shorthand import Shorthand, load_shorthand
from knowledge.synonyms import Rewriter, load_synonyms
from knowledge.variants import Families, asked_variants

logger = logging.getLogger(__name__)

_Stamp = Tuple[float, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime, stat.st_size


class KnowledgeBase:
    """Procedures by id with a search index, reloaded when files change.

    Curated entries (``procedures/*.yml``) overlay the imported national records
    (``national/*.json``) they name by ``code``; a record no curated entry covers is
    served as it is. The records are re-read only when ``national/index.json``
    changes (the importer writes it last).
    """

    def __init__(self, root: Path = KNOWLEDGE_DIR, min_interval: float = 1.0):
        self.root = root
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._stamps: Dict[Path, _Stamp] = {}
        self._procedures: Dict[Path, Procedure] = {}
        self._national = NationalRecords(None, {})
        self._folk_names: Dict[str, List[str]] = {}
        self._by_id: Dict[str, Procedure] = {}
        self._desk: ServiceDesk | None = None
        self._index: ProcedureIndex | None = None
        self._families: Families | None = None
        self._serves: Dict[str, FrozenSet[str]] = {}
        self._leaves: Dict[str, FrozenSet[str]] = {}
        self._question_sets: Dict[Path, QuestionSet] = {}
        self._questions: Dict[str, Dict[str, Question]] = {}
        self._question_index: PassageIndex | None = None
        self._passage_index: PassageIndex | None = None
        self._names: Dict[str, frozenset] = {}
        self._derived: Dict[str, Any] = {}
        self._synonyms: Rewriter | None = None
        self._checked_at = 0.0
        self.refresh(force=True)

    @property
    def procedures(self) -> Dict[str, Procedure]:
        """Current procedures keyed by id."""
        self.refresh()
        return dict(self._by_id)

    @property
    def curated(self) -> Dict[str, Procedure]:
        """The curated entries as their files say, keyed by id (what the console edits)."""
        self.refresh()
        return {p.id: p for p in self._procedures.values()}

    def get(self, procedure_id: str | None) -> Procedure | None:
        """The procedure with this id, if known."""
        if not procedure_id:
            return None
        self.refresh()
        return self._by_id.get(procedure_id)

    def search(self, text: str, limit: int = 4, context: str | None = None) -> List[Match]:
        """Procedures named in ``text``, best first; each as the variant the words ask for.

        A match stands for its family (:mod:`knowledge.variants`): the domestic
        variant at the level that serves citizens, unless the message (``context``,
        by default ``text`` itself) asks for a variant ("với người Hàn Quốc", "lưu động").
        """
        self.refresh()
        assert self._index is not None and self._families is not None
        asked = asked_variants(context if context is not None else text)
        chosen: Dict[str, Match] = {}
        for match in self._index.search(text, 2 * limit + 4):
            pid = self._offered(match.procedure_id, asked)
            if pid is None:
                continue
            if pid != match.procedure_id:
                match = replace(match, procedure_id=pid)
            if pid not in chosen or match.score > chosen[pid].score:
                chosen[pid] = match
        ranked = sorted(chosen.values(), key=lambda m: (-m.score, m.procedure_id))
        return ranked[:limit]

    def derived(self, key: str, build: Callable[[Dict[str, Procedure]], Any]) -> Any:
        """``build(procedures)``, computed once per load of the knowledge base under ``key``."""
        self.refresh()
        if key not in self._derived:
            self._derived[key] = build(self._by_id)
        return self._derived[key]

    def offered(self, procedure_id: str, text: str) -> str | None:
        """The procedure as :meth:`search` offers it for ``text``: the variant of its family the words ask for, or
        None when it serves an audience the message does not name."""
        self.refresh()
        assert self._families is not None
        return self._offered(procedure_id, asked_variants(text))

    def _offered(self, procedure_id: str, asked: FrozenSet[str]) -> str | None:
        assert self._families is not None
        pid = self._families.choose(procedure_id, asked)
        # A record for one audience only when the message names it, and then not the entry that leaves that
        # audience to it: "cấp lại thẻ bhyt" is the social insurance's, "công nhân công an ... mất thẻ bhyt" the
        # police's own record (its fee, its office).
        if pid in self._serves and not self._serves[pid] & asked or self._leaves.get(pid, frozenset()) & asked:
            return None
        return pid

    def said_further(self, text: str, procedure_ids: Sequence[str]) -> Dict[str, FrozenSet[str]]:
        """What the message says of each close procedure beyond their shared names (``ProcedureIndex.said_further``)."""
        self.refresh()
        assert self._index is not None
        return self._index.said_further(text, procedure_ids)

    def member(self, procedure_id: str, text: str) -> str:
        """The member of the procedure's family that ``text`` asks for, as :meth:`search` reads a match."""
        self.refresh()
        assert self._families is not None
        return self._families.choose(procedure_id, asked_variants(text))

    def questions(self, procedure_id: str | None) -> List[Question]:
        """The curated situational questions of a procedure (by any id that reaches it)."""
        proc = self.get(procedure_id)
        return list(self._questions.get(proc.id, {}).values()) if proc else []

    def with_questions(self) -> List[str]:
        """The ids of the procedures that have curated questions."""
        self.refresh()
        return list(self._questions)

    def question(self, procedure_id: str, question_id: str) -> Question | None:
        """One curated question of a procedure."""
        proc = self.get(procedure_id)
        return self._questions.get(proc.id, {}).get(question_id) if proc else None

    @property
    def question_index(self) -> PassageIndex:
        """BM25 over the phrasings of every curated question (rebuilt at each reload)."""
        self.refresh()
        assert self._question_index is not None
        return self._question_index

    @property
    def passage_index(self) -> PassageIndex:
        """BM25 over every condition, paper, step, channel, basis and note; built on first use after a reload."""
        self.refresh()
        with self._lock:
            if self._passage_index is None:
                served = {id(p): p for p in self._by_id.values()}.values()
                passages = [x for proc in served for x in procedure_passages(proc)]
                self._passage_index = PassageIndex(passages, self.shorthand, self._names, self.places,
                                                   self._synonyms)
            return self._passage_index

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
            changed |= self._reload_questions()
            changed |= self._reload_national()
            changed |= self._reload_folk_names()
            changed |= self._reload_shorthand()
            changed |= self._reload_places()
            changed |= self._touched(self.root / "synonyms.yml")
            if changed or self._index is None:
                self._rebuild()
            # The centre's hours and hotline are read as they are: no index to rebuild for them.
            changed |= self._reload_desk()
        return changed

    @property
    def snapshot(self) -> date | None:
        """Date of the imported national records (``None`` without them)."""
        return self._national.snapshot

    def serve(self, curated: Procedure) -> Procedure:
        """What the bot answers from a curated entry: overlaid on its record, with the folk names of its code."""
        self.refresh()
        return self._serve(curated)

    def _serve(self, curated: Procedure) -> Procedure:
        record = self._national.by_code.get(curated.code) if curated.code else None
        proc = overlay(curated, record) if record is not None else curated
        if curated.code in self._folk_names:
            proc = proc.copy(update={"aliases": [*proc.aliases, *self._folk_names[curated.code]]})
        return proc

    def _rebuild(self) -> None:
        self._derived = {}
        by_id: Dict[str, Procedure] = {}
        served: List[Procedure] = []
        covered = set()
        record_names: Dict[str, List[str]] = {}
        # The records that serve one audience alone, and the entries that leave an audience to its records.
        serves: Dict[str, FrozenSet[str]] = {}
        leaves: Dict[str, FrozenSet[str]] = {}
        for curated in self._procedures.values():
            proc = self._serve(curated)
            for records in curated.audiences:
                audience = records.audience.value
                leaves[curated.id] = leaves.get(curated.id, frozenset()) | {audience}
                for code in records.codes:
                    record = self._national.by_code.get(code)
                    if record is not None:
                        serves[record.id] = serves.get(record.id, frozenset()) | {audience}
            # The records an entry stands for are not offered on their own: a button or slot naming one
            # reaches the entry, and their names (other levels) belong to the entry's family.
            for code in filter(None, [curated.code, *curated.codes]):
                record = self._national.by_code.get(code)
                if record is not None:
                    covered.add(code)
                    by_id[record.id] = proc
                    record_names.setdefault(curated.id, []).append(record.name)
            by_id[proc.id] = proc
            served.append(proc)
        for record in self._national.by_code.values():
            if record.code not in covered:
                if record.code in self._folk_names:
                    record = record.copy(update={"aliases": [*record.aliases, *self._folk_names[record.code]]})
                by_id[record.id] = record
                served.append(record)
        self._by_id = by_id
        shorthand = self.shorthand
        self._index = ProcedureIndex(served, shorthand)
        self._families = Families(served, record_names)
        self._serves, self._leaves = serves, leaves
        self._synonyms = load_synonyms(self.root / "synonyms.yml").reader(lambda text: words_of(text, shorthand))
        self._names = {p.id: name_words(p, shorthand, self._synonyms) for p in served}
        self._questions = {}
        for path, question_set in self._question_sets.items():
            key = procedure_id(question_set.code) if question_set.code else question_set.procedure
            proc = by_id.get(key)
            if proc is None:
                logger.warning("knowledge: %s names no known procedure; its questions are not served", path.name)
                continue
            self._questions.setdefault(proc.id, {}).update({q.id: q for q in question_set.questions})
        self._question_index = PassageIndex(
            [p for pid, qs in self._questions.items() for p in question_passages(pid, qs.values(), self._asks)],
            shorthand,
            self._names,
            self.places,
            self._synonyms,
        )
        self._passage_index = None

    def _asks(self, question: Question) -> Tuple[str, ...]:
        """The facts a curated question asks (its validity, a deadline, a duration), read from all its phrasings:
        one may put the fact in words ("mấy tháng") where another is a stub ("thời gian hưởng trợ cấp")."""
        return fact_words(facts_asked(self.shorthand, " ; ".join(question.phrasings)))

    def _reload_folk_names(self) -> bool:
        path = self.root / FOLK_NAMES
        stamp = _stamp(path)
        if self._stamps.get(path) == stamp:
            return False
        self._stamps[path] = stamp
        try:
            self._folk_names = load_folk_names(path)
        except KnowledgeFileError as exc:
            logger.warning("knowledge: keeping the last good folk names: %s", exc)
        return True

    def _reload_national(self) -> bool:
        path = self.root / "national" / INDEX
        stamp = _stamp(path)
        if self._stamps.get(path) == stamp:
            return False
        if stamp is None:
            self._stamps.pop(path, None)
            self._national = NationalRecords(None, {})
            return True
        self._stamps[path] = stamp
        try:
            self._national = load_national(path.parent)
            logger.info("knowledge: loaded %d national records", len(self._national.by_code))
        except (OSError, ValueError) as exc:
            logger.warning("knowledge: keeping the last good national records: %s", exc)
        return True

    @property
    def shorthand(self) -> Shorthand:
        """The shorthand table that goes with this knowledge directory."""
        return load_shorthand(self._shorthand_path)

    @property
    def _shorthand_path(self) -> Path:
        return self.root / "shorthand.yml"

    def _reload_shorthand(self) -> bool:
        return self._touched(self._shorthand_path)

    def _touched(self, path: Path) -> bool:
        """Whether a file read on demand (shorthand, place names) changed since the last refresh."""
        stamp = _stamp(path)
        if self._stamps.get(path) == stamp:
            return False
        if stamp is not None:
            self._stamps[path] = stamp
        return True

    @property
    def places(self) -> Places:
        """The province and city names that go with this knowledge directory."""
        return load_places(self.root / "place_names.yml")

    def _reload_places(self) -> bool:
        return self._touched(self.root / "place_names.yml")

    def _reload_files(self, files: List[Path], loaded: Dict[Path, Any], load: Callable[[Path], Any]) -> bool:
        """Re-read the changed files of one kind into ``loaded``; a broken file keeps its last good version."""
        changed = False
        for gone in set(loaded) - set(files):
            logger.info("knowledge: file removed: %s", gone.name)
            del loaded[gone]
            self._stamps.pop(gone, None)
            changed = True
        for path in files:
            stamp = _stamp(path)
            if stamp is None or self._stamps.get(path) == stamp:
                continue
            self._stamps[path] = stamp
            try:
                loaded[path] = load(path)
                changed = True
                logger.info("knowledge: loaded %s", path.name)
            except KnowledgeFileError as exc:
                logger.warning("knowledge: keeping last good version of %s: %s", path.name, exc)
        return changed

    def _reload_procedures(self) -> bool:
        return self._reload_files(procedure_files(self.root / "procedures"), self._procedures, load_procedure)

    def _reload_questions(self) -> bool:
        return self._reload_files(question_files(self.root / QUESTIONS_DIR), self._question_sets, load_questions)

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
