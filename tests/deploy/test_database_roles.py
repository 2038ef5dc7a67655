"""One PostgreSQL role per component (deploy/postgres-init.sh), each with only the rights it needs.

The structural test reads deploy/docker-compose.yml. The others start a real PostgreSQL server
(tests/services.py), run the two init files with psql as the postgres image would, and then let
each role do its own work with the project's own code, and try what it must not do.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INIT_SQL, INIT_SH = DEPLOY / "postgres-init.sql", DEPLOY / "postgres-init.sh"
APP_SERVICES = ("rasa", "actions", "widget", "retention")
DB_VARIABLES = ("TRACKER_STORE_URL", "CONSOLE_DB_URL", "DOSSIER_DB_URL")
PASSWORDS = {
    "tro_ly_rasa": ("TRACKER_DB_PASSWORD", "tracker-pw-1"),
    "tro_ly_actions": ("ACTIONS_DB_PASSWORD", "actions-pw-2"),
    "tro_ly_console": ("CONSOLE_DB_PASSWORD", "console-pw-3"),
    "tro_ly_retention": ("RETENTION_DB_PASSWORD", "retention-pw-4"),
}
DAY = 86400.0


# ---------------------------------------------------------------- compose (fast)


def _compose() -> dict:
    # PyYAML (merge keys, ${VAR} left as written), like tests/deploy/test_manifests.py.
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _database_urls(service: dict) -> dict:
    env = service.get("environment") or {}
    return {name: env[name] for name in DB_VARIABLES if name in env}


def test_compose_gives_every_service_its_own_database_role_and_none_the_superuser():
    services = _compose()["services"]
    postgres_env = services["postgres"]["environment"]
    superuser = postgres_env["POSTGRES_USER"]
    created = set(re.findall(r"tro_ly_\w+", re.search(r"unnest\(ARRAY\[([^]]+)\]", INIT_SH.read_text()).group(1)))
    assert created == set(PASSWORDS)

    users = {}
    for name in APP_SERVICES:
        urls = _database_urls(services[name])
        assert urls, f"{name} has no database URL"
        parsed = {variable: urlsplit(url) for variable, url in urls.items()}
        names = {p.username for p in parsed.values()}
        assert len(names) == 1, f"{name} connects as several roles: {names}"
        (user,) = names
        assert user in created and user not in (superuser, "postgres", "rasa"), f"{name} connects as {user}"
        password_variable = PASSWORDS[user][0]
        for variable, url in urls.items():
            assert url.startswith("postgresql://") and "@postgres:5432/" in url, (name, variable)
            assert f":${{{password_variable}}}@" in url, f"{name} {variable} should use {password_variable}"
            assert "POSTGRES_PASSWORD" not in url
        users[name] = user
    assert len(set(users.values())) == len(APP_SERVICES), users

    # Each service reaches only the databases it uses.
    databases = {name: {urlsplit(u).path.lstrip("/") for u in _database_urls(services[name]).values()}
                 for name in APP_SERVICES}
    assert databases == {"rasa": {"tracker", "console"}, "actions": {"dossiers", "console"}, "widget": {"console"},
                         "retention": {"tracker", "console", "dossiers"}}
    # The console server creates the console tables the action servers write bot events into.
    assert services["actions"]["depends_on"]["widget"] == {"condition": "service_healthy"}

    # The postgres service gets every password (required) and runs both init files.
    for _role, (variable, _) in PASSWORDS.items():
        assert postgres_env[variable] == f"${{{variable}:?set {variable} in .env}}"
    mounts = " ".join(services["postgres"]["volumes"])
    assert "./postgres-init.sql:/docker-entrypoint-initdb.d/10-databases.sql" in mounts
    assert "./postgres-init.sh:/docker-entrypoint-initdb.d/20-roles.sh" in mounts
    # env_file hands every container all of .env: no app container keeps another service's password.
    for name in APP_SERVICES:
        env = services[name]["environment"]
        for variable in ("POSTGRES_PASSWORD", *(v for v, _ in PASSWORDS.values())):
            assert env.get(variable) == "", f"{name} keeps {variable} from .env"


def test_init_script_is_valid_bash_and_keeps_passwords_off_the_command_line():
    subprocess.run(["bash", "-n", str(INIT_SH)], check=True)
    text = INIT_SH.read_text(encoding="utf-8")
    for variable, _ in PASSWORDS.values():
        assert "\\getenv" in text and variable in text
    assert " -v " not in text.replace("-v ON_ERROR_STOP=1", "")
    assert "REVOKE ALL ON DATABASE" in text and "REVOKE ALL ON SCHEMA public FROM PUBLIC" in text


# ---------------------------------------------------------------- a real server (slow)


def _psql(server) -> str:
    return server._bin("psql")


@pytest.fixture(scope="module")
def server():
    """PostgreSQL set up like the postgres image's first start, in a folder the postgres user may enter."""
    from tests.services import PostgresServer

    root = Path(tempfile.mkdtemp(prefix="tro-ly-roles-"))
    os.chmod(root, 0o755)
    postgres = PostgresServer(root / "postgres")
    try:
        (root / "postgres").mkdir()
        postgres.start()
        _run_init(postgres)
        yield postgres
    finally:
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


