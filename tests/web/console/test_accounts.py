import asyncio
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from argon2 import PasswordHasher

from knowledge.paths import KNOWLEDGE_DIR
from web.console.accounts import FORGET_AFTER, PER_ADDRESS, PER_NAME, REFUSED, Accounts, LoginRefused, make_engine
from web.console.web import client_address, make_console

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "mat-khau-du-dai"


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


class CountingHasher(PasswordHasher):
    """Cheap argon2 parameters (tests stay fast), counting the password checks."""

    def __init__(self, time_cost: int = 1, memory_cost: int = 1024):
        super().__init__(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def accounts(tmp_path, clock):
    return Accounts(make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}"), clock, hasher=CountingHasher())


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


def refused(accounts, name, password, address) -> str:
    """The refusal's message (the test fails if the log-in is let through)."""
    with pytest.raises(LoginRefused) as refusal:
        accounts.login(name, password, address=address)
    return str(refusal.value)


def test_the_wait_doubles_after_three_failures_up_to_15_minutes():
    assert [PER_NAME.wait(n) for n in range(1, 16)] == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert PER_NAME.wait(10_000) == 15 * 60 and PER_ADDRESS.wait(PER_ADDRESS.waits_from - 1) == 0


def test_a_throttled_name_is_refused_unchecked_and_never_locked_for_good(accounts, clock):
    accounts.add_user("lan", PASSWORD)
    for attempt in range(40):  # a patient attacker from many addresses, each time the wait is over
        refused(accounts, "lan", "sai-mat-khau-roi", address=f"203.0.113.{attempt}")
        clock.now += 1 if attempt < 2 else PER_NAME.wait(attempt + 1)
    clock.now -= 1  # one second before the last wait ends
    checks = accounts.hasher.checks
    for _ in range(5):  # the officer, with the right password: refused without checking it, same message
        assert refused(accounts, "lan", PASSWORD, address="10.1.1.1") == REFUSED
    assert accounts.hasher.checks == checks
    clock.now += 1  # refusals while waiting do not make the wait longer: the wait never exceeds 15 minutes
    assert accounts.login("lan", PASSWORD, address="10.1.1.1").user.name == "lan"
    for _ in range(PER_NAME.waits_from - 1):  # the success reset the name's count
        refused(accounts, "lan", "sai-mat-khau-roi", address="10.1.1.1")
    assert accounts.login("lan", PASSWORD, address="10.1.1.1").user.name == "lan"


def test_one_address_cannot_try_many_names(accounts, clock):
    accounts.add_user("lan", PASSWORD)
    for n in range(PER_ADDRESS.waits_from):  # one failure per name: no name is throttled
        refused(accounts, f"can-bo-{n}", PASSWORD, address="203.0.113.7")
    checks = accounts.hasher.checks
    assert refused(accounts, "lan", PASSWORD, address="203.0.113.7") == REFUSED
    assert accounts.hasher.checks == checks  # not even checked
    assert accounts.login("lan", PASSWORD, address="10.1.1.1").user.name == "lan"  # others are not affected
    clock.now += PER_ADDRESS.wait(PER_ADDRESS.waits_from)
    assert accounts.login("lan", PASSWORD, address="203.0.113.7").user.name == "lan"
    clock.now += FORGET_AFTER + 1  # a quiet hour: the address starts afresh
    for n in range(PER_ADDRESS.waits_from - 1):
        refused(accounts, f"can-bo-{n}", PASSWORD, address="203.0.113.7")
    assert accounts.login("lan", PASSWORD, address="203.0.113.7").user.name == "lan"


def test_the_addresses_of_one_ipv6_subscriber_count_as_one(accounts):
    accounts.add_user("lan", PASSWORD)
    for n in range(PER_ADDRESS.waits_from):
        refused(accounts, f"can-bo-{n}", PASSWORD, address=f"2001:db8:1:2::{n + 1:x}")
    assert refused(accounts, "lan", PASSWORD, address="2001:db8:1:2:ffff::1") == REFUSED  # same /64
    assert accounts.login("lan", PASSWORD, address="2001:db8:1:3::1").user.name == "lan"  # the next /64


def test_the_throttle_holds_across_processes(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = (Accounts(make_engine(url), clock, hasher=CountingHasher()) for _ in range(2))
    first.add_user("lan", PASSWORD)
    for n in range(PER_NAME.waits_from):
        refused(first, "lan", "sai-mat-khau-roi", address=f"203.0.113.{n}")
    refused(second, "lan", PASSWORD, address="10.1.1.1")
    assert second.hasher.checks == 0


def test_parallel_attempts_cannot_slip_past_the_throttle(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    processes = [Accounts(make_engine(url), clock, hasher=CountingHasher()) for _ in range(2)]
    processes[0].add_user("lan", PASSWORD)

    outcomes = []

    def attempt(n: int) -> None:
        try:
            processes[n % 2].login("lan", "sai-mat-khau-roi", address=f"203.0.113.{n}")
        except Exception as exc:  # noqa: BLE001 - the outcome is the test's
            outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [REFUSED] * 30
    # Each attempt is counted before its check: only the free ones and the one that started the wait were checked.
    assert sum(p.hasher.checks for p in processes) == PER_NAME.waits_from


def test_unknown_names_get_the_same_message_work_and_throttle_as_existing_ones(accounts, clock):
    accounts.add_user("lan", PASSWORD)
    for n in range(PER_NAME.waits_from):
        before = accounts.hasher.checks
        wrong = refused(accounts, "lan", "sai-mat-khau-roi", address=f"203.0.113.{n}")
        unknown = refused(accounts, "khong-co", "sai-mat-khau-roi", address=f"198.51.100.{n}")
        assert wrong.encode() == unknown.encode() == REFUSED.encode()
        assert accounts.hasher.checks == before + 2  # one argon2 check each: a dummy hash for the unknown name
    before = accounts.hasher.checks
    throttled = refused(accounts, "lan", PASSWORD, address="10.1.1.1")
    throttled_unknown = refused(accounts, "khong-co", PASSWORD, address="10.1.1.2")
    assert throttled.encode() == throttled_unknown.encode() == REFUSED.encode()
    assert accounts.hasher.checks == before  # both throttled alike, without a check
    assert "tạm khóa" not in REFUSED and "không đúng" in REFUSED


def test_unknown_names_and_wrong_passwords_take_about_the_same_time(tmp_path, clock):
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}"), clock,
                        hasher=CountingHasher(time_cost=2, memory_cost=8192))
    accounts.add_user("lan", PASSWORD)

    def medians(password: str, forget: bool) -> tuple:
        timings = {"lan": [], "khong-co": []}
        for attempt in range(15):
            for name in timings:  # interleaved, so a busy machine slows both alike
                clock.now += FORGET_AFTER + 1 if forget else 0
                start = time.perf_counter()
                refused(accounts, name, password, address=f"203.0.113.{attempt}")
                timings[name].append(time.perf_counter() - start)
        return tuple(statistics.median(t) for t in timings.values())

    known, unknown = medians("sai-mat-khau-roi", forget=True)  # every attempt a first failure: none waits
    assert 0.5 < unknown / known < 2.0, (known, unknown)
    for name in ("lan", "khong-co"):
        for n in range(5):  # as many failures as the former hard lock took
            refused(accounts, name, "sai-mat-khau-roi", address=f"198.51.100.{n}")
    known, unknown = medians(PASSWORD, forget=False)  # both names wait: refused alike, without a check
    assert 1 / 3 < unknown / known < 3.0, (known, unknown)


# ------------------------------------------------------------------ over HTTP


class SlowHasher(CountingHasher):
    """A password check that holds its thread for a second, as argon2 may on a busy server."""

    def verify(self, hash, password):
        time.sleep(1.0)
        return super().verify(hash, password)


@pytest.fixture
async def console(aiohttp_client, tmp_path, clock):
    kb_dir = tmp_path / "knowledge"
    kb_dir.mkdir()
    for path in KNOWLEDGE_DIR.glob("*.yml"):
        shutil.copy(path, kb_dir)
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"), clock, hasher=CountingHasher())
    accounts.add_user("lan", PASSWORD)
    app = web.Application()
    app.add_subapp("/console", make_console(accounts, kb_dir))
    client = await aiohttp_client(app)
    client.accounts = accounts
    return client


async def post_login(client, name="lan", password=PASSWORD, forwarded=None):
    page = await (await client.get("/console/login")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return await client.post("/console/login", data={"csrf": csrf, "name": name, "password": password},
                             headers=headers, allow_redirects=False)


async def alert_of(response) -> str:
    return re.search(r'<p class="error" role="alert">(.*?)</p>', await response.text(), re.S).group(1)


async def test_login_keeps_the_event_loop_responsive(console):
    console.accounts.hasher = SlowHasher()
    gaps, done = [], asyncio.Event()

    async def tick():
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    start = time.perf_counter()
    responses = await asyncio.gather(post_login(console), post_login(console, password="sai-mat-khau-roi"),
                                     post_login(console, name="khong-co"))
    elapsed = time.perf_counter() - start
    done.set()
    await ticker
    assert [r.status for r in responses] == [302, 401, 401]
    assert elapsed >= 1.0 and len(gaps) > 10
    assert max(gaps) < 0.5, max(gaps)  # the loop never waited for argon2 (each check holds a second)


async def test_every_refusal_reads_the_same_over_http(console):
    wrong = await post_login(console, password="sai-mat-khau-roi")
    unknown = await post_login(console, name="khong-co")
    for _ in range(5):  # as many as the former hard lock took
        await post_login(console, password="sai-mat-khau-roi")
    throttled = await post_login(console)  # the right password, while the name waits
    assert wrong.status == unknown.status == throttled.status == 401
    alerts = {await alert_of(r) for r in (wrong, unknown, throttled)}
    assert alerts == {REFUSED}


async def test_forwarded_for_is_ignored_unless_the_console_is_behind_a_proxy(console, monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    for n in range(PER_ADDRESS.waits_from):  # a forged header per attempt does not give a fresh address
        await post_login(console, name=f"can-bo-{n}", forwarded=f"198.51.100.{n}")
    assert (await post_login(console, forwarded="198.51.100.99")).status == 401


async def test_behind_a_proxy_each_client_address_is_throttled_by_itself(console, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    for n in range(PER_ADDRESS.waits_from):
        await post_login(console, name=f"can-bo-{n}", forwarded="203.0.113.5")
    assert (await post_login(console, forwarded="203.0.113.5")).status == 401
    # The client may prepend anything; the proxy's own entry, the last one, is what counts.
    assert (await post_login(console, forwarded="198.51.100.7, 203.0.113.5")).status == 401
    assert (await post_login(console, forwarded="198.51.100.7")).status == 302


@pytest.mark.parametrize("hops, forwarded, expected", [
    (None, "198.51.100.7", "127.0.0.1"), ("0", "198.51.100.7", "127.0.0.1"), ("1", "", "127.0.0.1"),
    ("1", "198.51.100.7", "198.51.100.7"), ("1", "10.0.0.1, 198.51.100.7", "198.51.100.7"),
    ("2", "10.0.0.1, 198.51.100.7 ,172.16.0.2", "198.51.100.7"), ("5", "198.51.100.7", "198.51.100.7"),
    ("oui", "198.51.100.7", "127.0.0.1"),
])
def test_client_address(monkeypatch, hops, forwarded, expected):
    if hops is None:
        monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY_HOPS", hops)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = make_mocked_request("POST", "/console/login", headers=headers,
                                  transport=FakeTransport(("127.0.0.1", 40000)))
    assert client_address(request) == expected


class FakeTransport:
    def __init__(self, peer):
        self.peer = peer

    def get_extra_info(self, name, default=None):
        return self.peer if name == "peername" else default


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
