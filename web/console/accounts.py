"""Console accounts and sessions: argon2 password hashes, log-in throttling, server-side sessions with CSRF tokens.

Stored in ``CONSOLE_DB_URL`` (default ``sqlite:///var/console.sqlite3``; any
SQLAlchemy URL, PostgreSQL in production). Session cookies carry a random
token whose SHA-256 is all the database keeps.

Failed log-ins are throttled per account name and per client address, never
locked: from the third failure in a row for a name (the tenth for an address,
an IPv6 /64 counting as one) a wait starts, 1 s, then doubling with each
further failure (2 s, 4 s… at most 15 minutes), during which log-ins are
refused without checking the password. Unknown names are throttled by the same rules and refused with
the same message after the same argon2 work, so neither the message nor the
timing tells which accounts exist. The counters live in the database, so they
hold across processes and restarts.

Two-step log-in (TOTP, RFC 6238) is optional per account: ``python -m web.console
totp-enable NAME`` stores a secret and prints its otpauth:// URI for an
authenticator app. For such an account the right password does not open a
session: it gives a pending token (its SHA-256 kept in the database, 5 minutes,
one use, right code or not) that, with the app's 6-digit code, does. The first
step's attempt stays counted against the name and the address until the code is
right too, so a wrong code (or none) counts in the throttle as a wrong password
does, and each pending token allows a single guess. A code is accepted once: the
time step of the last code used is kept per account. With ``CONSOLE_TOTP_KEY`` set
the secrets are stored encrypted (Fernet, key derived from it by HKDF-SHA256);
without it, as they are. ``CONSOLE_REQUIRE_TOTP_FOR_ADMINS=1`` refuses
administrators who have not enrolled.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import logging
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Tuple

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    delete,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from records import database
from records.events import events_db_url

ROLES = ("editor", "admin")
SESSION_SECONDS = 8 * 3600
MIN_PASSWORD = 10
# Argon2 runs in these few threads, off the event loop; each hash takes 64 MiB, so a burst of log-ins queues here.
HASH_WORKERS = 4
REFUSED = ("Không đăng nhập được: tên đăng nhập, mật khẩu hoặc mã xác thực không đúng, hoặc đã thử sai nhiều lần "
           "(khi đó hãy đợi vài phút rồi thử lại).")
TOTP_ISSUER = "Tro ly Dich vu cong"
PENDING_SECONDS = 5 * 60  # between the right password and the code
ENROL_FIRST = ("Tài khoản quản trị phải đăng nhập hai bước (mã 6 số từ ứng dụng xác thực) nhưng chưa đăng ký. "
               "Hãy nhờ người quản lý máy chủ chạy: python -m web.console totp-enable {name}, "
               "thêm tài khoản vào ứng dụng xác thực rồi đăng nhập lại.")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Throttle:
    """From the ``waits_from``-th failure in a row, a wait doubling with each further failure, up to ``max_wait``."""

    waits_from: int
    first_wait: float = 1.0
    max_wait: float = 15 * 60

    def wait(self, failures: int) -> float:
        """Seconds a key waits after its ``failures``-th failure in a row."""
        if failures < self.waits_from:
            return 0.0
        return min(self.max_wait, self.first_wait * 2.0 ** min(failures - self.waits_from, 64))


FORGET_AFTER = 60 * 60  # a counter quiet this long starts again from zero
PER_NAME = Throttle(waits_from=3)
PER_ADDRESS = Throttle(waits_from=10)  # more: several officers may share an office's address

metadata = MetaData()
users = Table(
    "console_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    # Left from the former hard lock-out (existing databases have them NOT NULL); throttling uses login_throttle.
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=False, default=0.0),
    # Two-step log-in: the TOTP secret (base32, or FERNET_PREFIX + a Fernet token under CONSOLE_TOTP_KEY), NULL when
    # off, and the time step of the last code accepted (never accepted again). Added to older tables by _upgrade.
    Column("totp_secret", Text, nullable=True),
    Column("totp_last_step", Integer, nullable=True),
)
ADDED_USER_COLUMNS = {"totp_secret": "TEXT", "totp_last_step": "INTEGER"}
throttle = Table(
    "console_login_throttle", metadata,
    Column("key", String(64), primary_key=True),  # SHA-256 of "name:…" or "address:…", never the text itself
    Column("failures", Integer, nullable=False),
    Column("blocked_until", Float, nullable=False),
    Column("last_failure", Float, nullable=False),
)
sessions = Table(
    "console_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", Float, nullable=False),
)
pending = Table(
    "console_login_pending", metadata,  # right password, code awaited
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("expires", Float, nullable=False),
    # The first step's throttle claim, taken back only when the code is right too.
    Column("name_key", String(64), nullable=False),
    Column("address_key", String(64), nullable=False),
    Column("address_before", Float, nullable=False),
    Column("address_until", Float, nullable=False),
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
    """Wrong name, password or code, or throttled; one message for all, safe to show."""


class CodeNeeded(Exception):
    """The right password for an account with two-step log-in: ``pending`` and the authenticator's code open the
    session (:meth:`Accounts.login_code`)."""

    def __init__(self, pending: str):
        super().__init__("Nhập mã 6 số trong ứng dụng xác thực.")
        self.pending = pending


FERNET_PREFIX = "fernet:"


class SecretBox:
    """TOTP secrets at rest: encrypted with Fernet under a key derived from ``key`` (``CONSOLE_TOTP_KEY``), or,
    without a key, stored as they are. Secrets stored in clear before a key was set still open (and are encrypted
    at their next use); encrypted ones need the key."""

    def __init__(self, key: str = ""):
        self._fernet = None
        if key:
            from cryptography.fernet import Fernet
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                           info=b"tro-ly console totp secrets v1").derive(key.encode())
            self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    @property
    def encrypts(self) -> bool:
        return self._fernet is not None

    def seal(self, secret: str) -> str:
        return FERNET_PREFIX + self._fernet.encrypt(secret.encode()).decode() if self._fernet else secret

    def open(self, stored: str) -> str:
        """The secret; ValueError when it is encrypted and the key is missing or another."""
        if not stored.startswith(FERNET_PREFIX):
            return stored
        if self._fernet is None:
            raise ValueError("the TOTP secret is encrypted and CONSOLE_TOTP_KEY is not set")
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(stored[len(FERNET_PREFIX):].encode()).decode()
        except InvalidToken:
            raise ValueError("the TOTP secret does not open with this CONSOLE_TOTP_KEY") from None


def _upgrade(engine: Engine) -> None:
    """Add the columns newer than an existing ``console_users`` table (also when another process does it too)."""
    for name, kind in ADDED_USER_COLUMNS.items():
        with engine.connect() as conn:
            if name in {column["name"] for column in inspect(conn).get_columns("console_users")}:
                continue
        try:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE console_users ADD COLUMN {name} {kind}"))
        except DBAPIError:
            with engine.connect() as conn:  # added by another process at the same moment?
                if name not in {column["name"] for column in inspect(conn).get_columns("console_users")}:
                    raise


def address_group(address: str) -> str:
    """What an address is throttled as: an IPv4 address itself, an IPv6 address its /64 (one subscriber's usual
    share, so hopping between its addresses gains nothing)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((ip.packed, 64), strict=False))
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip)


