"""`make run` never leaves servers behind: SIGTERM to its process group, SIGHUP, or the launcher killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import List

import pytest

from deploy.stack import free_port
from tools.bench import _tree

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def launch(model: Path, tmp: Path) -> tuple[subprocess.Popen, int]:
    widget = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "CONSOLE_DB_URL": f"sqlite:///{tmp / 'console.sqlite3'}", "DOSSIER_DB_URL": f"sqlite:///{tmp / 'd.sqlite3'}",
           "TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.sqlite3'}"}
    log = (tmp / "launcher.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.stack", "--model", str(model), "--rasa-port", str(free_port()),
         "--actions-port", str(free_port()), "--widget-port", str(widget)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 240
    while True:
        assert proc.poll() is None, (tmp / "launcher.log").read_text()[-2000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{widget}/health", timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline, "the stack did not start"
            time.sleep(1)
    time.sleep(2)  # the launcher prints "ready" after the last health check
    return proc, widget


def servers(launcher: subprocess.Popen) -> List[int]:
    return [pid for pid in _tree(launcher.pid) if pid != launcher.pid]


def gone(pids: List[int], seconds: float) -> List[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if Path(f"/proc/{p}").exists() and "zombie" not in _state(p)]
        if not alive:
            return []
        time.sleep(0.5)
    return alive


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_the_whole_process_group_stops_every_server(trained_model, tmp_path, signum):
    launcher, _ = launch(trained_model, tmp_path)
    children = servers(launcher)
    assert len(children) >= 3
    os.killpg(launcher.pid, signum)  # what a supervisor, CI or a closed terminal does
    assert launcher.wait(timeout=90) == 0
    assert gone(children, 30) == []


def test_servers_stop_when_the_launcher_is_killed_outright(trained_model, tmp_path):
    launcher, _ = launch(trained_model, tmp_path)
    children = servers(launcher)
    os.kill(launcher.pid, signal.SIGKILL)  # no handler runs: the kernel tells each server its parent died
    launcher.wait(timeout=10)
    leftover = gone(children, 30)
    for pid in leftover:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert leftover == []