def _init_env(postgres) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(PGHOST="127.0.0.1", PGPORT=str(postgres.port), PGPASSWORD=postgres.password,
               POSTGRES_USER=postgres.user, PATH=f"{Path(_psql(postgres)).parent}{os.pathsep}{env.get('PATH', '')}")
    env.update({variable: password for variable, password in PASSWORDS.values()})
    return env


def _run_init(postgres) -> None:
    env = _init_env(postgres)
    subprocess.run([_psql(postgres), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", postgres.user, "-d", "postgres",
                    "-f", str(INIT_SQL)], env=env, check=True, capture_output=True)
    done = subprocess.run(["bash", str(INIT_SH)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _engine(postgres, role: str, database: str) -> sa.engine.Engine:
    password = PASSWORDS[role][1]
    return sa.create_engine(f"postgresql://{role}:{password}@127.0.0.1:{postgres.port}/{database}", future=True)


def _refused(engine, statement: str, **params) -> None:
    """The statement fails with a privilege error (and changes nothing)."""
    with pytest.raises(DBAPIError) as raised:
        with engine.connect() as conn:  # autocommit: CREATE DATABASE runs outside a transaction only
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement), params)
    assert "permission denied" in str(raised.value.orig) or "must be owner" in str(raised.value.orig), raised.value


def _cannot_connect(engine) -> None:
    with pytest.raises(OperationalError, match="permission denied for database"):
        with engine.connect():
            pass
    engine.dispose()


