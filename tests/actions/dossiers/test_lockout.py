import pytest

from actions.dossiers.lockout import LockoutPolicy, ProofLockout, subject_key
from records.database import make_engine


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def lockout(tmp_path, clock):
    return ProofLockout(make_engine(f"sqlite:///{tmp_path / 'l.sqlite3'}"), LockoutPolicy(), clock)


CONV, CODE = subject_key("conversation", "c1"), subject_key("code", "000.00.07.H29-261101-0042")


def test_keys_are_hashed():
    assert "c1" not in CONV and len(CONV) == 64


def test_five_failures_in_the_window_lock_for_the_cool_down(lockout, clock):
    for _ in range(4):
        assert not lockout.record_failure([CONV, CODE])
        clock.now += 60
    assert lockout.locked_for([CONV]) == 0
    assert lockout.record_failure([CONV, CODE])
    assert lockout.locked_for([CONV]) == pytest.approx(15 * 60)
    clock.now += 14 * 60
    assert lockout.locked_for([CODE]) == pytest.approx(60)
    clock.now += 61
    assert lockout.locked_for([CONV, CODE]) == 0


def test_failures_older_than_the_window_do_not_count(lockout, clock):
    for _ in range(4):
        lockout.record_failure([CONV])
    clock.now += 15 * 60 + 1
    assert not lockout.record_failure([CONV])
    assert lockout.locked_for([CONV]) == 0


def test_the_code_is_locked_across_conversations(lockout):
    for n in range(5):
        lockout.record_failure([subject_key("conversation", f"other-{n}"), CODE])
    assert lockout.locked_for([subject_key("conversation", "new"), CODE]) > 0
    assert lockout.locked_for([subject_key("conversation", "new")]) == 0


def test_lock_survives_a_new_process(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    first = ProofLockout(make_engine(url), clock=clock)
    for _ in range(5):
        first.record_failure([CONV])
    assert ProofLockout(make_engine(url), clock=clock).locked_for([CONV]) > 0
