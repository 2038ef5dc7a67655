"""Limit guesses at the proof of link, per conversation and per dossier code.

Five failed proofs within fifteen minutes lock the conversation and the code
(across all conversations) for a cool-down period. Failures and locks are
kept in the database, so they hold across action-server restarts and
replicas.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, select
from sqlalchemy.engine import Engine

metadata = MetaData()
failures = Table(
    "proof_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("khoa", String(64), nullable=False, index=True),
    Column("luc", Float, nullable=False),
)
locks = Table(
    "proof_locks",
    metadata,
    Column("khoa", String(64), primary_key=True),
    Column("den_luc", Float, nullable=False),
)


def subject_key(kind: str, value: str) -> str:
    """A hashed key, so the table never holds conversation ids or dossier codes in clear."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    window_s: float = 15 * 60
    cooldown_s: float = 15 * 60


class ProofLockout:
    """Counts failed proofs and answers whether a subject is locked."""

    def __init__(self, engine: Engine, policy: LockoutPolicy = LockoutPolicy(), clock=time.time):
        self.engine = engine
        self.policy = policy
        self.clock = clock
        self._ready = False

    def _ensure_schema(self) -> None:
        if not self._ready:
            metadata.create_all(self.engine)
            self._ready = True

    def locked_for(self, keys: Iterable[str]) -> float:
        """Seconds of cool-down left for the most locked of ``keys`` (0 when none is locked)."""
        self._ensure_schema()
        now = self.clock()
        keys = list(keys)
        with self.engine.connect() as conn:
            until = conn.execute(select(func.max(locks.c.den_luc)).where(locks.c.khoa.in_(keys))).scalar()
        return max(0.0, (until or 0.0) - now)

    def record_failure(self, keys: Iterable[str]) -> bool:
        """Count one failed proof against every key; return whether this failure locked one of them."""
        self._ensure_schema()
        now = self.clock()
        since = now - self.policy.window_s
        locked = False
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.luc < since))
            conn.execute(delete(locks).where(locks.c.den_luc < now))
            for key in keys:
                conn.execute(failures.insert().values(khoa=key, luc=now))
                recent = conn.execute(
                    select(func.count()).select_from(failures).where(failures.c.khoa == key, failures.c.luc >= since)
                ).scalar_one()
                if recent >= self.policy.max_failures:
                    conn.execute(delete(locks).where(locks.c.khoa == key))
                    conn.execute(locks.insert().values(khoa=key, den_luc=now + self.policy.cooldown_s))
                    conn.execute(delete(failures).where(failures.c.khoa == key))
                    locked = True
        return locked

    async def alocked_for(self, keys: Iterable[str]) -> float:
        return await asyncio.to_thread(self.locked_for, list(keys))

    async def arecord_failure(self, keys: Iterable[str]) -> bool:
        return await asyncio.to_thread(self.record_failure, list(keys))
