"""Optional two-step log-in (TOTP) for console accounts."""

import re
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from aiohttp import web
from sqlalchemy import create_engine

from knowledge.paths import KNOWLEDGE_DIR
from tests.web.console.test_accounts import PASSWORD, ROOT, Clock, CountingHasher, alert_of, post_login
from web.console.accounts import (
    ENROL_FIRST,
    PENDING_SECONDS,
    PER_NAME,
    REFUSED,
    TOTP_ISSUER,
    Accounts,
    CodeNeeded,
    LoginRefused,
    make_engine,
)
from web.console.web import SESSION_COOKIE, make_console

KEY = "mot-khoa-dai-ngau-nhien-chi-dung-cho-thu-nghiem"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'c.sqlite3'}"


@pytest.fixture
def accounts(url, clock):
    return Accounts(make_engine(url), clock, hasher=CountingHasher(), totp_key="", require_totp_for_admins=False)


def secret_of(uri: str) -> str:
    return pyotp.parse_uri(uri).secret


def code(secret: str, clock: Clock, steps: int = 0) -> str:
    """The authenticator's code at the clock's time, ``steps`` periods of 30 s later."""
    return pyotp.TOTP(secret).at(int(clock.now), steps)


def stored_secret(accounts: Accounts, name: str):
    with accounts.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT totp_secret FROM console_users WHERE name = ?", (name,)).scalar_one()


def pending_of(accounts: Accounts, name: str, password: str = PASSWORD, address: str = "") -> str:
    with pytest.raises(CodeNeeded) as needed:
        accounts.login(name, password, address=address)
    return needed.value.pending


def refused_code(accounts: Accounts, pending: str, the_code: str) -> str:
    with pytest.raises(LoginRefused) as refusal:
        accounts.login_code(pending, the_code)
    return str(refusal.value)


# ------------------------------------------------------------------ enrolment


def test_enable_gives_a_provisioning_uri_and_disable_turns_it_off(accounts, clock):
    accounts.add_user("hoa", PASSWORD, "admin")
    assert not accounts.totp_enabled("hoa")
    uri = accounts.enable_totp("hoa")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parse_qs(parsed.query)["issuer"] == [TOTP_ISSUER] and "hoa" in parsed.path
    assert accounts.totp_enabled("hoa") and len(secret_of(uri)) >= 32

    pending = pending_of(accounts, "hoa")  # the right password alone is not enough any more
    assert accounts.login_code(pending, code(secret_of(uri), clock)).user.name == "hoa"

    with pytest.raises(ValueError, match="đã bật"):
        accounts.enable_totp("hoa")  # a second run would break the app already enrolled
    again = accounts.enable_totp("hoa", replace=True)
    assert secret_of(again) != secret_of(uri)

    assert accounts.disable_totp("hoa") is True and not accounts.totp_enabled("hoa")
    assert accounts.login("hoa", PASSWORD).user.name == "hoa"
    assert accounts.disable_totp("hoa") is False
    for change in (accounts.enable_totp, accounts.disable_totp):
        with pytest.raises(ValueError, match="Không có tài khoản"):
            change("khong-co")


def test_enabling_ends_the_accounts_sessions_and_disabling_its_pending_log_ins(accounts):
    accounts.add_user("hoa", PASSWORD, "admin")
    session = accounts.login("hoa", PASSWORD)
    uri = accounts.enable_totp("hoa")
    assert accounts.session(session.token) is None
    pending = pending_of(accounts, "hoa")
    accounts.disable_totp("hoa")
    assert refused_code(accounts, pending, pyotp.TOTP(secret_of(uri)).now()) == REFUSED


