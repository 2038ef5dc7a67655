"""Conversations handed to officers, and questions left for them: the queue both servers share.

The action server puts a conversation in the queue (or leaves a question) and
reads a citizen's place; the console lists, takes, transfers and closes. Both
use this table in the console database (``CONSOLE_DB_URL``), so every replica
of either sees the same queue and it survives restarts.

Taking is one conditional UPDATE (``WHERE state = 'waiting'``): when two
officers click at once, exactly one row changes and exactly one officer wins.

A left question gets a code (``HD-`` and 6 letters and digits, unguessable,
not sequential) that fetches the answer on any channel.
"""

from __future__ import annotations

import re
import secrets
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Dict, List, Sequence

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text, and_, func, insert, select, update
from sqlalchemy.engine import Engine

from records.database import SchemaOnce
from records.privacy import mask_text

WAITING, ACTIVE, CLOSED, ABANDONED = "waiting", "active", "closed", "abandoned"
OPEN_STATES = (WAITING, ACTIVE)
OUTCOMES = {
    "answered": "Đã giải đáp",
    "referred": "Hướng dẫn đến nơi khác",
    "follow_up": "Cần liên hệ lại",
    "no_reply": "Người dân không phản hồi",
}
REASONS = ("asked", "declined", "feedback")
DEFAULT_HANDLING_S = 5 * 60  # expected handling time until enough conversations are closed
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L

metadata = MetaData()
handoffs = Table(
    "handoffs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(200), nullable=False),
    Column("channel", String(16), nullable=False, default=""),
    Column("centre", String(40), nullable=False, default=""),
    Column("reason", String(16), nullable=False, default="asked"),
    Column("state", String(12), nullable=False, default=WAITING),
    Column("requested_at", Float, nullable=False),
    Column("taken_at", Float),
    Column("closed_at", Float),
    Column("officer", String(80), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),  # the latest transfer note
    Column("outcome", String(16), nullable=False, default=""),
    Index("ix_handoffs_state", "state", "requested_at"),
    Index("ix_handoffs_conversation", "conversation_id"),
)
left_questions = Table(
    "left_questions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("conversation_id", String(200), nullable=False),
    Column("channel", String(16), nullable=False, default=""),
    Column("centre", String(40), nullable=False, default=""),
    Column("question", Text, nullable=False),
    Column("contact", String(200), nullable=False, default=""),
    Column("asked_at", Float, nullable=False),
    Column("answer", Text, nullable=False, default=""),
    Column("answered_at", Float),
    Column("answered_by", String(80), nullable=False, default=""),
    Column("delivered_at", Float),
    Index("ix_left_questions_conversation", "conversation_id"),
)


# Officers with the live page open, by centre: the console refreshes ``seen_at`` while the page is open.
officers_on_duty = Table(
    "handoff_officers", metadata,
    Column("officer", String(80), primary_key=True),
    Column("centre", String(40), nullable=False, default=""),
    Column("seen_at", Float, nullable=False),
)
ON_DUTY_S = 90  # an officer whose page has not checked in for this long is no longer on duty


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: str
    centre: str
    reason: str
    state: str
    requested_at: float
    taken_at: float | None
    closed_at: float | None
    officer: str
    note: str
    outcome: str


@dataclass(frozen=True)
class LeftQuestion:
    id: int
    code: str
    conversation_id: str
    channel: str
    centre: str
    question: str
    contact: str
    asked_at: float
    answer: str
    answered_at: float | None
    answered_by: str
    delivered_at: float | None


@dataclass(frozen=True)
class Place:
    """Where a waiting conversation stands: 1 is next."""

    position: int
    expected_wait_s: float


_ANSWER_CODE = re.compile(r"(?i)(?<![\w.-])HD\s*[-–]?\s*[A-Z0-9]{6}(?![\w-])")


