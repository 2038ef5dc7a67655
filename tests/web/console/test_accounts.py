import subprocess
import sys
from pathlib import Path

import pytest

from web.console.accounts import LOCK_SECONDS, MAX_FAILURES, Accounts, LoginRefused, make_engine

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "mat-khau-du-dai"


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock):
    return Accounts(make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}"), clock)


def test_passwords_are_stored_as_argon2_hashes(accounts):
    accounts.add_user("lan", PASSWORD)
    with accounts.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM console_users").scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize("name, password, role", [("", PASSWORD, "editor"), ("a", "short", "editor"),
                                                  ("a", PASSWORD, "root")])
def test_bad_accounts_are_refused(accounts, name, password, role):
    with pytest.raises(ValueError):
        accounts.add_user(name, password, role)


def test_duplicate_names_are_refused(accounts):
    accounts.add_user("lan", PASSWORD)
    with pytest.raises(ValueError, match="đã có"):
        accounts.add_user("lan", PASSWORD)


def test_login_gives_a_session_with_its_own_csrf_token_and_logout_ends_it(accounts):
    accounts.add_user("lan", PASSWORD, "admin")
    session = accounts.login("lan", PASSWORD)
    again = accounts.session(session.token)
    assert again.user.name == "lan" and again.user.role == "admin" and again.csrf == session.csrf
    with accounts.engine.connect() as conn:
        assert session.token not in str(conn.exec_driver_sql("SELECT * FROM console_sessions").all())
    accounts.logout(session.token)
    assert accounts.session(session.token) is None
    assert accounts.session(None) is None and accounts.session("made-up") is None


def test_sessions_expire(accounts, clock):
    accounts.add_user("lan", PASSWORD)
    token = accounts.login("lan", PASSWORD).token
    clock.now += 9 * 3600
    assert accounts.session(token) is None


def test_wrong_password_and_unknown_name_get_the_same_refusal(accounts):
    accounts.add_user("lan", PASSWORD)
    with pytest.raises(LoginRefused) as wrong:
        accounts.login("lan", "sai-mat-khau-roi")
    with pytest.raises(LoginRefused) as unknown:
        accounts.login("khong-co", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_lock_out_after_repeated_failures(accounts, clock):
    accounts.add_user("lan", PASSWORD)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused):
            accounts.login("lan", "sai-mat-khau-roi")
    with pytest.raises(LoginRefused, match="tạm khóa"):
        accounts.login("lan", PASSWORD)  # even the right password waits
    clock.now += LOCK_SECONDS + 1
    assert accounts.login("lan", PASSWORD).user.name == "lan"


def test_audit_log(accounts):
    user = accounts.add_user("lan", PASSWORD)
    accounts.record(user, "dang_ky_khai_sinh", "publish", "-a\n+b")
    entry = accounts.history()[0]
    assert (entry.user_name, entry.procedure_id, entry.diff) == ("lan", "dang_ky_khai_sinh", "-a\n+b")


def test_add_user_command_reads_the_password_from_stdin(tmp_path):
    env = {"CONSOLE_DB_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "web.console", "add-user", "hoa", "--role", "admin"],
                          input=PASSWORD + "\n", cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "hoa (admin)" in done.stdout and PASSWORD not in done.stdout
    assert Accounts(make_engine(env["CONSOLE_DB_URL"])).login("hoa", PASSWORD).user.role == "admin"
    done = subprocess.run([sys.executable, "-m", "web.console", "add-user", "hoa"], input="short\n",
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "Không tạo được" in done.stderr
