"""The review queue: officers label a random sample of answered turns, and the share answered correctly follows.

A confident wrong answer counts as "answered" in the event log; only a person can
tell. Officers see answered turns drawn at random (question, procedure and the
reply as sent, all masked) and label each correct, partial, wrong, or one the bot
should have declined. From the labels: the share answered correctly, with its
Wilson 95 % interval, per ISO week and per procedure.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Tuple

from scipy.stats import binomtest
from sqlalchemy import Column, Float, Integer, String, Table, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from records.events import ANSWER, BotEvent, bot_events, bot_replies, metadata

CORRECT, PARTIAL, WRONG, SHOULD_DECLINE = "correct", "partial", "wrong", "should_decline"
LABELS = {
    CORRECT: "Đúng, đủ",
    PARTIAL: "Đúng một phần",
    WRONG: "Sai",
    SHOULD_DECLINE: "Lẽ ra phải từ chối",
}

answer_reviews = Table(
    "answer_reviews", metadata,
    Column("event_id", Integer, primary_key=True),
    Column("label", String(16), nullable=False),
    Column("reviewer", String(64), nullable=False),
    Column("at", Float, nullable=False),
)


@dataclass(frozen=True)
class Sample:
    event: BotEvent
    reply: str


@dataclass(frozen=True)
class Share:
    """How many labelled answers were correct, with the Wilson 95 % interval of the share."""

    key: str
    labelled: int
    correct: int
    low: float
    high: float

    @property
    def share(self) -> float:
        return self.correct / self.labelled if self.labelled else 0.0


def share(key: str, correct: int, labelled: int) -> Share:
    if not labelled:
        return Share(key, 0, 0, 0.0, 1.0)
    interval = binomtest(correct, labelled).proportion_ci(confidence_level=0.95, method="wilson")
    return Share(key, labelled, correct, float(interval.low), float(interval.high))


def iso_week(at: float) -> str:
    year, week, _ = datetime.fromtimestamp(at, tz=timezone.utc).isocalendar()
    return f"{year}-W{week:02d}"


class ReviewLog:
    def __init__(self, engine: Engine):
        self.engine = engine
        metadata.create_all(engine)

    def sample(self, since: float = 0.0, rng: random.Random | None = None) -> Sample | None:
        """One answered turn nobody has labelled yet, drawn at random."""
        reviewed = select(answer_reviews.c.event_id)
        query = (select(bot_events.c.id).where(bot_events.c.kind == ANSWER, bot_events.c.at >= since,
                                               bot_events.c.id.not_in(reviewed)))
        with self.engine.connect() as conn:
            ids = [row[0] for row in conn.execute(query)]
            if not ids:
                return None
            chosen = (rng or random).choice(ids)
            row = conn.execute(select(bot_events).where(bot_events.c.id == chosen)).one()
            reply = conn.execute(select(bot_replies.c.reply).where(bot_replies.c.event_id == chosen)).scalar()
        return Sample(BotEvent(**row._mapping), reply or "")

    def label(self, event_id: int, label: str, reviewer: str, at: float | None = None) -> bool:
        """Label an answered turn once; False when the label is unknown or the turn was labelled already."""
        if label not in LABELS:
            return False
        with self.engine.begin() as conn:
            kind = conn.execute(select(bot_events.c.kind).where(bot_events.c.id == int(event_id))).scalar()
            if kind != ANSWER:
                return False
            try:
                conn.execute(insert(answer_reviews).values(
                    event_id=int(event_id), label=label, reviewer=reviewer[:64], at=time.time() if at is None else at))
            except IntegrityError:
                return False
        return True

    def labelled(self) -> List[Tuple[BotEvent, str]]:
        query = select(bot_events, answer_reviews.c.label).join(
            answer_reviews, answer_reviews.c.event_id == bot_events.c.id)
        with self.engine.connect() as conn:
            return [(BotEvent(**{k: v for k, v in row._mapping.items() if k != "label"}), row.label)
                    for row in conn.execute(query)]

    def shares(self) -> Dict[str, List[Share]]:
        """The share answered correctly overall, per week and per procedure."""
        rows = self.labelled()
        groups: Dict[str, Dict[str, List[int]]] = {"all": {}, "week": {}, "procedure": {}}
        for event, label in rows:
            for by, key in (("all", "tất cả"), ("week", iso_week(event.at)), ("procedure", event.procedure_id)):
                tally = groups[by].setdefault(key, [0, 0])
                tally[0] += label == CORRECT
                tally[1] += 1
        return {by: sorted((share(k, c, n) for k, (c, n) in keys.items()), key=lambda s: s.key)
                for by, keys in groups.items()}
