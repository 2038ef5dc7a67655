"""Start the action server, the Rasa server and the widget server together, with readable logs.

`make run` uses this in the foreground (Ctrl-C stops both); the end-to-end
tests use the same :class:`Stack` on free loopback ports, so what is tested is
what runs.

Usage: python -m deploy.stack [--model PATH] [--rasa-port 5005] [--actions-port 5055] [--widget-port 8080]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, List, Sequence

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REQUEST_MAX_BYTES = 1024 * 1024
GRACE_SECONDS = 20  # Sanic's GRACEFUL_SHUTDOWN_TIMEOUT is 15 s


def rasa_env() -> dict:
    """The environment every Rasa command runs with: this checkout importable, no telemetry, quiet logs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def free_port() -> int:
    """A TCP port free on loopback right now (for stacks and servers started by tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """One action server, one Rasa server and the widget server on loopback ports."""

    model: Path
    rasa_port: int = 5005
    actions_port: int = 5055
    host: str = "127.0.0.1"
    widget_port: int = 8080
    log: IO[str] | None = None
    extra_env: dict = field(default_factory=dict)
    # Rasa's HTTP API (/conversations, /model) answers only with this token; the chat channels need none.
    api_token: str = field(default_factory=lambda: os.environ.get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(32))
    _procs: List[subprocess.Popen] = field(default_factory=list)
    _names: List[str] = field(default_factory=list)
    _threads: List[threading.Thread] = field(default_factory=list)
    _workdir: Path | None = None

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def widget_url(self) -> str:
        return f"http://{self.host}:{self.widget_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def cors_origins(self) -> List[str]:
        """Browser origins Rasa answers (CORS): the demo page's, plus RASA_CORS (space separated) if set."""
        demo = [f"http://{host}:{self.widget_port}" for host in (self.host, "localhost", "127.0.0.1")]
        return list(dict.fromkeys(demo + self._env().get("RASA_CORS", "").split()))

    def _env(self) -> dict:
        env = rasa_env()
        # Explicit request size limit for Rasa's Sanic server (its default is 100 MB); the
        # channels refuse anything over 64 KB themselves.
        env.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_BYTES))
        # rasa-sdk's action server has no --interface; it binds SANIC_HOST (default 0.0.0.0).
        env["SANIC_HOST"] = self.host
        env.update(self.extra_env)
        return env

    def _endpoints(self) -> Path:
        """The endpoints file for this environment (bot/endpoints.py), pointing Rasa at this stack's actions."""
        assert self._workdir is not None
        from bot.endpoints import write

        env = {**self._env(), "ACTION_SERVER_URL": f"{self.actions_url}/webhook"}
        return write(self._workdir / "endpoints.yml", env)

    def start(self, workdir: Path) -> None:
        """Start both servers and wait until they answer."""
        if len(self.api_token) < 24:
            raise RuntimeError("refusing to start Rasa's HTTP API without a token of 24 characters or more")
        if any("*" in origin for origin in self.cors_origins):
            raise RuntimeError("refusing RASA_CORS with '*': list the portal origins that embed the widget")
        self._workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        rasa = str(VENV_BIN / "rasa")
        self._spawn(
            "actions",
            [rasa, "run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
        )
        self._spawn(
            "rasa",
            [
                # "--auth-token=<token>" in one word: a random token may begin with "-", which argparse would
                # read as the next option (1 in 64 of secrets.token_urlsafe's tokens).
                rasa, "run", "--enable-api", f"--auth-token={self.api_token}", "--cors", *self.cors_origins,
                "--interface", self.host, "--port", str(self.rasa_port),
                "--model", str(self.model),
                "--credentials", str(ROOT / "credentials.yml"),
                "--endpoints", str(self._endpoints()),
            ],
        )
        self._spawn(
            "widget",
            [sys.executable, "-m", "web.server", "--host", self.host, "--port", str(self.widget_port),
             "--rasa-url", self.rasa_url],
        )
        self.wait_ready()

    def _spawn(self, name: str, cmd: Sequence[str]) -> None:
        proc = subprocess.Popen(
            list(cmd),
            cwd=ROOT,
            # The socket.io channel checks browsers' origins against the same list as --cors; the console
            # reaches Rasa's HTTP API (live handoff) with the same token Rasa was started with.
            env={**self._env(), "RASA_CORS": " ".join(self.cors_origins), "RASA_AUTH_TOKEN": self.api_token,
                 "RASA_API_URL": self.rasa_url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - only async-signal-safe work: one prctl call
        )
        self._procs.append(proc)
        self._names.append(name)
        thread = threading.Thread(target=self._pump, args=(name, proc), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _pump(self, name: str, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        out = self.log or sys.stdout
        for line in proc.stdout:
            out.write(f"[{name}] {line}")
            out.flush()

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Block until the action server's /health, Rasa's /status and the widget's /health answer."""
        deadline = time.monotonic() + timeout
        status = f"{self.rasa_url}/status?{urllib.parse.urlencode({'token': self.api_token})}"  # model loaded
        for url in (f"{self.actions_url}/health", status, f"{self.widget_url}/health"):
            while True:
                if any(p.poll() is not None for p in self._procs):
                    raise RuntimeError("a server exited during start-up; see its log above")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
                time.sleep(0.5)

    def pids(self) -> dict:
        """Process ids by server name ("actions", "rasa", "widget"), for memory figures."""
        return dict(zip(self._names, (p.pid for p in self._procs), strict=True))

    def send_signal(self, name: str, signum: int = signal.SIGTERM) -> subprocess.Popen:
        """Send ``signum`` to one server ("actions", "rasa", "widget"); returns its process."""
        proc = self._procs[self._names.index(name)]
        if proc.poll() is None:
            os.killpg(proc.pid, signum)
        return proc

    def restart(self, name: str, timeout: float = 30.0, wait: bool = True) -> None:
        """Stop one server (SIGTERM, as when a replica is replaced) and start it again with the same command.

        Call it from the thread that started the stack: a server gets SIGTERM when the thread that
        started it ends (:func:`die_with_parent`). With ``wait=False`` it returns once the new server
        is spawned; an event loop then awaits :meth:`wait_ready` in another thread, so that its own
        sockets (an officer's websocket and its heartbeat) stay served while Rasa loads its model.
        """
        index = self._names.index(name)
        old = self._procs[index]
        os.killpg(old.pid, signal.SIGTERM)
        old.wait(timeout=timeout)
        self._spawn(name, list(old.args))
        self._procs[index] = self._procs.pop()
        self._names.pop()
        if wait:
            self.wait_ready()

    def stop(self) -> None:
        """Stop the servers in reverse order, each draining what it is still answering.

        The Rasa server gets SIGTERM before the action server, so a message it is
        processing can still run its actions; Sanic and aiohttp finish requests in
        flight before they exit. A second Ctrl-C or SIGTERM while this runs (a
        supervisor or CI signalling the whole process group) does not cut it short.
        """
        with _signals_held():
            self._stop()

    def _stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for thread in self._threads:
            thread.join(timeout=2)

    def wait(self) -> int:
        """Run until either server exits or we are interrupted."""
        try:
            while all(p.poll() is None for p in self._procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
        return max((p.returncode or 0) for p in self._procs)


PR_SET_PDEATHSIG = 1


def _prctl():
    """libc's prctl, looked up once in the launcher: a forked child must not call the dynamic loader."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: the signal handlers in main() still stop the servers
        return None


_PRCTL = _prctl()


def die_with_parent() -> None:
    """In a server just forked: get SIGTERM when the launcher dies, even by SIGKILL (Linux)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _signals_held():
    """Ignore stop signals while the servers are being stopped (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.signal(s, signal.SIG_IGN) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "tro-ly.tar.gz")
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--widget-port", type=int, default=int(os.environ.get("WIDGET_PORT", 8080)))
    parser.add_argument("--host", default=os.environ.get("RASA_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    # Ctrl-C, SIGTERM (a supervisor, CI) and SIGHUP (a closed terminal) all stop the servers, even when
    # started from a shell that made background jobs ignore SIGINT.
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.default_int_handler)
    # `make run` is the local trial: the fictional demo dossiers of the README are loaded (a deployment never
    # loads them), unless the environment says otherwise.
    demo = {"DOSSIER_DEMO": os.environ.get("DOSSIER_DEMO", "1")}
    stack = Stack(args.model, args.rasa_port, args.actions_port, args.host, args.widget_port, extra_env=demo)
    try:
        stack.start(ROOT / ".rasa" / "run")
    except (RuntimeError, TimeoutError) as exc:
        print(f"stack: {exc}", file=sys.stderr)
        stack.stop()
        return 1
    except KeyboardInterrupt:
        stack.stop()
        return 0
    print(
        f"stack: ready. Chat in the browser: {stack.widget_url}/ . REST channel: POST "
        f"{stack.rasa_url}/webhooks/rest/webhook (action server {stack.actions_url}/health). Rasa's HTTP API "
        "(/conversations, /model) needs ?token=$RASA_AUTH_TOKEN (a fresh random one this run unless you set it). "
        "Ctrl-C stops all.",
        flush=True,
    )
    return stack.wait()


if __name__ == "__main__":
    sys.exit(main())