def test_secrets_are_encrypted_under_the_key_and_stored_as_they_are_without_one(url, clock):
    plain = Accounts(make_engine(url), clock, hasher=CountingHasher(), totp_key="")
    plain.add_user("lan", PASSWORD)
    lan = secret_of(plain.enable_totp("lan"))
    assert stored_secret(plain, "lan") == lan and not plain.encrypts_totp_secrets

    keyed = Accounts(make_engine(url), clock, hasher=CountingHasher(), totp_key=KEY)
    keyed.add_user("hoa", PASSWORD, "admin")
    hoa = secret_of(keyed.enable_totp("hoa"))
    assert hoa not in stored_secret(keyed, "hoa") and stored_secret(keyed, "hoa").startswith("fernet:")
    assert keyed.login_code(pending_of(keyed, "hoa"), code(hoa, clock)).user.name == "hoa"

    # Enrolled before the key was set: still works, and is encrypted at its first use.
    assert keyed.login_code(pending_of(keyed, "lan"), code(lan, clock)).user.name == "lan"
    assert lan not in stored_secret(keyed, "lan")

    # Without the key (or with another) an encrypted secret does not open: refused, never let through.
    for other in (plain, Accounts(make_engine(url), clock, hasher=CountingHasher(), totp_key="une-autre-cle")):
        assert refused_code(other, pending_of(other, "hoa"), code(hoa, clock, steps=1)) == REFUSED


def test_the_key_is_read_from_the_environment(url, clock, monkeypatch):
    monkeypatch.setenv("CONSOLE_TOTP_KEY", KEY)
    accounts = Accounts(make_engine(url), clock, hasher=CountingHasher())
    accounts.add_user("hoa", PASSWORD, "admin")
    secret = secret_of(accounts.enable_totp("hoa"))
    assert accounts.encrypts_totp_secrets and secret not in stored_secret(accounts, "hoa")


# ------------------------------------------------------------------ codes


def test_a_code_is_accepted_once_and_never_an_older_one(accounts, clock):
    accounts.add_user("hoa", PASSWORD, "admin")
    secret = secret_of(accounts.enable_totp("hoa"))
    now = code(secret, clock)
    assert accounts.login_code(pending_of(accounts, "hoa"), now).user.name == "hoa"
    assert refused_code(accounts, pending_of(accounts, "hoa"), now) == REFUSED  # replayed
    assert refused_code(accounts, pending_of(accounts, "hoa"), code(secret, clock, steps=-1)) == REFUSED  # older
    clock.now += 30
    assert refused_code(accounts, pending_of(accounts, "hoa"), now) == REFUSED  # still within the window: used
    clock.now += 30  # these refusals counted as failures: past the throttle's wait, and a new code
    assert accounts.login_code(pending_of(accounts, "hoa"), code(secret, clock)).user.name == "hoa"


def test_the_clock_may_be_30_seconds_off_either_way_not_more(accounts, clock):
    accounts.add_user("hoa", PASSWORD, "admin")
    secret = secret_of(accounts.enable_totp("hoa"))
    for steps in (2, -2):
        assert refused_code(accounts, pending_of(accounts, "hoa"), code(secret, clock, steps)) == REFUSED
        clock.now += 3600  # a quiet hour: the throttle forgets these failures
    assert accounts.login_code(pending_of(accounts, "hoa"), code(secret, clock, steps=-1)).user.name == "hoa"
    assert accounts.login_code(pending_of(accounts, "hoa"), " " + code(secret, clock, steps=1)).user.name == "hoa"


def test_a_pending_token_is_used_up_by_one_try_and_lasts_five_minutes(accounts, clock):
    accounts.add_user("hoa", PASSWORD, "admin")
    secret = secret_of(accounts.enable_totp("hoa"))
    pending = pending_of(accounts, "hoa")
    with accounts.engine.connect() as conn:
        assert pending not in str(conn.exec_driver_sql("SELECT * FROM console_login_pending").all())
    assert refused_code(accounts, pending, "000000" if code(secret, clock) != "000000" else "111111") == REFUSED
    assert refused_code(accounts, pending, code(secret, clock)) == REFUSED  # one guess per token
    pending = pending_of(accounts, "hoa")
    clock.now += PENDING_SECONDS + 1
    assert refused_code(accounts, pending, code(secret, clock)) == REFUSED
    for made_up in ("", "made-up"):
        assert refused_code(accounts, made_up, code(secret, clock)) == REFUSED


# ------------------------------------------------------------------ required for administrators


