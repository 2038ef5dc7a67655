"""What the bot did, one row per answered or unanswered turn, for staff to learn from.

The action server records every procedure answer, fallback, unresolved
procedure, 👍/👎 and dossier lookup with its time and channel. Question text
is stored only after phone, ID and dossier numbers are masked. The console
reads the same table (``CONSOLE_DB_URL``, SQLite ``var/console.sqlite3`` by
default, PostgreSQL in production) to group what went unanswered and to
compute its figures, so nothing is typed in by hand.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Sequence

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


class EventLog:
    """Append-only record of turns, plus the review status staff give unanswered ones."""

    def __init__(self, engine: Engine):
        self.engine = engine
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

    def unanswered(self, status: str = OPEN) -> List[BotEvent]:
        """Fallbacks, unresolved procedures and 👎 still waiting for a decision."""
        query = select(bot_events).where(
            bot_events.c.kind.in_(list(UNANSWERED_KINDS)), bot_events.c.status == status,
        ).order_by(bot_events.c.at)
        with self.engine.connect() as conn:
            return [BotEvent(**row._mapping) for row in conn.execute(query)]

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


def record_quietly(kind: str, **fields: object) -> None:
    """Record, but never let bookkeeping break a citizen's answer."""
    try:
        event_log().record(kind, **fields)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a full disk or a locked database must not cost the reply
        logger.warning("could not record a %s event", kind, exc_info=True)