@dataclass(frozen=True)
class _Claim:
    """An attempt counted before its password is checked: its throttle keys, and the address's wait before and after."""

    name_key: str
    address_key: str
    address_wait: Tuple[float, float]


def _insert_missing(conn: Connection, key: str, now: float) -> None:
    """A zero counter for ``key`` unless it has one, also when another process inserts it at the same moment."""
    values = {"key": key, "failures": 0, "blocked_until": 0.0, "last_failure": now}
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
    if dialect is not None:
        conn.execute(dialect.insert(throttle).values(**values).on_conflict_do_nothing(index_elements=["key"]))
    elif conn.execute(select(throttle.c.key).where(throttle.c.key == key)).first() is None:
        conn.execute(throttle.insert().values(**values))


def _count_attempt(conn: Connection, key: str, rule: Throttle, now: float) -> Tuple[float, float]:
    """Count one attempt against ``key`` and set its wait; the wait before and after. Refused while it waits."""
    _insert_missing(conn, key, now)
    conn.execute(update(throttle).where(throttle.c.key == key).values(
        failures=case((throttle.c.last_failure < now - FORGET_AFTER, 1), else_=throttle.c.failures + 1),
        last_failure=now))
    row = conn.execute(select(throttle).where(throttle.c.key == key)).one()
    if row.blocked_until > now:
        raise LoginRefused(REFUSED)  # rolls the transaction back: a refused attempt neither counts nor waits longer
    wait = rule.wait(row.failures)
    until = now + wait if wait else row.blocked_until
    conn.execute(update(throttle).where(throttle.c.key == key).values(blocked_until=until))
    return row.blocked_until, until


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time, hasher: PasswordHasher | None = None,
                 totp_key: str | None = None, require_totp_for_admins: bool | None = None):
        """``totp_key`` and ``require_totp_for_admins`` default to ``CONSOLE_TOTP_KEY`` and
        ``CONSOLE_REQUIRE_TOTP_FOR_ADMINS`` (1: administrators without two-step log-in are refused)."""
        self.engine = engine
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._box = SecretBox(os.environ.get("CONSOLE_TOTP_KEY", "") if totp_key is None else totp_key)
        if require_totp_for_admins is None:
            require_totp_for_admins = os.environ.get("CONSOLE_REQUIRE_TOTP_FOR_ADMINS", "0") == "1"
        self.require_totp_for_admins = require_totp_for_admins
        # Unknown names are checked against this, so they cost the same argon2 work as a wrong password.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        self._workers = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="console-argon2")
        metadata.create_all(engine)
        _upgrade(engine)

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

    async def alogin(self, name: str, password: str, address: str = "") -> Session:
        """``login`` in a worker thread, so argon2 never stalls the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, self.login, name, password, address)

    def login(self, name: str, password: str, address: str = "") -> Session:
        """A new session for the right password from ``address`` (the client's IP address); CodeNeeded instead for
        an account with two-step log-in.

        Every attempt is counted against the name and the address before the password is checked (so parallel
        attempts cannot slip past the throttle); a throttled attempt is refused without checking it, and a right
        password takes the attempt back (with two-step log-in, only once the code is right too).
        """
        now = self.clock()
        name = name.strip()
        claim = self._claim(name, address, now)
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        stored = self._dummy_hash if row is None else row.password_hash
        if not self._verify(stored, password) or row is None:
            raise LoginRefused(REFUSED)
        self._rehash(row, password)
        if row.totp_secret:
            raise CodeNeeded(self._pend(row, claim, now))  # the attempt stays counted until the code is right
        if self.require_totp_for_admins and row.role == "admin":
            # Counted as a failure, so it tells whether a password is right no faster than a wrong one would.
            raise LoginRefused(ENROL_FIRST.format(name=row.name))
        self._forgive(claim)
        return self._open_session(row, now)

    async def alogin_code(self, pending_token: str, code: str) -> Session:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, self.login_code, pending_token, code)

    def login_code(self, pending_token: str, code: str) -> Session:
        """The second step: a session for a pending token from :meth:`login` (used up by this call, whatever the
        code) and the authenticator's current code, accepted once. Every refusal reads as REFUSED."""
        now = self.clock()
        claim = self._take_pending(pending_token, now)
        if claim is None:
            raise LoginRefused(REFUSED)
        user_id, claim = claim
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None or not row.totp_secret or not self._use_code(row, code, now):
            raise LoginRefused(REFUSED)  # the first step's attempt stays counted: a failure like a wrong password
        self._forgive(claim)
        return self._open_session(row, now)

    def _pend(self, row, claim: _Claim, now: float) -> str:
        token = secrets.token_urlsafe(32)
        before, until = claim.address_wait
        with self.engine.begin() as conn:
            conn.execute(delete(pending).where(pending.c.expires < now))
            conn.execute(pending.insert().values(
                token_hash=_digest(token), user_id=row.id, expires=now + PENDING_SECONDS, name_key=claim.name_key,
                address_key=claim.address_key, address_before=before, address_until=until))
        return token

    def _take_pending(self, token: str, now: float) -> Tuple[int, _Claim] | None:
        """The user and first-step claim of a live pending token, which is deleted (one use)."""
        if not token:
            return None
        digest = _digest(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(pending).where(pending.c.token_hash == digest)).first()
            if row is None:
                return None
            taken = conn.execute(delete(pending).where(pending.c.token_hash == digest)).rowcount
        if taken != 1 or row.expires < now:  # used by a parallel request, or too late
            return None
        return row.user_id, _Claim(row.name_key, row.address_key, (row.address_before, row.address_until))

    def _use_code(self, row, code: str, now: float) -> bool:
        """Whether ``code`` is the account's code for now (or 30 s either side) and newer than the last one used;
        it is then used up."""
        code = "".join(str(code).split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            return False
        try:
            secret = self._box.open(row.totp_secret)
        except ValueError as exc:
            log.error("Two-step log-in refused for console account %s: %s", row.name, exc)
            return False
        totp, at = pyotp.TOTP(secret), datetime.fromtimestamp(int(now))
        if not totp.verify(code, for_time=at, valid_window=1):
            return False
        step = next(totp.timecode(at) + offset for offset in (1, 0, -1)
                    if hmac.compare_digest(totp.at(at, offset), code))
        values = {"totp_last_step": step}
        if self._box.encrypts and not row.totp_secret.startswith(FERNET_PREFIX):
            values["totp_secret"] = self._box.seal(secret)  # enrolled before the key was set
        with self.engine.begin() as conn:  # one statement: parallel uses of one code cannot both pass
            used = conn.execute(update(users).where(
                users.c.id == row.id, users.c.totp_secret == row.totp_secret,
                or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step)).values(**values)).rowcount
        return used == 1

    def enable_totp(self, name: str, replace: bool = False) -> str:
        """A new TOTP secret for ``name``; its otpauth:// URI for an authenticator app. Ends the account's sessions
        and pending log-ins: from now on it logs in with a code."""
        secret = pyotp.random_base32()
        with self.engine.begin() as conn:
            row = conn.execute(select(users.c.id, users.c.totp_secret).where(users.c.name == name.strip())).first()
            if row is None:
                raise ValueError(f"Không có tài khoản {name}.")
            if row.totp_secret and not replace:
                raise ValueError(f"Tài khoản {name} đã bật đăng nhập hai bước (--replace để đăng ký lại).")
            conn.execute(update(users).where(users.c.id == row.id).values(
                totp_secret=self._box.seal(secret), totp_last_step=None))
            conn.execute(delete(sessions).where(sessions.c.user_id == row.id))
            conn.execute(delete(pending).where(pending.c.user_id == row.id))
        return pyotp.TOTP(secret).provisioning_uri(name=name.strip(), issuer_name=TOTP_ISSUER)

    def disable_totp(self, name: str) -> bool:
        """Turn two-step log-in off for ``name``; whether it was on."""
        with self.engine.begin() as conn:
            row = conn.execute(select(users.c.id, users.c.totp_secret).where(users.c.name == name.strip())).first()
            if row is None:
                raise ValueError(f"Không có tài khoản {name}.")
            conn.execute(update(users).where(users.c.id == row.id).values(totp_secret=None, totp_last_step=None))
            conn.execute(delete(pending).where(pending.c.user_id == row.id))
        return bool(row.totp_secret)

    def totp_enabled(self, name: str) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(select(users.c.totp_secret).where(users.c.name == name.strip())).scalar())

    @property
    def encrypts_totp_secrets(self) -> bool:
        return self._box.encrypts

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _claim(self, name: str, address: str, now: float) -> _Claim:
        """Count one attempt against the name and the address, or refuse it (uncounted) while either waits."""
        name_key, address_key = _digest(f"name:{name}"), _digest(f"address:{address_group(address)}")
        if self._waiting((name_key, address_key), now):  # the cheap way out, the same for every name
            raise LoginRefused(REFUSED)
        waits = {}
        with self.engine.begin() as conn:  # checked again under the write lock: parallel attempts count one by one
            # One order in every process, so PostgreSQL row locks never deadlock.
            for key, rule in sorted({name_key: PER_NAME, address_key: PER_ADDRESS}.items()):
                waits[key] = _count_attempt(conn, key, rule, now)
        self._sweep(now)
        return _Claim(name_key, address_key, waits[address_key])

    def _waiting(self, keys: Tuple[str, ...], now: float) -> bool:
        """Whether one of ``keys`` waits (read only: a flood of throttled attempts writes nothing)."""
        with self.engine.connect() as conn:
            return conn.execute(select(throttle.c.key).where(
                throttle.c.key.in_(keys), throttle.c.blocked_until > now)).first() is not None

    def _forgive(self, claim: _Claim) -> None:
        """After the right password: the name starts afresh; the address gets this attempt back."""
        before, ours = claim.address_wait
        with self.engine.begin() as conn:
            for key in sorted((claim.name_key, claim.address_key)):
                if key == claim.name_key:
                    conn.execute(delete(throttle).where(throttle.c.key == key))
                    continue
                conn.execute(update(throttle).where(throttle.c.key == key).values(
                    failures=case((throttle.c.failures > 0, throttle.c.failures - 1), else_=0),
                    blocked_until=case((throttle.c.blocked_until == ours, before), else_=throttle.c.blocked_until)))

    def _sweep(self, now: float) -> None:
        """Forget counters quiet for ``FORGET_AFTER``; housekeeping, so a busy database does not fail the log-in."""
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(throttle).where(throttle.c.last_failure < now - FORGET_AFTER,
                                                    throttle.c.blocked_until < now))
        except DBAPIError:
            pass

    def _rehash(self, row, password: str) -> None:
        if self.hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(update(users).where(users.c.id == row.id).values(password_hash=self.hasher.hash(password)))

    def _open_session(self, row, now: float) -> Session:
        with self.engine.begin() as conn:
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