def test_administrators_can_be_required_to_use_two_step_log_in(url, clock, monkeypatch):
    monkeypatch.setenv("CONSOLE_REQUIRE_TOTP_FOR_ADMINS", "1")
    accounts = Accounts(make_engine(url), clock, hasher=CountingHasher())
    assert accounts.require_totp_for_admins
    accounts.add_user("hoa", PASSWORD, "admin")
    accounts.add_user("lan", PASSWORD, "editor")
    with pytest.raises(LoginRefused) as refusal:
        accounts.login("hoa", PASSWORD)
    assert str(refusal.value) == ENROL_FIRST.format(name="hoa") and "totp-enable hoa" in str(refusal.value)
    with pytest.raises(LoginRefused) as wrong:
        accounts.login("hoa", "sai-mat-khau-roi", address="10.9.9.9")
    assert str(wrong.value) == REFUSED  # only the right password learns it must enrol
    assert accounts.login("lan", PASSWORD).user.role == "editor"  # editors are not concerned
    secret = secret_of(accounts.enable_totp("hoa"))
    assert accounts.login_code(pending_of(accounts, "hoa"), code(secret, clock)).user.role == "admin"
    monkeypatch.setenv("CONSOLE_REQUIRE_TOTP_FOR_ADMINS", "0")
    assert not Accounts(make_engine(url), clock, hasher=CountingHasher()).require_totp_for_admins


# ------------------------------------------------------------------ an older database


OLD_USERS = """CREATE TABLE console_users (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, name VARCHAR(80) NOT NULL UNIQUE, role VARCHAR(16) NOT NULL,
    password_hash TEXT NOT NULL, failures INTEGER NOT NULL, locked_until FLOAT NOT NULL)"""


def test_an_older_users_table_gets_the_new_columns(url, clock):
    old = create_engine(url)
    hasher = CountingHasher()
    with old.begin() as conn:
        conn.exec_driver_sql(OLD_USERS)
        conn.exec_driver_sql("INSERT INTO console_users (name, role, password_hash, failures, locked_until) "
                             "VALUES ('hoa', 'admin', ?, 0, 0)", (hasher.hash(PASSWORD),))
    old.dispose()
    accounts = Accounts(make_engine(url), clock, hasher=hasher, totp_key="")
    with accounts.engine.connect() as conn:
        columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(console_users)")}
    assert {"totp_secret", "totp_last_step"} <= columns
    assert accounts.login("hoa", PASSWORD).user.role == "admin"  # the old account, two-step log-in off
    secret = secret_of(accounts.enable_totp("hoa"))
    Accounts(make_engine(url), clock, hasher=hasher, totp_key="")  # a second start changes nothing
    assert accounts.login_code(pending_of(accounts, "hoa"), code(secret, clock)).user.name == "hoa"


# ------------------------------------------------------------------ the command


def test_totp_commands(url):
    Accounts(make_engine(url), hasher=CountingHasher()).add_user("hoa", PASSWORD, "admin")
    env = {"CONSOLE_DB_URL": url, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "web.console", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)

    done = run("totp-enable", "hoa")
    assert done.returncode == 0, done.stderr
    [uri] = re.findall(r"^otpauth://totp/\S+$", done.stdout, re.MULTILINE)
    assert parse_qs(urlparse(uri).query)["issuer"] == [TOTP_ISSUER] and "CONSOLE_TOTP_KEY" in done.stderr
    assert run("totp-enable", "hoa").returncode == 1
    env["CONSOLE_TOTP_KEY"] = KEY
    done = run("totp-enable", "hoa", "--replace")
    assert done.returncode == 0 and "CONSOLE_TOTP_KEY" not in done.stderr
    accounts = Accounts(make_engine(url), hasher=CountingHasher(), totp_key=KEY)
    assert secret_of(re.search(r"otpauth://\S+", done.stdout).group()) not in stored_secret(accounts, "hoa")
    done = run("totp-disable", "hoa")
    assert done.returncode == 0 and not accounts.totp_enabled("hoa")
    assert run("totp-disable", "khong-co").returncode == 1


# ------------------------------------------------------------------ over HTTP


@pytest.fixture
async def console(aiohttp_client, tmp_path, clock):
    kb_dir = tmp_path / "knowledge"
    kb_dir.mkdir()
    for path in KNOWLEDGE_DIR.glob("*.yml"):
        shutil.copy(path, kb_dir)
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"), clock, hasher=CountingHasher(),
                        totp_key=KEY, require_totp_for_admins=False)
    accounts.add_user("hoa", PASSWORD, "admin")
    accounts.add_user("lan", PASSWORD, "editor")
    app = web.Application()
    app.add_subapp("/console", make_console(accounts, kb_dir))
    client = await aiohttp_client(app)
    client.accounts, client.clock = accounts, clock
    client.secret = secret_of(accounts.enable_totp("hoa"))
    return client


