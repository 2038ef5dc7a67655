"""Retention on real databases: SQLite files and a real PostgreSQL server (tests/services.py).

The tracker store's table is created and filled by Rasa's own SQLTrackerStore and
the console tables by the event and review logs, as in production; the proof-of-link
tables are created here with the action server's columns.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, func, insert, inspect, select
from sqlalchemy.engine import Engine

from records import retention
from records.database import make_engine
from records.events import ANSWER, FALLBACK, EventLog, bot_events, bot_replies
from records.reviews import CORRECT, ReviewLog, answer_reviews, iso_week
from tests.services import PostgresServer

NOW = time.time()
DAY = 86400
CUTOFF = retention.cutoff_for(90, NOW)

_names = itertools.count()
ENV_URLS = ("TRACKER_STORE_URL", "CONSOLE_DB_URL", "DOSSIER_DB_URL")


@pytest.fixture(scope="module")
def postgres():
    """One PostgreSQL server for the module, in a folder the postgres user may enter."""
    root = Path(tempfile.mkdtemp(prefix="tro-ly-retention-"))
    os.chmod(root, 0o755)
    (root / "postgres").mkdir()
    server = PostgresServer(root / "postgres")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def new_url(request, tmp_path) -> Callable[[str], str]:
    """Makes an empty database of the parametrised kind and returns its URL."""
    if request.param == "sqlite":
        return lambda name: f"sqlite:///{tmp_path / name}.sqlite3"
    server = request.getfixturevalue("postgres")
    return lambda name: server.create_database(f"{name}_{next(_names)}")


@pytest.fixture
def engines():
    made: List[Engine] = []

    def engine_for(url: str) -> Engine:
        made.append(make_engine(url))
        return made[-1]

    yield engine_for
    for engine in made:
        engine.dispose()


# ---------------------------------------------------------------- tracker store


def _turns(start: float, count: int) -> list:
    """``count`` turns (user, action, bot: three events each), one minute apart from ``start``."""
    events = []
    for i in range(count):
        at = start + 60 * i
        events += [UserUttered(f"câu hỏi {i}", timestamp=at), ActionExecuted("utter_answer", timestamp=at + 1),
                   BotUttered(f"trả lời {i}", timestamp=at + 2)]
    return events


async def _fill_tracker(url: str, conversations: Dict[str, list]) -> None:
    store = SQLTrackerStore(host=url)
    try:
        for sender, events in conversations.items():
            await store.save(DialogueStateTracker.from_events(sender, events))
    finally:
        store.engine.dispose()


def _rows_per_sender(engine: Engine) -> Dict[str, int]:
    events = retention.tracker_events
    query = select(events.c.sender_id, func.count()).group_by(events.c.sender_id)
    with engine.connect() as conn:
        return {sender: n for sender, n in conn.execute(query)}


CONVERSATIONS = {
    "old-1": _turns(NOW - 200 * DAY, 4),                                 # 12 events, all old
    "old-2": _turns(NOW - 95 * DAY, 2),                                  # 6 events, all old
    "recent": _turns(NOW - 1 * DAY, 3),                                  # 9 events
    "live": _turns(NOW - 150 * DAY, 2) + _turns(NOW - 2 * DAY, 1),       # 6 old + 3 recent: kept whole
}


async def test_old_conversations_go_whole_recent_and_live_ones_stay(new_url, engines):
    url = new_url("tracker")
    await _fill_tracker(url, CONVERSATIONS)
    engine = engines(url)

    counts = retention.sweep_tracker(engine, CUTOFF)

    assert counts["events"].deleted == 12 + 6 and counts["events"].conversations == 2
    assert _rows_per_sender(engine) == {"recent": 9, "live": 9}
    store = SQLTrackerStore(host=url)
    try:
        live = await store.retrieve("live")
        assert [e.text for e in live.events if isinstance(e, UserUttered)] == ["câu hỏi 0", "câu hỏi 1", "câu hỏi 0"]
        assert await store.retrieve("old-1") is None
    finally:
        store.engine.dispose()


async def test_dry_run_counts_what_a_run_deletes_and_changes_nothing(new_url, engines):
    url = new_url("tracker")
    await _fill_tracker(url, CONVERSATIONS)
    engine = engines(url)
    before = _rows_per_sender(engine)

    dry = retention.sweep_tracker(engine, CUTOFF, dry_run=True)
    assert _rows_per_sender(engine) == before
    real = retention.sweep_tracker(engine, CUTOFF)
    assert (dry["events"].deleted, dry["events"].conversations) == (real["events"].deleted, 2) == (18, 2)
    assert retention.sweep_tracker(engine, CUTOFF)["events"].deleted == 0


async def test_small_batches_delete_everything_newest_first(new_url, engines):
    url = new_url("tracker")
    await _fill_tracker(url, {"old": _turns(NOW - 100 * DAY, 5), "recent": _turns(NOW, 1)})
    engine = engines(url)
    events = retention.tracker_events
    with engine.connect() as conn:
        ids = sorted(row[0] for row in conn.execute(select(events.c.id).where(events.c.sender_id == "old")))

    step = retention.conversation_step(["old"], CUTOFF)
    with engine.begin() as conn:  # one batch of 4, as an interrupted run would leave it
        assert conn.execute(step.act(step.rows.limit(4))).rowcount == 4
    with engine.connect() as conn:
        left = sorted(row[0] for row in conn.execute(select(events.c.id).where(events.c.sender_id == "old")))
    assert left == ids[:-4]  # a prefix of the conversation: Rasa can still replay it

    counts = retention.sweep_tracker(engine, CUTOFF, batch=2)
    assert counts["events"].deleted == 15 - 4
    assert _rows_per_sender(engine) == {"recent": 3}


async def test_a_conversation_that_comes_back_to_life_during_the_run_is_kept(new_url, engines):
    url = new_url("tracker")
    await _fill_tracker(url, {"back": _turns(NOW - 120 * DAY, 2)})
    engine = engines(url)
    assert retention.stale_conversations(engine, CUTOFF) == ["back"]
    await _fill_tracker(url, {"back": _turns(NOW - 120 * DAY, 2) + _turns(NOW, 1)})  # the citizen writes again

    step = retention.conversation_step(["back"], CUTOFF)
    assert retention.run_step(engine, step, batch=2) == 0
    assert _rows_per_sender(engine) == {"back": 9}


# ---------------------------------------------------------------- console database


def _fill_console(engine: Engine) -> Dict[str, int]:
    """Old and recent events, with replies; one old and one recent answer labelled. Returns ids by name."""
    log, reviews = EventLog(engine), ReviewLog(engine)
    rows = {
        "old_labelled": (ANSWER, NOW - 100 * DAY, "lệ phí làm căn cước", "Lệ phí là 30.000 đồng"),
        "old_answer": (ANSWER, NOW - 120 * DAY, "làm sổ đỏ ở đâu", "Tại văn phòng đăng ký đất đai"),
        "old_fallback": (FALLBACK, NOW - 91 * DAY, "tôi là Nguyễn Văn An, nhà ở số 5 Lê Lợi", None),
        "recent_labelled": (ANSWER, NOW - 10 * DAY, "đăng ký khai sinh", "Mang giấy chứng sinh"),
        "recent_fallback": (FALLBACK, NOW - 1 * DAY, "hỏi linh tinh", None),
    }
    for kind, at, text, reply in rows.values():
        log.record(kind, channel="rest", text=text, procedure_id="1.001", at=at, reply=reply)
    with engine.connect() as conn:
        ids = dict(zip(rows, (row[0] for row in conn.execute(select(bot_events.c.id).order_by(bot_events.c.id))),
                       strict=True))
    assert reviews.label(ids["old_labelled"], CORRECT, "can-bo-lan", at=NOW - 99 * DAY)
    assert reviews.label(ids["recent_labelled"], CORRECT, "can-bo-lan", at=NOW - 9 * DAY)
    return ids


def _table(engine: Engine, table) -> list:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]


def test_console_deletes_old_events_and_replies_and_anonymises_labelled_ones(new_url, engines):
    engine = engines(new_url("console"))
    ids = _fill_console(engine)
    shares_before = ReviewLog(engine).shares()
    reviews_before = _table(engine, answer_reviews)

    dry = retention.sweep_console(engine, CUTOFF, dry_run=True)
    assert len(_table(engine, bot_events)) == 5 and len(_table(engine, bot_replies)) == 3
    counts = retention.sweep_console(engine, CUTOFF, batch=1)

    assert dry == counts
    assert (counts["bot_replies"].deleted, counts["bot_replies"].anonymised) == (2, 0)
    assert (counts["bot_events"].deleted, counts["bot_events"].anonymised) == (2, 1)
    left = {row.id: row for row in EventLog(engine).events()}
    assert set(left) == {ids["old_labelled"], ids["recent_labelled"], ids["recent_fallback"]}
    assert left[ids["old_labelled"]].text == "" and left[ids["old_labelled"]].procedure_id == "1.001"
    assert left[ids["recent_labelled"]].text == "đăng ký khai sinh"
    assert [row[0] for row in _table(engine, bot_replies)] == [ids["recent_labelled"]]
    # The review figures are the same: labels are kept, their events keep time and procedure.
    assert _table(engine, answer_reviews) == reviews_before
    assert ReviewLog(engine).shares() == shares_before
    assert {s.key for s in shares_before["week"]} >= {iso_week(NOW - 100 * DAY)}
    # Nothing old is left to offer for review or to group as unanswered.
    assert [e.id for e in EventLog(engine).unanswered()] == [ids["recent_fallback"]]
    again = retention.sweep_console(engine, CUTOFF)
    assert [(c.deleted, c.anonymised) for c in again.values()] == [(0, 0), (0, 0)]


def test_console_without_review_labels_deletes_every_old_event(new_url, engines):
    engine = engines(new_url("console"))
    log = EventLog(engine)
    log.record(FALLBACK, text="cũ", at=NOW - 100 * DAY)
    log.record(FALLBACK, text="mới", at=NOW)
    with engine.begin() as conn:
        answer_reviews.drop(conn)

    counts = retention.sweep_console(engine, CUTOFF)

    assert (counts["bot_events"].deleted, counts["bot_events"].anonymised) == (1, 0)
    assert [e.text for e in log.events()] == ["mới"]


# ---------------------------------------------------------------- dossier database and missing tables


def _proof_tables(engine: Engine) -> Dict[str, Table]:
    """The action server's proof-of-link tables, as it creates them (hashed keys, a time per row)."""
    schema = MetaData()
    made = {
        "proof_attempts": Table("proof_attempts", schema, Column("khoa", String(64), primary_key=True),
                                Column("cua_so", Integer, primary_key=True), Column("so_lan", Integer, nullable=False)),
        "proof_otps": Table("proof_otps", schema, Column("khoa", String(64), primary_key=True),
                            Column("bam", String(64), nullable=False), Column("het_han", Float, nullable=False),
                            Column("gui_luc", Float, nullable=False)),
        "proof_failures": Table("proof_failures", schema, Column("id", Integer, primary_key=True),
                                Column("khoa", String(64), nullable=False), Column("luc", Float, nullable=False)),
    }
    schema.create_all(engine)
    return made


