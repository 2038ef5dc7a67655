"""The stores' shared database helpers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect
from sqlalchemy.exc import OperationalError

from records.database import SchemaOnce, make_engine


def _metadata():
    metadata = MetaData()
    Table("things", metadata, Column("id", Integer, primary_key=True))
    return metadata


def test_threads_of_one_store_create_the_tables_once(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite3")
    metadata = _metadata()
    calls = []
    original = metadata.create_all
    monkeypatch.setattr(metadata, "create_all", lambda bind: (calls.append(1), original(bind)))
    schema = SchemaOnce(engine, metadata)
    threads = [threading.Thread(target=schema.ensure) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    schema.ensure()
    assert inspect(engine).has_table("things") and calls == [1]


def test_losing_the_race_with_another_replica_is_fine_once_but_not_twice(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite3")
    metadata = _metadata()
    original = metadata.create_all
    failures = iter([OperationalError("CREATE TABLE things", {}, Exception("table things already exists"))])

    def create_all(bind):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        original(bind)

    monkeypatch.setattr(metadata, "create_all", create_all)
    SchemaOnce(engine, metadata).ensure()
    assert inspect(engine).has_table("things")

    def always_fails(bind):
        raise OperationalError("CREATE TABLE things", {}, Exception("disk I/O error"))

    monkeypatch.setattr(metadata, "create_all", always_fails)
    with pytest.raises(OperationalError):
        SchemaOnce(engine, metadata).ensure()


def test_a_file_database_keeps_its_connections_and_a_memory_one_its_only_one(tmp_path):
    from sqlalchemy import text
    from sqlalchemy.pool import QueuePool

    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite3")
    assert isinstance(engine.pool, QueuePool)
    results = []

    def use():
        with engine.connect() as conn:
            results.append(conn.execute(text("PRAGMA journal_mode")).scalar())

    threads = [threading.Thread(target=use) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["wal"] * 4  # pooled connections work from any thread and keep their pragmas
    memory = make_engine("sqlite://")
    with memory.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with memory.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_an_unpooled_file_database_sees_a_file_replaced_on_disk(tmp_path):
    import shutil

    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError
    from sqlalchemy.pool import NullPool

    path = tmp_path / "dossiers.sqlite3"
    engine = make_engine(f"sqlite:///{path}", pooled=False)
    assert isinstance(engine.pool, NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    shutil.move(path, tmp_path / "old.sqlite3")
    path.write_bytes(b"not a database" * 512)  # a broken export put in its place
    with pytest.raises(DatabaseError, match="not a database"):
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM t"))