def find_answer_code(text: str) -> str:
    """The 'HD-XXXXXX' code of a left question in a message, normalised; '' if none."""
    found = _ANSWER_CODE.search(text or "")
    return normalise_code(found.group(0)) if found else ""


def new_code() -> str:
    return "HD-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def normalise_code(text: str) -> str:
    """'hd 7k3q9m' -> 'HD-7K3Q9M'."""
    bare = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    bare = bare[2:] if bare.startswith("HD") else bare
    return f"HD-{bare}" if len(bare) == 6 else ""


class HandoffQueue:
    """The queue of conversations waiting for or held by an officer, and the questions left for one."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock
        self._schema = SchemaOnce(engine, metadata)

    def ensure_schema(self) -> None:
        self._schema.ensure()

    # ------------------------------------------------------------------ the live queue

    def request(self, conversation_id: str, channel: str, centre: str, reason: str = "asked") -> Handoff:
        """Queue a conversation, or return its open handoff if it already has one."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            row = conn.execute(select(handoffs).where(and_(
                handoffs.c.conversation_id == conversation_id, handoffs.c.state.in_(OPEN_STATES)))).first()
            if row is not None:
                return Handoff(**row._mapping)
            new_id = conn.execute(insert(handoffs).values(
                conversation_id=conversation_id, channel=channel, centre=centre,
                reason=reason if reason in REASONS else "asked", state=WAITING, requested_at=self.clock(),
                officer="", note="", outcome="")).inserted_primary_key[0]
        return self.get(new_id)

    def get(self, handoff_id: int) -> Handoff | None:
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()
        return Handoff(**row._mapping) if row else None

    def open_for(self, conversation_id: str) -> Handoff | None:
        """The conversation's waiting or active handoff, if any."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(handoffs).where(and_(
                handoffs.c.conversation_id == conversation_id, handoffs.c.state.in_(OPEN_STATES)))
                .order_by(handoffs.c.id.desc())).first()
        return Handoff(**row._mapping) if row else None

    def listing(self, states: Sequence[str] = OPEN_STATES, centre: str | None = None) -> List[Handoff]:
        """Open handoffs, oldest first."""
        self.ensure_schema()
        query = select(handoffs).where(handoffs.c.state.in_(list(states)))
        if centre:
            query = query.where(handoffs.c.centre == centre)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(handoffs.c.requested_at, handoffs.c.id)).all()
        return [Handoff(**r._mapping) for r in rows]

    def place(self, handoff_id: int, officers_on_duty: int = 1) -> Place | None:
        """A waiting conversation's place in its centre's queue and the expected wait."""
        handoff = self.get(handoff_id)
        if handoff is None or handoff.state != WAITING:
            return None
        earlier = (handoffs.c.requested_at < handoff.requested_at) | and_(
            handoffs.c.requested_at == handoff.requested_at, handoffs.c.id < handoff.id)
        with self.engine.connect() as conn:
            ahead = conn.execute(select(func.count()).select_from(handoffs).where(and_(
                handoffs.c.state == WAITING, handoffs.c.centre == handoff.centre, earlier))).scalar_one()
        position = int(ahead) + 1
        return Place(position, position * self.handling_time_s(handoff.centre) / max(1, officers_on_duty))

    def handling_time_s(self, centre: str, last: int = 50) -> float:
        """The median time officers held the centre's last closed conversations."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            rows = conn.execute(select(handoffs.c.taken_at, handoffs.c.closed_at).where(and_(
                handoffs.c.centre == centre, handoffs.c.state == CLOSED, handoffs.c.taken_at.isnot(None)))
                .order_by(handoffs.c.closed_at.desc()).limit(last)).all()
        durations = [r.closed_at - r.taken_at for r in rows if r.closed_at and r.taken_at]
        return statistics.median(durations) if len(durations) >= 3 else DEFAULT_HANDLING_S

    def take(self, handoff_id: int, officer: str) -> bool:
        """Give a waiting conversation to ``officer``; False if someone else took it first."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoffs).where(and_(
                handoffs.c.id == handoff_id, handoffs.c.state == WAITING))
                .values(state=ACTIVE, officer=officer, taken_at=self.clock())).rowcount
        return changed == 1

    def release(self, handoff_id: int, officer: str) -> bool:
        """Put a conversation ``officer`` just took back in the queue (the bot could not be paused)."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoffs).where(and_(
                handoffs.c.id == handoff_id, handoffs.c.state == ACTIVE, handoffs.c.officer == officer))
                .values(state=WAITING, officer="", taken_at=None)).rowcount
        return changed == 1

    def transfer(self, handoff_id: int, officer: str, to_officer: str, note: str) -> bool:
        """Hand an active conversation from ``officer`` to ``to_officer`` with a note."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoffs).where(and_(
                handoffs.c.id == handoff_id, handoffs.c.state == ACTIVE, handoffs.c.officer == officer))
                .values(officer=to_officer, note=mask_text(note)[:1000])).rowcount
        return changed == 1

    def close(self, handoff_id: int, officer: str, outcome: str) -> bool:
        """End an active conversation with an outcome (one of :data:`OUTCOMES`)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoffs).where(and_(
                handoffs.c.id == handoff_id, handoffs.c.state == ACTIVE, handoffs.c.officer == officer))
                .values(state=CLOSED, outcome=outcome, closed_at=self.clock())).rowcount
        return changed == 1

    def abandon(self, handoff_id: int) -> bool:
        """A waiting citizen gave up (said "thôi", or the wait ran out)."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(handoffs).where(and_(
                handoffs.c.id == handoff_id, handoffs.c.state == WAITING))
                .values(state=ABANDONED, closed_at=self.clock())).rowcount
        return changed == 1

    # ------------------------------------------------------------------ officers on duty

    def check_in(self, officer: str, centre: str) -> None:
        """The officer's live page is open (called every few seconds while it is)."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(officers_on_duty).where(officers_on_duty.c.officer == officer)
                                   .values(centre=centre, seen_at=self.clock())).rowcount
            if not changed:
                conn.execute(insert(officers_on_duty).values(officer=officer, centre=centre, seen_at=self.clock()))

    def check_out(self, officer: str) -> None:
        self.ensure_schema()
        with self.engine.begin() as conn:
            conn.execute(update(officers_on_duty).where(officers_on_duty.c.officer == officer).values(seen_at=0.0))

    def on_duty(self, centre: str) -> List[str]:
        """Officers of ``centre`` whose live page checked in within :data:`ON_DUTY_S`."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            rows = conn.execute(select(officers_on_duty.c.officer).where(and_(
                officers_on_duty.c.centre == centre, officers_on_duty.c.seen_at >= self.clock() - ON_DUTY_S))
                .order_by(officers_on_duty.c.officer)).all()
        return [r.officer for r in rows]

    # ------------------------------------------------------------------ left questions

    def leave(self, conversation_id: str, channel: str, centre: str, question: str, contact: str) -> LeftQuestion:
        """Store a question for an officer; the citizen keeps its code."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            for _ in range(5):
                code = new_code()
                if conn.execute(select(left_questions.c.id).where(left_questions.c.code == code)).first() is None:
                    break
            new_id = conn.execute(insert(left_questions).values(
                code=code, conversation_id=conversation_id, channel=channel, centre=centre,
                question=question.strip()[:2000], contact=contact.strip()[:200], asked_at=self.clock(),
                answer="", answered_by="")).inserted_primary_key[0]
        return self.left(new_id)

    def left(self, question_id: int) -> LeftQuestion | None:
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(left_questions).where(left_questions.c.id == question_id)).first()
        return LeftQuestion(**row._mapping) if row else None

    def by_code(self, code: str) -> LeftQuestion | None:
        code = normalise_code(code)
        if not code:
            return None
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(left_questions).where(left_questions.c.code == code)).first()
        return LeftQuestion(**row._mapping) if row else None

    def left_listing(self, answered: bool = False, limit: int = 200) -> List[LeftQuestion]:
        self.ensure_schema()
        condition = left_questions.c.answered_at.isnot(None) if answered else left_questions.c.answered_at.is_(None)
        with self.engine.connect() as conn:
            rows = conn.execute(select(left_questions).where(condition)
                                .order_by(left_questions.c.asked_at).limit(limit)).all()
        return [LeftQuestion(**r._mapping) for r in rows]

    def answer(self, question_id: int, officer: str, text: str) -> LeftQuestion | None:
        """Record an officer's answer (once; a second answer replaces the first until it is delivered)."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            conn.execute(update(left_questions).where(and_(
                left_questions.c.id == question_id, left_questions.c.delivered_at.is_(None)))
                .values(answer=text.strip()[:4000], answered_by=officer, answered_at=self.clock()))
        return self.left(question_id)

    def undelivered_for(self, conversation_id: str) -> List[LeftQuestion]:
        """Answered questions of a conversation that have not reached the citizen yet."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            rows = conn.execute(select(left_questions).where(and_(
                left_questions.c.conversation_id == conversation_id, left_questions.c.answered_at.isnot(None),
                left_questions.c.delivered_at.is_(None))).order_by(left_questions.c.id)).all()
        return [LeftQuestion(**r._mapping) for r in rows]

    def undelivered_on(self, channel: str, limit: int = 50) -> List[LeftQuestion]:
        """Answered questions left on ``channel`` whose answer has not been sent yet, oldest answer first."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            rows = conn.execute(select(left_questions).where(and_(
                left_questions.c.channel == channel, left_questions.c.answered_at.isnot(None),
                left_questions.c.delivered_at.is_(None), left_questions.c.answer != ""))
                .order_by(left_questions.c.answered_at).limit(limit)).all()
        return [LeftQuestion(**r._mapping) for r in rows]

    def mark_delivered(self, question_id: int) -> bool:
        """Mark an answer delivered; False if another process delivered it first."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            changed = conn.execute(update(left_questions).where(and_(
                left_questions.c.id == question_id, left_questions.c.delivered_at.is_(None),
                left_questions.c.answered_at.isnot(None))).values(delivered_at=self.clock())).rowcount
        return changed == 1

    # ------------------------------------------------------------------ figures

    def figures(self, days: int = 30, utc_offset_hours: int = 7) -> List[Dict[str, object]]:
        """Per local day and centre: requests, handled, abandoned, median wait (s), outcomes."""
        self.ensure_schema()
        since = self.clock() - days * 86400
        with self.engine.connect() as conn:
            rows = conn.execute(select(handoffs).where(handoffs.c.requested_at >= since)).all()
        zone = timezone(timedelta(hours=utc_offset_hours))
        table: Dict[tuple, Dict[str, object]] = {}
        for row in rows:
            day = datetime.fromtimestamp(row.requested_at, zone).date().isoformat()
            entry = table.setdefault((day, row.centre), {
                "day": day, "centre": row.centre, "requested": 0, "handled": 0, "abandoned": 0,
                "waits": [], "outcomes": {}})
            entry["requested"] += 1
            if row.taken_at:
                entry["waits"].append(row.taken_at - row.requested_at)
            if row.state == CLOSED:
                entry["handled"] += 1
                entry["outcomes"][row.outcome] = entry["outcomes"].get(row.outcome, 0) + 1
            if row.state == ABANDONED:
                entry["abandoned"] += 1
        out = []
        for key in sorted(table, reverse=True):
            entry = table[key]
            waits = entry.pop("waits")
            entry["median_wait_s"] = statistics.median(waits) if waits else None
            out.append(entry)
        return out

    def count_open(self) -> int:
        self.ensure_schema()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(handoffs)
                                    .where(handoffs.c.state.in_(OPEN_STATES))).scalar_one())