def test_old_proof_counters_codes_and_failures_go(new_url, engines):
    engine = engines(new_url("dossiers"))
    tables = _proof_tables(engine)
    with engine.begin() as conn:
        conn.execute(insert(tables["proof_attempts"]), [
            {"khoa": "a" * 64, "cua_so": int(NOW - 100 * DAY), "so_lan": 3},
            {"khoa": "a" * 64, "cua_so": int(NOW - 95 * DAY), "so_lan": 1},
            {"khoa": "b" * 64, "cua_so": int(NOW), "so_lan": 2}])
        conn.execute(insert(tables["proof_otps"]), [
            {"khoa": "c" * 64, "bam": "0" * 64, "het_han": NOW - 91 * DAY, "gui_luc": NOW - 91 * DAY},
            {"khoa": "d" * 64, "bam": "1" * 64, "het_han": NOW + 300, "gui_luc": NOW}])
        conn.execute(insert(tables["proof_failures"]), [{"khoa": "e" * 64, "luc": NOW - 100 * DAY}])

    dry = retention.sweep_dossiers(engine, CUTOFF, dry_run=True)
    counts = retention.sweep_dossiers(engine, CUTOFF, batch=1)

    assert dry == counts
    assert {name: c.deleted for name, c in counts.items()} == {
        "proof_attempts": 2, "proof_otps": 1, "proof_failures": 1}
    assert [row[0] for row in _table(engine, tables["proof_attempts"])] == ["b" * 64]
    assert [row[0] for row in _table(engine, tables["proof_otps"])] == ["d" * 64]
    assert _table(engine, tables["proof_failures"]) == []