def form_fields(page: str) -> dict:
    return dict(re.findall(r'name="(csrf|pending)" value="([^"]*)"', page))


async def post_code(client, the_code, fields=None):
    return await client.post("/console/login/code", data={**(fields or {}), "code": the_code}, allow_redirects=False)


async def first_step(client, name="hoa", password=PASSWORD) -> dict:
    response = await post_login(client, name=name, password=password)
    assert response.status == 200
    page = await response.text()
    assert 'action="/console/login/code"' in page and 'name="password"' not in page
    return form_fields(page)


async def logged_in(client, response) -> bool:
    if response.status != 302 or SESSION_COOKIE not in response.cookies:
        return False
    return (await client.get("/console/", allow_redirects=False)).status == 200


def wrong(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


async def test_right_password_and_right_code_open_a_session(console):
    fields = await first_step(console)
    assert SESSION_COOKIE not in console.session.cookie_jar.filter_cookies(console.make_url("/console/"))
    assert (await console.get("/console/", allow_redirects=False)).status == 302  # no session after step one
    assert await logged_in(console, await post_code(console, code(console.secret, console.clock), fields))
    # Accounts without two-step log-in keep the one-step log-in.
    assert await logged_in(console, await post_login(console, name="lan"))


async def test_a_wrong_code_is_refused_and_counts_in_the_throttle(console):
    for _ in range(PER_NAME.waits_from):
        fields = await first_step(console)
        refusal = await post_code(console, wrong(code(console.secret, console.clock)), fields)
        assert refusal.status == 401 and await alert_of(refusal) == REFUSED
    checks = console.accounts.hasher.checks
    throttled = await post_login(console, name="hoa")  # the right password, while the name waits: refused unchecked
    assert throttled.status == 401 and await alert_of(throttled) == REFUSED
    assert console.accounts.hasher.checks == checks
    console.clock.now += PER_NAME.wait(PER_NAME.waits_from)
    fields = await first_step(console)
    assert await logged_in(console, await post_code(console, code(console.secret, console.clock), fields))
    for _ in range(PER_NAME.waits_from - 1):  # the full log-in reset the name's count
        assert (await post_login(console, name="hoa", password="sai-mat-khau-roi")).status == 401
    await first_step(console)


async def test_a_replayed_code_is_refused(console):
    right = code(console.secret, console.clock)
    assert await logged_in(console, await post_code(console, right, await first_step(console)))
    console.session.cookie_jar.clear()
    replay = await post_code(console, right, await first_step(console))
    assert replay.status == 401 and await alert_of(replay) == REFUSED


async def test_the_pending_token_expires_and_is_used_once(console):
    fields = await first_step(console)
    console.clock.now += PENDING_SECONDS + 1
    late = await post_code(console, code(console.secret, console.clock), fields)
    assert late.status == 401 and await alert_of(late) == REFUSED

    fields = await first_step(console)
    assert await logged_in(console, await post_code(console, code(console.secret, console.clock), fields))
    console.session.cookie_jar.clear()
    page = await (await console.get("/console/login")).text()
    console.clock.now += 30
    again = await post_code(console, code(console.secret, console.clock),
                            {"csrf": form_fields(page)["csrf"], "pending": fields["pending"]})
    assert again.status == 401 and await alert_of(again) == REFUSED


async def test_the_second_step_without_the_first_is_refused(console):
    for pending in ("", "made-up-token"):
        csrf = form_fields(await (await console.get("/console/login")).text())["csrf"]
        response = await post_code(console, code(console.secret, console.clock), {"csrf": csrf, "pending": pending})
        assert response.status == 401 and await alert_of(response) == REFUSED
        assert SESSION_COOKIE not in response.cookies
    fields = await first_step(console)
    console.session.cookie_jar.clear()  # the login form's CSRF cookie is needed for the second step too
    response = await post_code(console, code(console.secret, console.clock), fields)
    assert response.status == 403


async def test_an_administrator_without_two_step_log_in_is_told_to_enrol(console):
    console.accounts.require_totp_for_admins = True
    console.accounts.disable_totp("hoa")
    refusal = await post_login(console, name="hoa")
    assert refusal.status == 401 and await alert_of(refusal) == ENROL_FIRST.format(name="hoa")
    assert await logged_in(console, await post_login(console, name="lan"))
