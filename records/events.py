"""What the bot did, one row per answered or unanswered turn, for staff to learn from.

The action server records every procedure answer, fallback, unresolved
procedure, 👍/👎 and dossier lookup with its time and channel. Question text
is stored only after phone, ID and dossier numbers are masked. The console
reads the same table (``CONSOLE_DB_URL``, SQLite ``var/console.sqlite3`` by
default, PostgreSQL in production) to group what went unanswered and to
compute its figures, so nothing is typed in by hand. A conversation has a budget
of events per hour (``RATE_BUDGETS``, counted per process): past it, a flood
of junk or 👎 from one conversation is dropped rather than stored.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.engine import Engine

from records.database import make_engine
from records.privacy import mask_text

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'var' / 'console.sqlite3'}"
MAX_TEXT = 500

ANSWER = "answer"
FALLBACK = "fallback"
UNRESOLVED = "unresolved"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
DOSSIER_LOOKUP = "dossier_lookup"
KINDS = (ANSWER, FALLBACK, UNRESOLVED, FEEDBACK_UP, FEEDBACK_DOWN, DOSSIER_LOOKUP)
# What staff review: questions the bot could not answer, and answers citizens disliked.
UNANSWERED_KINDS = (FALLBACK, UNRESOLVED, FEEDBACK_DOWN)

OPEN, ALIASED, DISMISSED, ANSWERED = "open", "aliased", "dismissed", "answered"

metadata = MetaData()
bot_events = Table(
    "bot_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", String(32), nullable=False, default=""),
    Column("procedure_id", String(120), nullable=False, default=""),
    Column("aspect", String(16), nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("status", String(12), nullable=False, default=OPEN),
    Index("ix_bot_events_kind_at", "kind", "at"),
)


# The reply an answer event gave (masked), so that officers can judge it in the review queue.
bot_replies = Table(
    "bot_replies", metadata,
    Column("event_id", Integer, primary_key=True),
    Column("reply", Text, nullable=False, default=""),
)
MAX_REPLY = 4000


# How many events of a kind one conversation may record per window. A citizen asks a few questions an hour; a
# script flooding one conversation with junk or 👎 must not fill the table or skew the figures. Unanswered
# questions and ratings share a budget (both are what staff review); answers and lookups have their own.
RATE_WINDOW = 3600.0
RATE_BUDGETS: Dict[str, Tuple[str, int]] = {
    FALLBACK: ("review", 30), UNRESOLVED: ("review", 30), FEEDBACK_UP: ("review", 30), FEEDBACK_DOWN: ("review", 30),
    ANSWER: ("answer", 120), DOSSIER_LOOKUP: ("lookup", 60),
}
MAX_TRACKED = 10_000  # conversations remembered at once; the least recently seen is forgotten first


def events_db_url() -> str:
    return os.environ.get("CONSOLE_DB_URL") or DEFAULT_DB_URL


@dataclass(frozen=True)
class BotEvent:
    id: int
    at: float
    kind: str
    channel: str
    procedure_id: str
    aspect: str
    text: str
    status: str


def clean_text(text: str | None) -> str:
    """Masked, single-line and bounded: safe to store and to show."""
    flat = " ".join((text or "").split())
    return mask_text(flat)[:MAX_TEXT]


class RateCap:
    """How many events each conversation recorded in its current window, per budget.

    Per process: the table has no conversation column, so the count lives in memory, keyed by a hash of the
    conversation id (ids are not kept), bounded to ``max_tracked`` conversations and reset each ``window``
    seconds from a conversation's first event. Each action server process counts on its own, so with N
    processes a conversation may record up to N times the budget.
    """

    def __init__(self, budgets: Dict[str, Tuple[str, int]] = RATE_BUDGETS, window: float = RATE_WINDOW,
                 max_tracked: int = MAX_TRACKED, clock: Callable[[], float] = time.monotonic):
        self.budgets, self.window, self.max_tracked, self.clock = budgets, window, max_tracked, clock
        self._counts: OrderedDict[str, Tuple[float, int]] = OrderedDict()  # key -> (window start, events)
        self._lock = threading.Lock()

    def allow(self, conversation: str, kind: str) -> bool:
        """Count one event of ``kind`` for ``conversation``; False once its budget for the window is spent."""
        budget = self.budgets.get(kind)
        if budget is None:
            return True
        name, limit = budget
        key = hashlib.sha256(f"{name}\0{conversation}".encode()).hexdigest()[:32]
        now = self.clock()
        with self._lock:
            start, count = self._counts.pop(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            self._counts[key] = (start, min(count + 1, limit + 1))
            while len(self._counts) > self.max_tracked:
                self._counts.popitem(last=False)
        return count < limit

    def __len__(self) -> int:
        return len(self._counts)


class EventLog:
    """Append-only record of turns, plus the review status staff give unanswered ones."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.caps = RateCap()
        metadata.create_all(engine)

    def record(
        self, kind: str, channel: str | None = "", text: str | None = "",
        procedure_id: str | None = "", aspect: str | None = "", at: float | None = None, reply: str | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        with self.engine.begin() as conn:
            result = conn.execute(insert(bot_events).values(
                at=time.time() if at is None else at, kind=kind, channel=(channel or "")[:32],
                procedure_id=(procedure_id or "")[:120], aspect=(aspect or "")[:16], text=clean_text(text),
                status=OPEN,
            ))
            if reply:
                conn.execute(insert(bot_replies).values(
                    event_id=result.inserted_primary_key[0], reply=mask_text(reply)[:MAX_REPLY]))

    def events(self, since: float = 0.0, kinds: Sequence[str] = KINDS) -> List[BotEvent]:
        query = select(bot_events).where(bot_events.c.at >= since, bot_events.c.kind.in_(list(kinds)))
        with self.engine.connect() as conn:
            return [BotEvent(**row._mapping) for row in conn.execute(query.order_by(bot_events.c.at))]

    def unanswered(self, status: str = OPEN, limit: int | None = None) -> List[BotEvent]:
        """Fallbacks, unresolved procedures and 👎 still waiting for a decision, oldest first (the newest
        ``limit`` of them when given)."""
        query = select(bot_events).where(
            bot_events.c.kind.in_(list(UNANSWERED_KINDS)), bot_events.c.status == status,
        )
        if limit is not None:
            query = query.order_by(bot_events.c.at.desc(), bot_events.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = [BotEvent(**row._mapping) for row in conn.execute(query)]
        return sorted(rows, key=lambda e: (e.at, e.id))

    def set_status(self, ids: Iterable[int], status: str) -> int:
        """Mark reviewed questions; returns how many were still open."""
        wanted = [int(i) for i in ids]
        if not wanted or status not in (OPEN, ALIASED, DISMISSED, ANSWERED):
            return 0
        with self.engine.begin() as conn:
            result = conn.execute(update(bot_events).where(
                bot_events.c.id.in_(wanted), bot_events.c.kind.in_(list(UNANSWERED_KINDS)),
                bot_events.c.status == OPEN,
            ).values(status=status))
            return result.rowcount or 0


_shared: EventLog | None = None


def event_log() -> EventLog:
    """The action server's one event log."""
    global _shared
    if _shared is None:
        _shared = EventLog(make_engine(events_db_url()))
    return _shared


def record_quietly(kind: str, conversation: str | None = None, **fields: object) -> None:
    """Record, but never let bookkeeping break a citizen's answer; past the conversation's budget for the
    hour (``RATE_BUDGETS``), drop the event with a debug line."""
    try:
        log = event_log()
        if conversation is not None and not log.caps.allow(conversation, kind):
            logger.debug("a conversation is over its %s budget: event not recorded", kind)
            return
        log.record(kind, **fields)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a full disk or a locked database must not cost the reply
        logger.warning("could not record a %s event", kind, exc_info=True)