def test_tables_that_do_not_exist_are_skipped_and_not_created(new_url, engines):
    urls = {name: new_url(name) for name in ("tracker", "console", "dossiers")}
    found = {name: engines(url) for name, url in urls.items()}

    result = retention.apply_retention(found, CUTOFF)

    assert {name: {t: c.present for t, c in tables.items()} for name, tables in result.items()} == {
        "tracker": {"events": False},
        "console": {"bot_replies": False, "bot_events": False},
        "dossiers": {},
    }
    assert all(inspect(engine).get_table_names() == [] for engine in found.values())


# ---------------------------------------------------------------- command line


async def test_command_line_reads_the_environment_and_prints_counts(tmp_path, monkeypatch, capsys, engines):
    urls = {"TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.sqlite3'}",
            "CONSOLE_DB_URL": f"sqlite:///{tmp_path / 'console.sqlite3'}",
            "DOSSIER_DB_URL": f"sqlite:///{tmp_path / 'missing' / 'dossiers.sqlite3'}"}
    for name, url in urls.items():
        monkeypatch.setenv(name, url)
    monkeypatch.setenv("RETENTION_DAYS", "90")
    await _fill_tracker(urls["TRACKER_STORE_URL"], CONVERSATIONS)
    _fill_console(engines(urls["CONSOLE_DB_URL"]))

    assert retention.main(["--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "dry run" in dry and "events: 18 rows would be deleted, 2 conversations" in dry
    assert "bot_events: 2 rows would be deleted, 1 would be anonymised" in dry
    assert "dossiers" in dry and "no database file, skipped" in dry
    assert not (tmp_path / "missing").exists()
    assert _rows_per_sender(engines(urls["TRACKER_STORE_URL"]))["old-1"] == 12

    assert retention.main([]) == 0
    out = capsys.readouterr().out
    assert "events: 18 rows deleted, 2 conversations" in out and "bot_replies: 2 rows deleted" in out
    assert retention.main(["--days", "400"]) == 0
    assert "events: 0 rows deleted, 0 conversations" in capsys.readouterr().out


@pytest.mark.parametrize("days", ["0", "-3", "ninety"])
def test_command_line_refuses_a_bad_period(monkeypatch, capsys, days):
    monkeypatch.setenv("RETENTION_DAYS", days)
    assert retention.main([]) == 2
    assert "retention:" in capsys.readouterr().err


def test_urls_come_from_the_same_variables_as_the_servers():
    urls = retention.database_urls({"TRACKER_STORE_URL": "postgresql://h/tracker", "CONSOLE_DB_URL": "",
                                    "DOSSIER_DB_URL": "postgresql://h/dossiers"})
    assert urls["tracker"] == "postgresql://h/tracker" and urls["dossiers"] == "postgresql://h/dossiers"
    assert urls["console"].endswith("var/console.sqlite3")
    assert retention.database_urls({})["tracker"].endswith("var/tracker.sqlite3")


# ---------------------------------------------------------------- scheduling


def test_the_deployments_run_it_daily_on_the_servers_databases():
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    job = yaml.safe_load((deploy / "k8s" / "retention.yaml").read_text(encoding="utf-8"))
    assert job["kind"] == "CronJob" and len(job["spec"]["schedule"].split()) == 5
    assert job["spec"]["schedule"].split()[2:] == ["*", "*", "*"]  # every day
    assert job["spec"]["concurrencyPolicy"] == "Forbid"
    container = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["python", "-m", "records.retention"]
    assert {e["name"] for e in container["env"]} == {"RETENTION_DAYS", *ENV_URLS}
    compose = yaml.safe_load((deploy / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["retention"]
    assert "python -m records.retention" in compose["command"][-1] and "sleep 86400" in compose["command"][-1]
    assert set(ENV_URLS) <= set(compose["environment"])


def test_ended_handoffs_and_old_left_questions_go(tmp_path):
    from records.handoffs import HandoffQueue
    from records.retention import sweep_console

    engine = make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    clock = type("Clock", (), {"now": NOW - 100 * DAY, "__call__": lambda self: self.now})()
    queue = HandoffQueue(engine, clock)
    old_closed = queue.request("web:a", "socketio", "c")
    queue.take(old_closed.id, "an")
    queue.close(old_closed.id, "an", "answered")
    old_waiting = queue.request("web:b", "socketio", "c")
    queue.leave("web:a", "socketio", "c", "câu hỏi cũ", "0912345678")
    clock.now = NOW
    recent = queue.leave("web:c", "socketio", "c", "câu hỏi mới", "")
    counts = sweep_console(engine, NOW - 90 * DAY)
    assert counts["handoffs"].deleted == 1 and counts["left_questions"].deleted == 1
    assert queue.get(old_closed.id) is None and queue.get(old_waiting.id) is not None
    assert [q.id for q in queue.left_listing()] == [recent.id]
