"""The stores' database: engines (the action server's imported dossiers and proof-of-link failures by default)
and creating a store's tables once.

SQLite on disk by default (``var/dossiers.sqlite3``); any SQLAlchemy URL in
``DOSSIER_DB_URL`` (for example ``postgresql://...``) in production.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import MetaData, event
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool, QueuePool

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'var' / 'dossiers.sqlite3'}"


def database_url() -> str:
    return os.environ.get("DOSSIER_DB_URL") or DEFAULT_DB_URL


def ensure_sqlite_folder(url: str | URL) -> None:
    """SQLite creates its file but not the folder (var/ on a fresh clone); other databases need nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str | None = None, pooled: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get their folder, WAL mode and a busy timeout.

    ``pooled=False``: a SQLite file is opened afresh for each use, so a file replaced on disk (a new export of
    imported dossiers) or broken is seen at once; for stores read now and then, not on every turn."""
    parsed = make_url(url or database_url())
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, future=True)
    ensure_sqlite_folder(parsed)
    # SQLAlchemy 1.4 opens a new SQLite file connection per use (NullPool), and each new one runs the pragmas
    # below: a tenth of the action server's time under load. A pool keeps them; a connection is used by one
    # thread at a time, so sqlite3's same-thread check can go. An in-memory database lives in its one
    # connection: it keeps SQLAlchemy's default pool.
    on_disk = bool(parsed.database) and parsed.database != ":memory:"
    pool = {"poolclass": QueuePool if pooled else NullPool} if on_disk else {}
    engine = create_engine(parsed, future=True, connect_args={"timeout": 5, "check_same_thread": False}, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: the database stays consistent; a power
        # cut may lose the last commits (production runs PostgreSQL).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class SchemaOnce:
    """Creates the tables of ``metadata`` on first use, once per store; another thread or replica creating
    them at the same moment is fine (the loser of that race finds them there on its second try)."""

    def __init__(self, engine: Engine, metadata: MetaData):
        self._engine = engine
        self._metadata = metadata
        self._lock = threading.Lock()
        self._ready = False

    def ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            try:
                self._metadata.create_all(self._engine)
            except SQLAlchemyError:
                self._metadata.create_all(self._engine)
            self._ready = True
