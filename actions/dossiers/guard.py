"""Limit guesses at a dossier proof: every attempt is counted, atomically, before anything is compared.

An attempt is admitted only after one transaction has added it to a counter
for each of its subjects and every counter is still within its limit:

* the conversation (5 per 15 minutes), which a client can renew at will, so
* the client: the address a widget or REST request came from (an IPv6 /64
  counts as one address) or the Zalo user, whose id Zalo signs (10 per hour);
* the dossier code, across every conversation and client (5 per 15 minutes);
* the whole service (1,000 per hour by default), so a crowd of addresses
  cannot walk through the codes either.

The count is taken before the proof is compared, so 300 parallel guesses are
300 counted attempts and all but the first few are refused without being
compared. A refused attempt is not counted, so one client hammering past its
own limit cannot lock a code or the service for everyone. An attempt whose
proof was right, or that compared nothing because the dossier source was
down, is handed back (:meth:`ProofGuard.hand_back`), so the limits measure
failures while no failure can escape being counted. Any
database error refuses the attempt: the guard fails closed.

Counters live in the action server's database (SQLite or PostgreSQL), so they
hold across restarts and replicas. Each is a fixed window plus the previous
window weighted by how much of it still overlaps the sliding period, so a
burst on a window boundary does not double the limit. Keys are hashed: the
table never holds a conversation id, an address or a dossier code.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import math
import os
import time
from dataclasses import dataclass
from typing import Callable, Tuple

from sqlalchemy import Column, Integer, MetaData, String, Table, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from records.database import SchemaOnce

metadata = MetaData()
attempts = Table(
    "proof_attempts",
    metadata,
    Column("khoa", String(64), primary_key=True),
    Column("cua_so", Integer, primary_key=True),  # the window's start, in epoch seconds
    Column("so_lan", Integer, nullable=False),
)


def subject_key(kind: str, value: str) -> str:
    """A hashed key, so the table never holds conversation ids, addresses or dossier codes in clear."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def client_subject(client: str) -> str:
    """The subject a client is counted under: an IPv6 address by its /64, anything else as given."""
    kind, _, value = client.partition(":")
    if kind == "ip":
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return client
        if isinstance(address, ipaddress.IPv6Address):
            if address.ipv4_mapped:
                return f"ip:{address.ipv4_mapped}"
            return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
        return f"ip:{address}"
    return client


MAX_PERIOD_S = 24 * 3600  # counters older than two of these are deleted


@dataclass(frozen=True)
class Limit:
    """At most ``count`` attempts per ``period_s`` seconds."""

    count: int
    period_s: float


@dataclass(frozen=True)
class GuardPolicy:
    per_conversation: Limit = Limit(5, 15 * 60)
    per_client: Limit = Limit(10, 60 * 60)
    per_code: Limit = Limit(5, 15 * 60)
    overall: Limit = Limit(1000, 60 * 60)

    @classmethod
    def from_env(cls) -> GuardPolicy:
        """The defaults, with the per-client and overall hourly limits settable by the province."""
        policy = cls()
        return cls(
            per_conversation=policy.per_conversation,
            per_client=Limit(_env_int("DOSSIER_LIMIT_PER_CLIENT_HOUR", policy.per_client.count), 3600),
            per_code=policy.per_code,
            overall=Limit(_env_int("DOSSIER_LIMIT_OVERALL_HOUR", policy.overall.count), 3600),
        )


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {raw!r}")
    return value


@dataclass(frozen=True)
class Admission:
    """The answer to one attempt: admitted, or refused with the seconds until it may be tried again."""

    admitted: bool
    retry_after_s: float
    counted: Tuple[Tuple[str, int], ...] = ()  # (key, window) pairs to hand back on success