def _owners(postgres, database: str) -> dict:
    admin = sa.create_engine(postgres.url(database), future=True)
    with admin.connect() as conn:
        owners = {row[0]: row[1] for row in conn.execute(sa.text(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"))}
    admin.dispose()
    return owners


def _tracker(sender: str, at: float):
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(ActionExecuted("action_listen", timestamp=at))
    tracker.update(UserUttered("Làm hộ chiếu cần gì?", {"name": "hoi_thu_tuc", "confidence": 1.0}, timestamp=at))
    return tracker


@pytest.fixture(scope="module")
def tracker_written(server):
    """Rasa's own tracker store, as tro_ly_rasa: it creates `events` and writes two conversations."""
    from bot.stores import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(host=str(_engine(server, "tro_ly_rasa", "tracker").url.render_as_string(False)))
    asyncio.run(store.save(_tracker("old-conversation", time.time() - 200 * DAY)))
    asyncio.run(store.save(_tracker("live-conversation", time.time())))
    return store


@pytest.fixture(scope="module")
def console_tables(server):
    """The widget/console server's start-up, as tro_ly_console: every console table."""
    from records.events import EventLog
    from records.handoffs import HandoffQueue
    from records.reviews import ReviewLog
    from web.console.accounts import Accounts

    engine = _engine(server, "tro_ly_console", "console")
    accounts = Accounts(engine)
    accounts.add_user("admin", "mot-mat-khau-rat-dai-2024", "admin")
    events = EventLog(engine)
    reviews = ReviewLog(engine)
    HandoffQueue(engine).ensure_schema()
    return accounts, events, reviews


@pytest.fixture(scope="module")
def dossier_tables(server):
    """The action server's dossier store and proof guards, as tro_ly_actions."""
    from actions.dossiers.guard import ProofGuard
    from actions.dossiers.model import Dossier, Status
    from actions.dossiers.proofs import OneTimeCode
    from actions.dossiers.store import DossierStore

    engine = _engine(server, "tro_ly_actions", "dossiers")
    store = DossierStore(engine)
    store.ensure_schema()
    code = "000.00.00.H01-260101-0001"
    store.upsert([Dossier(code, "Cấp Phiếu lý lịch tư pháp", "N*** V** A", "1234", Status.DANG_XU_LY,
                          date(2026, 1, 1), date(2026, 1, 15), birth_year=1990)])
    assert ProofGuard(engine).admit("live-conversation", "ip:203.0.113.8", code).admitted
    old_guard = ProofGuard(engine, clock=lambda: time.time() - 200 * DAY)  # after: a guard prunes older counters
    assert old_guard.admit("old-conversation", "ip:203.0.113.7", code).admitted
    otp = OneTimeCode(engine, sender=None, clock=lambda: time.time() - 200 * DAY)  # type: ignore[arg-type]
    assert otp._store("old-conversation", code, "123456")
    return store, code


@pytest.mark.slow
def test_rasa_role_owns_the_tracker_and_reaches_nothing_else(server, tracker_written, console_tables):
    assert _owners(server, "tracker") == {"events": "tro_ly_rasa"}
    assert len(asyncio.run(tracker_written.retrieve("live-conversation")).events) == 2
    for database in ("dossiers", "postgres"):
        _cannot_connect(_engine(server, "tro_ly_rasa", database))
    # In the console database only the left questions, to hand officers' answers to widget citizens.
    from records.handoffs import HandoffQueue

    console = _engine(server, "tro_ly_rasa", "console")
    HandoffQueue(_engine(server, "tro_ly_actions", "console")).leave("web:a", "socketio", "c", "câu hỏi dài", "")
    queue = HandoffQueue(console)
    assert queue.undelivered_for("web:a") == []
    _refused(console, "SELECT * FROM console_users")
    _refused(console, "SELECT * FROM bot_events")
    _refused(console, "UPDATE left_questions SET answer = 'x'")
    _refused(console, "DELETE FROM left_questions")
    console.dispose()
    engine = _engine(server, "tro_ly_rasa", "tracker")
    _refused(engine, "CREATE ROLE intruder")
    _refused(engine, "CREATE DATABASE intruder")
    engine.dispose()


@pytest.mark.slow
def test_console_role_creates_and_owns_every_console_table(server, console_tables):
    owners = _owners(server, "console")
    assert set(owners) >= {"bot_events", "bot_replies", "answer_reviews", "console_users", "console_sessions",
                           "console_audit", "console_login_throttle"}
    assert set(owners.values()) == {"tro_ly_console"}
    for database in ("tracker", "dossiers"):
        _cannot_connect(_engine(server, "tro_ly_console", database))


@pytest.mark.slow
def test_actions_role_queues_handoffs_and_leaves_questions(server, console_tables):
    from records.handoffs import HandoffQueue

    queue = HandoffQueue(_engine(server, "tro_ly_actions", "console"))
    handoff = queue.request("web:x", "socketio", "mot-cua")
    assert queue.place(handoff.id).position >= 1 and queue.abandon(handoff.id)
    assert queue.leave("web:x", "socketio", "mot-cua", "một câu hỏi", "").code.startswith("HD-")
    assert queue.on_duty("mot-cua") == []
    _refused(queue.engine, "UPDATE handoffs SET officer = 'x'")
    _refused(queue.engine, "UPDATE left_questions SET answer = 'x'")
    _refused(queue.engine, "INSERT INTO handoff_officers (officer, centre, seen_at) VALUES ('x', 'c', 1)")


@pytest.mark.slow
def test_actions_role_only_appends_bot_events_to_the_console_database(server, console_tables):
    from records.events import ANSWER, FALLBACK, EventLog

    engine = _engine(server, "tro_ly_actions", "console")
    log = EventLog(engine)  # the action server's own start (create_all finds every table there)
    log.record(ANSWER, channel="rest", text="hộ chiếu", procedure_id="ho-chieu", reply="Bạn cần tờ khai ...")
    log.record(FALLBACK, channel="rest", text="câu lạ")
    _, events, _ = console_tables
    assert [e.kind for e in events.events()][-2:] == [ANSWER, FALLBACK]

    for statement in ("SELECT * FROM console_users", "SELECT password_hash FROM console_users",
                      "SELECT * FROM console_sessions", "SELECT * FROM console_audit",
                      "SELECT text FROM bot_events", "SELECT * FROM bot_replies", "SELECT * FROM answer_reviews",
                      "INSERT INTO console_users (name, role, password_hash, failures, locked_until) "
                      "VALUES ('x', 'admin', 'x', 0, 0)",
                      "INSERT INTO answer_reviews (event_id, label, reviewer, at) VALUES (1, 'correct', 'x', 0)",
                      "UPDATE bot_events SET status = 'dismissed'", "DELETE FROM bot_events",
                      "DELETE FROM bot_replies", "DROP TABLE bot_events", "TRUNCATE bot_events",
                      "ALTER TABLE bot_events ADD COLUMN x int", "CREATE TABLE intruder (id int)"):
        _refused(engine, statement)
    for database in ("tracker", "postgres"):
        _cannot_connect(_engine(server, "tro_ly_actions", database))
    engine.dispose()


@pytest.mark.slow
def test_actions_role_owns_the_dossier_tables(server, dossier_tables):
    store, code = dossier_tables
    assert store.get(code).phone_last4 == "1234"
    owners = _owners(server, "dossiers")
    assert owners == {"dossiers": "tro_ly_actions", "proof_attempts": "tro_ly_actions",
                      "proof_otps": "tro_ly_actions"}
    for role in ("tro_ly_rasa", "tro_ly_console"):
        _cannot_connect(_engine(server, role, "dossiers"))


@pytest.mark.slow
def test_retention_role_cleans_all_three_databases_and_nothing_more(server, tracker_written, console_tables,
                                                                    dossier_tables):
    from records import retention
    from records.events import ANSWER, FALLBACK
    from records.reviews import CORRECT

    _, events, reviews = console_tables
    old = time.time() - 200 * DAY
    events.record(ANSWER, text="câu cũ đã gán nhãn", reply="đáp cũ", at=old)
    events.record(FALLBACK, text="câu cũ", at=old)
    labelled = [e for e in events.events() if e.at == old and e.kind == ANSWER][0]
    assert reviews.label(labelled.id, CORRECT, "admin")

    engines = {name: _engine(server, "tro_ly_retention", name) for name in ("tracker", "console", "dossiers")}
    counts = retention.apply_retention(engines, retention.cutoff_for(90))
    assert counts["tracker"]["events"].conversations == 1 and counts["tracker"]["events"].deleted == 2
    assert counts["console"]["bot_replies"].deleted == 1
    assert counts["console"]["bot_events"].deleted == 1 and counts["console"]["bot_events"].anonymised == 1
    assert counts["dossiers"]["proof_attempts"].deleted >= 1 and counts["dossiers"]["proof_otps"].deleted == 1
    assert asyncio.run(tracker_written.retrieve("old-conversation")) is None
    assert len(asyncio.run(tracker_written.retrieve("live-conversation")).events) == 2
    assert [e.text for e in events.events() if e.id == labelled.id] == [""]

    tracker, console, dossiers = engines["tracker"], engines["console"], engines["dossiers"]
    _refused(tracker, "INSERT INTO events (sender_id, type_name) VALUES ('x', 'user')")
    _refused(tracker, "UPDATE events SET data = ''")
    _refused(tracker, "DROP TABLE events")
    _refused(tracker, "CREATE TABLE intruder (id int)")
    _refused(console, "INSERT INTO bot_events (at, kind, channel, procedure_id, aspect, text, status) "
                      "VALUES (0, 'answer', '', '', '', '', 'open')")
    _refused(console, "UPDATE bot_events SET kind = 'answer'")
    _refused(console, "DELETE FROM answer_reviews")
    _refused(console, "SELECT * FROM console_users")
    _refused(console, "DELETE FROM console_sessions")
    _refused(console, "DROP TABLE bot_replies")
    _refused(console, "TRUNCATE bot_events")
    _refused(dossiers, "SELECT * FROM dossiers")
    _refused(dossiers, "DELETE FROM dossiers")
    _refused(dossiers, "INSERT INTO proof_attempts (khoa, cua_so, so_lan) VALUES ('x', 0, 1)")
    _refused(dossiers, "DROP TABLE proof_otps")
    _cannot_connect(_engine(server, "tro_ly_retention", "postgres"))
    for engine in engines.values():
        engine.dispose()


@pytest.mark.slow
def test_init_script_runs_again_without_losing_a_grant(server, console_tables, dossier_tables):
    """Running it on an existing deployment (as the README says) keeps everything working."""
    from records.events import ANSWER, EventLog

    done = subprocess.run(["bash", str(INIT_SH)], env=_init_env(server), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    engine = _engine(server, "tro_ly_actions", "console")
    EventLog(engine).record(ANSWER, text="sau khi chạy lại", reply="vẫn ghi được")
    _refused(engine, "SELECT * FROM console_users")
    engine.dispose()
    retention_engine = _engine(server, "tro_ly_retention", "dossiers")
    with retention_engine.connect() as conn:
        conn.execute(sa.text("SELECT count(*) FROM proof_attempts"))
    retention_engine.dispose()


@pytest.mark.slow
def test_roles_have_no_special_attributes_nor_each_other(server):
    admin = sa.create_engine(server.url("postgres"), future=True)
    with admin.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles "
            "WHERE rolname LIKE 'tro_ly_%' ORDER BY rolname")).all()
    admin.dispose()
    assert [r[0] for r in rows] == sorted(PASSWORDS)
    assert all(not any(r[1:]) for r in rows)
    with pytest.raises((OperationalError, ProgrammingError)):
        with _engine(server, "tro_ly_console", "console").connect() as conn:
            conn.execute(sa.text("SET ROLE tro_ly_actions"))
