"""Real PostgreSQL and Redis servers for the scale-out tests, on loopback, in a temporary folder.

The binaries come from Debian packages (`scripts/ensure_services.sh` installs them
when missing; `make test` runs it). PostgreSQL refuses to run as root, so as
root its processes run as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List

from deploy.stack import free_port


def _binary(name: str, extra_dirs: List[str]) -> str:
    found = shutil.which(name)
    if found:
        return found
    for directory in extra_dirs:
        for candidate in sorted(glob.glob(os.path.join(directory, name)), reverse=True):
            if os.access(candidate, os.X_OK):
                return candidate
    raise FileNotFoundError(f"{name} not found: run scripts/ensure_services.sh (Debian postgresql, redis-server)")


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


@dataclass
class PostgresServer:
    """A throw-away cluster: initdb, pg_ctl start on 127.0.0.1, a database per name."""

    root: Path
    port: int = 0
    user: str = "rasa"
    password: str = "rasa-test-password"

    def _run_as(self) -> List[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _bin(self, name: str) -> str:
        return _binary(name, ["/usr/lib/postgresql/*/bin"])

    def start(self) -> PostgresServer:
        self.port = self.port or free_port()
        data = self.root / "pgdata"
        data.mkdir(parents=True)
        password_file = self.root / "pwfile"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            for path in (self.root, data, password_file):
                os.chown(path, postgres.pw_uid, postgres.pw_gid)
        subprocess.run(
            self._run_as() + [self._bin("initdb"), "-D", str(data), "-U", self.user, "--pwfile", str(password_file),
                              "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
        subprocess.run(
            self._run_as() + [self._bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.root / "pg.log"),
                              "-w", "-t", "60", "start"],
            check=True, stdout=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)
        return self

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        import sqlalchemy as sa

        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(self._run_as() + [self._bin("pg_ctl"), "-D", str(self.root / "pgdata"), "-m", "fast", "-w",
                                         "stop"], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class RedisServer:
    """redis-server on 127.0.0.1 with a password, no persistence."""

    root: Path
    port: int = 0
    password: str = "redis-test-password"
    process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.port = self.port or free_port()
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [_binary("redis-server", []), "--bind", "127.0.0.1", "--port", str(self.port), "--requirepass",
             self.password, "--save", "", "--appendonly", "no", "--dir", str(self.root)],
            stdout=(self.root / "redis.log").open("w"), stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port)
        return self

    def url(self, db: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
