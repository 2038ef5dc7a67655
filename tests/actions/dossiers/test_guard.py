import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from actions.dossiers.guard import GuardPolicy, Limit, ProofGuard, attempts, client_subject, subject_key
from records.database import make_engine
from tests.services import PostgresServer

CODE = "000.00.07.H29-261101-0042"


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0  # a window boundary for 15-minute and hourly windows

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def guard(tmp_path, clock):
    return ProofGuard(make_engine(f"sqlite:///{tmp_path / 'g.sqlite3'}"), GuardPolicy(), clock)


def test_keys_are_hashed_and_ipv6_counts_by_its_64(guard):
    keys = [key for key, _ in guard.subjects("c1", "ip:203.0.113.9", CODE)]
    assert keys == [subject_key("overall", "*"), subject_key("client", "ip:203.0.113.9"),
                    subject_key("code", CODE), subject_key("conversation", "c1")]
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in keys)
    assert client_subject("ip:2001:db8:1:2:aaaa::1") == client_subject("ip:2001:db8:1:2:bbbb::9")
    assert client_subject("ip:2001:db8:1:3::1") != client_subject("ip:2001:db8:1:2::1")
    assert client_subject("ip:::ffff:203.0.113.9") == "ip:203.0.113.9"
    assert client_subject("zalo:123") == "zalo:123" and subject_key("code", CODE) != subject_key("code", CODE + "x")


def test_five_attempts_per_code_then_refused_across_conversations_and_clients(guard, clock):
    for n in range(5):
        assert guard.admit(f"c{n}", f"ip:198.51.100.{n}", CODE).admitted
    refused = guard.admit("c9", "ip:198.51.100.99", CODE)
    assert not refused.admitted and refused.retry_after_s > 0
    assert guard.admit("c9", "ip:198.51.100.99", "000.00.07.H29-261101-0043").admitted  # another code is free
    clock.now += 30 * 60  # the previous window no longer overlaps
    assert guard.admit("c9", "ip:198.51.100.99", CODE).admitted


def test_a_fresh_conversation_id_does_not_reset_the_client_limit(guard):
    admitted = [guard.admit(f"new-{n}", "ip:203.0.113.9", f"000.00.07.H29-261101-{n:04d}").admitted for n in range(12)]
    assert admitted == [True] * 10 + [False] * 2


def test_the_overall_limit_stops_a_crowd_of_addresses(tmp_path, clock):
    guard = ProofGuard(make_engine(f"sqlite:///{tmp_path / 'g.sqlite3'}"),
                       GuardPolicy(overall=Limit(20, 3600)), clock)
    admitted = [guard.admit(f"c{n}", f"ip:10.0.{n}.1", f"000.00.07.H29-261101-{n:04d}").admitted for n in range(25)]
    assert admitted.count(True) == 20


def test_a_handed_back_attempt_is_uncounted_a_failure_stays(guard):
    for _ in range(10):
        admission = guard.admit("owner", "ip:198.51.100.1", CODE)
        assert admission.admitted
        guard.hand_back(admission)
    for _ in range(5):
        assert guard.admit("owner", "ip:198.51.100.1", CODE).admitted  # failures: not handed back
    assert not guard.admit("owner", "ip:198.51.100.1", CODE).admitted


def test_refused_attempts_are_not_counted(tmp_path, clock):
    """A client hammering past its own limit does not lock the code for its owner."""
    engine = make_engine(f"sqlite:///{tmp_path / 'g.sqlite3'}")
    guard = ProofGuard(engine, GuardPolicy(per_client=Limit(3, 3600)), clock)
    assert [guard.admit(f"a{n}", "ip:203.0.113.66", CODE).admitted for n in range(50)] == [True] * 3 + [False] * 47
    assert guard.admit("owner", "ip:198.51.100.1", CODE).admitted  # only the fourth counted attempt on the code


def test_the_previous_window_still_counts_on_a_boundary(guard, clock):
    clock.now += 15 * 60 - 1  # last second of a window
    for n in range(5):
        assert guard.admit(f"c{n}", f"ip:10.1.0.{n}", CODE).admitted
    clock.now += 2  # first seconds of the next window
    assert not guard.admit("c6", "ip:10.1.0.6", CODE).admitted


def test_a_database_error_refuses(tmp_path, clock):
    guard = ProofGuard(make_engine(f"sqlite:///{tmp_path / 'missing' / 'x' / 'g.sqlite3'}"), clock=clock)
    (tmp_path / "missing").mkdir(exist_ok=True)
    shutil.rmtree(tmp_path / "missing")
    with pytest.raises(SQLAlchemyError):
        guard.admit("c", "ip:1.2.3.4", CODE)


def _parallel_admissions(guard: ProofGuard, n: int) -> int:
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: guard.admit(f"c{i}", f"ip:10.2.{i // 250}.{i % 250}", CODE), range(n)))
    return sum(r.admitted for r in results)


def test_parallel_guesses_on_one_code_are_admitted_five_times_sqlite(guard):
    assert _parallel_admissions(guard, 120) == 5
    with guard.engine.connect() as conn:
        counts = dict(conn.execute(select(attempts.c.khoa, attempts.c.so_lan)).all())
    assert counts[subject_key("code", CODE)] == 5


@pytest.mark.slow
def test_parallel_guesses_on_one_code_are_admitted_five_times_postgresql(clock):
    root = Path(tempfile.mkdtemp(prefix="tro-ly-guard-"))
    os.chmod(root, 0o755)
    server = PostgresServer(root / "postgres")
    try:
        (root / "postgres").mkdir()
        server.start()
        guard = ProofGuard(make_engine(server.create_database("guard")), GuardPolicy(), clock)
        assert _parallel_admissions(guard, 120) == 5
        assert not guard.admit("late", "ip:10.9.9.9", CODE).admitted
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
