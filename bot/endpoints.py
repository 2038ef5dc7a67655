"""Rasa's endpoints file, chosen by the environment.

Embedded default: conversations in SQLite on disk (``var/tracker.sqlite3``), locks
in memory (one Rasa process). Scale-out: ``TRACKER_STORE_URL=postgresql://...``
and ``LOCK_STORE_URL=redis://...`` shared by every Rasa replica.

URLs that were given in the environment are written as ``${VAR}`` references,
which Rasa resolves when it reads the file, so passwords never land on disk.

Usage: python -m bot.endpoints [--out endpoints.yml]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, Mapping, Sequence
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRACKER_URL = f"sqlite:///{ROOT / 'var' / 'tracker.sqlite3'}"
_TRACKER_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg2")


class EndpointError(ValueError):
    """A setting in the environment that Rasa could not use."""


def _quoted(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid double-quoted YAML scalar


def _reference_or_value(env: Mapping[str, str], name: str, default: str) -> str:
    # Rasa resolves ${VAR} only in plain (unquoted) YAML scalars.
    return f"${{{name}}}" if env.get(name) else _quoted(default)


def render(env: Mapping[str, str] = os.environ) -> str:
    """The endpoints YAML for this environment; raises EndpointError on a bad URL."""
    actions_port = env.get("ACTIONS_PORT") or "5055"
    action_url = env.get("ACTION_SERVER_URL") or f"http://127.0.0.1:{actions_port}/webhook"

    tracker_url = env.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_URL
    scheme = tracker_url.split("://", 1)[0]
    if "://" not in tracker_url or scheme not in _TRACKER_SCHEMES:
        raise EndpointError("TRACKER_STORE_URL must start with sqlite:/// or postgresql://")

    lines = [
        "# Written by bot/endpoints.py from the environment; edit the environment, not this file.",
        "action_endpoint:",
        f"  url: {_quoted(action_url)}",
        "tracker_store:",
        "  type: bot.stores.MaskingSQLTrackerStore",
        f"  url: {_reference_or_value(env, 'TRACKER_STORE_URL', DEFAULT_TRACKER_URL)}",
    ]
    lock_url = env.get("LOCK_STORE_URL")
    if lock_url:
        try:
            redis_settings(lock_url)
        except ValueError as exc:
            raise EndpointError(str(exc)) from exc
        lines += [
            "lock_store:",
            "  type: bot.stores.RedisURLLockStore",
            "  url: ${LOCK_STORE_URL}",
        ]
        if env.get("LOCK_STORE_PREFIX"):
            lines.append(f"  key_prefix: {_quoted(env['LOCK_STORE_PREFIX'])}")
    return "\n".join(lines) + "\n"


def redis_settings(url: str) -> Dict[str, Any]:
    """Keyword arguments of Rasa's RedisLockStore from ``redis[s]://[user:password@]host[:port][/db]``."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("LOCK_STORE_URL must look like redis://[:password@]host[:port][/db]")
    db = parts.path.lstrip("/")
    return {
        "host": parts.hostname,
        "port": parts.port or 6379,
        "db": int(db) if db else 0,
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
    }


def write(path: Path, env: Mapping[str, str] = os.environ) -> Path:
    """Write the endpoints file for ``env`` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(env), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="file to write (default: print)")
    args = parser.parse_args(argv)
    try:
        if args.out:
            write(args.out)
        else:
            sys.stdout.write(render())
    except EndpointError as exc:
        print(f"endpoints: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