class ProofGuard:
    """Counts proof attempts per conversation, client, code and overall; refuses past the limits."""

    def __init__(self, engine: Engine, policy: GuardPolicy = GuardPolicy(), clock: Callable[[], float] = time.time):
        self.engine = engine
        self.policy = policy
        self.clock = clock
        self._schema = SchemaOnce(engine, metadata)

    def _ensure_schema(self) -> None:
        self._schema.ensure()

    def subjects(self, conversation_id: str, client: str, code: str) -> list[Tuple[str, Limit]]:
        """The hashed keys an attempt counts against, each with its limit, in a fixed order."""
        p = self.policy
        return [
            (subject_key("overall", "*"), p.overall),
            (subject_key("client", client_subject(client or f"conversation:{conversation_id}")), p.per_client),
            (subject_key("code", code), p.per_code),
            (subject_key("conversation", conversation_id), p.per_conversation),
        ]

    def admit(self, conversation_id: str, client: str, code: str) -> Admission:
        """Count one attempt against every subject, then admit it only if none is over its limit."""
        return self.admit_keys(self.subjects(conversation_id, client, code))

    def admit_keys(self, subjects: list[Tuple[str, Limit]]) -> Admission:
        """:meth:`admit` for any hashed keys and limits (used for sending one-time codes too)."""
        self._ensure_schema()
        now = self.clock()
        counted = []
        wait = 0.0
        with self.engine.connect() as conn, conn.begin() as transaction:
            # Sorted keys: two transactions lock rows in the same order and cannot deadlock.
            for key, limit in sorted(subjects):
                index = int(now // limit.period_s)
                start = int(index * limit.period_s)
                current = self._increment(conn, key, start)
                counted.append((key, start))
                previous = conn.execute(select(attempts.c.so_lan).where(
                    and_(attempts.c.khoa == key, attempts.c.cua_so == int((index - 1) * limit.period_s)))
                ).scalar() or 0
                overlap = 1.0 - (now / limit.period_s - index)
                if previous * overlap + current > limit.count:
                    wait = max(wait, _retry_after(now, limit, index, previous, current))
            conn.execute(delete(attempts).where(attempts.c.cua_so < int(now - 2 * MAX_PERIOD_S)))
            if wait:
                # A refused attempt compares nothing, so it is not counted: a client past its own
                # limit cannot push the code's or the service's counters up for everyone else.
                transaction.rollback()
        return Admission(wait == 0.0, wait, tuple(counted))

    def _increment(self, conn: Connection, key: str, window: int) -> int:
        """Add one to a counter and read it back, inside the caller's transaction (row-locked until commit)."""
        dialect = conn.engine.dialect.name
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
        if insert is not None:
            statement = insert(attempts).values(khoa=key, cua_so=window, so_lan=1)
            conn.execute(statement.on_conflict_do_update(
                index_elements=[attempts.c.khoa, attempts.c.cua_so], set_={"so_lan": attempts.c.so_lan + 1}))
        else:  # other databases: update first, insert when there was nothing to update
            changed = conn.execute(update(attempts).where(and_(attempts.c.khoa == key, attempts.c.cua_so == window))
                                   .values(so_lan=attempts.c.so_lan + 1)).rowcount
            if not changed:
                conn.execute(attempts.insert().values(khoa=key, cua_so=window, so_lan=1))
        return int(conn.execute(
            select(attempts.c.so_lan).where(and_(attempts.c.khoa == key, attempts.c.cua_so == window))).scalar_one())

    def hand_back(self, admission: Admission) -> None:
        """Uncount an admitted attempt whose proof was right or was never compared; failures stay."""
        if not admission.admitted:
            return
        with self.engine.begin() as conn:
            for key, window in admission.counted:
                conn.execute(update(attempts)
                             .where(and_(attempts.c.khoa == key, attempts.c.cua_so == window, attempts.c.so_lan > 0))
                             .values(so_lan=attempts.c.so_lan - 1))

    async def aadmit(self, conversation_id: str, client: str, code: str) -> Admission:
        return await asyncio.to_thread(self.admit, conversation_id, client, code)

    async def ahand_back(self, admission: Admission) -> None:
        await asyncio.to_thread(self.hand_back, admission)


def _retry_after(now: float, limit: Limit, window: int, previous: int, current: int) -> float:
    """Seconds until the sliding count falls back within the limit, assuming no further attempts."""
    window_end = (window + 1) * limit.period_s
    if current > limit.count:
        # Only the next window's decay can help: wait until current * (1 - t/period) <= count.
        fraction = 1.0 - limit.count / current
        return max(1.0, window_end - now + fraction * limit.period_s)
    # The previous window's share must shrink: previous * (1 - f) + current <= count.
    needed = 1.0 - (limit.count - current) / previous if previous else 0.0
    at = window * limit.period_s + needed * limit.period_s
    return max(1.0, min(at, window_end) - now) if math.isfinite(at) else limit.period_s
