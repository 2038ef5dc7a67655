"""Console accounts and sessions: argon2 password hashes, lock-out, server-side sessions with CSRF tokens.

Stored in ``CONSOLE_DB_URL`` (default ``sqlite:///var/console.sqlite3``; any
SQLAlchemy URL, PostgreSQL in production). Session cookies carry a random
token whose SHA-256 is all the database keeps.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select, update
from sqlalchemy.engine import Engine

from records import database
from records.events import events_db_url

ROLES = ("editor", "admin")
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
SESSION_SECONDS = 8 * 3600
MIN_PASSWORD = 10

metadata = MetaData()
users = Table(
    "console_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=False, default=0.0),
)
sessions = Table(
    "console_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", Float, nullable=False),
)
audit = Table(
    "console_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("user_name", String(80), nullable=False),
    Column("procedure_id", String(120), nullable=False),
    Column("action", String(16), nullable=False),
    Column("diff", Text, nullable=False),
)


def make_engine(url: str | None = None) -> Engine:
    """The console database: the one the action server records bot events in (same URL, same engine rules)."""
    return database.make_engine(url or events_db_url())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class Session:
    token: str
    csrf: str
    user: User


class LoginRefused(Exception):
    """Wrong name or password, or locked; the message is safe to show."""


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock
        self.hasher = PasswordHasher()
        metadata.create_all(engine)

    def add_user(self, name: str, password: str, role: str = "editor") -> User:
        name = name.strip()
        if not name or len(name) > 80:
            raise ValueError("Tên tài khoản phải có từ 1 đến 80 ký tự.")
        if role not in ROLES:
            raise ValueError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.id).where(users.c.name == name)).first():
                raise ValueError(f"Tài khoản {name} đã có.")
            result = conn.execute(users.insert().values(
                name=name, role=role, password_hash=self.hasher.hash(password), failures=0, locked_until=0.0))
            return User(int(result.inserted_primary_key[0]), name, role)

    def login(self, name: str, password: str) -> Session:
        """A new session for the right password; counts failures and locks after ``MAX_FAILURES``."""
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(users).where(users.c.name == name.strip())).first()
            if row is None:
                self.hasher.hash(password)  # same work as a real check: no timing hint about names
                raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
            if row.locked_until > now:
                minutes = int((row.locked_until - now) // 60) + 1
                raise LoginRefused(f"Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau {minutes} phút.")
            try:
                self.hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                failures = row.failures + 1
                locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else 0.0
                conn.execute(update(users).where(users.c.id == row.id).values(
                    failures=0 if locked else failures, locked_until=locked))
                refused = True
            else:
                refused = False
        if refused:  # raised after the block, so the failure count is committed
            raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
        with self.engine.begin() as conn:
            values = {"failures": 0, "locked_until": 0.0}
            if self.hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = self.hasher.hash(password)
            conn.execute(update(users).where(users.c.id == row.id).values(**values))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute(delete(sessions).where(sessions.c.expires < now))
            conn.execute(sessions.insert().values(
                token_hash=_digest(token), user_id=row.id, csrf=csrf, expires=now + SESSION_SECONDS))
            return Session(token, csrf, User(row.id, row.name, row.role))

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sessions.c.csrf, sessions.c.expires, users.c.id, users.c.name, users.c.role)
                .join(users, users.c.id == sessions.c.user_id)
                .where(sessions.c.token_hash == _digest(token))
            ).first()
        if row is None or row.expires < self.clock():
            return None
        return Session(token, row.csrf, User(row.id, row.name, row.role))

    def logout(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))

    def record(self, user: User, procedure_id: str, action: str, diff: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(audit.insert().values(
                at=self.clock(), user_name=user.name, procedure_id=procedure_id, action=action, diff=diff))

    def history(self, limit: int = 100) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(select(audit).order_by(audit.c.id.desc()).limit(limit)))
