"""Data retention: conversations and bot records older than a set period are deleted or anonymised.

Vietnam's Personal Data Protection Law (in force 1 January 2026) expects personal
data to be kept no longer than needed. Run daily (``make retention``, a Kubernetes
CronJob, a loop in docker compose); the default period is ``RETENTION_DAYS=90``.

What happens to rows older than the cutoff:

* **Tracker store** (``TRACKER_STORE_URL``, Rasa's ``events`` table): every event of a
  conversation whose *last* event is older than the cutoff is **deleted**. A
  conversation with one recent event is kept whole, however old its beginning, so
  no live conversation is cut in half. Each batch deletes the newest rows first and
  re-checks that the conversation is still quiet, so an interrupted run (or a
  citizen writing again meanwhile) leaves at worst a prefix of the conversation,
  which Rasa can still replay.
* **Console database** (``CONSOLE_DB_URL``, records/events.py and records/reviews.py):

  - ``bot_replies`` (the reply as sent; it can echo what the citizen said): **deleted**.
  - ``bot_events`` labelled in the review queue (``answer_reviews``): **anonymised**,
    the masked question text is blanked and the row kept (time, kind, procedure,
    aspect, channel; there is no sender id), because the share answered correctly
    per ISO week and per procedure (``ReviewLog.shares``) is computed from every
    label ever given.
  - other ``bot_events``: **deleted**. The console's figures read the last 30 days
    only, so they are whole as long as the period is 30 days or more.
  - ``answer_reviews`` is **kept**: an event id, a label, the officer's account name
    and a time, no citizen's text.
  - ended ``handoffs`` (closed or abandoned) and ``left_questions`` (the question and
    the citizen's contact): **deleted**.
* **Dossier database** (``DOSSIER_DB_URL``): leftover proof-of-link counters, lock-outs
  and one-time codes (``proof_attempts``, ``proof_otps``, ``proof_failures``,
  ``proof_locks``: hashed conversation ids, addresses and dossier codes) are **deleted**.
  The imported ``dossiers`` mirror the one-stop system and follow its retention; they
  are not touched here.

Deletes and updates run in batches (1,000 rows per transaction by default), so a big
table is never locked for long. Tables that do not exist are skipped.

Usage: python -m records.retention [--days N] [--dry-run] [--batch N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Mapping, Sequence, Tuple

from sqlalchemy import column, delete, func, inspect, select, table, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Executable, Select

from records.database import DEFAULT_DB_URL as DEFAULT_DOSSIER_URL
from records.database import ROOT, make_engine
from records.events import DEFAULT_DB_URL as DEFAULT_CONSOLE_URL
from records.events import bot_events, bot_replies
from records.reviews import answer_reviews

DEFAULT_DAYS = 90
DEFAULT_BATCH = 1000
DAY_SECONDS = 86400
# The console's figures page reads this many days (web/console/web.py STATS_DAYS).
FIGURES_DAYS = 30
# Same default as bot/endpoints.py (records/ may not import bot/).
DEFAULT_TRACKER_URL = f"sqlite:///{ROOT / 'var' / 'tracker.sqlite3'}"
# Conversations per delete statement: their ids are bound twice, well under SQLite's variable limit.
SENDERS_PER_CHUNK = 200

DELETED, ANONYMISED = "deleted", "anonymised"

# Rasa's SQLTrackerStore table, only the columns retention reads (Rasa creates and owns it).
tracker_events = table("events", column("id"), column("sender_id"), column("timestamp"))
# The action server's proof-of-link tables (actions/dossiers/, which records/ may not import) and the
# column that dates each row: attempt counters and failures, lock-outs and one-time codes by expiry.
# They prune themselves to a few days of rows, so one statement each is short; absent ones are skipped.
PROOF_TABLES = (("proof_attempts", "cua_so"), ("proof_otps", "het_han"),
                ("proof_failures", "luc"), ("proof_locks", "den_luc"))


@dataclass
class Counts:
    """What retention did (or, in a dry run, would do) to one table."""

    deleted: int = 0
    anonymised: int = 0
    conversations: int = 0  # whole conversations removed (tracker events only)
    present: bool = True  # False: the table does not exist in this database


Tables = Dict[str, Counts]


@dataclass(frozen=True)
class Step:
    """One action on one table: the keys of the rows concerned, and the statement acting on some of them."""

    table: str
    action: str
    rows: Select
    act: Callable[[Select], Executable]


def cutoff_for(days: float, now: float | None = None) -> float:
    """The epoch time before which rows go, ``days`` before ``now``."""
    return (time.time() if now is None else now) - days * DAY_SECONDS


def has_table(engine: Engine, name: str) -> bool:
    return inspect(engine).has_table(name)


def run_step(engine: Engine, step: Step, batch: int = DEFAULT_BATCH, dry_run: bool = False) -> int:
    """Rows concerned by ``step`` (dry run), or acted on, ``batch`` rows per transaction."""
    if dry_run:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(step.rows.order_by(None).subquery())).scalar_one()
    total = 0
    while True:
        with engine.begin() as conn:
            done = conn.execute(step.act(step.rows.limit(batch))).rowcount or 0
        total += done
        if done < batch:
            return total


def _record(counts: Counts, action: str, rows: int) -> None:
    if action == ANONYMISED:
        counts.anonymised += rows
    else:
        counts.deleted += rows


# ---------------------------------------------------------------- tracker store


def stale_conversations(engine: Engine, cutoff: float) -> List[str]:
    """Sender ids whose last event is older than ``cutoff``."""
    query = (select(tracker_events.c.sender_id).group_by(tracker_events.c.sender_id)
             .having(func.max(tracker_events.c.timestamp) < cutoff))
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(query)]


def conversation_step(senders: Sequence[str], cutoff: float) -> Step:
    """Delete the events of ``senders`` still quiet since ``cutoff``, newest first."""
    rows, later = tracker_events.alias("stale"), tracker_events.alias("later")
    live = select(later.c.sender_id).where(later.c.sender_id.in_(list(senders)), later.c.timestamp >= cutoff)
    ids = (select(rows.c.id).where(rows.c.sender_id.in_(list(senders)), rows.c.sender_id.not_in(live))
           .order_by(rows.c.id.desc()))
    return Step("events", DELETED, ids, lambda chosen: delete(tracker_events).where(tracker_events.c.id.in_(chosen)))


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def sweep_tracker(engine: Engine, cutoff: float, batch: int = DEFAULT_BATCH, dry_run: bool = False) -> Tables:
    """Delete whole conversations whose last event is older than ``cutoff``."""
    if not has_table(engine, "events"):
        return {"events": Counts(present=False)}
    senders = stale_conversations(engine, cutoff)
    counts = Counts(conversations=len(senders))
    for chunk in _chunks(senders, SENDERS_PER_CHUNK):
        counts.deleted += run_step(engine, conversation_step(chunk, cutoff), batch, dry_run)
    return {"events": counts}


# ---------------------------------------------------------------- console database


def reply_step(cutoff: float) -> Step:
    """Delete the replies of events older than ``cutoff``."""
    replies, old = bot_replies.alias("old_replies"), bot_events.alias("old_events")
    keys = select(replies.c.event_id).where(replies.c.event_id.in_(select(old.c.id).where(old.c.at < cutoff)))
    return Step("bot_replies", DELETED, keys,
                lambda chosen: delete(bot_replies).where(bot_replies.c.event_id.in_(chosen)))


def labelled_event_step(cutoff: float) -> Step:
    """Blank the question of labelled events older than ``cutoff``; their rows stay for the review figures."""
    old = bot_events.alias("old_events")
    keys = select(old.c.id).where(old.c.at < cutoff, old.c.text != "",
                                  old.c.id.in_(select(answer_reviews.c.event_id)))
    return Step("bot_events", ANONYMISED, keys,
                lambda chosen: update(bot_events).where(bot_events.c.id.in_(chosen)).values(text=""))


def unlabelled_event_step(cutoff: float, labels_exist: bool) -> Step:
    """Delete events older than ``cutoff`` that no officer labelled."""
    old = bot_events.alias("old_events")
    keys = select(old.c.id).where(old.c.at < cutoff)
    if labels_exist:
        keys = keys.where(old.c.id.not_in(select(answer_reviews.c.event_id)))
    return Step("bot_events", DELETED, keys, lambda chosen: delete(bot_events).where(bot_events.c.id.in_(chosen)))


def console_steps(engine: Engine, cutoff: float) -> Tuple[List[Step], Tables]:
    """The steps for the tables this database has (replies first: they are found through their events)."""
    events_exist = has_table(engine, "bot_events")
    replies_exist = events_exist and has_table(engine, "bot_replies")
    labels_exist = events_exist and has_table(engine, "answer_reviews")
    steps = ([reply_step(cutoff)] if replies_exist else []) + ([labelled_event_step(cutoff)] if labels_exist else [])
    steps += [unlabelled_event_step(cutoff, labels_exist)] if events_exist else []
    return steps, {"bot_replies": Counts(present=replies_exist), "bot_events": Counts(present=events_exist)}


def handoff_steps(engine: Engine, cutoff: float) -> Tuple[List[Step], Tables]:
    """Ended handoffs and left questions (with the citizen's contact) from before ``cutoff``."""
    steps, counts = [], {}
    if has_table(engine, "handoffs"):
        rows = table("handoffs", column("id"), column("state"), column("requested_at"))
        ended = select(rows.c.id).where(rows.c.requested_at < cutoff, rows.c.state.in_(("closed", "abandoned")))
        steps.append(Step("handoffs", DELETED, ended, lambda chosen: delete(rows).where(rows.c.id.in_(chosen))))
        counts["handoffs"] = Counts()
    if has_table(engine, "left_questions"):
        left = table("left_questions", column("id"), column("asked_at"))
        old = select(left.c.id).where(left.c.asked_at < cutoff)
        steps.append(Step("left_questions", DELETED, old, lambda chosen: delete(left).where(left.c.id.in_(chosen))))
        counts["left_questions"] = Counts()
    return steps, counts


def sweep_console(engine: Engine, cutoff: float, batch: int = DEFAULT_BATCH, dry_run: bool = False) -> Tables:
    """Delete replies and unlabelled events older than ``cutoff``; anonymise the labelled ones; delete
    ended handoffs and left questions."""
    steps, counts = console_steps(engine, cutoff)
    more_steps, more_counts = handoff_steps(engine, cutoff)
    counts.update(more_counts)
    for step in steps + more_steps:
        _record(counts[step.table], step.action, run_step(engine, step, batch, dry_run))
    return counts


# ---------------------------------------------------------------- dossier database


def expiring_step(name: str, time_column: str, cutoff: float) -> Step:
    """Delete the rows of a small, self-pruning table whose time is before ``cutoff``, in one statement."""
    rows = table(name, column(time_column))
    old = select(rows.c[time_column]).where(rows.c[time_column] < cutoff)
    return Step(name, DELETED, old, lambda _chosen: delete(rows).where(rows.c[time_column] < cutoff))


def sweep_dossiers(engine: Engine, cutoff: float, batch: int = DEFAULT_BATCH, dry_run: bool = False) -> Tables:
    """Delete proof-of-link counters and codes from before ``cutoff``, in the tables this database has."""
    counts: Tables = {}
    for name, time_column in PROOF_TABLES:
        if has_table(engine, name):
            step = expiring_step(name, time_column, cutoff)
            counts[name] = Counts(deleted=run_step(engine, step, batch, dry_run))
    return counts


# ---------------------------------------------------------------- all databases

SWEEPS: Dict[str, Callable[..., Tables]] = {
    "tracker": sweep_tracker,
    "console": sweep_console,
    "dossiers": sweep_dossiers,
}


def apply_retention(engines: Dict[str, Engine], cutoff: float, batch: int = DEFAULT_BATCH,
                    dry_run: bool = False) -> Dict[str, Tables]:
    """Counts per database ("tracker", "console", "dossiers": the ones given) and per table."""
    return {name: SWEEPS[name](engine, cutoff, batch=batch, dry_run=dry_run) for name, engine in engines.items()}


# ---------------------------------------------------------------- command line


def database_urls(env: Mapping[str, str] = os.environ) -> Dict[str, str]:
    """The three databases, from the variables the servers read (same defaults)."""
    return {
        "tracker": env.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_URL,
        "console": env.get("CONSOLE_DB_URL") or DEFAULT_CONSOLE_URL,
        "dossiers": env.get("DOSSIER_DB_URL") or DEFAULT_DOSSIER_URL,
    }


def missing_sqlite_file(url: str) -> bool:
    """A SQLite URL whose file does not exist (nothing to clean; opening it would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return False
    return not Path(parsed.database).exists()


def retention_days(value: str | None) -> float:
    """``RETENTION_DAYS`` or ``--days``: a positive number of days (default 90)."""
    days = float(value) if value not in (None, "") else float(DEFAULT_DAYS)
    if not days > 0:
        raise ValueError("the retention period must be a positive number of days")
    return days


def describe(name: str, counts: Counts, dry_run: bool) -> str:
    """One line of the report."""
    if not counts.present:
        return f"  {name}: no such table, skipped"
    verb = "would be " if dry_run else ""
    parts = [f"{counts.deleted:,} rows {verb}deleted"]
    if counts.anonymised:
        parts.append(f"{counts.anonymised:,} {verb}anonymised")
    if name == "events":
        parts.append(f"{counts.conversations:,} conversations")
    return f"  {name}: " + ", ".join(parts)


def sweep_one(name: str, url: str, cutoff: float, batch: int, dry_run: bool) -> bool:
    """Clean one database and print what was done; False when it failed."""
    shown = make_url(url).render_as_string(hide_password=True)
    if missing_sqlite_file(url):
        print(f"{name} ({shown}): no database file, skipped")
        return True
    engine = make_engine(url)
    try:
        counts = SWEEPS[name](engine, cutoff, batch=batch, dry_run=dry_run)
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc  # the driver's message, without the SQL
        print(f"{name} ({shown}): failed: {type(exc).__name__}: {reason}", file=sys.stderr)
        return False
    finally:
        engine.dispose()
    print(f"{name} ({shown})" + ("" if counts else ": none of its tables exist, skipped"))
    for table_name, table_counts in counts.items():
        print(describe(table_name, table_counts, dry_run))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", help=f"keep this many days (default: RETENTION_DAYS or {DEFAULT_DAYS})")
    parser.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="rows per transaction")
    args = parser.parse_args(argv)
    try:
        days = retention_days(args.days if args.days is not None else os.environ.get("RETENTION_DAYS"))
    except ValueError as exc:
        print(f"retention: {exc}", file=sys.stderr)
        return 2
    if args.batch < 1:
        print("retention: --batch must be 1 or more", file=sys.stderr)
        return 2
    cutoff = cutoff_for(days)
    when = datetime.fromtimestamp(cutoff, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"retention: keeping {days:g} days, removing what is older than {when}"
          + (" (dry run: nothing is changed)" if args.dry_run else ""))
    if days < FIGURES_DAYS:
        print(f"retention: warning: the console's figures cover {FIGURES_DAYS} days and will show fewer",
              file=sys.stderr)
    results = [sweep_one(name, url, cutoff, args.batch, args.dry_run) for name, url in database_urls().items()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
